import ELFKit

/// The source file table of a Go binary, read from its pclntab: the paths of the files every
/// function was compiled from, as the compiler recorded them (absolute without `-trimpath`).
/// `go tool` and `runtime.FuncForPC` read the same table; it survives `strip`, which keeps every
/// allocated section.
///
/// The layouts follow Go's own reader, `src/debug/gosym/pclntab.go` (the `ver12`, `ver116`,
/// `ver118` and `ver120` cases), and the runtime's `pcHeader` in `src/runtime/symtab.go`.
public struct SourceFileTable {
    /// The pclntab layout, named by the first Go release that wrote it.
    public enum Format: String, Sendable, Codable {
        case go12 = "go1.2"
        case go116 = "go1.16"
        case go118 = "go1.18"
        case go120 = "go1.20"

        /// The header's first word (`pcHeader.magic`).
        init?(magic: UInt32) {
            switch magic {
            case 0xffff_fffb: self = .go12
            case 0xffff_fffa: self = .go116
            case 0xffff_fff0: self = .go118
            case 0xffff_fff1: self = .go120
            default: return nil
            }
        }
    }

    /// Where the table was found.
    public enum Location: String, Sendable, Codable {
        /// The `.gopclntab` section of an executable.
        case section = "gopclntab-section"
        /// The `runtime.pclntab` symbol (plugins and shared libraries keep the table in `.data.rel.ro`).
        case symbol = "runtime.pclntab-symbol"
        /// A header found by its magic number in a data section (stripped plugins).
        case scan = "header-scan"
    }

    public let format: Format
    public let location: Location
    let file: ELFFile
    /// File offset of the header and the bytes from there to the end of the region holding it.
    let offset: UInt64
    let length: Int
    let pointerSize: Int
    let bigEndian: Bool
    let functionCount: Int
    let fileCount: Int
    // Offsets from the header of the sub-tables (debug/gosym's funcnametab, cutab, filetab,
    // pctab, funcdata and functab); for go1.2 they all start at the header but functab and filetab.
    let funcNames: Int, compilationUnits: Int, files: Int, pcTables: Int, funcData: Int, funcTable: Int

    /// Finds and validates the table; nil when the file holds none that parses.
    public init?(file: ELFFile) {
        let pointerSize = file.header.elfClass.pointerSize
        let bigEndian = file.header.dataEncoding == .bigEndian
        var candidates: [(UInt64, Int, Location)] = []  // the section; the symbol below
        if let s = file.section(named: ".gopclntab"), s.hasFileData {
            candidates.append((s.offset, Int(clamping: s.size), .section))
        }
        for (offset, length, location) in candidates {
            if let t = Self(file: file, offset: offset, length: length, location: location,
                            pointerSize: pointerSize, bigEndian: bigEndian) {
                self = t
                return
            }
        }
        // Without a readable section, the symbol (looked up in place, by name).
        if file.hasSymbolTable,
           let start = file.withSymbolTable(.full, { t in t.firstIndex(named: "runtime.pclntab", where: \.isDefined).map(t.entry) }),
           let region = Self.region(of: start.value, in: file),
           let t = Self(file: file, offset: region.offset, length: region.length, location: .symbol, pointerSize: pointerSize, bigEndian: bigEndian) {
            self = t
            return
        }
        for s in file.sections where s.type == .progbits && s.flags & Self.allocFlag != 0 && s.flags & Self.execFlag == 0 {
            guard let found = Self.scan(file, section: s, pointerSize: pointerSize, bigEndian: bigEndian) else { continue }
            self = found
            return
        }
        return nil
    }

    static let allocFlag: UInt64 = 0x2   // SHF_ALLOC
    static let execFlag: UInt64 = 0x4    // SHF_EXECINSTR

    /// File offset of `address` and the bytes left from there to the end of its section.
    static func region(of address: UInt64, in file: ELFFile) -> (offset: UInt64, length: Int)? {
        guard let s = file.sections.first(where: { $0.hasFileData && $0.address <= address && address - $0.address < $0.size }) else { return nil }
        let delta = address - s.address
        return (s.offset + delta, Int(clamping: s.size - delta))
    }

    /// The first 4-byte aligned position of `section` holding a header that validates.
    static func scan(_ file: ELFFile, section s: Section, pointerSize: Int, bigEndian: Bool) -> SourceFileTable? {
        let total = Int(clamping: s.size)
        let hits: [Int] = file.withBytes(atOffset: s.offset, count: total) { buf in
            var hits: [Int] = []
            guard buf.count >= 8 else { return hits }
            // pcHeader: magic, two zero bytes, the instruction size quantum, the pointer size.
            var i = 0
            while i + 8 <= buf.count {
                let b0 = buf[i], b3 = buf[i + 3]
                if (bigEndian ? b3 : b0) >= 0xf0, (bigEndian ? b0 : b3) == 0xff, buf[i + 1] == 0xff, buf[i + 2] == 0xff,
                   buf[i + 4] == 0, buf[i + 5] == 0, buf[i + 7] == UInt8(pointerSize) {
                    hits.append(i)
                    if hits.count >= Limits.pclntabCandidates { break }
                }
                i += 4
            }
            return hits
        }
        for at in hits {
            if let t = SourceFileTable(file: file, offset: s.offset + UInt64(at), length: total - at, location: .scan,
                                       pointerSize: pointerSize, bigEndian: bigEndian) {
                return t
            }
        }
        return nil
    }

    init?(file: ELFFile, offset: UInt64, length: Int, location: Location, pointerSize: Int, bigEndian: Bool) {
        let length = min(length, file.size - Int(clamping: min(offset, UInt64(file.size))))
        guard length >= 8 + 8 * pointerSize else { return nil }
        let parsed: (Format, [Int])? = file.withBytes(atOffset: offset, count: length) { buf in
            let r = Bounded(buf: buf, bigEndian: bigEndian, pointerSize: pointerSize)
            guard let magic = r.u32(0), let format = Format(magic: magic), buf[4] == 0, buf[5] == 0,
                  [1, 2, 4].contains(buf[6]), Int(buf[7]) == pointerSize else { return nil }
            var words: [Int] = []
            for w in 0..<(format == .go12 ? 1 : format == .go116 ? 7 : 8) {
                // go1.18's textStart is an address; every other word is a count or an offset.
                let isTextStart = (format == .go118 || format == .go120) && w == 2
                guard let v = r.word(8 + w * pointerSize), isTextStart || v <= UInt64(length) else { return nil }
                words.append(Int(clamping: v))
            }
            return (format, words)
        }
        guard let (format, w) = parsed else { return nil }
        self.file = file
        self.format = format
        self.location = location
        self.offset = offset
        self.length = length
        self.pointerSize = pointerSize
        self.bigEndian = bigEndian
        let functabEntry = format == .go118 || format == .go120 ? 4 : pointerSize
        switch format {
        case .go12:
            let nfunc = w[0], table = 8 + pointerSize
            functionCount = nfunc
            funcNames = 0; compilationUnits = 0; pcTables = 0; funcData = 0
            funcTable = table
            let tableSize = (nfunc * 2 + 1) * functabEntry
            guard nfunc > 0, nfunc <= Limits.pclntabFunctions, table + tableSize + 4 <= length else { return nil }
            // The file table's offset follows the function table; its first word is its length.
            let found: (Int, UInt32)? = file.withBytes(atOffset: offset, count: length) {
                let r = Bounded(buf: $0, bigEndian: bigEndian, pointerSize: pointerSize)
                guard let fo = r.u32(table + tableSize), let n = r.u32(Int(fo)) else { return nil }
                return (Int(fo), n)
            }
            guard let (fo, n) = found, n <= Limits.pclntabFiles else { return nil }
            files = fo
            fileCount = Int(n)
        case .go116, .go118, .go120:
            // go1.18 added textStart as the third word; the sub-table offsets follow it.
            let o = format == .go116 ? 2 : 3
            functionCount = w[0]
            fileCount = w[1]
            funcNames = w[o]; compilationUnits = w[o + 1]; files = w[o + 2]; pcTables = w[o + 3]
            funcData = w[o + 4]; funcTable = w[o + 4]
            let tableSize = (functionCount * 2 + 1) * functabEntry
            guard functionCount > 0, functionCount <= Limits.pclntabFunctions, fileCount <= Limits.pclntabFiles,
                  funcNames >= 8, funcNames <= compilationUnits, compilationUnits <= files, files <= pcTables,
                  pcTables <= funcData, funcTable + tableSize <= length else { return nil }
        }
    }

    /// Every file name of the table, in table order.
    public var fileNames: [String] {
        file.withBytes(atOffset: offset, count: length) { buf in
            let r = Bounded(buf: buf, bigEndian: bigEndian, pointerSize: pointerSize)
            var names: [String] = []
            switch format {
            case .go12:
                // Entry 0 is unused; each entry is an offset of a NUL-terminated name.
                for i in 1..<max(1, fileCount) {
                    guard let at = r.u32(files + 4 * i), let name = r.string(Int(at)) else { break }
                    names.append(name)
                }
            case .go116, .go118, .go120:
                // The names follow one another, each NUL-terminated, up to the pc tables.
                var at = files
                while at < pcTables, names.count < fileCount, let name = r.string(at, end: pcTables) {
                    names.append(name)
                    at += name.utf8.count + 1
                }
            }
            return names
        }
    }

    /// Calls `body` with each function's name and the file of its entry instruction (nil when
    /// the function's pc-file table does not resolve), in function table order.
    public func forEachFunction(_ body: (_ name: String, _ file: String?) -> Void) {
        forEachFunctionName { name, file in body(String(decoding: name, as: UTF8.self), file()) }
    }

    /// The same with each name as bytes (valid only during the call) and its file read only
    /// when `file` is called: a reader interested in a few packages makes no string for the rest.
    public func forEachFunctionName(_ body: (_ name: UnsafeRawBufferPointer, _ file: () -> String?) -> Void) {
        file.withBytes(atOffset: offset, count: length) { buf in
            let r = Bounded(buf: buf, bigEndian: bigEndian, pointerSize: pointerSize)
            let modern = format == .go118 || format == .go120
            let entry = modern ? 4 : pointerSize
            // _func: the entry (uintptr, a uint32 offset from go1.18), then 4-byte fields:
            // nameOff, args, deferreturn, pcsp, pcfile, pcln, npcdata, cuOffset.
            func field(_ f: Int, _ n: Int) -> UInt32? { r.u32(f + entry + (n - 1) * 4) }
            // Names are NUL-terminated and read up to Limits.sourcePath bytes: a damaged table
            // that points every function at a run without a NUL would cost functions x that
            // bound. Real tables' names add up to less than the table; stop well past it.
            var budget = 4 * length + Limits.sourcePath, misses = 0
            for i in 0..<functionCount {
                guard budget > 0, misses < Limits.pclntabMisses else { return }
                // An offset past the table is damage; checking it first keeps the sums below from overflowing.
                guard let funcOffset = r.uint(funcTable + (2 * i + 1) * entry, size: entry) else { return }
                guard funcOffset <= UInt64(length) else { continue }
                let f = funcData + Int(funcOffset)
                guard let nameOff = field(f, 1), let name = r.bytes(funcNames + Int(nameOff)) else {
                    misses += 1
                    budget -= Limits.sourcePath
                    continue
                }
                budget -= name.count + 1
                body(name) {
                    var fileName: String?
                    if let pcfile = field(f, 5), pcfile != 0, let index = r.entryPCValue(pcTables + Int(pcfile)), index >= 0 {
                        switch format {
                        case .go12:
                            // go1.2's file numbers start at 1 (debug/gosym: fno <= 0 is no file).
                            if index > 0, index < fileCount, let at = r.u32(files + 4 * index) { fileName = r.string(Int(at)) }
                        case .go116, .go118, .go120:
                            if let cu = field(f, 8), let at = r.u32(compilationUnits + 4 * (Int(cu) + index)), at != UInt32.max {
                                fileName = r.string(files + Int(at), end: pcTables)
                            }
                        }
                        budget -= (fileName?.utf8.count ?? Limits.sourcePath) + 1
                    }
                    return fileName
                }
            }
        }
    }

    /// Bounds-checked reads of the table's bytes; every accessor returns nil past the end.
    struct Bounded {
        let buf: UnsafeRawBufferPointer
        let bigEndian: Bool
        let pointerSize: Int

        func uint(_ at: Int, size: Int) -> UInt64? {
            guard at >= 0, size <= 8, at <= buf.count - size else { return nil }
            var v: UInt64 = 0
            for k in 0..<size {
                let b = UInt64(buf[at + (bigEndian ? k : size - 1 - k)])
                v = v << 8 | b
            }
            return v
        }
        func u32(_ at: Int) -> UInt32? { uint(at, size: 4).map { UInt32(truncatingIfNeeded: $0) } }
        func word(_ at: Int) -> UInt64? { uint(at, size: pointerSize) }

        /// A NUL-terminated string at `at`, ending before `end` and at most `Limits.sourcePath` long.
        func string(_ at: Int, end: Int? = nil) -> String? {
            bytes(at, end: end).map { String(decoding: $0, as: UTF8.self) }
        }

        /// The NUL-terminated bytes at `at` (at most `Limits.sourcePath` of them), in place.
        func bytes(_ at: Int, end: Int? = nil) -> UnsafeRawBufferPointer? {
            let stop = min(end ?? buf.count, buf.count)
            guard at >= 0, at < stop else { return nil }
            var i = at
            while i < stop, buf[i] != 0 {
                i += 1
                if i - at > Limits.sourcePath { return nil }
            }
            guard i < stop else { return nil }
            return UnsafeRawBufferPointer(rebasing: buf[at..<i])
        }

        /// The value a pc-value table gives for the function's entry PC, as debug/gosym's
        /// `pcvalue(off, entry, entry)` computes it: steps of a zig-zag value delta (from -1,
        /// in int32 arithmetic) and a PC delta, up to the first step that moves the PC past the
        /// entry; nil where Go answers -1 (the table ends first, or runs off the data).
        /// Unlike Go, a varint longer than 10 bytes or more than 64 steps that stay at the entry
        /// give nil: neither occurs in a real table, and they keep damaged tables (one run of
        /// such bytes shared by every function) from costing time quadratic in the file size.
        func entryPCValue(_ at: Int) -> Int? {
            var i = at, value: Int32 = -1
            func varint() -> UInt32? {
                var v: UInt32 = 0
                for shift in stride(from: 0, to: 70, by: 7) {
                    guard i >= 0, i < buf.count else { return nil }
                    let b = buf[i]
                    if shift < 32 { v |= UInt32(b & 0x7f) << UInt32(shift) }   // Go's uint32 shift drops the rest
                    i += 1
                    if b & 0x80 == 0 { return v }
                }
                return nil
            }
            for step in 0..<64 {
                guard let uv = varint(), uv != 0 || step == 0, let pcDelta = varint() else { return nil }
                let delta = uv & 1 != 0 ? ~(uv >> 1) : uv >> 1
                value = value &+ Int32(bitPattern: delta)
                if pcDelta &* UInt32(buf.count > 6 ? buf[6] : 1) != 0 { return Int(value) }
            }
            return nil
        }
    }
}
