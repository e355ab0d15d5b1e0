/// The checks, each documented on its own page, `docs/checks/<rawValue>.md`; the raw value is
/// the identifier reports carry (`check` in JSON, `ruleId` in SARIF).
public enum CheckID: String, CaseIterable, Codable, Sendable, Comparable, CustomStringConvertible {
    case elfFormat = "elf-format"
    case goPlugin = "go-plugin"
    case hostPluginSupport = "host-plugin-support"
    case architecture
    case libc
    case glibcVersion = "glibc-version"
    case sharedLibrary = "shared-library"
    case undefinedSymbol = "undefined-symbol"
    case goRuntimeLayout = "go-runtime-layout"
    case pluginPath = "plugin-path"
    case packageFingerprints = "package-fingerprints"
    case goToolchain = "go-toolchain"
    case trimpath
    case race
    case goexperiment
    case gcflags
    case buildTags = "build-tags"
    case moduleVersion = "module-version"
    case replace
    case vendor
    case workspace
    case moduleContent = "module-content"
    case buildPath = "build-path"
    case cpuLevel = "cpu-level"
    case ldflags
    case registerers
    case loadOrder = "load-order"
    case pluginFile = "plugin-file"
    case declaredPlugins = "declared-plugins"
    case registererInterface = "registerer-interface"
    case registererName = "registerer-name"

    /// One line on what the check catches.
    public var summary: String {
        switch self {
        case .elfFormat: return "The file is not a loadable ELF shared object"
        case .goPlugin: return "The file is not a Go plugin"
        case .hostPluginSupport: return "The gateway cannot open plugins"
        case .architecture: return "Plugin and gateway are built for different CPUs"
        case .libc: return "Plugin and gateway use different C libraries"
        case .glibcVersion: return "The plugin needs a newer glibc"
        case .sharedLibrary: return "A library the plugin needs is not on the target system"
        case .undefinedSymbol: return "A C symbol the plugin needs is defined nowhere"
        case .goRuntimeLayout: return "Different Go runtimes: the gateway crashes"
        case .pluginPath: return "A plugin with the same path is already loaded"
        case .packageFingerprints: return "A package was built differently"
        case .goToolchain: return "Different Go toolchains"
        case .trimpath: return "-trimpath on one side only"
        case .race: return "Race detector or sanitizer on one side only"
        case .goexperiment: return "Different GOEXPERIMENT"
        case .gcflags: return "Different -gcflags"
        case .buildTags: return "Different build tags"
        case .moduleVersion: return "A shared module at different versions"
        case .replace: return "A replace directive on one side"
        case .vendor: return "A module built from vendor/ on one side"
        case .workspace: return "A module taken from a go.work workspace on one side"
        case .moduleContent: return "Same version, different module content"
        case .buildPath: return "Different build or module cache paths without -trimpath"
        case .cpuLevel: return "Different CPU feature level (GOAMD64...)"
        case .ldflags: return "Different link flags"
        case .registerers: return "The plugin registers nothing"
        case .loadOrder: return "Load order"
        case .pluginFile: return "The plugin file does not exist"
        case .declaredPlugins: return "The configuration asks for plugins that will not be there"
        case .registererInterface: return "The registerer is not the interface the gateway asserts"
        case .registererName: return "The configuration names a plugin no plugin registers"
        }
    }

    public var description: String { rawValue }

    /// The page that documents it, relative to the repository root.
    public var documentationPath: String { "docs/checks/\(rawValue).md" }

    public static func < (a: CheckID, b: CheckID) -> Bool { a.rawValue < b.rawValue }
}
