module example.com/plugin

go 1.21

require example.com/u v1.0.0
