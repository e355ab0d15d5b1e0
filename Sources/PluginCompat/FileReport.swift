import DynamicLoading
import GoBinary

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
        public var type: ELFObjectType
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
        public var libc: LibcFlavour
    }

    public struct VersionNeedEntry: Codable, Sendable {
        public var file: String
        public var versions: [String]
    }

    public struct GoSection: Codable, Sendable {
        public var role: GoFacts.Role
        @Nullable public var version: String?
        public var versionSource: GoFacts.VersionSource
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
        /// The source directory roots from the pclntab file table; null when none was found.
        @Nullable public var sources: SourcesEntry?
    }

    public struct SourcesEntry: Codable, Sendable {
        /// The pclntab layout (`go1.2`, `go1.16`, `go1.18`, `go1.20`) and where it was found.
        public var format: SourceFileTable.Format
        public var location: SourceFileTable.Location
        public var fileCount: Int
        public var packageCount: Int
        /// Distinct roots, most packages first.
        public var roots: [PackageSources.Root]
        /// Every package with code in the file and its directory, by import path.
        public var packages: [PackageSources.Source]
    }

    public struct BuildInfoEntry: Codable, Sendable {
        public var format: String
        public var pointerSize: Int
        public var bigEndian: Bool
        public var address: String
    }

    public struct PluginEntry: Codable, Sendable {
        @Nullable public var pluginPath: String?
        public var pluginPathSource: PluginFacts.PathSource
        public var exportedSymbols: [String]
        public var registerers: [String]
        /// Each exported name's type as Lookup returns it (methods, a constant string value).
        @Nullable public var exports: [PluginExports.Export]?
        /// What KrakenD's loaders will do with each registerer (RegistererCheck.swift).
        public var krakend: [RegistererPrediction]?
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

    /// Reads `path` (opening it once) and reports on it; a file that cannot be read gives a
    /// report with `error` set.
    public static func read(path: String) -> FileReport {
        let object = ObjectOnDisk.read(path: path) { file in
            let go = GoFacts(file: file)
            let sources = go.role == .notGo ? nil : PackageSources(file: file, moduleInfo: try? go.moduleInfo?.get())
            return (ELFSummary(file: file), go, sources)
        }
        switch object.contents {
        case .success(let facts):
            return FileReport(path: path, elf: facts.extra.0, loader: facts.loader, go: facts.extra.1, sources: facts.extra.2)
        case .failure(let e):
            return FileReport(path: path, error: e.description)
        }
    }

    public init(path: String, elf summary: ELFSummary, loader: LoaderFacts, go facts: GoFacts, sources: PackageSources? = nil) {
        self.path = path
        let h = summary.header
        elf = ELFSection(
            size: summary.size, class: h.elfClass.description, dataEncoding: h.dataEncoding.description,
            osABI: h.osABI.description, osABICode: Int(h.osABI.rawValue), abiVersion: Int(h.abiVersion),
            type: ELFObjectType(h.type), machine: h.machine.name, machineCode: Int(h.machine.rawValue),
            goarch: h.machine.goarch(class: h.elfClass, encoding: h.dataEncoding),
            flags: "0x" + String(h.flags, radix: 16), entry: "0x" + String(h.entry, radix: 16),
            interpreter: summary.interpreter, needed: summary.needed, soname: summary.soname, rpath: summary.rpath,
            runpath: summary.runpath, dynamicFlags: summary.dynamicFlags.names, buildID: summary.buildID,
            stripped: summary.stripped, sections: summary.sectionNames,
            dynamicSymbolCount: summary.dynamicSymbolCount,
            versionNeeds: summary.versionNeeds.map { VersionNeedEntry(file: $0.file, versions: $0.versions) },
            highestGlibcVersion: loader.highestGlibc?.description, libc: loader.libc)
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
            role: facts.role, version: facts.goVersion?.raw, versionSource: facts.goVersionSource,
            versionUnknownReason: facts.goVersionUnknownReason, buildInfo: blobEntry, buildInfoError: blobError,
            path: info.flatMap { $0.path.isEmpty ? nil : $0.path }, main: info?.main,
            dependencies: info?.dependencies ?? [], settings: info?.settings ?? [],
            fingerprintPrefix: facts.fingerprints.prefix?.rawValue, fingerprintCount: facts.fingerprints.count,
            plugin: facts.plugin.map {
                PluginEntry(pluginPath: $0.pluginPath, pluginPathSource: $0.pluginPathSource,
                            exportedSymbols: $0.exportedSymbols, registerers: $0.registerers,
                            exports: $0.exports?.exports,
                            krakend: RegistererPrediction.predict($0.exports, exported: $0.exportedSymbols))
            },
            host: facts.host.map {
                HostEntry(canLoadPlugins: $0.canLoadPlugins, isDynamic: $0.isDynamic,
                          linksPluginPackage: $0.linksPluginPackage, fingerprintCount: $0.fingerprintCount,
                          cannotLoadReason: $0.cannotLoadReason)
            },
            sources: sources.map {
                SourcesEntry(format: $0.format, location: $0.location, fileCount: $0.fileCount,
                             packageCount: $0.byPackage.count, roots: $0.roots,
                             packages: $0.byPackage.values.sorted { $0.package < $1.package })
            })
    }
}

/// `e_type` as the report names it (`DYN`, `EXEC`...): what the file is to the loader.
public enum ELFObjectType: Codable, Sendable, Hashable, CustomStringConvertible {
    case relocatable, executable, sharedObject, core
    /// Any other value, printed as the ELF layer names it.
    case other(String)

    init(_ type: ELFFileType) {
        switch type {
        case .relocatable: self = .relocatable
        case .executable: self = .executable
        case .sharedObject: self = .sharedObject
        case .core: self = .core
        default: self = .other(type.description)
        }
    }

    public var description: String {
        switch self {
        case .relocatable: return "REL"
        case .executable: return "EXEC"
        case .sharedObject: return "DYN"
        case .core: return "CORE"
        case .other(let name): return name
        }
    }

    public init(from decoder: Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        switch name {
        case "REL": self = .relocatable
        case "EXEC": self = .executable
        case "DYN": self = .sharedObject
        case "CORE": self = .core
        default: self = .other(name)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
