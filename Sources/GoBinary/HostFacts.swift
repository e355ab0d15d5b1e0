import ELFKit

/// Whether a Go executable can load plugins at all, and what it offers them.
public struct HostFacts: Hashable, Sendable {
    /// Has `PT_INTERP`: the dynamic loader starts it (a static build has no `dlopen`).
    public var isDynamic: Bool
    /// Exports package fingerprints, which the linker writes only when package `plugin` is linked.
    public var linksPluginPackage: Bool
    /// How many package fingerprints it exports.
    public var fingerprintCount: Int
    public var fingerprintPrefix: FingerprintPrefix?
    /// For a host without a program interpreter, whether it was linked statically *with* cgo
    /// (`-linkmode external -extldflags -static`): then the real `plugin` package is in it and
    /// `plugin.Open` calls the C library's own static `dlopen`.
    public var staticCgo: StaticCgo?
    /// The registerer symbols (`HandlerRegisterer`...) whose lura v2 method type
    /// (`HostFacts.luraMethodTypes`) is among the gateway's type descriptors: the gateway holds
    /// the interface lura's loader asserts, so a registerer of another type fails that assertion.
    /// Empty when none is there (the gateway asserts something else, or nothing).
    public var luraInterfaces: [String] = []

    /// A statically linked host that has the real package plugin, by the C library in it.
    public enum StaticCgo: String, Sendable, Codable {
        /// glibc's static `dlopen` maps the plugin, whose runtime then registers with a runtime
        /// that is not the host's: the host dies (`fatal error: runtime: no plugin module data`).
        case glibc
        /// musl's static `dlopen` is a stub: every open fails (`Dynamic loading not supported`).
        case musl
        /// The C library could not be told.
        case unknown
    }

    public init(isDynamic: Bool, linksPluginPackage: Bool, fingerprintCount: Int, fingerprintPrefix: FingerprintPrefix?,
                staticCgo: StaticCgo? = nil) {
        self.isDynamic = isDynamic
        self.linksPluginPackage = linksPluginPackage
        self.fingerprintCount = fingerprintCount
        self.fingerprintPrefix = fingerprintPrefix
        self.staticCgo = staticCgo
    }

    /// Decides whether a static executable has the real package plugin and which static
    /// `dlopen`: built with cgo (its build info), a `plugin.open` function (in `.symtab`, or
    /// in the function names of `.gopclntab`, which stripping keeps), and the C library's
    /// marks (glibc's `.note.ABI-tag` and `__libc_freeres_fn` sections; musl's stub message).
    static func staticCgo(_ file: ELFFile, settings: [BuildSetting]) -> StaticCgo? {
        guard file.interpreter == nil, settings.contains(BuildSetting(key: "CGO_ENABLED", value: "1")) else { return nil }
        let linksPlugin = file.withSymbolTable(.full) { $0.firstIndex(named: "plugin.open", where: \.isDefined) != nil }
            || (file.section(named: ".gopclntab").map { contains(file, $0, "\0plugin.open\0") } ?? false)
        guard linksPlugin else { return nil }
        if file.section(named: ".note.ABI-tag") != nil || file.section(named: "__libc_freeres_fn") != nil { return .glibc }
        if let rodata = file.section(named: ".rodata"), contains(file, rodata, "Dynamic loading not supported") { return .musl }
        return .unknown
    }

    private static func contains(_ file: ELFFile, _ section: Section, _ text: String) -> Bool {
        guard section.hasFileData else { return false }
        let needle = Array(text.utf8)
        return file.withBytes(atOffset: section.offset, count: Int(clamping: section.size)) { BuildInfoBlob.firstIndex(of: needle, in: $0) != nil }
    }

    /// lura v2's registerer interfaces (transport/http/client/plugin, transport/http/server/plugin,
    /// proxy/plugin): each one method, its type as reflect prints it (no receiver).
    public static let luraMethodTypes: [(symbol: String, method: String, type: String)] = [
        ("ClientRegisterer", "RegisterClients", "func(func(string, func(context.Context, map[string]interface {}) (http.Handler, error)))"),
        ("HandlerRegisterer", "RegisterHandlers", "func(func(string, func(context.Context, map[string]interface {}, http.Handler) (http.Handler, error)))"),
        ("ModifierRegisterer", "RegisterModifiers", "func(func(string, func(map[string]interface {}) func(interface {}) (interface {}, error), bool, bool))"),
    ]

    /// The symbols of `luraMethodTypes` whose method type the file's type data names: a type
    /// descriptor's string is a name in `.rodata`, `*` first (tflagExtraStar), after its length
    /// (a uvarint since Go 1.17 after one flags byte, two big-endian bytes before).
    static func luraInterfaces(_ file: ELFFile) -> [String] {
        guard let rodata = file.section(named: ".rodata"), rodata.hasFileData else { return [] }
        return file.withBytes(atOffset: rodata.offset, count: Int(clamping: rodata.size)) { hay in
            luraMethodTypes.filter { t in
                let text = Array(("*" + t.type).utf8)
                var needles: [[UInt8]] = [[UInt8(text.count >> 8), UInt8(text.count & 0xff)] + text]
                if text.count < 128 { needles.append([UInt8(text.count)] + text) } else {
                    needles.append([UInt8(text.count & 0x7f | 0x80), UInt8(text.count >> 7)] + text)
                }
                return needles.contains { BuildInfoBlob.firstIndex(of: $0, in: hay) != nil }
            }.map(\.symbol)
        }
    }

    /// `plugin.Open` works only in a dynamic host that links package `plugin`; otherwise it
    /// returns `plugin: not implemented`.
    public var canLoadPlugins: Bool { isDynamic && linksPluginPackage }

    /// Why it cannot, in words; nil when it can.
    public var cannotLoadReason: String? {
        switch staticCgo {
        case .glibc?: return "linked statically with cgo: glibc's static dlopen maps a plugin, and then the gateway dies (fatal error: runtime: no plugin module data)"
        case .musl?: return "linked statically with cgo against musl: every plugin.Open fails with \"Dynamic loading not supported\""
        case .unknown?: return "linked statically with cgo, with a C library that could not be told: what plugin.Open does is not known"
        case nil: break
        }
        if !isDynamic { return "statically linked (built with CGO_ENABLED=0 or -static): plugin.Open returns \"plugin: not implemented\"" }
        if !linksPluginPackage { return "does not link package plugin (no package fingerprints exported)" }
        return nil
    }
}
