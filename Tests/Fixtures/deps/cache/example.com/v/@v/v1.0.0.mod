module example.com/v

go 1.21

require example.com/w v1.0.0
