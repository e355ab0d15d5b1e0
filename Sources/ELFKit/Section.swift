/// `sh_type` of a section header.
public struct SectionType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let null = SectionType(rawValue: 0)
    public static let progbits = SectionType(rawValue: 1)
    public static let symtab = SectionType(rawValue: 2)
    public static let strtab = SectionType(rawValue: 3)
    public static let rela = SectionType(rawValue: 4)
    public static let dynamic = SectionType(rawValue: 6)
    public static let note = SectionType(rawValue: 7)
    public static let nobits = SectionType(rawValue: 8)
    public static let rel = SectionType(rawValue: 9)
    public static let dynsym = SectionType(rawValue: 11)
    public static let gnuVersionDefinition = SectionType(rawValue: 0x6fff_fffd)
    public static let gnuVersionNeed = SectionType(rawValue: 0x6fff_fffe)
    public static let gnuVersionSymbols = SectionType(rawValue: 0x6fff_ffff)

    static let names: [UInt32: String] = [
        0: "NULL", 1: "PROGBITS", 2: "SYMTAB", 3: "STRTAB", 4: "RELA", 5: "HASH", 6: "DYNAMIC",
        7: "NOTE", 8: "NOBITS", 9: "REL", 11: "DYNSYM", 14: "INIT_ARRAY", 15: "FINI_ARRAY",
        17: "GROUP", 0x6fff_fff6: "GNU_HASH", 0x6fff_fffd: "VERDEF", 0x6fff_fffe: "VERNEED",
        0x6fff_ffff: "VERSYM",
    ]
    public var description: String { Self.names[rawValue] ?? "0x" + String(rawValue, radix: 16) }
}

/// One section header, with its name resolved.
public struct Section: Hashable, Sendable {
    /// `SHF_COMPRESSED`: the data starts with a compression header.
    public static let compressedFlag: UInt64 = 0x800

    public var index: Int
    public var name: String
    /// `sh_name`: the name's offset in the section name table.
    public var nameOffset: UInt32
    public var type: SectionType
    public var flags: UInt64
    public var address: UInt64
    public var offset: UInt64
    public var size: UInt64
    public var link: UInt32
    public var info: UInt32
    public var alignment: UInt64
    public var entrySize: UInt64

    /// Whether the section occupies bytes in the file.
    public var hasFileData: Bool { type != .nobits && type != .null }
}
