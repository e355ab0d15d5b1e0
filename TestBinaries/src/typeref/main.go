// Command typeref is the test reference for plugincheck's type descriptor reader: it opens one
// plugin with the real runtime (plugin.Open) and prints, as JSON, what Lookup returns for each
// name the plugin exports: reflect's String(), Kind, the exported methods (name and the method
// value's type, receiver bound) and, for a pointer, the element's; for a pointer to a string
// kind, the string the variable holds after the plugin's initialisation.
//
//	typeref PLUGIN.so    (exit status 1 with the plugin.Open error on stderr)
//
// For tests only: it loads the file it is given.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"plugin"
	"reflect"
	"sort"
)

type method struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

type elem struct {
	Kind    string   `json:"kind"`
	String  string   `json:"string"`
	Methods []method `json:"methods"`
}

type export struct {
	Name        string   `json:"name"`
	Kind        string   `json:"kind"`
	String      string   `json:"string"`
	Methods     []method `json:"methods"`
	Elem        *elem    `json:"elem,omitempty"`
	Inputs      []string `json:"inputs"`
	Outputs     []string `json:"outputs"`
	Variadic    bool     `json:"variadic"`
	StringValue *string  `json:"stringValue,omitempty"`
}

func methods(t reflect.Type, v reflect.Value) []method {
	ms := []method{}
	for i := 0; i < t.NumMethod(); i++ {
		ms = append(ms, method{t.Method(i).Name, v.Method(i).Type().String()})
	}
	return ms
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: typeref PLUGIN.so")
		os.Exit(2)
	}
	p, err := plugin.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	names := []string{}
	for _, k := range reflect.ValueOf(p).Elem().FieldByName("syms").MapKeys() {
		names = append(names, k.String())
	}
	sort.Strings(names)
	out := []export{}
	for _, n := range names {
		sym, err := p.Lookup(n)
		if err != nil {
			panic(err)
		}
		t, v := reflect.TypeOf(sym), reflect.ValueOf(sym)
		e := export{Name: n, Kind: t.Kind().String(), String: t.String(), Methods: methods(t, v),
			Inputs: []string{}, Outputs: []string{}}
		if t.Kind() == reflect.Ptr {
			et := t.Elem()
			e.Elem = &elem{et.Kind().String(), et.String(), methods(et, v.Elem())}
			if et.Kind() == reflect.String {
				s := v.Elem().String()
				e.StringValue = &s
			}
		}
		if t.Kind() == reflect.Func {
			for i := 0; i < t.NumIn(); i++ {
				e.Inputs = append(e.Inputs, t.In(i).String())
			}
			for i := 0; i < t.NumOut(); i++ {
				e.Outputs = append(e.Outputs, t.Out(i).String())
			}
			e.Variadic = t.IsVariadic()
		}
		out = append(out, e)
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
