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
            for i in 0..<table.count where (table.name(i, equals: names[0]) || table.name(i, equals: names[1])) && table.isDefined(i) {
                return table.entry(i).value
            }
            return nil
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
    /// Relocation target address -> resolved pointer.
    let targets: [UInt64: UInt64]

    public init(file: ELFFile) {
        self.init(file: file, within: 0...UInt64.max, all: true)
    }

    /// Only the slots in `window`, read in place (the relocations are scanned, not kept).
    public init(file: ELFFile, within window: ClosedRange<UInt64>) {
        self.init(file: file, within: window, all: false)
    }

    private init(file: ELFFile, within window: ClosedRange<UInt64>, all: Bool) {
        guard let t = RelocationTypes.byMachine[file.header.machine] else {
            targets = [:]
            symbolPlusStored = [:]
            return
        }
        if !all {
            var map: [UInt64: UInt64] = [:]
            var plusStored: [UInt64: UInt64] = [:]
            file.withSymbolTable(.dynamic) { symbols in
                for section in file.dynamicRelocationSections {
                    file.withRelocations(section) { relocations in
                        for i in 0..<relocations.count where window.contains(relocations.offset(i)) {
                            let r = relocations.entry(i)
                            let s = r.symbolIndex > 0 && r.symbolIndex < symbols.count ? symbols.entry(r.symbolIndex) : nil
                            let symbol = s.flatMap { $0.isDefined ? $0.value : nil }
                            switch (r.type, r.addend) {
                            case (t.relative, let addend?):
                                map[r.offset] = UInt64(bitPattern: addend)
                            case (t.absolute, let addend?) where symbol != nil:
                                map[r.offset] = symbol! &+ UInt64(bitPattern: addend)
                            case (t.absolute, nil) where symbol != nil:
                                plusStored[r.offset] = symbol!
                            default:
                                break
                            }
                        }
                    }
                }
            }
            targets = map
            symbolPlusStored = plusStored
            return
        }
        let symbols = file.symbols(.dynamic)
        var map: [UInt64: UInt64] = [:]
        var plusStored: [UInt64: UInt64] = [:]
        for r in file.dynamicRelocations {
            let symbol = r.symbolIndex > 0 && r.symbolIndex < symbols.count && symbols[r.symbolIndex].isDefined
                ? symbols[r.symbolIndex].value : nil
            switch (r.type, r.addend) {
            case (t.relative, let addend?):
                map[r.offset] = UInt64(bitPattern: addend)
            case (t.absolute, let addend?) where symbol != nil:
                map[r.offset] = symbol! &+ UInt64(bitPattern: addend)
            case (t.absolute, nil) where symbol != nil:
                // REL: the addend is the value stored in the slot.
                plusStored[r.offset] = symbol!
            default:
                break  // a REL relative slot already holds its (base 0) address
            }
        }
        targets = map
        symbolPlusStored = plusStored
    }

    /// REL absolute relocations: target address -> symbol value, added to the stored addend.
    let symbolPlusStored: [UInt64: UInt64]

    /// The address the slot at `address` holds at run time, given the value stored in the file.
    public func pointer(at address: UInt64, stored: UInt64) -> UInt64 {
        if let t = targets[address] { return t }
        if let s = symbolPlusStored[address] { return s &+ stored }
        return stored
    }
}
