module example.com/Upper/lib

go 1.21

require example.com/c v1.0.0
