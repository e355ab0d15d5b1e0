import ELFKit

/// What the dynamic loader (glibc's `ld.so`, musl's `ldso`) looks at when a file is handed to
/// `dlopen`, or when it starts a program: class, byte order, machine, type, program
/// interpreter, needed libraries, symbol versions, relocations, and the symbols the object
/// adds to the global scope.
public struct LoaderFacts: Sendable {
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
    public var relocationsInMuslOrder: [MuslRelocation]
    /// Names of the dynamic symbols it defines (what it adds to the loader's global scope).
    public var definedSymbols: Set<String>
    /// Whether `relocationsInMuslOrder` and `definedSymbols` were read: only musl's loader
    /// binds symbols one by one, so a file compared with a glibc gateway is read without them.
    public var muslFactsRead: Bool = true

    /// Which files need musl's facts (every relocation with its symbol, every defined symbol).
    public enum MuslFacts: Sendable {
        case read
        case skip
        /// Only when the file itself is linked against musl (a gateway: its symbols start the scope).
        case whenMusl
    }

    /// One relocation as musl's `do_relocs` meets it.
    public struct MuslRelocation: Sendable, Hashable {
        /// The symbol it must find, when it names an undefined one.
        public var symbol: String?
        public var type: UInt32
        public var weak: Bool
        public init(symbol: String?, type: UInt32, weak: Bool) {
            self.symbol = symbol
            self.type = type
            self.weak = weak
        }
    }

    /// Facts given by hand (tests, or a caller that has them from elsewhere).
    public init(elfClass: ELFClass, dataEncoding: ELFDataEncoding, osABI: ELFOSABI = .none, type: ELFFileType,
                machine: ELFMachine, interpreter: String?, needed: [String], glibcRequirements: [GlibcVersion] = [],
                relocationsInMuslOrder: [MuslRelocation] = [], definedSymbols: Set<String> = []) {
        self.elfClass = elfClass
        self.dataEncoding = dataEncoding
        self.osABI = osABI
        self.type = type
        self.machine = machine
        self.interpreter = interpreter
        self.needed = needed
        self.libc = LibcFlavour(interpreter: interpreter, needed: needed)
        self.glibcRequirements = glibcRequirements
        self.highestGlibc = glibcRequirements.max()
        self.relocationsInMuslOrder = relocationsInMuslOrder
        self.definedSymbols = definedSymbols
    }

    public init(file: ELFFile, musl: MuslFacts = .read) {
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
        guard musl == .read || (musl == .whenMusl && libc == .musl) else {
            definedSymbols = []
            relocationsInMuslOrder = []
            muslFactsRead = false
            return
        }
        let symbols = file.symbols(.dynamic)
        definedSymbols = Set(symbols.lazy.filter { $0.isDefined && $0.binding != .local && !$0.name.isEmpty }.map(\.name))
        func entries(_ names: Set<String>) -> [MuslRelocation] {
            file.sections.filter { names.contains($0.name) && ($0.type == .rela || $0.type == .rel) }
                .flatMap { file.relocations(in: $0) }
                .map { r in
                    let s = r.symbolIndex > 0 && r.symbolIndex < symbols.count ? symbols[r.symbolIndex] : nil
                    let undefined = s.map { !$0.isDefined } ?? false
                    return MuslRelocation(symbol: undefined ? s?.name : nil, type: r.type, weak: s?.binding == .weak)
                }
        }
        // musl's reloc_all: DT_JMPREL first, then DT_REL, then DT_RELA.
        relocationsInMuslOrder = entries([".rela.plt", ".rel.plt"]) + entries([".rel.dyn"]) + entries([".rela.dyn"])
    }

    /// The relocation types musl implements for this machine; nil where unknown.
    public var muslSupportedRelocations: Set<UInt32>? { RelocationTypes.byMachine[machine]?.muslSupported }

    /// Debian's multiarch directory name for the machine (`x86_64-linux-gnu`), where glibc
    /// systems keep their libraries (`/lib/<triplet>/libc.so.6`).
    public var debianTriplet: String {
        switch machine {
        case .x86_64: return "x86_64-linux-gnu"
        case .aarch64: return "aarch64-linux-gnu"
        case .i386: return "i386-linux-gnu"
        case .arm: return "arm-linux-gnueabihf"
        case .s390: return "s390x-linux-gnu"
        case .ppc64: return "powerpc64le-linux-gnu"
        case .riscv: return "riscv64-linux-gnu"
        default: return machine.name + "-linux-gnu"
        }
    }

    /// The size of an ELF header of this class (glibc reads a whole one before it looks at
    /// the magic).
    public var headerSize: Int { elfClass == .elf32 ? 52 : 64 }

    /// `GOARCH` for the machine, when Go targets it.
    public var goarch: String? { machine.goarch(class: elfClass, encoding: dataEncoding) }
}
