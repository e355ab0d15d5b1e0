// Command structreg's registerer is a struct: it registers, but its name is not a string value.
package main

import (
	"context"
	"net/http"
)

var HandlerRegisterer = registerer{name: "struct-handler"}

type registerer struct{ name string }

func (r registerer) RegisterHandlers(f func(
	name string,
	handler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error),
)) {
	f(r.name, func(_ context.Context, _ map[string]interface{}, h http.Handler) (http.Handler, error) { return h, nil })
}

func main() {}
