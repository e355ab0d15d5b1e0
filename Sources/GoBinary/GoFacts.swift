import ELFKit

/// Everything the Go layer knows about one ELF file.
public struct GoFacts: Sendable {
    /// What kind of Go artefact the file is.
    public enum Role: String, Sendable, Codable {
        /// `-buildmode=plugin`.
        case plugin
        /// An executable (possibly a plugin host).
        case executable
        /// `-buildmode=c-shared` or `-buildmode=shared`.
        case sharedLibrary = "shared-library"
        /// No sign of Go.
        case notGo = "not-go"
    }

    /// Where the Go version came from.
    public enum VersionSource: String, Sendable, Codable {
        case buildInfo = "build-info"
        /// The `runtime.buildVersion` variable (`.symtab`).
        case symbolTable = "symbol-table"
        /// The compiler's `DW_AT_producer` string in `.debug_info`.
        case dwarfProducer = "dwarf-producer"
        case unknown
    }

    public var role: Role
    /// The decoded blob, or why there is none.
    public var blob: Result<BuildInfoBlob, GoBuildInfoError>
    /// The parsed module info, or the parse error; nil when there is no blob.
    public var moduleInfo: Result<ModuleInfo, GoBuildInfoError>?
    public var goVersion: GoVersion?
    public var goVersionSource: VersionSource
    /// Why the version is unknown, when it is.
    public var goVersionUnknownReason: String?
    public var fingerprints: PackageFingerprints
    public var plugin: PluginFacts?
    public var host: HostFacts?
    /// The runtime's `runtime.moduledata` layout, when its type descriptor is readable.
    public var runtimeLayout: RuntimeLayout?

    /// Facts given by hand (tests, or a caller that has them from elsewhere); the build info
    /// blob is taken to be absent unless `moduleInfo` is given.
    public init(role: Role, goVersion: GoVersion?, moduleInfo: ModuleInfo? = nil,
                fingerprints: PackageFingerprints = PackageFingerprints(prefix: nil, byPackage: [:], checkOrder: []),
                plugin: PluginFacts? = nil, host: HostFacts? = nil, runtimeLayout: RuntimeLayout? = nil) {
        self.role = role
        self.goVersion = goVersion
        self.goVersionSource = goVersion == nil ? .unknown : .buildInfo
        self.moduleInfo = moduleInfo.map { .success($0) }
        self.blob = .failure(.notGoExecutable)
        if let moduleInfo, let v = goVersion {
            self.blob = .success(BuildInfoBlob(address: 0, format: .inline, pointerSize: 8, bigEndian: false,
                                               goVersion: v.raw, moduleInfo: moduleInfo.goString))
        }
        self.fingerprints = fingerprints
        self.plugin = plugin
        self.host = host
        self.runtimeLayout = runtimeLayout
    }

    /// Reads the Go facts of `file`; `exports`: also the type of each plugin export (the type
    /// descriptors), which only the registerer checks and `inspect` use.
    public init(file: ELFFile, exports readExports: Bool = true) {
        blob = Result { () throws(GoBuildInfoError) in try BuildInfoBlob.read(from: file) }
        if case .success(let b) = blob {
            moduleInfo = Result { () throws(GoBuildInfoError) in try ModuleInfo.parse(b.moduleInfo) }
        }
        // Symbols are read in place and by name: no table is turned into values.
        fingerprints = PackageFingerprints(file: file)
        let settings = (try? moduleInfo?.get())?.settings ?? []
        let buildMode = settings.first { $0.key == "-buildmode" }?.value
        let pluginPathSuffix = Array("link.thispluginpath".utf8)
        let hasPluginPath = file.withSymbolTable(.full) { t in (0..<t.count).contains { t.name($0, hasSuffix: pluginPathSuffix) } }
        let isGoAtAll = (try? blob.get()) != nil || fingerprints.prefix != nil
            || file.section(named: ".gopclntab") != nil || file.notes.contains { $0.name == "Go" }
            || file.withSymbolTable(.dynamic) { $0.firstIndex(named: "runtime.main") != nil } || file.section(named: ".go.buildinfo") != nil
        if !isGoAtAll {
            role = .notGo
        } else if buildMode == "plugin"
                    || (file.header.type == .sharedObject && file.interpreter == nil && (fingerprints.prefix != nil || hasPluginPath)) {
            role = .plugin
        } else if buildMode == "c-shared" || buildMode == "shared"
                    || (file.header.type == .sharedObject && file.interpreter == nil && buildMode != "exe" && buildMode != "pie") {
            // A static PIE is ET_DYN without an interpreter too; its build info says pie.
            role = .sharedLibrary
        } else {
            role = .executable
        }
        if role == .plugin {
            plugin = PluginFacts(file: file)
        }
        if role == .executable {
            host = HostFacts(isDynamic: file.interpreter != nil, linksPluginPackage: fingerprints.prefix != nil,
                             fingerprintCount: fingerprints.count, fingerprintPrefix: fingerprints.prefix,
                             staticCgo: HostFacts.staticCgo(file, settings: settings))
            host?.luraInterfaces = HostFacts.luraInterfaces(file)
        }
        runtimeLayout = RuntimeLayout(file: file)
        if readExports, var facts = plugin {
            facts.exports = PluginExports(file: file, layout: runtimeLayout, pluginPath: facts.pluginPath)
            plugin = facts
        }
        goVersionUnknownReason = nil
        if case .success(let b) = blob {
            goVersion = GoVersion(b.goVersion)
            goVersionSource = .buildInfo
        } else if role == .notGo {
            goVersion = nil
            goVersionSource = .unknown
            goVersionUnknownReason = "not a Go binary"
        } else if let v = Self.versionFromSymbolTable(file) {
            goVersion = GoVersion(v)
            goVersionSource = .symbolTable
        } else if let v = Self.versionFromDWARF(file) {
            goVersion = GoVersion(v)
            goVersionSource = .dwarfProducer
        } else {
            goVersion = nil
            goVersionSource = .unknown
            let why = file.hasSymbolTable ? "no runtime.buildVersion symbol" : "stripped"
            var reason = "no build info (Go 1.19/1.20 plugins and Go 1.12 and older write none), \(why), and no DWARF producer string"
            if fingerprints.prefix == .legacy {
                reason += "; its go.link. symbol prefix means Go 1.19 or older"
            }
            goVersionUnknownReason = reason
        }
    }

    /// `runtime.buildVersion` is a Go string header; in position-independent files its data
    /// pointer is filled by a relative relocation, so read the addend when there is one.
    static func versionFromSymbolTable(_ file: ELFFile) -> String? {
        guard let s = file.withSymbolTable(.full, { t in t.firstIndex(named: "runtime.buildVersion", where: \.isDefined).map(t.entry) }) else { return nil }
        let ptr = file.header.elfClass.pointerSize
        guard let header = file.bytes(atAddress: s.value, count: 2 * ptr), header.count == 2 * ptr else { return nil }
        let reader = ByteReader(header, bigEndian: file.header.dataEncoding == .bigEndian)
        var data = reader.uint(at: 0, size: ptr)
        let length = reader.uint(at: ptr, size: ptr)
        if let r = file.dynamicRelocations.first(where: { $0.offset == s.value }), let addend = r.addend {
            data = UInt64(bitPattern: addend)
        }
        guard length > 0, length < Limits.buildVersion, let bytes = file.bytes(atAddress: data, count: Int(length)),
              bytes.count == Int(length) else { return nil }
        let v = String(decoding: bytes, as: UTF8.self)
        return v.hasPrefix("go") ? v : nil
    }

    /// The Go compiler records `Go cmd/compile go1.19.8; ...` as each unit's producer.
    static func versionFromDWARF(_ file: ELFFile) -> String? {
        guard let section = file.section(named: ".debug_info"),
              let bytes = file.decompressedContents(of: section, limit: Limits.nameTableOrDebugInfo) else { return nil }
        let marker = Array("Go cmd/compile ".utf8)
        guard let at = BuildInfoBlob.firstIndex(of: marker, in: bytes[...]) else { return nil }
        let rest = bytes[(at + marker.count)...].prefix { $0 != 0 && $0 != UInt8(ascii: ";") && $0 != UInt8(ascii: " ") }
        let v = String(decoding: rest, as: UTF8.self)
        return v.hasPrefix("go") ? v : nil
    }
}
