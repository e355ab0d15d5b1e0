// The e_ident bytes that say how to read the rest of the file (ELF gABI, "ELF Identification").

/// `EI_CLASS`: 32- or 64-bit objects.
public struct ELFClass: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// `ELFCLASS32`
    public static let elf32 = ELFClass(rawValue: 1)
    /// `ELFCLASS64`
    public static let elf64 = ELFClass(rawValue: 2)

    public var description: String {
        switch self {
        case .elf32: return "ELF32"
        case .elf64: return "ELF64"
        default: return "class \(rawValue)"
        }
    }
    /// Size in bytes of an address in this class.
    public var pointerSize: Int { self == .elf32 ? 4 : 8 }
}

/// `EI_DATA`: the byte order of multi-byte fields.
public struct ELFDataEncoding: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// `ELFDATA2LSB`
    public static let littleEndian = ELFDataEncoding(rawValue: 1)
    /// `ELFDATA2MSB`
    public static let bigEndian = ELFDataEncoding(rawValue: 2)

    public var description: String {
        switch self {
        case .littleEndian: return "little-endian"
        case .bigEndian: return "big-endian"
        default: return "encoding \(rawValue)"
        }
    }
}

/// `EI_OSABI`.
public struct ELFOSABI: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let none = ELFOSABI(rawValue: 0)
    public static let gnu = ELFOSABI(rawValue: 3)
    public static let freeBSD = ELFOSABI(rawValue: 9)

    static let names: [UInt8: String] = [
        0: "UNIX - System V", 1: "UNIX - HP-UX", 2: "UNIX - NetBSD", 3: "UNIX - GNU",
        6: "UNIX - Solaris", 7: "UNIX - AIX", 8: "UNIX - IRIX", 9: "UNIX - FreeBSD",
        10: "UNIX - TRU64", 11: "Novell - Modesto", 12: "UNIX - OpenBSD", 13: "VMS - OpenVMS",
        14: "HP - Non-Stop Kernel", 15: "AROS", 16: "FenixOS", 17: "Nuxi CloudABI",
        18: "Stratus Technologies OpenVOS", 97: "ARM", 255: "Standalone App",
    ]

    /// The name readelf prints for it, or the number.
    public var description: String { Self.names[rawValue] ?? "OS ABI \(rawValue)" }
}
