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

    /// Reads them from `.dynsym` and the dynamic relocations in place: only the
    /// `pkghashbytes` entries are decoded into values, and of the relocations only those
    /// against `pkghash` symbols (the check table's slots).
    public init(file: ELFFile) {
        var prefix: FingerprintPrefix?
        var byPackage: [String: PackageFingerprint] = [:]
        let modern = Array("go:link.pkghashbytes.".utf8), legacy = Array("go.link.pkghashbytes.".utf8)
        file.withSymbolTable(.dynamic) { table in
            for i in table.indices(whereNameHasAnyPrefix: [modern, legacy]) where table.isDefined(i) {
                let p: FingerprintPrefix = table.name(i, hasPrefix: modern) ? .modern : .legacy
                guard let name = table.nameBytes(i) else { continue }
                let s = table.entry(i)
                let package = String(decoding: name.dropFirst(modern.count), as: UTF8.self)
                guard let bytes = file.bytes(atAddress: s.value, count: 8), bytes.count == 8 else { continue }
                prefix = p
                byPackage[package] = PackageFingerprint(package: package, hash: bytes)
            }
        }
        self.prefix = prefix
        self.byPackage = byPackage
        self.checkOrder = []
        if let prefix {
            let hashPrefix = Array((prefix.rawValue + "pkghash.").utf8)
            // The table's slots are filled by absolute relocations against the pkghash symbols.
            let absolute = RelocationTypes.byMachine[file.header.machine]?.absolute
            var slots: [(offset: UInt64, package: String)] = []
            for section in file.dynamicRelocationSections {
                let link = Int(section.link)
                guard link < file.sections.count else { continue }
                file.withSymbolTable(file.sections[link]) { symbols in
                    let hashes = symbols.indices(whereNameHasPrefix: hashPrefix)
                    guard !hashes.isEmpty else { return }
                    var isHash = [Bool](repeating: false, count: symbols.count)
                    for i in hashes { isHash[i] = true }
                    file.withRelocations(section) { relocations in
                        for i in absolute.map({ relocations.indices(ofType: $0, againstAnyOf: isHash) }) ?? [] {
                            let r = relocations.entry(i)
                            guard r.symbolIndex > 0, r.symbolIndex < symbols.count,
                                  isHash[r.symbolIndex], let name = symbols.nameBytes(r.symbolIndex) else { continue }
                            slots.append((r.offset, String(decoding: name.dropFirst(hashPrefix.count), as: UTF8.self)))
                        }
                    }
                }
            }
            checkOrder = slots.sorted { $0.offset < $1.offset }.map(\.package)
        }
    }
}
