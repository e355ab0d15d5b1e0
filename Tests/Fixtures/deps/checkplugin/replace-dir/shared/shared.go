// Package shared is imported by both the fixture gateway and the plugins,
// like KrakenD's own packages: its fingerprint must match on both sides.
package shared

import "fmt"

// Registered records every name a plugin registered in this process.
var Registered []string

// Register is called by plugins.
func Register(name string) { Registered = append(Registered, name) }

// Describe cannot be inlined, so its body is not part of the export data.
//
//go:noinline
func Describe(name string) string {
	return fmt.Sprintf("shared v1.0.0: %s", name)
}
