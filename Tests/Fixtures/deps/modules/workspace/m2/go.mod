module example.com/m2

go 1.21

require example.com/b v1.0.0
