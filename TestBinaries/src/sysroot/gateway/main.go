// Command gateway is the host of the --sysroot fixtures (TestBinaries/tools/sysroots.py):
// it loads each plugin named on its command line with plugin.Open, as KrakenD does, and
// prints one tab-separated line per plugin on stdout:
//
//	PLUGIN <path> loaded <Name,Name,...|->
//	PLUGIN <path> error <err.Error() with newlines as \n>
//
// It has no dependencies beyond the standard library, so that it builds offline, and it is
// built with cgo against the target root (gcc --sysroot), so that it starts there.
package main

import (
	"os"
	"plugin"
	"strings"
)

var registerers = []string{"HandlerRegisterer", "ClientRegisterer", "ModifierRegisterer"}

func main() {
	for _, path := range os.Args[1:] {
		p, err := plugin.Open(path)
		if err != nil {
			os.Stdout.WriteString("PLUGIN\t" + path + "\terror\t" + strings.ReplaceAll(err.Error(), "\n", `\n`) + "\n")
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
}
