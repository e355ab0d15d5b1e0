// Package pluginlib is used only by plugins, never by the gateway.
package pluginlib

// Tag names the library version.
func Tag() string { return "pluginlib v1.1.0" }

// Level is new in v1.1.0.
func Level() int { return 2 }
