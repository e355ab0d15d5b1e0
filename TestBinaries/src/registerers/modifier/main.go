// Command modifier is a modifier plugin with RegisterLogger and RegisterContext.
package main

import "context"

var ModifierRegisterer = registerer("good-modifier")

type registerer string

func (r registerer) RegisterModifiers(f func(
	name string,
	factory func(map[string]interface{}) func(interface{}) (interface{}, error),
	appliesToRequest bool,
	appliesToResponse bool,
)) {
	f(string(r), func(map[string]interface{}) func(interface{}) (interface{}, error) {
		return func(in interface{}) (interface{}, error) { return in, nil }
	}, true, true)
}

func (r registerer) RegisterLogger(v interface{}) {}

func (r registerer) RegisterContext(ctx context.Context) {}

func main() {}
