// Command gateway is the host of the --sysroot fixtures (TestBinaries/tools/sysroots.py):
// it loads each plugin named on its command line with plugin.Open, as KrakenD does, and
// prints one tab-separated line per plugin on stdout:
//
//	PLUGIN <path> loaded <Name,Name,...|->
//	PLUGIN <path> error <err.Error() with newlines as \n>
//
// With `-c CONFIG` it takes the plugins from a KrakenD configuration instead (JSON; the
// version must be 3): plugin.folder and plugin.pattern used as written, and the folder scanned
// as lura's plugin.Scan does (entries sorted by name, not directories as Lstat sees them, name
// containing the pattern, each filepath.Join(folder, name)), relative to the working
// directory. A configuration that cannot be used prints `CONFIGERR <message>` and exits 1.
//
// It has no dependencies beyond the standard library, so that it builds offline, and it is
// built with cgo against the target root (gcc --sysroot), so that it starts there.
package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"plugin"
	"strings"
)

var registerers = []string{"HandlerRegisterer", "ClientRegisterer", "ModifierRegisterer"}

func main() {
	paths := os.Args[1:]
	if len(paths) == 2 && paths[0] == "-c" {
		paths = fromConfig(paths[1])
	}
	for _, path := range paths {
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

func fromConfig(file string) []string {
	fail := func(msg string) {
		os.Stdout.WriteString("CONFIGERR\t" + strings.ReplaceAll(msg, "\n", `\n`) + "\n")
		os.Exit(1)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		fail(err.Error())
	}
	var cfg struct {
		Version int
		Plugin  *struct{ Folder, Pattern string }
	}
	if err := json.Unmarshal(data, &cfg); err != nil {
		fail(err.Error())
	}
	if cfg.Version != 3 {
		fail("unsupported version")
	}
	if cfg.Plugin == nil {
		return nil
	}
	entries, err := os.ReadDir(cfg.Plugin.Folder)
	if err != nil {
		fail(err.Error())
	}
	var paths []string
	for _, e := range entries {
		if !e.IsDir() && strings.Contains(e.Name(), cfg.Plugin.Pattern) {
			paths = append(paths, filepath.Join(cfg.Plugin.Folder, e.Name()))
		}
	}
	return paths
}
