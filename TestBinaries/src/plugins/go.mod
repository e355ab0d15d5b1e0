module example.com/plugins

go 1.19

require (
	example.com/pluginlib v1.0.0
	example.com/shared v1.0.0
)
