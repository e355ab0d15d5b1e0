module example.com/u

go 1.16

require example.com/v v1.0.0
