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
    /// The type of each value `Lookup` returns, read from the export table and type descriptors
    /// (nil when they could not be read).
    public var exports: PluginExports?

    public enum PathSource: String, Sendable, Codable {
        /// The local symbol `go:link.thispluginpath` (`.symtab`).
        case symbol
        /// Stripped: the package whose `main` function `.dynsym` exports.
        case mainFunction
        case unknown
    }

    /// The symbols KrakenD looks up, in order; `MiddlewareRegisterer` is the Enterprise edition's.
    public static let krakendRegisterers = ["HandlerRegisterer", "ClientRegisterer", "ModifierRegisterer", "MiddlewareRegisterer"]

    public init(pluginPath: String?, pluginPathSource: PathSource = .symbol, exportedSymbols: [String],
                exports: PluginExports? = nil) {
        self.exports = exports
        self.pluginPath = pluginPath
        self.pluginPathSource = pluginPathSource
        self.exportedSymbols = exportedSymbols.sorted()
        self.registerers = Self.krakendRegisterers.filter { exportedSymbols.contains($0) }
    }

    /// Reads them in place: the plugin path symbol by name in `.symtab`, and of `.dynsym`
    /// only the names under the plugin path (or, stripped, the `main` functions).
    init(file: ELFFile) {
        var path: String?
        var source = PathSource.unknown
        let names = [FingerprintPrefix.modern, .legacy].map { Array(($0.rawValue + "thispluginpath").utf8) }
        let symbol: SymbolEntry? = file.withSymbolTable(.full) { table in
            table.indices(namedAnyOf: names).first(where: table.isDefined).map(table.entry)
        }
        if let s = symbol, s.size > 0, s.size < Limits.pluginPath, let bytes = file.bytes(atAddress: s.value, count: Int(s.size)),
           bytes.count == Int(s.size) {
            path = String(decoding: bytes, as: UTF8.self)
            source = .symbol
        } else {
            // The plugin's main package is compiled under the plugin path and keeps a `main`
            // function; no other package has one.
            let main = Array(".main".utf8)
            path = file.withSymbolTable(.dynamic) { table -> String? in
                for i in 0..<table.count {
                    let e = table.entry(i)
                    guard e.isDefined, e.type == .function, table.name(i, hasSuffix: main) else { continue }
                    let name = table.name(i)
                    guard name.hasSuffix(".main"), !name.contains("(") else { continue }
                    let p = String(name.dropLast(5))
                    if !p.isEmpty && p != "runtime" { return p }
                }
                return nil
            }
            if path != nil { source = .mainFunction }
        }
        pluginPath = path
        pluginPathSource = source
        var exported: [String] = []
        if let path {
            let p = path + "."
            let prefix = Array(p.utf8)
            // Byte comparison stands in for String's only for an ASCII path (String compares
            // canonically equivalent spellings as equal).
            let ascii = prefix.allSatisfy { $0 < 0x80 }
            file.withSymbolTable(.dynamic) { table in
                for i in ascii ? table.indices(whereNameHasPrefix: prefix) : Array(0..<table.count) where table.isDefined(i) {
                    let full = table.name(i)
                    guard full.hasPrefix(p) else { continue }
                    let name = full.dropFirst(p.count)
                    // Lookup finds package-level names only: an exported identifier, no method or closure.
                    guard let first = name.unicodeScalars.first, first.properties.isUppercase,
                          !name.contains("."), !name.contains("(") else { continue }
                    exported.append(String(name))
                }
            }
        }
        exportedSymbols = Array(Set(exported)).sorted()
        registerers = Self.krakendRegisterers.filter { exported.contains($0) }
        exports = nil
    }
}
