// Command ptrreceiver has a pointer receiver on a value variable: Lookup returns *registerer,
// whose method set holds the method, so it registers.
package main

import (
	"context"
	"net/http"
)

var HandlerRegisterer = registerer("ptr-receiver")

type registerer string

func (r *registerer) RegisterHandlers(f func(
	name string,
	handler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error),
)) {
	f(string(*r), func(_ context.Context, _ map[string]interface{}, h http.Handler) (http.Handler, error) { return h, nil })
}

func main() {}
