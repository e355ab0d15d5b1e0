//go:build extra

package shared

// Extra exists only when the build tag "extra" is set: the tag changes this
// package's export data, so a plugin built with it has another fingerprint.
func Extra() string { return "extra" }
