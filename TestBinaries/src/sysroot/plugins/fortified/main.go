// Package main has C code compiled with _FORTIFY_SOURCE against glibc: snprintf into a buffer
// of known size becomes a call of glibc's __snprintf_chk, which glibc defines and musl does not.
package main

/*
#cgo CFLAGS: -O2 -D_FORTIFY_SOURCE=2
#include <stdio.h>
static int format(int n) {
	char buf[16];
	return snprintf(buf, sizeof buf, "%d", n);
}
*/
import "C"

type registerer int

func (r registerer) RegisterHandlers(f func(string, func() int)) {
	f("sysroot-fortified", func() int { return int(C.format(42)) })
}

var HandlerRegisterer = registerer(0)

func main() {}
