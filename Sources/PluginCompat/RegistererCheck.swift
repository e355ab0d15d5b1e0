/// What a host does with a registerer after `plugin.Open`: `Lookup` of a symbol, a type assertion
/// (to an interface: every method of an exact type; or to one exact type, as Tyk asserts a func
/// type), then optional extras asserted one by one.
/// `RegistererExpectation.krakend` is luraproject/lura v2's three loaders as KrakenD CE runs them
/// (transport/http/server/plugin, transport/http/client/plugin, proxy/plugin); another host's are
/// read from a host-expectations file (HostExpectations.swift).
public struct RegistererExpectation: Sendable, Equatable {
    /// A method by name and its type as reflect prints it (no receiver): `func(interface {})`.
    public struct Method: Sendable, Equatable {
        public var name: String
        public var type: String
        public init(name: String, type: String) {
            self.name = name
            self.type = type
        }
    }

    /// The name looked up (`HandlerRegisterer`).
    public var symbol: String
    /// The interface asserted: every method must be in the method set of Lookup's value.
    public var methods: [Method]
    /// The exact type asserted instead (or as well): Lookup's value must be of this type, as
    /// reflect prints it (`func(http.ResponseWriter, *http.Request)` for an exported function).
    public var type: String?
    /// The error the loader returns when the assertion fails; nil when the host's is not known.
    public var unknownType: String?
    /// Optional interfaces asserted after the main one (`RegisterLogger`, `RegisterContext`).
    public var extras: [Extra]
    /// How predictions name the host (`KrakenD`) and the interface in a fix
    /// (`lura v2's http-server-handler registerer`).
    public var host: String
    public var interface: String
    /// The loader, as the gateway's log names it (`http-server-handler`), when known.
    public var loader: String?

    public struct Extra: Sendable, Equatable {
        public var method: String
        public var methodType: String
        /// What the host hands over when the plugin has it (`logger`, `context`).
        public var gives: String
        public init(method: String, methodType: String, gives: String) {
            self.method = method
            self.methodType = methodType
            self.gives = gives
        }
    }

    public init(symbol: String, methods: [Method], type: String? = nil, unknownType: String?, extras: [Extra],
                host: String, interface: String, loader: String? = nil) {
        self.symbol = symbol
        self.methods = methods
        self.type = type
        self.unknownType = unknownType
        self.extras = extras
        self.host = host
        self.interface = interface
        self.loader = loader
    }

    /// One of lura v2's loaders: one method, KrakenD's log line.
    static func lura(_ symbol: String, loader: String, method: String, type: String, extras: [Extra]) -> RegistererExpectation {
        .init(symbol: symbol, methods: [.init(name: method, type: type)], unknownType: "\(loader) plugin loader: unknown type",
              extras: extras, host: "KrakenD", interface: "lura v2's \(loader) registerer", loader: loader)
    }

    static let logger = Extra(method: "RegisterLogger", methodType: "func(interface {})", gives: "logger")
    static let context = Extra(method: "RegisterContext", methodType: "func(context.Context)", gives: "context")

    /// lura v2 as KrakenD CE calls it (LoadWithLogger for all three; the modifier loader's
    /// LoadWithLoggerAndContext also offers the context).
    public static let krakend: [RegistererExpectation] = [
        lura("ClientRegisterer", loader: "http-request-executor", method: "RegisterClients",
             type: "func(func(string, func(context.Context, map[string]interface {}) (http.Handler, error)))", extras: [logger]),
        lura("HandlerRegisterer", loader: "http-server-handler", method: "RegisterHandlers",
             type: "func(func(string, func(context.Context, map[string]interface {}, http.Handler) (http.Handler, error)))", extras: [logger]),
        lura("ModifierRegisterer", loader: "modifier", method: "RegisterModifiers",
             type: "func(func(string, func(map[string]interface {}) func(interface {}) (interface {}, error), bool, bool))", extras: [logger, context]),
    ]

    /// What is asserted, in one line: `RegisterHandlers(func(...))`, or the type.
    public var asserted: String {
        (methods.map { "\($0.name)\($0.type.dropFirst(4))" } + (type.map { ["type \($0)"] } ?? [])).joined(separator: ", ")
    }
}

/// The prediction for one registerer of one plugin.
public struct RegistererPrediction: Sendable, Codable, Equatable {
    public enum Outcome: String, Sendable, Codable {
        /// The assertion succeeds: the registration function runs.
        case registered
        /// The symbol exists but the assertion fails: the loader returns `unknownType`.
        case unknownType = "unknown-type"
        /// The export table could not be read: no prediction.
        case unknown
    }
    public var symbol: String
    public var outcome: Outcome
    /// `Lookup`'s type (`*main.registerer`).
    public var type: String?
    /// The extras the host will call (`logger`, `context`).
    public var extrasUsed: [String]
    /// Extras the plugin declares with another type: the host never calls them.
    public var extrasIgnored: [String]
    /// The loader's error for `unknownType`, as KrakenD logs it after `plugin #N (path): `; nil
    /// when the expectation does not say (a host-expectations file without `error`).
    public var log: String?
    /// What differs and how to fix it; nil when registered with nothing ignored.
    public var difference: String?
    public var fix: String?
    /// The name it registers under when the variable is a string constant (the KrakenD idiom
    /// `registerer("my-plugin")`); nil with `nameUnknownReason` otherwise.
    public var name: String?
    public var nameUnknownReason: String?

    /// Predicts each expectation whose symbol the plugin exports.
    public static func predict(_ exports: PluginExports?, exported: [String],
                               expectations: [RegistererExpectation] = RegistererExpectation.krakend) -> [RegistererPrediction] {
        var result: [RegistererPrediction] = []
        for e in expectations where exported.contains(e.symbol) {
            guard let x = exports?.export(named: e.symbol) else {
                result.append(.init(symbol: e.symbol, outcome: .unknown, type: nil, extrasUsed: [], extrasIgnored: [], log: nil,
                                    difference: "the plugin's export table could not be read", fix: nil, name: nil,
                                    nameUnknownReason: "the export table could not be read"))
                continue
            }
            let methods = x.type.methods
            var p = RegistererPrediction(symbol: e.symbol, outcome: .registered, type: x.type.string, extrasUsed: [], extrasIgnored: [],
                                         log: nil, difference: nil, fix: nil, name: nil, nameUnknownReason: nil)
            let missing = e.methods.first { m in !methods.contains { $0.name == m.name && $0.type == m.type } }
            if let t = e.type, t != x.type.string {
                p.outcome = .unknownType
                p.log = e.unknownType
                p.difference = "`Lookup` returns `\(x.type.string)`; \(e.host) asserts `\(t)`"
                if x.type.kind == "ptr", x.type.elem?.string == t, t.hasPrefix("func(") {
                    // `var F = func(...)`: Lookup returns a pointer to the variable, not the function.
                    p.difference! += ": the symbol is a variable of that type, and Lookup returns a pointer to a variable"
                    p.fix = "declare a function instead of a variable: `func \(e.symbol)\(t.dropFirst(4)) { ... }`"
                } else {
                    p.fix = t.hasPrefix("func(") ? "export a function of exactly this type: `func \(e.symbol)\(t.dropFirst(4)) { ... }` (\(e.interface))"
                        : "give `\(e.symbol)` exactly the type `\(t)` (\(e.interface))"
                }
            } else if let want = missing {
                p.outcome = .unknownType
                p.log = e.unknownType
                if let m = methods.first(where: { $0.name == want.name }) {
                    p.difference = "`\(want.name)` has type `\(m.type ?? "?")`; \(e.host) expects `\(want.type)`"
                    p.fix = "change the method's signature to `\(want.name)\(want.type.dropFirst(4))` (\(e.interface))"
                } else if x.type.kind == "ptr", let elem = x.type.elem, elem.kind == "ptr" {
                    p.difference = "`Lookup` returns a pointer to the variable, `\(x.type.string)`, which has no methods: the variable is itself a pointer"
                    p.fix = "export the value, not a pointer: `var \(e.symbol) = \(elem.string.dropFirst())(...)`; methods on a pointer receiver still work, since Lookup returns a pointer"
                } else {
                    let others = methods.map(\.name).joined(separator: ", ")
                    p.difference = "`\(x.type.string)` has no method `\(want.name)` of type `\(want.type)`" + (others.isEmpty ? " (it has no methods)" : " (it has \(others))")
                    p.fix = "declare `func (r registerer) \(want.name)\(want.type.dropFirst(4))` on the variable's type"
                }
            } else {
                for extra in e.extras {
                    guard let em = methods.first(where: { $0.name == extra.method }) else { continue }
                    if em.type == extra.methodType { p.extrasUsed.append(extra.gives) } else {
                        p.extrasIgnored.append(extra.gives)
                        p.difference = "`\(extra.method)` has type `\(em.type ?? "?")`; \(e.host) calls it only as `\(extra.methodType)`, so the plugin never gets the \(extra.gives)"
                        p.fix = "declare `func (r registerer) \(extra.method)\(extra.methodType.dropFirst(4))`"
                    }
                }
            }
            if let v = x.stringValue {
                p.name = v
            } else if let why = x.stringValueUnknownReason {
                p.nameUnknownReason = why
            } else if x.type.kind == "func" {
                p.nameUnknownReason = "the symbol is a function: it is used by the name the host looks it up by"
            } else {
                p.nameUnknownReason = "the registerer is a \(x.type.elem?.kind ?? x.type.kind), not a string: the name it registers under is computed by its method"
            }
            result.append(p)
        }
        return result
    }
}
