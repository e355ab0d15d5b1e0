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

    public init(isDynamic: Bool, linksPluginPackage: Bool, fingerprintCount: Int, fingerprintPrefix: FingerprintPrefix?) {
        self.isDynamic = isDynamic
        self.linksPluginPackage = linksPluginPackage
        self.fingerprintCount = fingerprintCount
        self.fingerprintPrefix = fingerprintPrefix
    }

    /// `plugin.Open` works only in a dynamic host that links package `plugin`; otherwise it
    /// returns `plugin: not implemented`.
    public var canLoadPlugins: Bool { isDynamic && linksPluginPackage }

    /// Why it cannot, in words; nil when it can.
    public var cannotLoadReason: String? {
        if !isDynamic { return "statically linked (built with CGO_ENABLED=0 or -static): plugin.Open returns \"plugin: not implemented\"" }
        if !linksPluginPackage { return "does not link package plugin (no package fingerprints exported)" }
        return nil
    }
}
