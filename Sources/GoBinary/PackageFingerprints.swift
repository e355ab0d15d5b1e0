import ELFKit

/// The prefix of the linker-generated symbols that carry package fingerprints.
public enum FingerprintPrefix: String, Sendable, Codable {
    /// Go 1.20 and later.
    case modern = "go:link."
    /// Go 1.19 and older.
    case legacy = "go.link."
}

/// A package's 8-byte link-time fingerprint (`go:link.pkghashbytes.<pkg>`).
public struct PackageFingerprint: Hashable, Sendable {
    public var package: String
    public var hash: [UInt8]
    public init(package: String, hash: [UInt8]) {
        self.package = package
        self.hash = hash
    }
    /// Lowercase hex, 16 digits.
    public var hex: String { hash.map { b in String(b, radix: 16).count == 1 ? "0" + String(b, radix: 16) : String(b, radix: 16) }.joined() }
}

/// The fingerprints a Go plugin or plugin-capable host exports in `.dynsym`, which survives
/// stripping. Every plugin, and every host linking package `plugin` with cgo, has them.
public struct PackageFingerprints: Sendable {
    public var prefix: FingerprintPrefix?
    /// Fingerprint per package.
    public var byPackage: [String: PackageFingerprint]
    /// For a plugin: the packages in the order `plugin.Open` checks them (the plugin's
    /// `pkghashes` table), recovered from the symbolic relocations that fill the table's
    /// run-time-hash slots, sorted by address. Empty for a host.
    public var checkOrder: [String]

    public var count: Int { byPackage.count }

    public init(prefix: FingerprintPrefix?, byPackage: [String: PackageFingerprint], checkOrder: [String]) {
        self.prefix = prefix
        self.byPackage = byPackage
        self.checkOrder = checkOrder
    }

    public init(file: ELFFile, symbols: [Symbol]) {
        var prefix: FingerprintPrefix?
        var byPackage: [String: PackageFingerprint] = [:]
        for s in symbols where s.isDefined {
            let p: FingerprintPrefix
            if s.name.hasPrefix("go:link.pkghashbytes.") { p = .modern }
            else if s.name.hasPrefix("go.link.pkghashbytes.") { p = .legacy }
            else { continue }
            let package = String(s.name.dropFirst(p.rawValue.count + "pkghashbytes.".count))
            guard let bytes = file.bytes(atAddress: s.value, count: 8), bytes.count == 8 else { continue }
            prefix = p
            byPackage[package] = PackageFingerprint(package: package, hash: bytes)
        }
        self.prefix = prefix
        self.byPackage = byPackage
        self.checkOrder = []
        if let prefix {
            let hashPrefix = prefix.rawValue + "pkghash."
            // The table's slots are filled by absolute relocations against the pkghash symbols.
            let absolute = RelocationTypes.byMachine[file.header.machine]?.absolute
            checkOrder = file.dynamicRelocations
                .filter { $0.type == absolute && ($0.symbolName?.hasPrefix(hashPrefix) ?? false) }
                .sorted { $0.offset < $1.offset }
                .compactMap { $0.symbolName.map { String($0.dropFirst(hashPrefix.count)) } }
        }
    }
}
