// Command othername registers as "other-name"; the configuration asks for "my-plugin".
package main

import (
	"context"
	"net/http"
)

var HandlerRegisterer = registerer("other-name")

type registerer string

func (r registerer) RegisterHandlers(f func(
	name string,
	handler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error),
)) {
	f(string(r), func(_ context.Context, _ map[string]interface{}, h http.Handler) (http.Handler, error) { return h, nil })
}

func main() {}
