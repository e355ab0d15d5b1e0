// Package main is a plugin using only the standard library: built against the target root
// it loads there; built on a newer glibc it needs GLIBC_2.34 (pthread in libc).
package main

import "strings"

type registerer string

func (r registerer) RegisterHandlers(f func(string, func(string) string)) {
	f(string(r), strings.ToUpper)
}

var HandlerRegisterer = registerer("sysroot-handler")

func main() {}
