// Package main calls a C function that nothing defines: the link leaves it undefined
// (--unresolved-symbols=ignore-all, as a missing -l does in a shared object), and glibc's
// dlopen(RTLD_NOW) fails with "undefined symbol: pc_missing_function".
package main

/*
#cgo LDFLAGS: -Wl,--unresolved-symbols=ignore-all
void pc_missing_function(void);
static void call_it(void) { pc_missing_function(); }
*/
import "C"

type registerer string

func (r registerer) RegisterHandlers(f func(string, func())) { f(string(r), func() { C.call_it() }) }

var HandlerRegisterer = registerer("sysroot-cgoundef")

func main() {}
