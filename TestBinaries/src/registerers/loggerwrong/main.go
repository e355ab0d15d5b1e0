// Command loggerwrong registers, but its RegisterLogger takes a func, not interface{}: KrakenD
// never calls it, so the plugin logs nothing through the gateway.
package main

import (
	"context"
	"net/http"
)

var HandlerRegisterer = registerer("logger-wrong")

type registerer string

func (r registerer) RegisterHandlers(f func(
	name string,
	handler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error),
)) {
	f(string(r), func(_ context.Context, _ map[string]interface{}, h http.Handler) (http.Handler, error) { return h, nil })
}

func (r registerer) RegisterLogger(log func(string)) {}

func main() {}
