module example.com/x

go 1.21

require example.com/y v1.0.0
