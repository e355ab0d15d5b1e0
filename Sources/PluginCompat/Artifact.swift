import DynamicLoading
import GoBinary

/// One file given to the simulation (a gateway or a plugin), with every fact the loader
/// steps look at. Read from a path by `Artifact.read(path:)`, or assembled by hand.
public struct Artifact: Sendable {
    /// The path as the gateway will be given it.
    public var path: String
    /// `realpath(path)`: what Go's `plugin.Open` caches by and hands to `dlopen`; nil when it fails.
    public var realPath: String?
    /// Device and inode: `dlopen` returns the already loaded object for a hard link.
    public var fileID: FileIdentity?
    /// The file's size in bytes (glibc says "file too short" below an ELF header's size).
    public var size: Int?
    /// Why the file is not a readable ELF file, when it is not.
    public var readError: UnreadableObject?
    /// What the dynamic loader checks.
    public var elf: LoaderFacts?
    public var go: GoFacts?
    /// Reads the directories the named packages were compiled from (the source file table),
    /// on demand: only a fingerprint mismatch needs them, and the table is large.
    public var readSources: (@Sendable (Set<String>) -> PackageSources?)?
    /// Reads the type of each plugin export (its type descriptors), on demand: only the
    /// registerer checks need them, for a gateway whose interfaces are known.
    public var readExports: (@Sendable () -> PluginExports?)?

    /// The plugin's exports with their types: those read with the file, or read now.
    public var exports: PluginExports? { go?.plugin?.exports ?? readExports?() }

    public init(path: String, realPath: String? = nil, fileID: FileIdentity? = nil, size: Int? = nil,
                readError: UnreadableObject? = nil, elf: LoaderFacts? = nil, go: GoFacts? = nil) {
        self.path = path
        self.realPath = realPath
        self.fileID = fileID
        self.size = size
        self.readError = readError
        self.elf = elf
        self.go = go
    }

    /// Reads a file, opening it once; never throws: an unreadable file gives an artifact with
    /// `readError` set.
    public static func read(path: String) -> Artifact {
        read(path: path, musl: .read)
    }

    /// The same, reading musl's loader facts (every relocation and defined symbol) only as
    /// `musl` says: a comparison with a glibc gateway never looks at them; the exports' types
    /// are read on demand (`readExports`), for the plugins that load.
    public static func read(path: String, musl: LoaderFacts.MuslFacts) -> Artifact {
        let object = ObjectOnDisk.read(path: path, musl: musl) { GoFacts(file: $0, exports: false) }
        var a = Artifact(path: path, fileID: object.identity, size: object.size)
        // A failing realpath is itself a fact: plugin.Open stops there.
        if case .success(let real) = object.realPath { a.realPath = real }
        switch object.contents {
        case .success(let facts):
            a.elf = facts.loader
            a.go = facts.extra
            let info = try? facts.extra.moduleInfo?.get()
            let file = a.realPath ?? path
            a.readSources = { packages in
                PackageSources(path: file, moduleInfo: info, packages: packages)
            }
            if let plugin = facts.extra.plugin {
                let pluginPath = plugin.pluginPath
                a.readExports = { PluginExports(path: file, pluginPath: pluginPath) }
            }
        case .failure(let e):
            a.readError = e
        }
        return a
    }
}
