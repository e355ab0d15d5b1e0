// Command krakend is the fixture gateway that loads a plugin folder the way KrakenD CE does:
// krakend-ce's LoadPluginsWithContext (plugin.go) running luraproject/lura's three loaders,
// each of which calls lura's plugin.Scan (plugin/plugin.go) and then plugin.Open, Lookup,
// a type assertion and the registration on every file Scan selected.
//
//	krakend -c CONFIG.json              read the configuration, load the plugins, check the names it asks for
//	krakend -scan-only FOLDER PATTERN   print only what lura's Scan selects
//
// It runs in its working directory: a relative plugin.folder resolves against it, as in KrakenD.
//
// Configuration (JSON only, encoding/json: struct field names match case-insensitively, map
// keys such as extra_config namespaces match exactly):
//   - "version" must be 3 (lura ServiceConfig.Init: "unsupported version: %d (want: 3)"), else CONFIGERR;
//   - "plugin" absent or null: no loader runs (krakend-ce executor: `if cfg.Plugin != nil`);
//   - "plugin.folder" and "plugin.pattern" are used exactly as written (no cleaning, no defaults).
//
// Scan: ioutil.ReadDir(folder) (entries sorted by name, each Lstat'ed: a symlink is not a
// directory, even to one), keep !IsDir() entries whose name contains pattern (strings.Contains,
// so "" keeps every entry), each as filepath.Join(folder, name). A ReadDir error ends that loader.
//
// Loaders, in krakend-ce order, each scanning again:
//
//	client   "[SERVICE: Executor Plugin]"  Lookup("ClientRegisterer")   "http-request-executor plugin loader: unknown type"
//	handler  "[SERVICE: Handler Plugin]"   Lookup("HandlerRegisterer")  "http-server-handler plugin loader: unknown type"
//	modifier "[SERVICE: Modifier Plugin]"  Lookup("ModifierRegisterer") "modifier plugin loader: unknown type"
//
// The type assertions (loaders_fixture.go) use the fixture plugins' signatures (TestBinaries/src/plugins: the
// handler's and client's factories are func(map[string]interface{}) (interface{}, error); the
// modifier's is lura's own; built with -tags=lura, loaders_lura.go asserts lura v2's interfaces). A failing file becomes lura's "plugin #%d (%s): %s" (index in that
// loader's Scan result, path as Scan built it); a panic in the registerer is recovered into the
// error, as lura does. Each loader returns (count, loaderError) whose text is
// "plugin loader found %d error(s): \n" + the errors joined by "\n"; krakend-ce then logs each
// error at DEBUG and "Total plugins loaded: n" at INFO when n > 0. KrakenD Enterprise's fourth
// kind (MiddlewareRegisterer, "plugin/middleware") is not loaded by CE, so not here either.
//
// Output: tab-separated lines on stdout, each written with a single write(2), so a crash inside
// plugin.Open leaves every earlier line. In a field, `\` is written `\\`, a newline `\n`, a tab `\t`.
//
//	CONFIG     <folder> <pattern>          the plugin section ("CONFIG - -" when absent: no loader runs)
//	CONFIGERR  <message>                   the configuration is rejected; nothing is loaded (exit status 1)
//	LOADER     <kind> <log tag>            a loader starts (kind: client, handler, modifier)
//	SCAN       <kind> <path>               a file the loader's Scan selected, in order (kind "-" with -scan-only)
//	SCANERR    <kind> <error>              Scan failed: ReadDir's error
//	OPEN       <kind> <path> loaded|error <plugin.Open's error | ->
//	LOOKUP     <kind> <path> found|error|unknown-type <%T of the symbol | Lookup's error>
//	PANIC      <kind> <path> <message>     the registerer panicked
//	REGISTERED <kind> <name> <flags>       a name registered (modifier flags: request, response, request+response, none; others -)
//	LOG        <level> <message>           what KrakenD CE logs about the loader (logPluginLoaderErrors)
//	SUMMARY    <kind> <count> <error | ->  what the lura loader returned: files loaded and registered, err.Error()
//	DECLARED   <namespace> <name> <status> <where>   each plugin name the configuration asks for
//	DONE       <names registered>
//
// DECLARED, service first, then each endpoint and its backends, then each async_agent's backends;
// within one extra_config in this namespace order: plugin/http-server (read at service level, name
// a string or a list), plugin/http-client (backends, name a string), plugin/req-resp-modifier
// (endpoints and backends, name a list), each alias before its long lura name, plugin/middleware.
// status: registered | missing | not-reached (an http-server name after a missing one: lura's
// server plugin stops at the first unknown name) | ignored:<why> where why is level (a level whose
// extra_config that plugin kind never reads), name-type (a name value of a type lura does not
// read; <name> is then its JSON), item-type (a non-string list item), not-an-object (the
// namespace value), alias-wins (the long name when the alias is also present: the alias
// replaces it), edition (plugin/middleware: Enterprise only).
//
// Exit status: 0, or 1 for CONFIGERR, 2 for bad usage; a runtime mismatch in plugin.Open kills
// the process (Go's exit status 2, fatal error on stderr).
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/ioutil"
	"os"
	"path/filepath"
	"plugin"
	"strconv"
	"strings"

	"example.com/shared"
)

func esc(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\t", `\t`).Replace(s)
}

// emit writes one line with a single Write (os.Stdout is not buffered).
func emit(fields ...string) {
	for i, f := range fields {
		fields[i] = esc(f)
	}
	os.Stdout.WriteString(strings.Join(fields, "\t") + "\n")
}

// scan has lura's plugin.Scan semantics.
func scan(folder, pattern string) ([]string, error) {
	files, err := ioutil.ReadDir(folder)
	if err != nil {
		return []string{}, err
	}
	plugins := []string{}
	for _, file := range files {
		if !file.IsDir() && strings.Contains(file.Name(), pattern) {
			plugins = append(plugins, filepath.Join(folder, file.Name()))
		}
	}
	return plugins, nil
}

// What the registrations stored, per kind (lura keeps one register per namespace).
var (
	handlers          = map[string]bool{}
	clients           = map[string]bool{}
	requestModifiers  = map[string]bool{}
	responseModifiers = map[string]bool{}
	total             int
)

type loader struct {
	kind, tag, symbol, unknownType string
	// registration asserts the symbol's type: the registration to run, or nil when the type does not fit.
	registration func(sym interface{}) func()
}

// emitter names the file whose extras (RegisterLogger, RegisterContext) a registration reports.
var current string

// open is lura's open(): plugin.Open, Lookup, type assertion, registration, panics recovered.
func (l loader) open(path string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			var ok bool
			err, ok = r.(error)
			if !ok {
				err = fmt.Errorf("%v", r)
			}
			emit("PANIC", l.kind, path, err.Error())
		}
	}()
	p, err := plugin.Open(path)
	if err != nil {
		emit("OPEN", l.kind, path, "error", err.Error())
		return err
	}
	emit("OPEN", l.kind, path, "loaded", "-")
	sym, err := p.Lookup(l.symbol)
	if err != nil {
		emit("LOOKUP", l.kind, path, "error", err.Error())
		return err
	}
	typ := fmt.Sprintf("%T", sym)
	register := l.registration(sym)
	if register == nil {
		emit("LOOKUP", l.kind, path, "unknown-type", typ)
		return errors.New(l.unknownType)
	}
	emit("LOOKUP", l.kind, path, "found", typ)
	current = path
	register()
	return nil
}

type loaderError struct{ errors []error }

func (l loaderError) Error() string {
	msgs := make([]string, len(l.errors))
	for i, err := range l.errors {
		msgs[i] = err.Error()
	}
	return fmt.Sprintf("plugin loader found %d error(s): \n%s", len(msgs), strings.Join(msgs, "\n"))
}

// load is lura's LoadWithLogger: Scan, then open each file, errors wrapped with index and path.
func (l loader) load(folder, pattern string) (int, error) {
	plugins, err := scan(folder, pattern)
	if err != nil {
		emit("SCANERR", l.kind, err.Error())
		return 0, err
	}
	for _, p := range plugins {
		emit("SCAN", l.kind, p)
	}
	errs := []error{}
	loaded := 0
	for k, name := range plugins {
		if err := l.open(name); err != nil {
			errs = append(errs, fmt.Errorf("plugin #%d (%s): %s", k, name, err.Error()))
			continue
		}
		loaded++
	}
	if len(errs) > 0 {
		return loaded, loaderError{errs}
	}
	return loaded, nil
}

// logLine is what KrakenD's logger prints for logger.Debug(v...) / Info(v...): fmt.Sprintln's spacing.
func logLine(level string, v ...interface{}) {
	emit("LOG", level, strings.TrimSuffix(fmt.Sprintln(v...), "\n"))
}

// logPluginLoaderErrors is krakend-ce's.
func logPluginLoaderErrors(tag string, n int, err error) {
	if err != nil {
		if le, ok := err.(loaderError); ok {
			for _, e := range le.errors {
				logLine("DEBUG", tag, e.Error())
			}
		} else {
			logLine("DEBUG", tag, err.Error())
		}
	}
	if n > 0 {
		logLine("INFO", tag, "Total plugins loaded:", n)
	}
}

// ---------------------------------------------------------------- configuration

type extraConfig map[string]interface{}

type backend struct {
	ExtraConfig extraConfig `json:"extra_config"`
}

type config struct {
	Version int `json:"version"`
	Plugin  *struct {
		Folder  string `json:"folder"`
		Pattern string `json:"pattern"`
	} `json:"plugin"`
	ExtraConfig extraConfig `json:"extra_config"`
	Endpoints   []struct {
		ExtraConfig extraConfig `json:"extra_config"`
		Backend     []backend   `json:"backend"`
	} `json:"endpoints"`
	AsyncAgent []struct {
		Backend []backend `json:"backend"`
	} `json:"async_agent"`
}

type level int

const (
	atService level = iota
	atEndpoint
	atBackend
)

// namespace: the alias krakend-ce registers, lura's long name, where lura reads it, the name forms it reads.
type namespace struct {
	alias, long string
	levels      []level
	str, list   bool
	registered  func(string) bool
	stopAtMiss  bool
}

var namespaces = []namespace{
	{"plugin/http-server", "github_com/devopsfaith/krakend/transport/http/server/handler", []level{atService}, true, true,
		func(n string) bool { return handlers[n] }, true},
	{"plugin/http-client", "github.com/devopsfaith/krakend/transport/http/client/executor", []level{atBackend}, true, false,
		func(n string) bool { return clients[n] }, false},
	{"plugin/req-resp-modifier", "github.com/devopsfaith/krakend/proxy/plugin", []level{atEndpoint, atBackend}, false, true,
		func(n string) bool { return requestModifiers[n] || responseModifiers[n] }, false},
	{"plugin/middleware", "", nil, true, true, nil, false},
}

func jsonText(v interface{}) string {
	if v == nil {
		return "-"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func declared(ec extraConfig, lv level, where string) {
	for _, ns := range namespaces {
		keys := []string{ns.alias}
		if ns.long != "" {
			keys = append(keys, ns.long)
		}
		for _, key := range keys {
			raw, ok := ec[key]
			if !ok {
				continue
			}
			if key == ns.long {
				if _, both := ec[ns.alias]; both {
					emit("DECLARED", key, jsonText(raw), "ignored:alias-wins", where)
					continue
				}
			}
			declaredIn(ns, key, raw, lv, where)
		}
	}
}

func declaredIn(ns namespace, key string, raw interface{}, lv level, where string) {
	obj, ok := raw.(map[string]interface{})
	if !ok {
		emit("DECLARED", key, jsonText(raw), "ignored:not-an-object", where)
		return
	}
	var names []string
	var items []interface{}
	switch n := obj["name"].(type) {
	case string:
		if !ns.str {
			emit("DECLARED", key, jsonText(n), "ignored:name-type", where)
			return
		}
		names = []string{n}
	case []interface{}:
		if !ns.list {
			emit("DECLARED", key, jsonText(n), "ignored:name-type", where)
			return
		}
		items = n
	default:
		emit("DECLARED", key, jsonText(obj["name"]), "ignored:name-type", where)
		return
	}
	if items != nil {
		for _, it := range items {
			if s, ok := it.(string); ok {
				names = append(names, s)
			} else {
				emit("DECLARED", key, jsonText(it), "ignored:item-type", where)
			}
		}
	}
	atLevel := false
	for _, l := range ns.levels {
		atLevel = atLevel || l == lv
	}
	missed := false
	for _, name := range names {
		switch {
		case ns.registered == nil:
			emit("DECLARED", key, name, "ignored:edition", where)
		case !atLevel:
			emit("DECLARED", key, name, "ignored:level", where)
		case missed:
			emit("DECLARED", key, name, "not-reached", where)
		case ns.registered(name):
			emit("DECLARED", key, name, "registered", where)
		default:
			emit("DECLARED", key, name, "missing", where)
			missed = ns.stopAtMiss
		}
	}
}

func main() {
	shared.Register("krakend")
	_ = shared.Describe("krakend")

	cfgPath := flag.String("c", "", "KrakenD configuration (JSON)")
	scanOnly := flag.Bool("scan-only", false, "print lura's Scan result for FOLDER PATTERN and exit")
	flag.Parse()

	if *scanOnly {
		if flag.NArg() != 2 {
			fmt.Fprintln(os.Stderr, "usage: krakend -scan-only FOLDER PATTERN")
			os.Exit(2)
		}
		plugins, err := scan(flag.Arg(0), flag.Arg(1))
		if err != nil {
			emit("SCANERR", "-", err.Error())
			return
		}
		for _, p := range plugins {
			emit("SCAN", "-", p)
		}
		return
	}
	if *cfgPath == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: krakend -c CONFIG.json | krakend -scan-only FOLDER PATTERN")
		os.Exit(2)
	}

	data, err := ioutil.ReadFile(*cfgPath)
	if err != nil {
		emit("CONFIGERR", err.Error())
		os.Exit(1)
	}
	var cfg config
	if err := json.Unmarshal(data, &cfg); err != nil {
		emit("CONFIGERR", err.Error())
		os.Exit(1)
	}
	if cfg.Version != 3 {
		emit("CONFIGERR", fmt.Sprintf("unsupported version: %d (want: %d)", cfg.Version, 3))
		os.Exit(1)
	}

	if cfg.Plugin == nil {
		emit("CONFIG", "-", "-")
	} else {
		emit("CONFIG", cfg.Plugin.Folder, cfg.Plugin.Pattern)
		logLine("DEBUG", "[SERVICE: Plugin Loader] Starting loading process")
		for _, l := range loaders {
			emit("LOADER", l.kind, l.tag)
			n, err := l.load(cfg.Plugin.Folder, cfg.Plugin.Pattern)
			logPluginLoaderErrors(l.tag, n, err)
			msg := "-"
			if err != nil {
				msg = err.Error()
			}
			emit("SUMMARY", l.kind, strconv.Itoa(n), msg)
		}
		logLine("DEBUG", "[SERVICE: Plugin Loader] Loading process completed")
	}

	declared(cfg.ExtraConfig, atService, "service")
	for i, e := range cfg.Endpoints {
		where := fmt.Sprintf("endpoints[%d]", i)
		declared(e.ExtraConfig, atEndpoint, where)
		for j, b := range e.Backend {
			declared(b.ExtraConfig, atBackend, fmt.Sprintf("%s.backend[%d]", where, j))
		}
	}
	for i, a := range cfg.AsyncAgent {
		for j, b := range a.Backend {
			declared(b.ExtraConfig, atBackend, fmt.Sprintf("async_agent[%d].backend[%d]", i, j))
		}
	}
	emit("DONE", strconv.Itoa(total))
}
