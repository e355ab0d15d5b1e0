// Header fields named as the ELF gABI spells them; unknown values print as numbers.

/// `e_type`.
public struct ELFFileType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    /// `ET_REL`
    public static let relocatable = ELFFileType(rawValue: 1)
    /// `ET_EXEC`
    public static let executable = ELFFileType(rawValue: 2)
    /// `ET_DYN`: shared objects, Go plugins and position-independent executables.
    public static let sharedObject = ELFFileType(rawValue: 3)
    /// `ET_CORE`
    public static let core = ELFFileType(rawValue: 4)

    public var description: String {
        switch rawValue {
        case 0: return "NONE"
        case 1: return "REL"
        case 2: return "EXEC"
        case 3: return "DYN"
        case 4: return "CORE"
        default: return "type \(rawValue)"
        }
    }
}

/// `e_machine`.
public struct ELFMachine: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public static let i386 = ELFMachine(rawValue: 3)
    public static let arm = ELFMachine(rawValue: 40)
    public static let x86_64 = ELFMachine(rawValue: 62)
    public static let aarch64 = ELFMachine(rawValue: 183)
    public static let s390 = ELFMachine(rawValue: 22)
    public static let ppc64 = ELFMachine(rawValue: 21)
    public static let riscv = ELFMachine(rawValue: 243)
    public static let mips = ELFMachine(rawValue: 8)
    public static let loongArch = ELFMachine(rawValue: 258)

    /// (short name, readelf's name) per known value.
    static let names: [UInt16: (String, String)] = [
        0: ("none", "None"),
        2: ("sparc", "Sparc"),
        3: ("i386", "Intel 80386"),
        8: ("mips", "MIPS R3000"),
        20: ("ppc", "PowerPC"),
        21: ("ppc64", "PowerPC64"),
        22: ("s390x", "IBM S/390"),
        40: ("arm", "ARM"),
        43: ("sparcv9", "Sparc v9"),
        62: ("x86-64", "Advanced Micro Devices X86-64"),
        183: ("aarch64", "AArch64"),
        243: ("riscv", "RISC-V"),
        258: ("loongarch", "LoongArch"),
    ]

    /// A short name such as `x86-64` or `aarch64`.
    public var name: String { Self.names[rawValue]?.0 ?? "machine \(rawValue)" }
    /// The name `readelf -h` prints on its `Machine:` line.
    public var readelfName: String { Self.names[rawValue]?.1 ?? "<unknown>: 0x\(String(rawValue, radix: 16))" }
    public var description: String { name }

    /// The value of `GOARCH` that targets this machine, given class and byte order.
    public func goarch(class elfClass: ELFClass, encoding: ELFDataEncoding) -> String? {
        switch (self, elfClass, encoding) {
        case (.x86_64, .elf64, _): return "amd64"
        case (.i386, .elf32, _): return "386"
        case (.aarch64, .elf64, _): return "arm64"
        case (.arm, .elf32, _): return "arm"
        case (.s390, .elf64, _): return "s390x"
        case (.ppc64, .elf64, .littleEndian): return "ppc64le"
        case (.ppc64, .elf64, .bigEndian): return "ppc64"
        case (.riscv, .elf64, _): return "riscv64"
        case (.mips, .elf32, .littleEndian): return "mipsle"
        case (.mips, .elf32, .bigEndian): return "mips"
        case (.mips, .elf64, .littleEndian): return "mips64le"
        case (.mips, .elf64, .bigEndian): return "mips64"
        case (.loongArch, .elf64, _): return "loong64"
        default: return nil
        }
    }
}

/// The ELF file header (`Elf32_Ehdr` / `Elf64_Ehdr`), widened to 64 bits.
public struct ELFHeader: Hashable, Sendable {
    public var elfClass: ELFClass
    public var dataEncoding: ELFDataEncoding
    public var identVersion: UInt8
    public var osABI: ELFOSABI
    public var abiVersion: UInt8
    public var type: ELFFileType
    public var machine: ELFMachine
    public var version: UInt32
    public var entry: UInt64
    public var programHeaderOffset: UInt64
    public var sectionHeaderOffset: UInt64
    public var flags: UInt32
    public var headerSize: UInt16
    public var programHeaderEntrySize: UInt16
    public var programHeaderCount: Int
    public var sectionHeaderEntrySize: UInt16
    public var sectionHeaderCount: Int
    public var sectionNameTableIndex: Int
    /// `e_shnum` as written, before extended numbering or a zero `e_shoff` are taken into account.
    public var declaredSectionHeaderCount: Int = 0
}
