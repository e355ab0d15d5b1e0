// Command client is a client plugin with lura's RegisterClients signature.
package main

import (
	"context"
	"net/http"
)

var ClientRegisterer = registerer("good-client")

type registerer string

func (r registerer) RegisterClients(f func(
	name string,
	handler func(context.Context, map[string]interface{}) (http.Handler, error),
)) {
	f(string(r), func(context.Context, map[string]interface{}) (http.Handler, error) {
		return http.NotFoundHandler(), nil
	})
}

func main() {}
