// Command gateway is the fixture host: it loads plugins the way KrakenD does.
//
// For each path argument, in order: plugin.Open, then Lookup of the four
// registerer symbols. One tab-separated line per plugin on stdout:
//
//	PLUGIN <path> loaded <Name,Name,...|->
//	PLUGIN <path> error <err.Error() with newlines as \n>
//
// A plugin whose runtime does not match kills the process inside plugin.Open;
// the runner then sees no line for it and the exit status.
package main

import (
	"fmt"
	"os"
	"plugin"
	"strings"

	"example.com/shared"
)

var registerers = []string{"HandlerRegisterer", "ClientRegisterer", "ModifierRegisterer", "MiddlewareRegisterer"}

func main() {
	shared.Register("gateway")
	_ = shared.Describe("gateway")
	for _, path := range os.Args[1:] {
		p, err := plugin.Open(path)
		if err != nil {
			msg := strings.ReplaceAll(err.Error(), "\n", `\n`)
			os.Stdout.WriteString("PLUGIN\t" + path + "\terror\t" + msg + "\n")
			continue
		}
		var found []string
		for _, name := range registerers {
			if _, err := p.Lookup(name); err == nil {
				found = append(found, name)
			}
		}
		list := "-"
		if len(found) > 0 {
			list = strings.Join(found, ",")
		}
		os.Stdout.WriteString("PLUGIN\t" + path + "\tloaded\t" + list + "\n")
	}
	fmt.Fprintf(os.Stderr, "gateway: done, %d registrations\n", len(shared.Registered))
}
