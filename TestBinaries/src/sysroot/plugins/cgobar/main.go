// Package main links the C library libpcbar.so.1 (TestBinaries/src/sysroot/clib), found next
// to itself (DT_RUNPATH $ORIGIN/lib). The library calls pc_nowhere, which nothing defines:
// the plugin's own symbols all bind, and the load fails on the library's.
package main

/*
#cgo LDFLAGS: -lpcbar -Wl,-rpath,$ORIGIN/lib -Wl,--enable-new-dtags
int pcbar_answer(void);
*/
import "C"

type registerer int

func (r registerer) RegisterHandlers(f func(string, func() int)) {
	f("sysroot-cgobar", func() int { return int(C.pcbar_answer()) })
}

var HandlerRegisterer = registerer(0)

func main() {}
