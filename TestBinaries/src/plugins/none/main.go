// Command none is a valid Go plugin that exports no registerer: it loads and registers nothing.
package main

import "example.com/shared"

// Version is exported, but it is not one of the symbols the gateway looks up.
var Version = shared.Describe("none")

func main() {}
