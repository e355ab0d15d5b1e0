/// What a host does with a registerer after `plugin.Open`: `Lookup` of a symbol, a type assertion
/// to an interface (one method of an exact type), then optional extras asserted one by one.
/// `RegistererExpectation.krakend` is luraproject/lura v2's three loaders as KrakenD CE runs them
/// (transport/http/server/plugin, transport/http/client/plugin, proxy/plugin); another host's can
/// be decoded from JSON (`[RegistererExpectation]`, the same field names).
public struct RegistererExpectation: Sendable, Codable, Equatable {
    /// The name looked up (`HandlerRegisterer`).
    public var symbol: String
    /// The loader, as the gateway's log names it (`http-server-handler`).
    public var loader: String
    /// The method the asserted interface requires, and its type as reflect prints it (no receiver).
    public var method: String
    public var methodType: String
    /// The error the loader returns when the assertion fails.
    public var unknownType: String
    /// Optional interfaces asserted after the main one (`RegisterLogger`, `RegisterContext`).
    public var extras: [Extra]

    public struct Extra: Sendable, Codable, Equatable {
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

    public init(symbol: String, loader: String, method: String, methodType: String, unknownType: String, extras: [Extra]) {
        self.symbol = symbol
        self.loader = loader
        self.method = method
        self.methodType = methodType
        self.unknownType = unknownType
        self.extras = extras
    }

    static let logger = Extra(method: "RegisterLogger", methodType: "func(interface {})", gives: "logger")
    static let context = Extra(method: "RegisterContext", methodType: "func(context.Context)", gives: "context")

    /// lura v2 as KrakenD CE calls it (LoadWithLogger for all three; the modifier loader's
    /// LoadWithLoggerAndContext also offers the context).
    public static let krakend: [RegistererExpectation] = [
        .init(symbol: "ClientRegisterer", loader: "http-request-executor", method: "RegisterClients",
              methodType: "func(func(string, func(context.Context, map[string]interface {}) (http.Handler, error)))",
              unknownType: "http-request-executor plugin loader: unknown type", extras: [logger]),
        .init(symbol: "HandlerRegisterer", loader: "http-server-handler", method: "RegisterHandlers",
              methodType: "func(func(string, func(context.Context, map[string]interface {}, http.Handler) (http.Handler, error)))",
              unknownType: "http-server-handler plugin loader: unknown type", extras: [logger]),
        .init(symbol: "ModifierRegisterer", loader: "modifier", method: "RegisterModifiers",
              methodType: "func(func(string, func(map[string]interface {}) func(interface {}) (interface {}, error), bool, bool))",
              unknownType: "modifier plugin loader: unknown type", extras: [logger, context]),
    ]
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
    /// The loader's error for `unknownType`, as logged after `plugin #N (path): `.
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
            if let m = methods.first(where: { $0.name == e.method }), m.type == e.methodType {
                for extra in e.extras {
                    guard let em = methods.first(where: { $0.name == extra.method }) else { continue }
                    if em.type == extra.methodType { p.extrasUsed.append(extra.gives) } else {
                        p.extrasIgnored.append(extra.gives)
                        p.difference = "`\(extra.method)` has type `\(em.type ?? "?")`; KrakenD calls it only as `\(extra.methodType)`, so the plugin never gets the \(extra.gives)"
                        p.fix = "declare `func (r registerer) \(extra.method)\(extra.methodType.dropFirst(4))`"
                    }
                }
            } else {
                p.outcome = .unknownType
                p.log = e.unknownType
                let want = "`\(e.method)` of type `\(e.methodType)`"
                if let m = methods.first(where: { $0.name == e.method }) {
                    p.difference = "`\(e.method)` has type `\(m.type ?? "?")`; KrakenD expects `\(e.methodType)`"
                    p.fix = "change the method's signature to `\(e.method)\(e.methodType.dropFirst(4))` (lura v2's \(e.loader) registerer)"
                } else if x.type.kind == "ptr", let elem = x.type.elem, elem.kind == "ptr" {
                    p.difference = "`Lookup` returns a pointer to the variable, `\(x.type.string)`, which has no methods: the variable is itself a pointer"
                    p.fix = "export the value, not a pointer: `var \(e.symbol) = \(elem.string.dropFirst())(...)`; methods on a pointer receiver still work, since Lookup returns a pointer"
                } else {
                    let others = methods.map(\.name).joined(separator: ", ")
                    p.difference = "`\(x.type.string)` has no method \(want)" + (others.isEmpty ? " (it has no methods)" : " (it has \(others))")
                    p.fix = "declare `func (r registerer) \(e.method)\(e.methodType.dropFirst(4))` on the variable's type"
                }
            }
            if let v = x.stringValue {
                p.name = v
            } else if let why = x.stringValueUnknownReason {
                p.nameUnknownReason = why
            } else {
                p.nameUnknownReason = "the registerer is a \(x.type.elem?.kind ?? x.type.kind), not a string: the name it registers under is computed by its method"
            }
            result.append(p)
        }
        return result
    }
}
