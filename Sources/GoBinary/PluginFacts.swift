import ELFKit

/// What makes a file a Go plugin, and what it offers to `plugin.Lookup`.
public struct PluginFacts: Hashable, Sendable {
    /// The path the runtime registers the plugin under (`plugin already loaded` compares it).
    public var pluginPath: String?
    /// Where `pluginPath` came from.
    public var pluginPathSource: PathSource
    /// Exported package-level names of the plugin's main package (`HandlerRegisterer`...),
    /// i.e. the `<pluginpath>.<Name>` symbols of `.dynsym`.
    public var exportedSymbols: [String]
    /// The KrakenD registerers among them, in KrakenD's look-up order.
    public var registerers: [String]

    public enum PathSource: String, Sendable, Codable {
        /// The local symbol `go:link.thispluginpath` (`.symtab`).
        case symbol
        /// Stripped: the package whose `main` function `.dynsym` exports.
        case mainFunction
        case unknown
    }

    /// The symbols KrakenD looks up, in order; `MiddlewareRegisterer` is the Enterprise edition's.
    public static let krakendRegisterers = ["HandlerRegisterer", "ClientRegisterer", "ModifierRegisterer", "MiddlewareRegisterer"]

    public init(pluginPath: String?, pluginPathSource: PathSource = .symbol, exportedSymbols: [String]) {
        self.pluginPath = pluginPath
        self.pluginPathSource = pluginPathSource
        self.exportedSymbols = exportedSymbols.sorted()
        self.registerers = Self.krakendRegisterers.filter { exportedSymbols.contains($0) }
    }

    init(file: ELFFile, dynamicSymbols: [Symbol]) {
        var path: String?
        var source = PathSource.unknown
        let names = [FingerprintPrefix.modern, .legacy].map { $0.rawValue + "thispluginpath" }
        if let s = file.symbols(.full).first(where: { names.contains($0.name) && $0.isDefined }),
           s.size > 0, s.size < Limits.pluginPath, let bytes = file.bytes(atAddress: s.value, count: Int(s.size)),
           bytes.count == Int(s.size) {
            path = String(decoding: bytes, as: UTF8.self)
            source = .symbol
        } else {
            // The plugin's main package is compiled under the plugin path and keeps a `main`
            // function; no other package has one.
            let mains = dynamicSymbols.filter {
                $0.isDefined && $0.type == .function && $0.name.hasSuffix(".main") && !$0.name.contains("(")
            }.map { String($0.name.dropLast(5)) }.filter { !$0.isEmpty && $0 != "runtime" }
            if let p = mains.first {
                path = p
                source = .mainFunction
            }
        }
        pluginPath = path
        pluginPathSource = source
        var exported: [String] = []
        if let path {
            let p = path + "."
            for s in dynamicSymbols where s.isDefined && s.name.hasPrefix(p) {
                let name = s.name.dropFirst(p.count)
                // Lookup finds package-level names only: an exported identifier, no method or closure.
                guard let first = name.unicodeScalars.first, first.properties.isUppercase,
                      !name.contains("."), !name.contains("(") else { continue }
                exported.append(String(name))
            }
        }
        exportedSymbols = Array(Set(exported)).sorted()
        registerers = Self.krakendRegisterers.filter { exported.contains($0) }
    }
}
