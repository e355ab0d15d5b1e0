module example.com/a

go 1.21

require example.com/c v1.1.0
