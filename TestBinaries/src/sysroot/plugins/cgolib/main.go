// Package main links the C library libpcfoo.so.1 (TestBinaries/src/sysroot/clib) and looks
// for it next to itself first (DT_RUNPATH $ORIGIN/lib): where the target root lacks it,
// glibc's dlopen fails with "libpcfoo.so.1: cannot open shared object file".
package main

/*
#cgo LDFLAGS: -lpcfoo -Wl,-rpath,$ORIGIN/lib -Wl,--enable-new-dtags
int pcfoo_answer(void);
*/
import "C"

type registerer int

func (r registerer) RegisterHandlers(f func(string, func() int)) {
	f("sysroot-cgolib", func() int { return int(C.pcfoo_answer()) })
}

var HandlerRegisterer = registerer(0)

func main() {}
