module example.com/other

go 1.19

require example.com/shared v1.1.0
