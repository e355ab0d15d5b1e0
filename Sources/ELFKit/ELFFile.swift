import CLibELF

/// An ELF file opened read-only and mapped (never executable), with its facts read lazily.
///
/// Every offset and count taken from the file is checked against the file's real size
/// before it is used, so a hostile header can neither make a read leave the file nor
/// size an allocation.
public final class ELFFile {
    public let path: String
    /// The file's real size in bytes; the bound for every read.
    public let size: Int
    public let header: ELFHeader
    /// What `fstat` said of the open file (device and inode identify it); nil for an
    /// in-memory image.
    package let status: FileStatus?
    let handle: ELFHandle

    /// Opens `path`. Throws for anything that is not a readable regular ELF file.
    public init(path: String) throws(ELFError) {
        self.path = path
        let fd: Int32
        switch Syscalls.openReadOnly(path) {
        case .success(let d): fd = d
        case .failure(let e): throw .cannotOpen(e)
        }
        let status: FileStatus
        let ident: [UInt8]
        do throws(ELFError) {
            switch Syscalls.status(fd) {
            case .success(let st): status = st
            case .failure(let e): throw .cannotOpen(e)
            }
            guard status.kind == .regular else { throw .notRegularFile(status.kind) }
            switch Syscalls.read(fd, offset: 0, count: 16) {
            case .success(let b): ident = b
            case .failure(let e): throw .cannotOpen(e)
            }
            try Self.checkIdentification(ident, fileSize: status.size)
        } catch {
            Syscalls.closeDescriptor(fd)
            throw error
        }
        let handle = try ELFHandle(fd: fd, size: status.size)  // owns fd from here on
        self.handle = handle
        self.size = status.size
        self.status = status
        self.header = try Self.readHeader(handle, ident: ident, fileSize: status.size)
    }

    /// Reads an ELF image held in memory (the fuzz targets use this), with every check the
    /// path initializer makes; `path` only names it in reports.
    public init(bytes: [UInt8], path: String = "<memory>") throws(ELFError) {
        self.path = path
        try Self.checkIdentification(Array(bytes.prefix(16)), fileSize: bytes.count)
        var ident = Array(bytes.prefix(16))
        ident += [UInt8](repeating: 0, count: 16 - ident.count)
        let handle = try ELFHandle(bytes: bytes)
        self.handle = handle
        self.size = bytes.count
        self.status = nil
        self.header = try Self.readHeader(handle, ident: ident, fileSize: bytes.count)
    }

    /// The checks on `e_ident` made before libelf sees the file: `ident` holds the first (up
    /// to 16) bytes of a file of `fileSize` bytes.
    private static func checkIdentification(_ ident: [UInt8], fileSize size: Int) throws(ELFError) {
        guard ident.count >= 4, ident[0] == 0x7f, ident[1] == 0x45, ident[2] == 0x4c, ident[3] == 0x46 else {
            if size < 4 { throw .tooShort }
            throw .notELF
        }
        let elfClass = ELFClass(rawValue: ident.count > 4 ? ident[4] : 0)
        let headerSize = elfClass == .elf32 ? 52 : 64
        guard size >= headerSize, ident.count >= 16 else { throw .tooShort }
        guard elfClass == .elf32 || elfClass == .elf64 else { throw .malformed("invalid class \(ident[4])") }
        guard ident[5] == 1 || ident[5] == 2 else { throw .malformed("invalid data encoding \(ident[5])") }
    }

    /// The header as libelf reads it, with the program and section header tables checked
    /// against the file size.
    private static func readHeader(_ handle: ELFHandle, ident: [UInt8], fileSize size: Int) throws(ELFError) -> ELFHeader {
        let elfClass = ELFClass(rawValue: ident[4])
        guard handle.kind == ELF_K_ELF, let eh = handle.ehdr() else {
            throw .malformed(LibELF.lastError)
        }
        var h = ELFHeader(
            elfClass: elfClass, dataEncoding: ELFDataEncoding(rawValue: ident[5]),
            identVersion: ident[6], osABI: ELFOSABI(rawValue: ident[7]), abiVersion: ident[8],
            type: ELFFileType(rawValue: eh.e_type), machine: ELFMachine(rawValue: eh.e_machine),
            version: eh.e_version, entry: eh.e_entry, programHeaderOffset: eh.e_phoff,
            sectionHeaderOffset: eh.e_shoff, flags: eh.e_flags, headerSize: eh.e_ehsize,
            programHeaderEntrySize: eh.e_phentsize, programHeaderCount: Int(eh.e_phnum),
            sectionHeaderEntrySize: eh.e_shentsize, sectionHeaderCount: Int(eh.e_shnum),
            sectionNameTableIndex: Int(eh.e_shstrndx), declaredSectionHeaderCount: Int(eh.e_shnum))
        // Extended numbering (PN_XNUM, SHN_XINDEX) keeps the real counts in section 0; only
        // then ask libelf, which reports 0 rather than an error for a table cut off by the
        // end of the file.
        if eh.e_phnum == 0xffff {
            guard let n = handle.phdrCount() else { throw .malformed("unreadable program header count") }
            h.programHeaderCount = n
        }
        try Self.checkTable("program header", offset: h.programHeaderOffset, count: h.programHeaderCount,
                            entrySize: h.programHeaderEntrySize, expected: elfClass == .elf32 ? 32 : 56, fileSize: size)
        if h.sectionHeaderOffset != 0 {
            var n = Int(eh.e_shnum)
            if n == 0 {
                guard let x = handle.shdrCount() else { throw .malformed("unreadable section header count") }
                n = x
            }
            h.sectionHeaderCount = n
            try Self.checkTable("section header", offset: h.sectionHeaderOffset, count: n,
                                entrySize: h.sectionHeaderEntrySize, expected: elfClass == .elf32 ? 40 : 64, fileSize: size)
            if n > 0 {
                guard let s = handle.shstrndx(), s < n else { throw .malformed("invalid section name table index") }
                h.sectionNameTableIndex = s
            }
        } else {
            h.sectionHeaderCount = 0
        }
        return h
    }

    private static func checkTable(_ what: String, offset: UInt64, count: Int, entrySize: UInt16,
                                   expected: Int, fileSize: Int) throws(ELFError) {
        guard count > 0 else { return }
        guard Int(entrySize) == expected else { throw .malformed("\(what) entry size \(entrySize)") }
        let (bytes, o1) = UInt64(count).multipliedReportingOverflow(by: UInt64(entrySize))
        let (end, o2) = offset.addingReportingOverflow(bytes)
        guard !o1, !o2, end <= UInt64(fileSize) else {
            throw .malformed("\(what) table (\(count) entries at \(offset)) extends past the end of the file")
        }
    }

    // MARK: Segments

    /// The program headers, in table order.
    public private(set) lazy var segments: [Segment] = (0..<header.programHeaderCount).compactMap { i in
        handle.phdr(i).map {
            Segment(type: SegmentType(rawValue: $0.p_type), flags: $0.p_flags, offset: $0.p_offset,
                    virtualAddress: $0.p_vaddr, physicalAddress: $0.p_paddr, fileSize: $0.p_filesz,
                    memorySize: $0.p_memsz, alignment: $0.p_align)
        }
    }

    /// The program interpreter named by `PT_INTERP` (`/lib64/ld-linux-x86-64.so.2`), if any.
    public private(set) lazy var interpreter: String? = {
        guard let seg = segments.first(where: { $0.type == .interp }) else { return nil }
        let raw = bytes(atOffset: seg.offset, count: Int(clamping: seg.fileSize))
        let name = String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        return name.isEmpty ? nil : name
    }()

    // MARK: Raw bytes

    /// Up to `count` bytes of the file from `offset`; fewer at the end of the file.
    public func bytes(atOffset offset: UInt64, count: Int) -> [UInt8] {
        withBytes(atOffset: offset, count: count) { Array($0) }
    }

    /// Calls `body` with the file's bytes in `offset ..< offset+count`, clamped to the file;
    /// the buffer is valid only inside `body`.
    public func withBytes<T>(atOffset offset: UInt64, count: Int, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        guard count > 0, offset < UInt64(size) else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        let start = Int(offset)
        let n = min(count, size - start)
        return body(UnsafeRawBufferPointer(rebasing: handle.image[start..<start + n]))
    }

    /// The first segment, in table order, whose file-backed bytes hold `address`.
    public func segment(containing address: UInt64) -> Segment? {
        segments.first { $0.containsFileBacked(address) }
    }

    /// Up to `count` bytes at virtual address `address`, read through the program headers:
    /// they stop at the end of the segment's file-backed part (and of the file).
    /// Nil when no segment maps the address.
    public func bytes(atAddress address: UInt64, count: Int) -> [UInt8]? {
        guard let seg = segment(containing: address) else { return nil }
        let delta = address - seg.virtualAddress
        let available = seg.fileSize - delta
        let (offset, overflow) = seg.offset.addingReportingOverflow(delta)
        if overflow { return [] }
        return bytes(atOffset: offset, count: Int(clamping: min(UInt64(max(count, 0)), available)))
    }

    // MARK: Sections

    /// The section headers, with names; index 0 is the null section.
    public private(set) lazy var sections: [Section] = {
        var result: [Section] = []
        result.reserveCapacity(header.sectionHeaderCount)
        for i in 0..<header.sectionHeaderCount {
            guard let scn = handle.section(i), let s = handle.shdr(scn) else { continue }
            let name = handle.string(table: header.sectionNameTableIndex, offset: Int(s.sh_name)) ?? ""
            result.append(Section(index: i, name: name, nameOffset: s.sh_name, type: SectionType(rawValue: s.sh_type),
                                  flags: s.sh_flags, address: s.sh_addr, offset: s.sh_offset, size: s.sh_size,
                                  link: s.sh_link, info: s.sh_info, alignment: s.sh_addralign,
                                  entrySize: s.sh_entsize))
        }
        return result
    }()

    /// The first section with this name.
    public func section(named name: String) -> Section? { sections.first { $0.name == name } }

    /// Whether the section's bytes lie inside the file.
    func isInFile(_ section: Section) -> Bool {
        guard section.hasFileData else { return false }
        let (end, overflow) = section.offset.addingReportingOverflow(section.size)
        return !overflow && end <= UInt64(size)
    }

    /// The section's bytes as stored in the file; nil when they lie outside it.
    public func contents(of section: Section) -> [UInt8]? {
        guard isInFile(section) else { return nil }
        return bytes(atOffset: section.offset, count: Int(section.size))
    }

    /// The section's bytes, decompressed when `SHF_COMPRESSED`; nil when outside the file,
    /// corrupt, or larger than `limit` once decompressed.
    public func decompressedContents(of section: Section, limit: Int = Limits.decompressedSection) -> [UInt8]? {
        guard isInFile(section) else { return nil }
        if section.flags & Section.compressedFlag == 0 { return contents(of: section) }
        guard let scn = handle.section(section.index) else { return nil }
        return decompressedSectionBytes(handle, scn, limit: limit)
    }

    /// Lends the section's data, translated to host byte order, to `body`; nil when the
    /// section lies outside the file or libelf cannot read it.
    func withTranslatedData<T>(_ section: Section, _ body: (UnsafeMutablePointer<Elf_Data>) -> T) -> T? {
        guard isInFile(section), let scn = handle.section(section.index) else { return nil }
        return handle.withData(scn, body)
    }

    /// True when a full symbol table (`.symtab`) is present, i.e. the file is not stripped.
    public var hasSymbolTable: Bool { sections.contains { $0.type == .symtab } }

    // MARK: Symbols

    private var symbolCache: [Int: [Symbol]] = [:]

    /// The symbols of `.dynsym` or `.symtab`, in table order (index 0, the null symbol, included).
    public func symbols(_ table: SymbolTable) -> [Symbol] {
        let type: SectionType = table == .dynamic ? .dynsym : .symtab
        guard let section = sections.first(where: { $0.type == type }) else { return [] }
        return symbols(inSection: section.index)
    }

    package func symbols(inSection index: Int) -> [Symbol] {
        if let cached = symbolCache[index] { return cached }
        guard index < sections.count else { return [] }
        let result = withSymbolTable(sections[index]) { view in (0..<view.count).map(view.symbol) }
        symbolCache[index] = result
        return result
    }

    /// The same entries through libelf (`gelf_getsym`, `elf_strptr`): what the in-place
    /// reader is tested against.
    package func libelfSymbols(inSection index: Int) -> [Symbol] {
        guard index < sections.count else { return [] }
        let section = sections[index]
        let entrySize: UInt64 = header.elfClass == .elf32 ? 16 : 24
        let count = Int(section.size / entrySize)
        let strtab = Int(section.link)
        return withTranslatedData(section) { data -> [Symbol] in
            var out: [Symbol] = []
            out.reserveCapacity(count)
            for i in 0..<count {
                guard let s = handle.symbol(data, i) else { break }
                let name = s.st_name == 0 ? "" : (handle.string(table: strtab, offset: Int(s.st_name)) ?? "")
                out.append(Symbol(index: i, name: name, value: s.st_value, size: s.st_size,
                                  type: SymbolType(rawValue: pc_gelf_st_type(s.st_info)),
                                  binding: SymbolBinding(rawValue: pc_gelf_st_bind(s.st_info)),
                                  visibility: pc_gelf_st_visibility(s.st_other), sectionIndex: s.st_shndx))
            }
            return out
        } ?? []
    }

    // MARK: Dynamic section

    /// The entries of `.dynamic` up to `DT_NULL`; strings resolved for NEEDED, SONAME, RPATH, RUNPATH.
    public private(set) lazy var dynamicEntries: [DynamicEntry] = {
        guard let section = sections.first(where: { $0.type == .dynamic }) else {
            return dynamicEntriesFromSegment()
        }
        let entrySize: UInt64 = header.elfClass == .elf32 ? 8 : 16
        let strtab = Int(section.link)
        return withTranslatedData(section) { data -> [DynamicEntry] in
            var out: [DynamicEntry] = []
            for i in 0..<Int(section.size / entrySize) {
                guard let d = handle.dyn(data, i), d.d_tag != 0 else { break }
                let tag = DynamicTag(rawValue: d.d_tag)
                let value = d.d_un.d_val
                let string = Self.takesString(tag) ? handle.string(table: strtab, offset: Int(clamping: value)) : nil
                out.append(DynamicEntry(tag: tag, value: value, string: string))
            }
            return out
        } ?? []
    }()

    private static func takesString(_ tag: DynamicTag) -> Bool {
        tag == .needed || tag == .soname || tag == .rpath || tag == .runpath
    }

    /// Without section headers the loader still finds `.dynamic` through `PT_DYNAMIC`, and its
    /// strings through `DT_STRTAB`; read them the same way.
    private func dynamicEntriesFromSegment() -> [DynamicEntry] {
        guard let seg = segments.first(where: { $0.type == .dynamic }) else { return [] }
        let raw = bytes(atOffset: seg.offset, count: Int(clamping: seg.fileSize))
        let wide = header.elfClass == .elf64
        let entrySize = wide ? 16 : 8
        let reader = ByteReader(raw, bigEndian: header.dataEncoding == .bigEndian)
        var pairs: [(Int64, UInt64)] = []
        for i in 0..<(raw.count / entrySize) {
            let tag = wide ? Int64(bitPattern: reader.uint64(at: i * 16)) : Int64(Int32(bitPattern: reader.uint32(at: i * 8)))
            let value = wide ? reader.uint64(at: i * 16 + 8) : UInt64(reader.uint32(at: i * 8 + 4))
            if tag == 0 { break }
            pairs.append((tag, value))
        }
        let strtab = pairs.first { $0.0 == DynamicTag.strtab.rawValue }?.1
        let strsz = pairs.first { $0.0 == DynamicTag.strsz.rawValue }?.1 ?? 0
        return pairs.map { tag, value in
            var string: String?
            if Self.takesString(DynamicTag(rawValue: tag)), let strtab, value < strsz,
               let b = bytes(atAddress: strtab &+ value, count: Int(clamping: strsz - value)) {
                string = String(decoding: b.prefix { $0 != 0 }, as: UTF8.self)
            }
            return DynamicEntry(tag: DynamicTag(rawValue: tag), value: value, string: string)
        }
    }

    /// `DT_NEEDED` libraries, in order.
    public var needed: [String] { dynamicEntries.filter { $0.tag == .needed }.compactMap(\.string) }
    /// `DT_SONAME`.
    public var soname: String? { dynamicEntries.first { $0.tag == .soname }?.string }
    /// `DT_RPATH`.
    public var rpath: String? { dynamicEntries.first { $0.tag == .rpath }?.string }
    /// `DT_RUNPATH`.
    public var runpath: String? { dynamicEntries.first { $0.tag == .runpath }?.string }
    /// `DT_FLAGS` and `DT_FLAGS_1` (plus a bare `DT_BIND_NOW` entry, which means the same).
    public var dynamicFlags: DynamicFlags {
        var f = DynamicFlags(flags: 0, flags1: 0)
        for e in dynamicEntries {
            if e.tag == .flags { f.flags |= e.value }
            if e.tag == .flags1 { f.flags1 |= e.value }
            if e.tag == .bindNow { f.flags |= DynamicFlags.bindNowFlag }
        }
        return f
    }

    // MARK: Symbol versions

    /// The versions required per library, from `.gnu.version_r`, in table order.
    public private(set) lazy var versionNeeds: [VersionNeed] = {
        guard let section = sections.first(where: { $0.type == .gnuVersionNeed }) else { return [] }
        let strtab = Int(section.link)
        let limit = Int(clamping: section.size)
        return withTranslatedData(section) { data -> [VersionNeed] in
            var out: [VersionNeed] = []
            var offset = 0
            // sh_info holds the entry count; the offsets must move forward, so a loop in the
            // chain ends at once.
            for _ in 0..<min(Int(section.info), limit / 16 + 1) {
                guard offset >= 0, offset < limit, let need = handle.verneed(data, offset) else { break }
                let file = handle.string(table: strtab, offset: Int(need.vn_file)) ?? ""
                var versions: [String] = []
                var auxOffset = offset + Int(need.vn_aux)
                for _ in 0..<Int(need.vn_cnt) {
                    guard auxOffset < limit, let aux = handle.vernaux(data, auxOffset) else { break }
                    versions.append(handle.string(table: strtab, offset: Int(aux.vna_name)) ?? "")
                    guard aux.vna_next > 0 else { break }
                    auxOffset += Int(aux.vna_next)
                }
                out.append(VersionNeed(file: file, versions: versions))
                guard need.vn_next > 0 else { break }
                offset += Int(need.vn_next)
            }
            return out
        } ?? []
    }()


    // MARK: Notes

    /// Every note in `SHT_NOTE` sections.
    public private(set) lazy var notes: [Note] = sections.filter { $0.type == .note }.flatMap { section in
        withTranslatedData(section) { data in
            handle.notes(data).map { Note(name: $0.name, type: $0.type, descriptor: $0.desc) }
        } ?? []
    }

    /// The GNU build ID as lowercase hex (`NT_GNU_BUILD_ID`).
    public var gnuBuildID: String? {
        notes.first { $0.name == "GNU" && $0.type == Note.gnuBuildIDType }
            .map { $0.descriptor.map { String(format2: $0) }.joined() }
    }

    // MARK: Relocations

    /// The entries of `.rela.dyn` and `.rel.dyn`, in file order.
    public private(set) lazy var dynamicRelocations: [Relocation] = sections
        .filter { ($0.name == ".rela.dyn" && $0.type == .rela) || ($0.name == ".rel.dyn" && $0.type == .rel) }
        .flatMap { relocations(in: $0) }

    /// The relocation entries of one `SHT_RELA` or `SHT_REL` section.
    public func relocations(in section: Section) -> [Relocation] {
        let symbols = Int(section.link) < sections.count ? symbols(inSection: Int(section.link)) : []
        return withRelocations(section) { view in
            (0..<view.count).map { i in
                let r = view.entry(i)
                let name = r.symbolIndex > 0 && r.symbolIndex < symbols.count ? symbols[r.symbolIndex].name : nil
                return Relocation(offset: r.offset, type: r.type, symbolIndex: r.symbolIndex, symbolName: name, addend: r.addend)
            }
        }
    }

    /// The same entries through libelf (`gelf_getrela`, `gelf_getrel`): what the in-place
    /// reader is tested against.
    package func libelfRelocations(in section: Section) -> [Relocation] {
        let isRela = section.type == .rela
        let wide = header.elfClass == .elf64
        let entrySize: UInt64 = isRela ? (wide ? 24 : 12) : (wide ? 16 : 8)
        let symbols = Int(section.link) < sections.count ? libelfSymbols(inSection: Int(section.link)) : []
        return withTranslatedData(section) { data -> [Relocation] in
            var out: [Relocation] = []
            let count = Int(section.size / entrySize)
            out.reserveCapacity(count)
            for i in 0..<count {
                let info: UInt64, offset: UInt64, addend: Int64?
                if isRela {
                    guard let r = handle.rela(data, i) else { break }
                    (info, offset, addend) = (r.r_info, r.r_offset, r.r_addend)
                } else {
                    guard let r = handle.rel(data, i) else { break }
                    (info, offset, addend) = (r.r_info, r.r_offset, nil)
                }
                // gelf widens 32-bit r_info to the 64-bit layout (symbol in the high 32 bits).
                let symbolIndex = Int(pc_gelf_r_sym(info))
                let type = UInt32(truncatingIfNeeded: pc_gelf_r_type(info))
                let name = symbolIndex > 0 && symbolIndex < symbols.count ? symbols[symbolIndex].name : nil
                out.append(Relocation(offset: offset, type: type, symbolIndex: symbolIndex,
                                      symbolName: name, addend: addend))
            }
            return out
        } ?? []
    }
}

extension String {
    /// Two lowercase hex digits.
    init(format2 byte: UInt8) {
        let digits = Array("0123456789abcdef")
        self = String([digits[Int(byte >> 4)], digits[Int(byte & 0xf)]])
    }
}
