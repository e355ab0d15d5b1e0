/// `d_tag` of a `.dynamic` entry.
public struct DynamicTag: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
    public static let null = DynamicTag(rawValue: 0)
    public static let needed = DynamicTag(rawValue: 1)
    public static let strtab = DynamicTag(rawValue: 5)
    public static let strsz = DynamicTag(rawValue: 10)
    public static let soname = DynamicTag(rawValue: 14)
    public static let rpath = DynamicTag(rawValue: 15)
    public static let bindNow = DynamicTag(rawValue: 24)
    public static let runpath = DynamicTag(rawValue: 29)
    public static let flags = DynamicTag(rawValue: 30)
    public static let flags1 = DynamicTag(rawValue: 0x6fff_fffb)

    static let names: [Int64: String] = [
        0: "NULL", 1: "NEEDED", 2: "PLTRELSZ", 3: "PLTGOT", 4: "HASH", 5: "STRTAB", 6: "SYMTAB",
        7: "RELA", 8: "RELASZ", 9: "RELAENT", 10: "STRSZ", 11: "SYMENT", 12: "INIT", 13: "FINI",
        14: "SONAME", 15: "RPATH", 16: "SYMBOLIC", 17: "REL", 18: "RELSZ", 19: "RELENT",
        20: "PLTREL", 21: "DEBUG", 22: "TEXTREL", 23: "JMPREL", 24: "BIND_NOW", 25: "INIT_ARRAY",
        26: "FINI_ARRAY", 27: "INIT_ARRAYSZ", 28: "FINI_ARRAYSZ", 29: "RUNPATH", 30: "FLAGS",
        0x6fff_fef5: "GNU_HASH", 0x6fff_fff0: "VERSYM", 0x6fff_fffb: "FLAGS_1",
        0x6fff_fffe: "VERNEED", 0x6fff_ffff: "VERNEEDNUM", 0x6fff_fff9: "RELACOUNT",
    ]
    public var description: String { Self.names[rawValue] ?? "0x" + String(UInt64(bitPattern: rawValue), radix: 16) }
}

/// One `.dynamic` entry, with the string it names when the tag takes one.
public struct DynamicEntry: Hashable, Sendable {
    public var tag: DynamicTag
    public var value: UInt64
    /// For NEEDED, SONAME, RPATH and RUNPATH: the string in `.dynstr`.
    public var string: String?
}

/// The `DT_FLAGS` and `DT_FLAGS_1` bits that change how the loader treats the object.
public struct DynamicFlags: Hashable, Sendable {
    static let flagNames: [(UInt64, String)] = [
        (0x1, "ORIGIN"), (0x2, "SYMBOLIC"), (0x4, "TEXTREL"), (0x8, "BIND_NOW"), (0x10, "STATIC_TLS"),
    ]
    static let flag1Names: [(UInt64, String)] = [
        (0x1, "NOW"), (0x2, "GLOBAL"), (0x4, "GROUP"), (0x8, "NODELETE"), (0x10, "LOADFLTR"),
        (0x20, "INITFIRST"), (0x40, "NOOPEN"), (0x80, "ORIGIN"), (0x100, "DIRECT"), (0x400, "INTERPOSE"),
        (0x800, "NODEFLIB"), (0x1000, "NODUMP"), (0x0800_0000, "PIE"),
    ]

    /// `DF_BIND_NOW`
    public static let bindNowFlag: UInt64 = 0x8
    /// `DF_1_NOW`
    public static let now1Flag: UInt64 = 0x1

    public var flags: UInt64
    public var flags1: UInt64

    /// readelf's names for the set bits: `BIND_NOW`, then `FLAGS_1` names prefixed `NOW`, `PIE`...
    public var names: [String] {
        Self.flagNames.filter { flags & $0.0 != 0 }.map(\.1)
            + Self.flag1Names.filter { flags1 & $0.0 != 0 }.map(\.1)
    }
    /// Symbols are bound at load time (`BIND_NOW` or `DF_1_NOW`).
    public var bindNow: Bool { flags & Self.bindNowFlag != 0 || flags1 & Self.now1Flag != 0 }
}
