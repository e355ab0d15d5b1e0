module example.com/b

go 1.21

require example.com/c v1.2.0
