import ELFKit

/// The layout of `runtime.moduledata` a Go binary was built with, read from its exported type
/// descriptor (`type:runtime.moduledata`, `type.runtime.moduledata` before Go 1.20). A plugin
/// whose runtime lays this struct out differently from the host's cannot be registered: the
/// host's runtime misreads it and the process dies (`fatal error: runtime: no plugin module data`).
public struct RuntimeLayout: Hashable, Sendable {
    public struct Field: Hashable, Sendable {
        public var name: String
        public var offset: UInt64
        public init(name: String, offset: UInt64) {
            self.name = name
            self.offset = offset
        }
    }

    public init(size: UInt64, fields: [Field]) {
        self.size = size
        self.fields = fields
    }
    /// The struct's size in bytes.
    public var size: UInt64
    /// Its fields in declaration order; names are empty when they could not be resolved.
    public var fields: [Field]

    static let symbolNames = ["type:runtime.moduledata", "type.runtime.moduledata"]

    // abi.StructType, for pointer size p (cmd/link writes it; internal/abi/type.go defines it):
    //
    //     0      Type (rtype): Size_ uintptr, PtrBytes uintptr, Hash uint32, TFlag, Align_,
    //                          FieldAlign_, Kind_ uint8, Equal ptr, GCData ptr, Str, PtrToThis int32
    //                          = 4p+16 bytes (48 on 64-bit, 32 on 32-bit)
    //     4p+16  PkgPath Name (ptr)
    //     5p+16  Fields []StructField {ptr, len, cap}
    //
    // StructField: Name Name (ptr), Typ *Type, Offset uintptr = 3p bytes.
    // Name: a pointer to bytes {flags uint8, uvarint length, name bytes}.

    /// Reads the layout; nil when the file does not export the descriptor or it does not parse.
    public init?(file: ELFFile, symbols: [Symbol], relocations: RelocatedPointers) {
        guard let sym = symbols.first(where: { Self.symbolNames.contains($0.name) && $0.isDefined }) else { return nil }
        self.init(file: file, descriptor: sym.value) { _ in relocations }
    }

    /// The same, read in place: the descriptor found by name in `.dynsym`, and of the
    /// dynamic relocations only those that fill the descriptor's slots.
    public init?(file: ELFFile) {
        let names = Self.symbolNames.map { Array($0.utf8) }
        let address: UInt64? = file.withSymbolTable(.dynamic) { table in
            table.indices(namedAnyOf: names).first(where: table.isDefined).map { table.entry($0).value }
        }
        guard let address else { return nil }
        self.init(file: file, descriptor: address) { RelocatedPointers(file: file, within: $0) }
    }

    /// `relocations(range)` gives the relocated pointers of at least the slots in `range`.
    private init?(file: ELFFile, descriptor address: UInt64, relocations: (ClosedRange<UInt64>) -> RelocatedPointers) {
        let p = file.header.elfClass.pointerSize
        let bigEndian = file.header.dataEncoding == .bigEndian
        let headerSize = 5 * p + 16 + 3 * p
        guard let raw = file.bytes(atAddress: address, count: headerSize), raw.count == headerSize else { return nil }
        let r = ByteReader(raw, bigEndian: bigEndian)
        size = r.uint(at: 0, size: p)
        let slot = address &+ UInt64(5 * p + 16)
        let fieldsAddress = relocations(slot...slot).pointer(at: slot, stored: r.uint(at: 5 * p + 16, size: p))
        let count = Int(clamping: r.uint(at: 6 * p + 16, size: p))
        guard count > 0, count <= Limits.moduledataFields,
              let table = file.bytes(atAddress: fieldsAddress, count: count * 3 * p), table.count == count * 3 * p else { return nil }
        let t = ByteReader(table, bigEndian: bigEndian)
        let (end, overflow) = fieldsAddress.addingReportingOverflow(UInt64(count * 3 * p))
        let pointers = relocations(overflow ? fieldsAddress...UInt64.max : fieldsAddress...(end - 1))
        var fields: [Field] = []
        for i in 0..<count {
            let base = i * 3 * p
            let nameAddress = pointers.pointer(at: fieldsAddress &+ UInt64(base), stored: t.uint(at: base, size: p))
            let offset = t.uint(at: base + 2 * p, size: p)
            fields.append(Field(name: Self.name(file, at: nameAddress) ?? "", offset: offset))
        }
        self.fields = fields
    }

    /// An `abi.Name`: a flags byte, a uvarint length, the bytes.
    static func name(_ file: ELFFile, at address: UInt64) -> String? {
        guard let head = file.bytes(atAddress: address, count: 11), head.count >= 2 else { return nil }
        guard let (length, n) = BuildInfoBlob.uvarint(Array(head[1...])), length < Limits.typeName,
              let bytes = file.bytes(atAddress: address + 1 + UInt64(n), count: Int(length)),
              bytes.count == Int(length) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Pointers stored in a position-independent file are filled in by dynamic relocations;
/// the value in the file may be zero. This resolves a pointer slot to the address it will
/// hold: the addend for a relative relocation, symbol plus addend for an absolute one.
public struct RelocatedPointers: Sendable {
    /// One relocated slot: its address and the pointer it gets, or (REL absolute) the symbol's
    /// value the stored addend is added to.
    struct Slot: Sendable {
        var address: UInt64
        var value: UInt64
        var addsStored: Bool
    }
    /// Sorted by address; per address the one that decides (the last relocation that gives the
    /// pointer outright, else the last that adds to the stored value). A sorted array, not a
    /// dictionary: a plugin has tens of thousands of relocations, and a few look-ups are made.
    let slots: [Slot]

    public init(file: ELFFile) {
        self.init(file: file, within: 0...UInt64.max)
    }

    /// Only the slots in `window`, read in place.
    public init(file: ELFFile, within window: ClosedRange<UInt64>) {
        guard let t = RelocationTypes.byMachine[file.header.machine] else {
            slots = []
            return
        }
        var found: [Slot] = []
        file.withSymbolTable(.dynamic) { symbols in
            for section in file.dynamicRelocationSections {
                file.withRelocations(section) { relocations in
                    for i in relocations.indices(offsetsIn: window) {
                        let r = relocations.entry(i)
                        let s = r.symbolIndex > 0 && r.symbolIndex < symbols.count ? symbols.entry(r.symbolIndex) : nil
                        let symbol = s.flatMap { $0.isDefined ? $0.value : nil }
                        switch (r.type, r.addend) {
                        case (t.relative, let addend?):
                            found.append(Slot(address: r.offset, value: UInt64(bitPattern: addend), addsStored: false))
                        case (t.absolute, let addend?) where symbol != nil:
                            found.append(Slot(address: r.offset, value: symbol! &+ UInt64(bitPattern: addend), addsStored: false))
                        case (t.absolute, nil) where symbol != nil:
                            // REL: the addend is the value stored in the slot.
                            found.append(Slot(address: r.offset, value: symbol!, addsStored: true))
                        default:
                            break  // a REL relative slot already holds its (base 0) address
                        }
                    }
                }
            }
        }
        // By address, keeping the file's order among equal ones (Swift's sort is stable; the
        // linker writes most in order already), then one slot per address: the last outright
        // pointer, else the last additive one.
        var inOrder = true
        for i in found.indices.dropFirst() where found[i - 1].address > found[i].address { inOrder = false; break }
        if !inOrder {
            // Sorting the addresses as plain integers, each with its position in the low bits
            // (so the sort keeps the file's order), is several times faster than sorting the
            // slots with a closure; it needs addresses below 2^40 and fewer than 2^24 slots.
            let positionBits: UInt64 = 24
            if found.count < 1 << positionBits, found.allSatisfy({ $0.address < 1 << (64 - positionBits) }) {
                var keys = found.indices.map { UInt64(found[$0].address) << positionBits | UInt64($0) }
                keys.sort()
                found = keys.map { found[Int($0 & (1 << positionBits - 1))] }
            } else {
                found.sort { $0.address < $1.address }
            }
        }
        var out: [Slot] = []
        out.reserveCapacity(found.count)
        for slot in found {
            if let last = out.last, last.address == slot.address {
                if !slot.addsStored || last.addsStored { out[out.count - 1] = slot }
            } else {
                out.append(slot)
            }
        }
        slots = out
    }

    /// The address the slot at `address` holds at run time, given the value stored in the file.
    public func pointer(at address: UInt64, stored: UInt64) -> UInt64 {
        var lo = 0, hi = slots.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if slots[mid].address < address { lo = mid + 1 } else { hi = mid }
        }
        guard lo < slots.count, slots[lo].address == address else { return stored }
        let s = slots[lo]
        return s.addsStored ? s.value &+ stored : s.value
    }
}
