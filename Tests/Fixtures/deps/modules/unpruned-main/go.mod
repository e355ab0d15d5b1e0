module example.com/plugin

go 1.16

require example.com/p v1.0.0
