// Command handler is a KrakenD-style handler plugin.
package main

import "example.com/shared"

// Name can be overridden with -ldflags=-X main.Name=... to build another file
// with the same plugin path.
var Name = "handler-example"

// HandlerRegisterer is looked up by the gateway.
var HandlerRegisterer = registerer(Name)

type registerer string

func (r registerer) RegisterHandlers(f func(name string, handler func(map[string]interface{}) (interface{}, error))) {
	shared.Register(string(r))
	f(string(r), func(cfg map[string]interface{}) (interface{}, error) {
		return shared.Describe(string(r)), nil
	})
}

func main() {}
