/// Symbol and relocation tables read in place from the mapped file: an entry is decoded when
/// it is asked for, and a name is compared as bytes, so a look-up for a few names costs no
/// `String` per symbol. `ELFFile.symbols(_:)` and `relocations(in:)` are built on these and
/// give the same entries libelf's `gelf_getsym`/`gelf_getrela` give (a test holds them to it).
///
/// What libelf's `elf_getdata` refuses, these refuse too: a table outside the file, a
/// compressed one (`SHF_COMPRESSED`: its data is a compression header, not entries), or one
/// whose size is not a whole number of entries. Names follow `elf_strptr`: empty unless the
/// link names a `SHT_STRTAB` section inside the file and the string ends inside it.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One symbol table entry, without its name.
public struct SymbolEntry: Sendable {
    public var nameOffset: UInt32
    public var value: UInt64
    public var size: UInt64
    public var info: UInt8
    public var other: UInt8
    public var sectionIndex: UInt16

    public var isDefined: Bool { sectionIndex != Symbol.undefinedSection }
    public var type: SymbolType { SymbolType(rawValue: info & 0xf) }
    public var binding: SymbolBinding { SymbolBinding(rawValue: info >> 4) }
    public var visibility: UInt8 { other & 0x3 }
}

/// Bytes of the mapped file read as little- or big-endian integers; every read is bounds-checked.
struct InPlaceBytes {
    let bytes: UnsafeRawBufferPointer
    let bigEndian: Bool

    func u8(_ o: Int) -> UInt8 { bytes[o] }
    func u16(_ o: Int) -> UInt16 {
        let v = bytes.loadUnaligned(fromByteOffset: o, as: UInt16.self)
        return bigEndian ? UInt16(bigEndian: v) : UInt16(littleEndian: v)
    }
    func u32(_ o: Int) -> UInt32 {
        let v = bytes.loadUnaligned(fromByteOffset: o, as: UInt32.self)
        return bigEndian ? UInt32(bigEndian: v) : UInt32(littleEndian: v)
    }
    func u64(_ o: Int) -> UInt64 {
        let v = bytes.loadUnaligned(fromByteOffset: o, as: UInt64.self)
        return bigEndian ? UInt64(bigEndian: v) : UInt64(littleEndian: v)
    }
}

/// A `SHT_SYMTAB` or `SHT_DYNSYM` section lent in place; valid only inside the closure that
/// lends it (`ELFFile.withSymbolTable`).
public struct SymbolTableView {
    let table: InPlaceBytes
    /// The linked string table, nil when `elf_strptr` would refuse every name.
    let strings: UnsafeRawBufferPointer?
    /// A compressed string table, which only libelf's `elf_strptr` decompresses: names are
    /// asked of it one by one.
    let compressedStrings: (handle: ELFHandle, index: Int)?
    let wide: Bool
    /// Entries, the null symbol (index 0) included.
    public let count: Int

    static var empty: SymbolTableView { SymbolTableView(table: InPlaceBytes(bytes: UnsafeRawBufferPointer(start: nil, count: 0), bigEndian: false),
                                       strings: nil, compressedStrings: nil, wide: true, count: 0) }

    /// Entry `i` (`0 ..< count`).
    public func entry(_ i: Int) -> SymbolEntry {
        precondition(i >= 0 && i < count)
        if wide {
            let o = i * 24
            return SymbolEntry(nameOffset: table.u32(o), value: table.u64(o + 8), size: table.u64(o + 16),
                               info: table.u8(o + 4), other: table.u8(o + 5), sectionIndex: table.u16(o + 6))
        }
        let o = i * 16
        return SymbolEntry(nameOffset: table.u32(o), value: UInt64(table.u32(o + 4)), size: UInt64(table.u32(o + 8)),
                           info: table.u8(o + 12), other: table.u8(o + 13), sectionIndex: table.u16(o + 14))
    }

    /// `st_name` of entry `i`, read alone (it is the first word in both layouts).
    public func nameOffset(_ i: Int) -> Int {
        precondition(i >= 0 && i < count)
        return Int(table.u32(i * (wide ? 24 : 16)))
    }

    /// Whether entry `i` is defined (`st_shndx` is not `SHN_UNDEF`), read alone.
    public func isDefined(_ i: Int) -> Bool {
        precondition(i >= 0 && i < count)
        return table.u16(i * (wide ? 24 : 16) + (wide ? 6 : 14)) != Symbol.undefinedSection
    }

    /// The name's bytes without the terminating NUL; nil where `elf_strptr` fails (no string
    /// table, offset past its end, no NUL before its end).
    public func nameBytes(_ i: Int) -> UnsafeRawBufferPointer? {
        nameBytes(offset: nameOffset(i))
    }

    func nameBytes(offset: Int) -> UnsafeRawBufferPointer? {
        if let (handle, index) = compressedStrings {
            return handle.stringBytes(table: index, offset: offset)
        }
        guard let strings, let base = strings.baseAddress, offset < strings.count else { return nil }
        guard let nul = memchr(base + offset, 0, strings.count - offset) else { return nil }
        return UnsafeRawBufferPointer(start: base + offset, count: UnsafeRawPointer(nul) - (base + offset))
    }

    /// The name as `ELFFile.symbols` gives it ("" for none or an unreadable one).
    public func name(_ i: Int) -> String {
        let offset = nameOffset(i)
        guard offset != 0, let b = nameBytes(offset: offset) else { return "" }
        return String(decoding: b, as: UTF8.self)
    }

    /// Whether the name is exactly `bytes`.
    public func name(_ i: Int, equals bytes: [UInt8]) -> Bool {
        let offset = nameOffset(i)
        if bytes.isEmpty || compressedStrings != nil {
            guard offset != 0, let b = nameBytes(offset: offset) else { return bytes.isEmpty }
            return b.elementsEqual(bytes)
        }
        // The bytes, then the NUL that ends the name, inside the table.
        guard offset != 0, let strings, let base = strings.baseAddress, offset < strings.count,
              strings[offset] == bytes[0], bytes.count < strings.count - offset, strings[offset + bytes.count] == 0 else { return false }
        return bytes.withUnsafeBytes { memcmp(base + offset, $0.baseAddress!, bytes.count) == 0 }
    }

    /// Whether the name starts with `prefix`.
    public func name(_ i: Int, hasPrefix prefix: [UInt8]) -> Bool {
        let offset = nameOffset(i)
        if prefix.isEmpty || compressedStrings != nil {
            guard offset != 0, let b = nameBytes(offset: offset) else { return prefix.isEmpty }
            return b.count >= prefix.count && b.prefix(prefix.count).elementsEqual(prefix)
        }
        guard offset != 0, let strings, let base = strings.baseAddress, offset < strings.count,
              strings[offset] == prefix[0], prefix.count <= strings.count - offset,
              prefix.withUnsafeBytes({ memcmp(base + offset, $0.baseAddress!, prefix.count) == 0 }) else { return false }
        // A name with no NUL before the table's end is no name (elf_strptr refuses it).
        return nameBytes(offset: offset) != nil
    }

    /// Whether the name ends with `suffix`.
    public func name(_ i: Int, hasSuffix suffix: [UInt8]) -> Bool {
        let offset = nameOffset(i)
        guard offset != 0, let b = nameBytes(offset: offset) else { return suffix.isEmpty }
        if suffix.isEmpty { return true }
        guard b.count >= suffix.count else { return false }
        return suffix.withUnsafeBytes { memcmp(b.baseAddress! + (b.count - suffix.count), $0.baseAddress!, suffix.count) == 0 }
    }

    /// The whole symbol, name included.
    public func symbol(_ i: Int) -> Symbol {
        let e = entry(i)
        return Symbol(index: i, name: name(i), value: e.value, size: e.size, type: e.type, binding: e.binding,
                      visibility: e.visibility, sectionIndex: e.sectionIndex)
    }

    /// The index of the first symbol whose name is `name` and that `accept`s; nil for none.
    public func firstIndex(named name: String, where accept: (SymbolEntry) -> Bool = { _ in true }) -> Int? {
        indices(named: Array(name.utf8)).first { accept(entry($0)) }
    }

    /// The entries whose name is exactly `name`, in index order: what testing each with
    /// `name(_:equals:)` gives.
    public func indices(named name: [UInt8]) -> [Int] {
        indices(matching: [name], whole: true)
    }

    /// The entries whose name is exactly one of `names`, in index order.
    public func indices(namedAnyOf names: [[UInt8]]) -> [Int] {
        indices(matching: names, whole: true)
    }

    /// The entries whose name starts with `prefix`, in index order: what testing each with
    /// `name(_:hasPrefix:)` gives.
    public func indices(whereNameHasPrefix prefix: [UInt8]) -> [Int] {
        indices(matching: [prefix], whole: false)
    }

    /// The entries whose name starts with one of `prefixes`, in index order.
    public func indices(whereNameHasAnyPrefix prefixes: [[UInt8]]) -> [Int] {
        indices(matching: prefixes, whole: false)
    }

    /// A name starts with a needle exactly when its offset is one where the needle occurs in
    /// the string table (names may share a tail, so an offset need not follow a NUL). The table
    /// is searched with `memmem`, then each entry's offset is looked up in a bitmap of those
    /// occurrences: a few instructions per entry instead of a string comparison.
    private func indices(matching needles: [[UInt8]], whole: Bool) -> [Int] {
        guard !needles.isEmpty, needles.allSatisfy({ !$0.isEmpty }), compressedStrings == nil,
              let strings, let base = strings.baseAddress, strings.count > 1 else {
            return (0..<count).filter { i in needles.contains { whole ? name(i, equals: $0) : name(i, hasPrefix: $0) } }
        }
        var occurs = [UInt64](repeating: 0, count: strings.count / 64 + 1)
        var any = false
        for group in Self.searches(needles) {
            let tail = Array(group.needles[0][group.skip...]) + (whole ? [0] : [])
            tail.withUnsafeBytes { t in
                var from = group.skip + 1  // offset 0 names no symbol
                while from < strings.count, let k = firstOccurrence(of: t, in: UnsafeRawBufferPointer(rebasing: strings[from...])) {
                    let at = from + k - group.skip
                    from += k + 1
                    guard group.skip == 0 || group.needles.contains(where: { head in
                        head.withUnsafeBytes { memcmp(base + at, $0.baseAddress!, group.skip) == 0 }
                    }) else { continue }
                    occurs[at >> 6] |= 1 << UInt64(at & 63)
                    any = true
                }
            }
        }
        guard any, count > 0, let entries = table.bytes.baseAddress else { return [] }
        var out: [Int] = []
        let stride = wide ? 24 : 16, bigEndian = table.bigEndian
        let first = occurs.firstIndex { $0 != 0 }! << 6, last = (occurs.lastIndex { $0 != 0 }! << 6) + 63
        occurs.withUnsafeBufferPointer { bits in
            var at = entries
            for i in 0..<count {
                let v = at.loadUnaligned(as: UInt32.self)
                at += stride
                let o = Int(bigEndian ? UInt32(bigEndian: v) : UInt32(littleEndian: v))
                guard o >= first, o <= last, bits[o >> 6] & (1 << UInt64(o & 63)) != 0 else { continue }
                // A name with no NUL before the table's end is no name (elf_strptr refuses it).
                if whole || nameBytes(offset: o) != nil { out.append(i) }
            }
        }
        return out
    }

    /// The searches for `needles`: needles of one length that differ only in their first
    /// `skip` bytes (`go:link.` and `go.link.`) share one search for the rest, each hit then
    /// checked for one of their heads.
    private static func searches(_ needles: [[UInt8]]) -> [(needles: [[UInt8]], skip: Int)] {
        var out: [(needles: [[UInt8]], skip: Int)] = []
        for length in Set(needles.map(\.count)).sorted() {
            let group = needles.filter { $0.count == length }
            var skip = 0
            for n in group.dropFirst() {
                for j in stride(from: length - 1, through: 0, by: -1) where n[j] != group[0][j] { skip = max(skip, j + 1); break }
            }
            if skip == 0 || length - skip >= 4 { out.append((group, skip)) }
            else { out += group.map { ([$0], 0) } }
        }
        return out
    }
}

/// One relocation entry, without its symbol's name.
public struct RelocationEntry: Sendable {
    public var offset: UInt64
    public var type: UInt32
    public var symbolIndex: Int
    /// Nil for `SHT_REL` entries, whose addend is stored at `offset`.
    public var addend: Int64?
}

/// A `SHT_RELA` or `SHT_REL` section lent in place (`ELFFile.withRelocations`).
public struct RelocationTableView {
    let table: InPlaceBytes
    let wide: Bool
    let isRela: Bool
    public let count: Int

    static var empty: RelocationTableView { RelocationTableView(table: InPlaceBytes(bytes: UnsafeRawBufferPointer(start: nil, count: 0), bigEndian: false),
                                           wide: true, isRela: true, count: 0) }

    static func entrySize(rela: Bool, wide: Bool) -> Int { rela ? (wide ? 24 : 12) : (wide ? 16 : 8) }

    /// `r_offset` of entry `i`, read alone.
    public func offset(_ i: Int) -> UInt64 {
        precondition(i >= 0 && i < count)
        let o = i * Self.entrySize(rela: isRela, wide: wide)
        return wide ? table.u64(o) : UInt64(table.u32(o))
    }

    /// The entries whose `r_offset` is in `window`, in order (one tight pass).
    public func indices(offsetsIn window: ClosedRange<UInt64>) -> [Int] {
        let stride = Self.entrySize(rela: isRela, wide: wide), raw = table.bytes, bigEndian = table.bigEndian
        var out: [Int] = []
        if wide, !bigEndian, count > 0, var at = raw.baseAddress {
            // The common case (64-bit little-endian) without a branch on the layout per entry.
            let lo = window.lowerBound, hi = window.upperBound
            for i in 0..<count {
                let o = UInt64(littleEndian: at.loadUnaligned(as: UInt64.self))
                at += stride
                if o >= lo && o <= hi { out.append(i) }
            }
            return out
        }
        for i in 0..<count {
            let o: UInt64
            if wide {
                let v = raw.loadUnaligned(fromByteOffset: i * stride, as: UInt64.self)
                o = bigEndian ? UInt64(bigEndian: v) : UInt64(littleEndian: v)
            } else {
                let v = raw.loadUnaligned(fromByteOffset: i * stride, as: UInt32.self)
                o = UInt64(bigEndian ? UInt32(bigEndian: v) : UInt32(littleEndian: v))
            }
            if window.contains(o) { out.append(i) }
        }
        return out
    }

    /// The entries of relocation type `type` against a symbol `symbols` marks (by index), in
    /// order (one tight pass).
    public func indices(ofType type: UInt32, againstAnyOf symbols: [Bool]) -> [Int] {
        let stride = Self.entrySize(rela: isRela, wide: wide), raw = table.bytes, bigEndian = table.bigEndian
        var out: [Int] = []
        for i in 0..<count {
            let t: UInt32, symbol: Int
            if wide {
                let v = raw.loadUnaligned(fromByteOffset: i * stride + 8, as: UInt64.self)
                let info = bigEndian ? UInt64(bigEndian: v) : UInt64(littleEndian: v)
                (t, symbol) = (UInt32(truncatingIfNeeded: info), Int(info >> 32))
            } else {
                let v = raw.loadUnaligned(fromByteOffset: i * stride + 4, as: UInt32.self)
                let info = bigEndian ? UInt32(bigEndian: v) : UInt32(littleEndian: v)
                (t, symbol) = (info & 0xff, Int(info >> 8))
            }
            if t == type, symbol < symbols.count, symbols[symbol] { out.append(i) }
        }
        return out
    }

    public func entry(_ i: Int) -> RelocationEntry {
        precondition(i >= 0 && i < count)
        let o = i * Self.entrySize(rela: isRela, wide: wide)
        if wide {
            let info = table.u64(o + 8)
            return RelocationEntry(offset: table.u64(o), type: UInt32(truncatingIfNeeded: info), symbolIndex: Int(info >> 32),
                                   addend: isRela ? Int64(bitPattern: table.u64(o + 16)) : nil)
        }
        // gelf widens a 32-bit r_info: the symbol is its high 24 bits, the type its low 8.
        let info = table.u32(o + 4)
        return RelocationEntry(offset: UInt64(table.u32(o)), type: info & 0xff, symbolIndex: Int(info >> 8),
                               addend: isRela ? Int64(Int32(bitPattern: table.u32(o + 8))) : nil)
    }
}

extension ELFFile {
    /// The section whose header index is `index` (`sections` leaves out headers libelf
    /// cannot read, so position and index can differ).
    func section(atIndex index: Int) -> Section? {
        if index >= 0, index < sections.count, sections[index].index == index { return sections[index] }
        return sections.first { $0.index == index }
    }

    /// A section's bytes as libelf's `elf_getdata` accepts them for entries of `entrySize`.
    private func tableBytes(_ section: Section, entrySize: Int) -> UnsafeRawBufferPointer? {
        guard isInFile(section), section.flags & Section.compressedFlag == 0,
              section.size % UInt64(entrySize) == 0 else { return nil }
        let start = Int(section.offset)
        return UnsafeRawBufferPointer(rebasing: handle.image[start..<start + Int(section.size)])
    }

    /// Lends the first `.dynsym` or `.symtab` in place (empty when there is none).
    public func withSymbolTable<T>(_ table: SymbolTable, _ body: (SymbolTableView) -> T) -> T {
        let type: SectionType = table == .dynamic ? .dynsym : .symtab
        guard let section = sections.first(where: { $0.type == type }) else { return body(.empty) }
        return withSymbolTable(section, body)
    }

    /// Lends the symbol table `section` in place.
    public func withSymbolTable<T>(_ section: Section, _ body: (SymbolTableView) -> T) -> T {
        let wide = header.elfClass == .elf64
        let entrySize = wide ? 24 : 16
        // libelf gives symbol entries only for the two symbol table types.
        guard section.type == .symtab || section.type == .dynsym,
              let bytes = tableBytes(section, entrySize: entrySize) else { return body(.empty) }
        var strings: UnsafeRawBufferPointer?
        var compressed: (ELFHandle, Int)?
        if let s = self.section(atIndex: Int(section.link)), s.type == .strtab, isInFile(s) {
            if s.flags & Section.compressedFlag != 0 {
                compressed = (handle, s.index)
            } else {
                let start = Int(s.offset)
                strings = UnsafeRawBufferPointer(rebasing: handle.image[start..<start + Int(s.size)])
            }
        }
        let view = SymbolTableView(table: InPlaceBytes(bytes: bytes, bigEndian: header.dataEncoding == .bigEndian),
                                   strings: strings, compressedStrings: compressed, wide: wide, count: bytes.count / entrySize)
        return body(view)
    }

    /// Lends the relocation section `section` (`SHT_RELA` or `SHT_REL`) in place.
    public func withRelocations<T>(_ section: Section, _ body: (RelocationTableView) -> T) -> T {
        let wide = header.elfClass == .elf64
        let isRela = section.type == .rela
        let entrySize = RelocationTableView.entrySize(rela: isRela, wide: wide)
        guard isRela || section.type == .rel, let bytes = tableBytes(section, entrySize: entrySize) else { return body(.empty) }
        return body(RelocationTableView(table: InPlaceBytes(bytes: bytes, bigEndian: header.dataEncoding == .bigEndian),
                                        wide: wide, isRela: isRela, count: bytes.count / entrySize))
    }

    /// `.rela.dyn` and `.rel.dyn`, in section order (what `dynamicRelocations` reads).
    public var dynamicRelocationSections: [Section] {
        sections.filter { ($0.name == ".rela.dyn" && $0.type == .rela) || ($0.name == ".rel.dyn" && $0.type == .rel) }
    }
}
