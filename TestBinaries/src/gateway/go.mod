module example.com/gateway

go 1.19

require example.com/shared v1.0.0
