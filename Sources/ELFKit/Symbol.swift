/// `STB_*`: a symbol's binding.
public struct SymbolBinding: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let local = SymbolBinding(rawValue: 0)
    public static let global = SymbolBinding(rawValue: 1)
    public static let weak = SymbolBinding(rawValue: 2)
    public var description: String {
        switch rawValue {
        case 0: return "LOCAL"
        case 1: return "GLOBAL"
        case 2: return "WEAK"
        case 10: return "UNIQUE"
        default: return "binding \(rawValue)"
        }
    }
}

/// `STT_*`: what a symbol names.
public struct SymbolType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let notype = SymbolType(rawValue: 0)
    public static let object = SymbolType(rawValue: 1)
    public static let function = SymbolType(rawValue: 2)
    public static let section = SymbolType(rawValue: 3)
    public static let file = SymbolType(rawValue: 4)
    public static let tls = SymbolType(rawValue: 6)
    public var description: String {
        switch rawValue {
        case 0: return "NOTYPE"
        case 1: return "OBJECT"
        case 2: return "FUNC"
        case 3: return "SECTION"
        case 4: return "FILE"
        case 6: return "TLS"
        case 10: return "IFUNC"
        default: return "type \(rawValue)"
        }
    }
}

/// One entry of `.symtab` or `.dynsym`.
public struct Symbol: Hashable, Sendable {
    /// `SHN_UNDEF`: the symbol is defined elsewhere.
    public static let undefinedSection: UInt16 = 0

    public var index: Int
    public var name: String
    public var value: UInt64
    public var size: UInt64
    public var type: SymbolType
    public var binding: SymbolBinding
    public var visibility: UInt8
    public var sectionIndex: UInt16

    public var isDefined: Bool { sectionIndex != Self.undefinedSection }
}

/// Which symbol table to read.
public enum SymbolTable: Sendable {
    /// `.dynsym`: what the dynamic loader sees; survives stripping.
    case dynamic
    /// `.symtab`: the full table; gone when stripped.
    case full
}
