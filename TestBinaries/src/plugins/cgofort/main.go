// Command cgofort is a handler plugin with C code that calls fortified libc
// functions when built with -O2 -D_FORTIFY_SOURCE=2 (__fprintf_chk, __memcpy_chk):
// glibc has them, musl does not.
package main

/*
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

static char buf[64];

// The caller guarantees n < sizeof buf; the compiler cannot know it, so
// _FORTIFY_SOURCE turns memcpy into __memcpy_chk(buf, s, n, 64).
static int fortified(const char *s, size_t n) {
	memcpy(buf, s, n);
	buf[n] = 0;
	return fprintf(stderr, "cgofort: %s\n", buf);
}
*/
import "C"

import (
	"unsafe"

	"example.com/shared"
)

// HandlerRegisterer is looked up by the gateway.
var HandlerRegisterer = registerer("cgofort")

type registerer string

func (r registerer) RegisterHandlers(f func(name string, handler func(map[string]interface{}) (interface{}, error))) {
	shared.Register(string(r))
	if len(r) >= 64 {
		r = r[:63]
	}
	s := C.CString(string(r))
	C.fortified(s, C.size_t(len(r)))
	C.free(unsafe.Pointer(s))
	f(string(r), func(cfg map[string]interface{}) (interface{}, error) { return nil, nil })
}

func main() {}
