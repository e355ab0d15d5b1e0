// Command cshared is built with -buildmode=c-shared: a Go shared object that
// is not a Go plugin.
package main

import "C"

//export Add
func Add(a, b C.int) C.int { return a + b }

func main() {}
