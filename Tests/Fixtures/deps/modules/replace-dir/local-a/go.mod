module example.com/a

go 1.21

require example.com/Upper/lib v1.0.0
