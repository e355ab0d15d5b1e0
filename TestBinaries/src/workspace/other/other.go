// Package other is a second module of a go.work workspace (golang/go#58639): it requires
// example.com/shared v1.1.0, so in workspace mode every module of the workspace, the plugin
// included, builds with v1.1.0 although the plugin's go.mod requires v1.0.0.
package other

import "example.com/shared"

// Use keeps the import.
func Use() string { return shared.Describe("other") }
