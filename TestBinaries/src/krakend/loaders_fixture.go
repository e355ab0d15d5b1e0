//go:build !lura

package main

// The registerer interfaces, with the fixture plugins' factory signatures.
type handlerRegisterer interface {
	RegisterHandlers(func(string, func(map[string]interface{}) (interface{}, error)))
}

type clientRegisterer interface {
	RegisterClients(func(string, func(map[string]interface{}) (interface{}, error)))
}

type modifierRegisterer interface {
	RegisterModifiers(func(string, func(map[string]interface{}) func(interface{}) (interface{}, error), bool, bool))
}

var loaders = []loader{
	{"client", "[SERVICE: Executor Plugin]", "ClientRegisterer", "http-request-executor plugin loader: unknown type",
		func(sym interface{}) func() {
			r, ok := sym.(clientRegisterer)
			if !ok {
				return nil
			}
			return func() {
				r.RegisterClients(func(name string, _ func(map[string]interface{}) (interface{}, error)) {
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
				r.RegisterHandlers(func(name string, _ func(map[string]interface{}) (interface{}, error)) {
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
				r.RegisterModifiers(func(name string, _ func(map[string]interface{}) func(interface{}) (interface{}, error), req, resp bool) {
					// lura's RegisterModifier stores the factory in the request and/or the response register
					requestModifiers[name] = requestModifiers[name] || req
					responseModifiers[name] = responseModifiers[name] || resp
					flags := map[[2]bool]string{{true, false}: "request", {false, true}: "response", {true, true}: "request+response", {false, false}: "none"}[[2]bool{req, resp}]
					total++
					emit("REGISTERED", "modifier", name, flags)
				})
			}
		}},
}
