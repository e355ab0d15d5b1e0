// Command client is a KrakenD-style client plugin using the plugin-only library.
package main

import (
	"example.com/pluginlib"
	"example.com/shared"
)

// ClientRegisterer is looked up by the gateway.
var ClientRegisterer = registerer("client-example")

type registerer string

func (r registerer) RegisterClients(f func(name string, factory func(map[string]interface{}) (interface{}, error))) {
	shared.Register(string(r))
	f(string(r), func(cfg map[string]interface{}) (interface{}, error) {
		return pluginlib.Tag(), nil
	})
}

func main() {}
