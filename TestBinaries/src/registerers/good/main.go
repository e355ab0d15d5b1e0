// Command good is a handler plugin with lura's RegisterHandlers signature, a constant name and
// RegisterLogger(interface{}): KrakenD registers it and hands it its logger.
package main

import (
	"context"
	"net/http"
)

var HandlerRegisterer = registerer("good-handler")

type registerer string

func (r registerer) RegisterHandlers(f func(
	name string,
	handler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error),
)) {
	f(string(r), func(_ context.Context, _ map[string]interface{}, h http.Handler) (http.Handler, error) { return h, nil })
}

func (r registerer) RegisterLogger(v interface{}) {}

func main() {}
