module example.com/plugin

go 1.21

require example.com/a v1.0.0

replace example.com/a v1.0.0 => example.com/a v1.1.0
