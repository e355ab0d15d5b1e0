/// One dynamic relocation entry (`.rela.dyn` or `.rel.dyn`).
public struct Relocation: Hashable, Sendable {
    /// Where the loader writes (a virtual address).
    public var offset: UInt64
    /// The machine-specific type number (`R_X86_64_RELATIVE` = 8, `R_AARCH64_ABS64` = 257...).
    public var type: UInt32
    /// Index into `.dynsym`, 0 for none.
    public var symbolIndex: Int
    /// The symbol's name when it has one.
    public var symbolName: String?
    /// The explicit addend; nil for `.rel` entries, whose addend lives at `offset`.
    public var addend: Int64?
}
