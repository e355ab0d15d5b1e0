// Command wrongparam registers a handler factory without the http.Handler parameter: the
// method exists with another signature, so KrakenD's type assertion fails.
package main

import (
	"context"
	"net/http"
)

var HandlerRegisterer = registerer("wrong-param")

type registerer string

func (r registerer) RegisterHandlers(f func(
	name string,
	handler func(context.Context, map[string]interface{}) (http.Handler, error),
)) {
	f(string(r), func(context.Context, map[string]interface{}) (http.Handler, error) {
		return http.NotFoundHandler(), nil
	})
}

func main() {}
