import DynamicLoading
import ELFKit
import GoBinary
import PluginCompat

/// Artifacts made by hand, for testing the load simulation on values alone: no file, no
/// fixture build. The defaults describe the matrix's baseline (an amd64 glibc gateway built
/// with Go 1.25.5 and a handler plugin of the same build); each test changes what it is about.
enum Make {
    /// The `runtime.moduledata` layouts the tests use: two that differ.
    static let layout125 = RuntimeLayout(size: 584, fields: [.init(name: "pcHeader", offset: 0), .init(name: "funcnametab", offset: 8)])
    static let layout126 = RuntimeLayout(size: 592, fields: [.init(name: "pcHeader", offset: 0), .init(name: "funcnametab", offset: 16)])

    /// Fingerprints from (package, one byte that stands for its hash), in check order.
    static func fingerprints(_ entries: [(String, UInt8)]) -> PackageFingerprints {
        var byPackage: [String: PackageFingerprint] = [:]
        for (p, h) in entries { byPackage[p] = PackageFingerprint(package: p, hash: [UInt8](repeating: h, count: 8)) }
        return PackageFingerprints(prefix: .modern, byPackage: byPackage, checkOrder: entries.map(\.0))
    }

    static let baseline: [(String, UInt8)] = [("internal/goarch", 1), ("runtime", 2), ("example.com/shared", 3)]

    static func loader(type: ELFFileType = .sharedObject, machine: ELFMachine = .x86_64, elfClass: ELFClass = .elf64,
                       interpreter: String? = nil, needed: [String] = ["libc.so.6"], glibc: [String] = [],
                       relocations: [LoaderFacts.MuslRelocation] = [], defines: Set<String> = []) -> LoaderFacts {
        LoaderFacts(elfClass: elfClass, dataEncoding: .littleEndian, type: type, machine: machine, interpreter: interpreter,
                    needed: needed, glibcRequirements: glibc.compactMap { GlibcVersion(symbolVersion: $0) },
                    relocationsInMuslOrder: relocations, definedSymbols: defines)
    }

    static func gateway(go: String = "go1.25.5", interpreter: String? = "/lib64/ld-linux-x86-64.so.2",
                        needed: [String] = ["libc.so.6"], linksPlugin: Bool = true,
                        fingerprints entries: [(String, UInt8)] = baseline, layout: RuntimeLayout = layout125,
                        defines: Set<String> = ["malloc"]) -> Artifact {
        let prints = linksPlugin ? fingerprints(entries) : PackageFingerprints(prefix: nil, byPackage: [:], checkOrder: [])
        let host = HostFacts(isDynamic: interpreter != nil, linksPluginPackage: linksPlugin,
                             fingerprintCount: prints.count, fingerprintPrefix: prints.prefix)
        return Artifact(path: "gateway", realPath: "/usr/bin/gateway", fileID: FileIdentity(device: 1, inode: 1), size: 1 << 20,
                        elf: loader(type: .executable, interpreter: interpreter, needed: needed, defines: defines),
                        go: GoFacts(role: .executable, goVersion: GoVersion(go), fingerprints: prints, host: host, runtimeLayout: layout))
    }

    /// A stable inode per name, so that two files of different names are different files.
    static func inode(_ name: String) -> UInt64 {
        name.utf8.reduce(14695981039346656037) { ($0 ^ UInt64($1)) &* 1099511628211 }
    }

    /// A plugin at `plugins/<name>`, its own file (a new inode) unless `fileID` says otherwise.
    static func plugin(_ name: String, go: String = "go1.25.5", pluginPath: String? = nil,
                       fingerprints entries: [(String, UInt8)] = baseline, layout: RuntimeLayout = layout125,
                       exports: [String] = ["HandlerRegisterer"], loader facts: LoaderFacts = loader(),
                       role: GoFacts.Role = .plugin, realPath: String? = nil, fileID: FileIdentity? = nil,
                       moduleInfo: ModuleInfo? = nil) -> Artifact {
        let path = "plugins/" + name
        let plugin = role == .plugin ? PluginFacts(pluginPath: pluginPath ?? "example.com/plugins/" + name, exportedSymbols: exports) : nil
        return Artifact(path: path, realPath: realPath ?? "/srv/" + path, fileID: fileID ?? FileIdentity(device: 1, inode: inode(name)),
                        size: 4 << 20, elf: facts,
                        go: GoFacts(role: role, goVersion: GoVersion(go), moduleInfo: moduleInfo,
                                    fingerprints: role == .notGo ? PackageFingerprints(prefix: nil, byPackage: [:], checkOrder: []) : fingerprints(entries),
                                    plugin: plugin, runtimeLayout: role == .plugin ? layout : nil))
    }

    /// A file that is not a readable ELF object.
    static func unreadable(_ name: String, _ kind: UnreadableObject.Kind, size: Int = 1000) -> Artifact {
        Artifact(path: "plugins/" + name, realPath: "/srv/plugins/" + name, fileID: FileIdentity(device: 1, inode: 999), size: size,
                 readError: UnreadableObject(kind: kind, description: "unreadable"))
    }
}
