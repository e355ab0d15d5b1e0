/// `p_type` of a program header.
public struct SegmentType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let load = SegmentType(rawValue: 1)
    public static let dynamic = SegmentType(rawValue: 2)
    public static let interp = SegmentType(rawValue: 3)
    public static let note = SegmentType(rawValue: 4)
    public static let phdr = SegmentType(rawValue: 6)
    public static let tls = SegmentType(rawValue: 7)
    public static let gnuEHFrame = SegmentType(rawValue: 0x6474_e550)
    public static let gnuStack = SegmentType(rawValue: 0x6474_e551)
    public static let gnuRelro = SegmentType(rawValue: 0x6474_e552)
    public static let gnuProperty = SegmentType(rawValue: 0x6474_e553)

    static let names: [UInt32: String] = [
        0: "NULL", 1: "LOAD", 2: "DYNAMIC", 3: "INTERP", 4: "NOTE", 5: "SHLIB", 6: "PHDR", 7: "TLS",
        0x6474_e550: "GNU_EH_FRAME", 0x6474_e551: "GNU_STACK", 0x6474_e552: "GNU_RELRO",
        0x6474_e553: "GNU_PROPERTY",
    ]
    /// Processor-specific types, whose meaning depends on the machine.
    static let processorNames: [ELFMachine: [UInt32: String]] = [
        .arm: [0x7000_0001: "EXIDX"],
        .aarch64: [0x7000_0002: "AARCH64_MEMTAG_MTE"],
        .riscv: [0x7000_0003: "RISCV_ATTRIBUT"],
        ELFMachine(rawValue: 8): [0x7000_0000: "REGINFO", 0x7000_0003: "ABIFLAGS"],
    ]

    /// The name readelf prints for this type in a file for `machine`.
    public func readelfName(machine: ELFMachine) -> String {
        Self.processorNames[machine]?[rawValue] ?? description
    }
    /// readelf's spelling (`LOAD`, `GNU_STACK`, `LOOS+0x5041580` for an OS-specific number).
    public var description: String {
        if let name = Self.names[rawValue] { return name }
        switch rawValue {
        case 0x6000_0000...0x6fff_ffff: return "LOOS+0x" + String(rawValue - 0x6000_0000, radix: 16)
        case 0x7000_0000...0x7fff_ffff: return "LOPROC+0x" + String(rawValue - 0x7000_0000, radix: 16)
        default: return "<unknown>: " + String(rawValue, radix: 16)
        }
    }
}

/// One program header: how a part of the file is mapped at run time.
public struct Segment: Hashable, Sendable {
    public static let executableFlag: UInt32 = 0x1  // PF_X
    public static let writableFlag: UInt32 = 0x2    // PF_W
    public static let readableFlag: UInt32 = 0x4    // PF_R

    public var type: SegmentType
    public var flags: UInt32
    public var offset: UInt64
    public var virtualAddress: UInt64
    public var physicalAddress: UInt64
    public var fileSize: UInt64
    public var memorySize: UInt64
    public var alignment: UInt64

    public var isWritable: Bool { flags & Self.writableFlag != 0 }
    public var isExecutable: Bool { flags & Self.executableFlag != 0 }

    /// Whether `address` falls inside the file-backed part of this segment.
    public func containsFileBacked(_ address: UInt64) -> Bool {
        fileSize > 0 && address >= virtualAddress && address - virtualAddress < fileSize
    }
}
