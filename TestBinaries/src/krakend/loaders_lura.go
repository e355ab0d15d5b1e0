//go:build lura

package main

// Built with -tags=lura (bin/krakend-lura-go*): the loaders assert luraproject/lura v2's own
// interfaces (transport/http/server/plugin, transport/http/client/plugin, proxy/plugin), as
// KrakenD CE does, and call the optional extras lura calls after the assertion and before the
// registration: RegisterLogger(interface{}) on all three (krakend-ce passes its logger to each
// LoadWithLogger), RegisterContext(context.Context) on modifiers (LoadWithLoggerAndContext).
// Each extra used is one more line:
//
//	EXTRA <kind> <path> logger|context

import (
	"context"
	"net/http"
)

type handlerRegisterer interface {
	RegisterHandlers(func(
		name string,
		handler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error),
	))
}

type clientRegisterer interface {
	RegisterClients(func(
		name string,
		handler func(context.Context, map[string]interface{}) (http.Handler, error),
	))
}

type modifierRegisterer interface {
	RegisterModifiers(func(
		name string,
		modifierFactory func(map[string]interface{}) func(interface{}) (interface{}, error),
		appliesToRequest bool,
		appliesToResponse bool,
	))
}

type loggerRegisterer interface {
	RegisterLogger(interface{})
}

type contextRegisterer interface {
	RegisterContext(context.Context)
}

// gatewayLogger stands in for KrakenD's logging.Logger value.
type gatewayLogger struct{}

func (gatewayLogger) Debug(v ...interface{}) {}

func extras(kind string, sym interface{}, withContext bool) {
	if lr, ok := sym.(loggerRegisterer); ok {
		emit("EXTRA", kind, current, "logger")
		lr.RegisterLogger(gatewayLogger{})
	}
	if !withContext {
		return
	}
	if cr, ok := sym.(contextRegisterer); ok {
		emit("EXTRA", kind, current, "context")
		cr.RegisterContext(context.Background())
	}
}

var loaders = []loader{
	{"client", "[SERVICE: Executor Plugin]", "ClientRegisterer", "http-request-executor plugin loader: unknown type",
		func(sym interface{}) func() {
			r, ok := sym.(clientRegisterer)
			if !ok {
				return nil
			}
			return func() {
				extras("client", sym, false)
				r.RegisterClients(func(name string, _ func(context.Context, map[string]interface{}) (http.Handler, error)) {
					clients[name] = true
					total++
					emit("REGISTERED", "client", name, "-")
				})
			}
		}},
	{"handler", "[SERVICE: Handler Plugin]", "HandlerRegisterer", "http-server-handler plugin loader: unknown type",
		func(sym interface{}) func() {
			r, ok := sym.(handlerRegisterer)
			if !ok {
				return nil
			}
			return func() {
				extras("handler", sym, false)
				r.RegisterHandlers(func(name string, _ func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error)) {
					handlers[name] = true
					total++
					emit("REGISTERED", "handler", name, "-")
				})
			}
		}},
	{"modifier", "[SERVICE: Modifier Plugin]", "ModifierRegisterer", "modifier plugin loader: unknown type",
		func(sym interface{}) func() {
			r, ok := sym.(modifierRegisterer)
			if !ok {
				return nil
			}
			return func() {
				extras("modifier", sym, true)
				r.RegisterModifiers(func(name string, _ func(map[string]interface{}) func(interface{}) (interface{}, error), req, resp bool) {
					requestModifiers[name] = requestModifiers[name] || req
					responseModifiers[name] = responseModifiers[name] || resp
					flags := map[[2]bool]string{{true, false}: "request", {false, true}: "response", {true, true}: "request+response", {false, false}: "none"}[[2]bool{req, resp}]
					total++
					emit("REGISTERED", "modifier", name, flags)
				})
			}
		}},
}
