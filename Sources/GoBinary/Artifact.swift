@_exported import ELFKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One file given to the simulation (a gateway or a plugin), with every fact the loader
/// steps look at. Built from a path by `Artifact.read(path:)`, or assembled by hand in tests.
public struct Artifact: Sendable {
    /// The path as the gateway will be given it.
    public var path: String
    /// `realpath(path)`: what Go's `plugin.Open` caches by and hands to `dlopen`; nil when it fails.
    public var realPath: String?
    /// Device and inode: `dlopen` returns the already loaded object for a hard link.
    public var fileID: FileID?
    /// The file's size in bytes (glibc says "file too short" below an ELF header's size).
    public var size: Int?
    /// Why the file is not a readable ELF file, when it is not.
    public var readError: ELFError?
    public var elf: ELFFacts?
    public var go: GoFacts?

    public struct FileID: Hashable, Sendable {
        public var device: UInt64
        public var inode: UInt64
    }

    /// The ELF facts the dynamic loader checks.
    public struct ELFFacts: Sendable {
        public var elfClass: ELFClass
        public var dataEncoding: ELFDataEncoding
        public var osABI: ELFOSABI
        public var type: ELFFileType
        public var machine: ELFMachine
        public var interpreter: String?
        public var needed: [String]
        public var libc: LibcFlavour
        public var highestGlibc: GlibcVersion?
        /// The `GLIBC_x.y` versions required from libc, in `.gnu.version_r` order (the order
        /// glibc's loader checks them in).
        public var glibcRequirements: [GlibcVersion]
        /// Undefined, non-weak dynamic symbols, in the order musl's loader resolves them
        /// (PLT relocations, then `.rel.dyn`, then `.rela.dyn`), each with its relocation type.
        public var relocationsInMuslOrder: [(symbol: String?, type: UInt32, weak: Bool)]
        /// Go's runtime layout, when readable.
        public var runtimeLayout: RuntimeLayout?
        /// Names of the dynamic symbols it defines (what it adds to the loader's global scope).
        public var definedSymbols: Set<String>
    }

    /// Reads a file; never throws: an unreadable file gives an artifact with `readError` set.
    public static func read(path: String) -> Artifact {
        var a = Artifact(path: path)
        if let resolved = realpath(path, nil) {
            a.realPath = String(cString: resolved)
            free(resolved)
        }
        var st = stat()
        if stat(path, &st) == 0 {
            a.fileID = FileID(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
            a.size = Int(st.st_size)
        }
        do {
            let file = try ELFFile(path: path)
            a.elf = ELFFacts(file: file)
            a.go = GoFacts(file: file)
        } catch {
            a.readError = error
        }
        return a
    }

    public init(path: String) {
        self.path = path
    }
}

extension Artifact.ELFFacts {
    public init(file: ELFFile) {
        elfClass = file.header.elfClass
        dataEncoding = file.header.dataEncoding
        osABI = file.header.osABI
        type = file.header.type
        machine = file.header.machine
        interpreter = file.interpreter
        needed = file.needed
        libc = file.libcFlavour
        highestGlibc = file.highestGlibcVersion
        glibcRequirements = file.versionNeeds.filter { $0.file.hasPrefix("libc.so") }
            .flatMap(\.versions).compactMap(GlibcVersion.init(symbolVersion:))
        let symbols = file.symbols(.dynamic)
        definedSymbols = Set(symbols.lazy.filter { $0.isDefined && $0.binding != .local && !$0.name.isEmpty }.map(\.name))
        func entries(_ names: Set<String>) -> [(String?, UInt32, Bool)] {
            file.sections.filter { names.contains($0.name) && ($0.type == .rela || $0.type == .rel) }
                .flatMap { file.relocations(in: $0) }
                .map { r in
                    let s = r.symbolIndex > 0 && r.symbolIndex < symbols.count ? symbols[r.symbolIndex] : nil
                    let undefined = s.map { !$0.isDefined } ?? false
                    return (undefined ? s?.name : nil, r.type, s?.binding == .weak)
                }
        }
        // musl's reloc_all: DT_JMPREL first, then DT_REL, then DT_RELA.
        relocationsInMuslOrder = entries([".rela.plt", ".rel.plt"]) + entries([".rel.dyn"]) + entries([".rela.dyn"])
        runtimeLayout = RuntimeLayout(file: file, symbols: symbols, relocations: RelocatedPointers(file: file))
    }
}
