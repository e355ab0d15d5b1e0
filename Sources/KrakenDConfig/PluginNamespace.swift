/// The `extra_config` namespaces through which a KrakenD configuration asks for plugins, with
/// where lura reads each and which registerer a plugin must export for it. The raw value is
/// the alias KrakenD CE registers; lura's own long names mean the same.
public enum PluginNamespace: String, CaseIterable, Sendable, Codable {
    case httpServer = "plugin/http-server"
    case httpClient = "plugin/http-client"
    case reqRespModifier = "plugin/req-resp-modifier"
    /// KrakenD Enterprise only.
    case middleware = "plugin/middleware"

    /// Where in the configuration an `extra_config` stands.
    public enum Level: Sendable {
        case service, endpoint, backend
    }

    /// The namespace lura's loaders know it by (`ExtraConfigAlias` maps the alias to it).
    public var luraName: String? {
        switch self {
        case .httpServer: return "github_com/devopsfaith/krakend/transport/http/server/handler"
        case .httpClient: return "github.com/devopsfaith/krakend/transport/http/client/executor"
        case .reqRespModifier: return "github.com/devopsfaith/krakend/proxy/plugin"
        case .middleware: return nil
        }
    }

    /// The levels whose `extra_config` lura reads for it.
    public var levels: [Level] {
        switch self {
        case .httpServer: return [.service]
        case .httpClient: return [.backend]
        case .reqRespModifier, .middleware: return [.endpoint, .backend]
        }
    }

    /// Whether `name` may be a string.
    var readsString: Bool { self != .reqRespModifier }
    /// Whether `name` may be a list of strings.
    var readsList: Bool { self != .httpClient }

    /// The symbol KrakenD looks up in each plugin for this kind.
    public var registerer: String {
        switch self {
        case .httpServer: return "HandlerRegisterer"
        case .httpClient: return "ClientRegisterer"
        case .reqRespModifier: return "ModifierRegisterer"
        case .middleware: return "MiddlewareRegisterer"
        }
    }
}
