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

/// The relocation type numbers this project reads, per machine, in one table (the values are
/// each processor supplement's; musl's sets are its `arch/<arch>/reloc.h`).
public struct RelocationTypes: Sendable {
    /// `R_*_RELATIVE`: base address plus addend.
    public var relative: UInt32
    /// The absolute word-sized relocation against a symbol (`R_X86_64_64`, `R_AARCH64_ABS64`,
    /// `R_386_32`): the symbol's address plus addend.
    public var absolute: UInt32
    /// The types musl's dynamic loader implements for this machine; nil where unknown.
    public var muslSupported: Set<UInt32>?

    public static let byMachine: [ELFMachine: RelocationTypes] = [
        // R_X86_64_64 1, PC32 2, COPY 5, GLOB_DAT 6, JUMP_SLOT 7, RELATIVE 8, DTPMOD64 16,
        // DTPOFF64 17, TPOFF64 18, TLSDESC 36
        .x86_64: RelocationTypes(relative: 8, absolute: 1, muslSupported: [1, 2, 5, 6, 7, 8, 16, 17, 18, 36]),
        // R_AARCH64_ABS64 257, COPY 1024, GLOB_DAT 1025, JUMP_SLOT 1026, RELATIVE 1027,
        // TLS_DTPMOD 1028, TLS_DTPREL 1029, TLS_TPREL 1030, TLSDESC 1031
        .aarch64: RelocationTypes(relative: 1027, absolute: 257, muslSupported: [257, 1024, 1025, 1026, 1027, 1028, 1029, 1030, 1031]),
        // R_386_32 1, PC32 2, COPY 5, GLOB_DAT 6, JMP_SLOT 7, RELATIVE 8, TLS_TPOFF 14,
        // TLS_DTPMOD32 35, TLS_DTPOFF32 36, TLS_TPOFF32 37, TLS_DESC 41
        .i386: RelocationTypes(relative: 8, absolute: 1, muslSupported: [1, 2, 5, 6, 7, 8, 14, 35, 36, 37, 41]),
        .arm: RelocationTypes(relative: 23, absolute: 2, muslSupported: nil),
        .s390: RelocationTypes(relative: 12, absolute: 22, muslSupported: nil),
        .ppc64: RelocationTypes(relative: 22, absolute: 38, muslSupported: nil),
        .riscv: RelocationTypes(relative: 3, absolute: 2, muslSupported: nil),
    ]
}
