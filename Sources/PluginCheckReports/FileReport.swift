import ELFKit
import GoBinary
import PluginCompat

/// Everything `plugincheck inspect` reports about one file; encoded as the JSON schema
/// documented in docs/json-schema.md (bump `schemaVersion` on incompatible changes).
public struct FileReport: Codable, Sendable {
    public static let currentSchemaVersion = 1

    public var schemaVersion = FileReport.currentSchemaVersion
    public var path: String
    /// Why the file could not be read; the other fields are then null.
    @Nullable public var error: String?
    @Nullable public var elf: ELFSection?
    @Nullable public var go: GoSection?

    public struct ELFSection: Codable, Sendable {
        public var size: Int
        public var `class`: String
        public var dataEncoding: String
        public var osABI: String
        public var osABICode: Int
        public var abiVersion: Int
        public var type: String
        public var machine: String
        public var machineCode: Int
        @Nullable public var goarch: String?
        public var flags: String
        public var entry: String
        @Nullable public var interpreter: String?
        public var needed: [String]
        @Nullable public var soname: String?
        @Nullable public var rpath: String?
        @Nullable public var runpath: String?
        public var dynamicFlags: [String]
        @Nullable public var buildID: String?
        public var stripped: Bool
        public var sections: [String]
        public var dynamicSymbolCount: Int
        public var versionNeeds: [VersionNeedEntry]
        @Nullable public var highestGlibcVersion: String?
        public var libc: String
    }

    public struct VersionNeedEntry: Codable, Sendable {
        public var file: String
        public var versions: [String]
    }

    public struct GoSection: Codable, Sendable {
        public var role: String
        @Nullable public var version: String?
        public var versionSource: String
        @Nullable public var versionUnknownReason: String?
        @Nullable public var buildInfo: BuildInfoEntry?
        @Nullable public var buildInfoError: String?
        @Nullable public var path: String?
        @Nullable public var main: Module?
        public var dependencies: [Module]
        public var settings: [BuildSetting]
        @Nullable public var fingerprintPrefix: String?
        public var fingerprintCount: Int
        @Nullable public var plugin: PluginEntry?
        @Nullable public var host: HostEntry?
    }

    public struct BuildInfoEntry: Codable, Sendable {
        public var format: String
        public var pointerSize: Int
        public var bigEndian: Bool
        public var address: String
    }

    public struct PluginEntry: Codable, Sendable {
        @Nullable public var pluginPath: String?
        public var pluginPathSource: String
        public var exportedSymbols: [String]
        public var registerers: [String]
    }

    public struct HostEntry: Codable, Sendable {
        public var canLoadPlugins: Bool
        public var isDynamic: Bool
        public var linksPluginPackage: Bool
        public var fingerprintCount: Int
        @Nullable public var cannotLoadReason: String?
    }

    /// A report for a file that could not be read.
    public init(path: String, error: String) {
        self.path = path
        self.error = error
    }

    /// Reads `path` and reports on it; a file that cannot be read gives a report with `error` set.
    public init(path: String) {
        let file: ELFFile
        do {
            file = try ELFFile(path: path)
        } catch {
            self.init(path: path, error: error.description)
            return
        }
        self.init(file: file, facts: GoFacts(file: file))
    }

    public init(file: ELFFile, facts: GoFacts) {
        path = file.path
        let h = file.header
        elf = ELFSection(
            size: file.size, class: h.elfClass.description, dataEncoding: h.dataEncoding.description,
            osABI: h.osABI.description, osABICode: Int(h.osABI.rawValue), abiVersion: Int(h.abiVersion),
            type: h.type.description, machine: h.machine.name, machineCode: Int(h.machine.rawValue),
            goarch: h.machine.goarch(class: h.elfClass, encoding: h.dataEncoding),
            flags: "0x" + String(h.flags, radix: 16), entry: "0x" + String(h.entry, radix: 16),
            interpreter: file.interpreter, needed: file.needed, soname: file.soname, rpath: file.rpath,
            runpath: file.runpath, dynamicFlags: file.dynamicFlags.names, buildID: file.gnuBuildID,
            stripped: !file.hasSymbolTable, sections: file.sections.dropFirst().map(\.name),
            dynamicSymbolCount: max(0, file.symbols(.dynamic).count - 1),
            versionNeeds: file.versionNeeds.map { VersionNeedEntry(file: $0.file, versions: $0.versions) },
            highestGlibcVersion: file.highestGlibcVersion?.description, libc: file.libcFlavour.rawValue)
        var blobEntry: BuildInfoEntry?
        var blobError: String?
        switch facts.blob {
        case .success(let b):
            blobEntry = BuildInfoEntry(format: b.format.rawValue, pointerSize: b.pointerSize, bigEndian: b.bigEndian,
                                       address: "0x" + String(b.address, radix: 16))
        case .failure(let e):
            blobError = e.description
        }
        var info: ModuleInfo?
        switch facts.moduleInfo {
        case .success(let m): info = m
        case .failure(let e): blobError = e.description
        case nil: break
        }
        go = GoSection(
            role: facts.role.rawValue, version: facts.goVersion?.raw, versionSource: facts.goVersionSource.rawValue,
            versionUnknownReason: facts.goVersionUnknownReason, buildInfo: blobEntry, buildInfoError: blobError,
            path: info.flatMap { $0.path.isEmpty ? nil : $0.path }, main: info?.main,
            dependencies: info?.dependencies ?? [], settings: info?.settings ?? [],
            fingerprintPrefix: facts.fingerprints.prefix?.rawValue, fingerprintCount: facts.fingerprints.count,
            plugin: facts.plugin.map {
                PluginEntry(pluginPath: $0.pluginPath, pluginPathSource: $0.pluginPathSource.rawValue,
                            exportedSymbols: $0.exportedSymbols, registerers: $0.registerers)
            },
            host: facts.host.map {
                HostEntry(canLoadPlugins: $0.canLoadPlugins, isDynamic: $0.isDynamic,
                          linksPluginPackage: $0.linksPluginPackage, fingerprintCount: $0.fingerprintCount,
                          cannotLoadReason: $0.cannotLoadReason)
            })
    }
}
