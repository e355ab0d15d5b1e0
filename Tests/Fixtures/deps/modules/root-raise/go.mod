module example.com/plugin

go 1.21

require (
	example.com/b v1.0.0
	example.com/c v1.0.0
)
