// Command pointervar exports a pointer variable: Lookup returns a pointer to it (**registerer),
// which has no methods, so the assertion fails although *registerer has the right one.
package main

import (
	"context"
	"net/http"
)

var HandlerRegisterer = &registerer{name: "pointer-var"}

type registerer struct{ name string }

func (r *registerer) RegisterHandlers(f func(
	name string,
	handler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error),
)) {
	f(r.name, func(_ context.Context, _ map[string]interface{}, h http.Handler) (http.Handler, error) { return h, nil })
}

func main() {}
