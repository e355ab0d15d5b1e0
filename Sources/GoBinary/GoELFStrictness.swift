import ELFKit

/// The structural checks Go's `debug/elf.NewFile` makes (Go 1.25, src/debug/elf/file.go)
/// beyond what a lenient reader needs. `go version -m` answers "unrecognized file format" for
/// any file that fails one, so the `go version -m` twin applies them too; `inspect` and
/// `compare` read such files as far as they can.
public enum GoELFStrictness {
    /// Nil when Go would parse the file; else Go's reason.
    public static func rejection(_ file: ELFFile) -> String? {
        let h = file.header
        let wide = h.elfClass == .elf64
        if h.identVersion != 1 { return "unknown ELF version" }
        if h.version != UInt32(h.identVersion) { return "mismatched ELF version" }
        // Go holds offsets in int64.
        if h.sectionHeaderOffset > UInt64(Int64.max) { return "invalid shoff" }
        if h.programHeaderOffset > UInt64(Int64.max) { return "invalid phoff" }
        let rawShnum = h.declaredSectionHeaderCount
        if h.sectionHeaderOffset == 0 && rawShnum != 0 { return "invalid ELF shnum for shoff=0" }
        if h.programHeaderCount > 0 && Int(h.programHeaderEntrySize) < (wide ? 56 : 32) { return "invalid ELF phentsize" }
        for p in file.segments where p.offset > UInt64(Int64.max) || p.fileSize > UInt64(Int64.max) {
            return "invalid program header offset or size"
        }
        // e_shnum 0 with a table means extended numbering: section 0 must be SHT_NULL and
        // hold the real count, at least SHN_LORESERVE.
        if rawShnum == 0 && h.sectionHeaderOffset != 0 {
            guard file.sections.first?.type == .null, h.sectionHeaderCount >= 0xff00 else {
                return "invalid ELF shnum contained in sh_size"
            }
        }
        guard h.sectionHeaderCount > 0 else { return nil }
        if Int(h.sectionHeaderEntrySize) < (wide ? 64 : 40) { return "invalid ELF shentsize" }
        let sections = file.sections
        for s in sections where s.offset > UInt64(Int64.max) || s.size > UInt64(Int64.max) {
            return "invalid section offset or size"
        }
        let shstrndx = h.sectionNameTableIndex
        guard shstrndx != 0 else { return nil }
        guard shstrndx < sections.count, sections[shstrndx].index == shstrndx else { return "invalid ELF shstrndx" }
        let table = sections[shstrndx]
        if table.type != .strtab { return "invalid ELF section name string table type" }
        // Go reads the whole table (decompressed if need be) and every name must index into it.
        guard let names = file.decompressedContents(of: table, limit: Limits.nameTableOrDebugInfo) else { return "unreadable section name table" }
        // Each name must start inside the table and end with a NUL.
        let lastNUL = names.lastIndex(of: 0) ?? -1
        for s in sections where Int(s.nameOffset) > lastNUL {
            return "bad section name index"
        }
        return nil
    }
}
