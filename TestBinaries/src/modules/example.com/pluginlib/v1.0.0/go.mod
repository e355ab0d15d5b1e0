module example.com/pluginlib

go 1.19
