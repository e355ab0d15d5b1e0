// Command modifier is a KrakenD-style request/response modifier plugin using the plugin-only library.
package main

import (
	"example.com/pluginlib"
	"example.com/shared"
)

// ModifierRegisterer is looked up by the gateway.
var ModifierRegisterer = registerer("modifier-example")

type registerer string

func (r registerer) RegisterModifiers(f func(name string, factory func(map[string]interface{}) func(interface{}) (interface{}, error), appliesToRequest bool, appliesToResponse bool)) {
	shared.Register(string(r) + " " + pluginlib.Tag())
	f(string(r), func(map[string]interface{}) func(interface{}) (interface{}, error) {
		return func(in interface{}) (interface{}, error) { return in, nil }
	}, true, false)
}

func main() {}
