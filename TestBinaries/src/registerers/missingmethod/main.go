// Command missingmethod exports HandlerRegisterer whose method is misspelled (RegisterHandler).
package main

import (
	"context"
	"net/http"
)

var HandlerRegisterer = registerer("missing-method")

type registerer string

func (r registerer) RegisterHandler(f func(
	name string,
	handler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error),
)) {
	f(string(r), nil)
}

func main() {}
