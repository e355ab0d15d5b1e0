import CLibELF
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// Every call into libelf goes through this file. Nothing here is public: the rest of
// ELFKit turns what it returns into Swift values, so no C type or pointer escapes.

enum LibELF {
    /// libelf must be told the ELF version once per process before elf_begin works.
    static let initialised: Bool = elf_version(UInt32(EV_CURRENT)) != UInt32(EV_NONE)

    static var lastError: String {
        guard let message = elf_errmsg(-1) ?? elf_errmsg(0) else { return "unknown libelf error" }
        return String(cString: message)
    }
}

/// Owns the file descriptor and the `Elf *` handle; both end in `deinit`, on every path.
final class ELFHandle {
    /// The open file, or -1 for an in-memory image.
    let fd: Int32
    let elf: OpaquePointer
    /// The read-only mapped file image, `size` bytes long; valid while this handle lives.
    let image: UnsafeRawBufferPointer
    /// The copy of the bytes an in-memory handle owns (libelf reads it in place).
    private let owned: UnsafeMutableRawBufferPointer?

    init(fd: Int32, size: Int) throws(ELFError) {
        guard LibELF.initialised else { throw .malformed("libelf could not be initialised") }
        guard let elf = elf_begin(fd, ELF_C_READ_MMAP, nil) else {
            throw .malformed(LibELF.lastError)
        }
        var n = 0
        guard let raw = elf_rawfile(elf, &n), n == size else {
            elf_end(elf)
            throw .malformed("file could not be mapped")
        }
        self.fd = fd
        self.elf = elf
        self.image = UnsafeRawBufferPointer(start: UnsafeRawPointer(raw), count: n)
        self.owned = nil
    }

    /// An in-memory image: `bytes` are copied into a buffer this handle owns and frees.
    init(bytes: [UInt8]) throws(ELFError) {
        guard LibELF.initialised else { throw .malformed("libelf could not be initialised") }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        buffer.copyBytes(from: bytes)
        guard let elf = elf_memory(buffer.baseAddress!.assumingMemoryBound(to: CChar.self), bytes.count) else {
            buffer.deallocate()
            throw .malformed(LibELF.lastError)
        }
        self.fd = -1
        self.elf = elf
        self.image = UnsafeRawBufferPointer(start: buffer.baseAddress, count: bytes.count)
        self.owned = buffer
    }

    deinit {
        elf_end(elf)
        if fd >= 0 { Syscalls.closeDescriptor(fd) }
        owned?.deallocate()
    }

    var kind: Elf_Kind { elf_kind(elf) }

    func ehdr() -> GElf_Ehdr? {
        var h = GElf_Ehdr()
        return gelf_getehdr(elf, &h) == nil ? nil : h
    }

    func phdrCount() -> Int? {
        var n = 0
        return elf_getphdrnum(elf, &n) == 0 ? n : nil
    }

    func phdr(_ index: Int) -> GElf_Phdr? {
        var p = GElf_Phdr()
        return gelf_getphdr(elf, Int32(clamping: index), &p) == nil ? nil : p
    }

    func shdrCount() -> Int? {
        var n = 0
        return elf_getshdrnum(elf, &n) == 0 ? n : nil
    }

    func shstrndx() -> Int? {
        var n = 0
        return elf_getshdrstrndx(elf, &n) == 0 ? n : nil
    }

    func section(_ index: Int) -> OpaquePointer? { elf_getscn(elf, index) }

    func shdr(_ scn: OpaquePointer) -> GElf_Shdr? {
        var s = GElf_Shdr()
        return gelf_getshdr(scn, &s) == nil ? nil : s
    }

    func string(table: Int, offset: Int) -> String? {
        guard let p = elf_strptr(elf, table, offset) else { return nil }
        return String(cString: p)
    }

    /// The same string's bytes (without the NUL), valid while this handle lives.
    func stringBytes(table: Int, offset: Int) -> UnsafeRawBufferPointer? {
        guard let p = elf_strptr(elf, table, offset) else { return nil }
        return UnsafeRawBufferPointer(start: UnsafeRawPointer(p), count: strlen(p))
    }

    /// Calls `body` with the section's data translated to host byte order; the pointer is
    /// valid only inside `body`.
    func withData<T>(_ scn: OpaquePointer, _ body: (UnsafeMutablePointer<Elf_Data>) -> T) -> T? {
        guard let data = elf_getdata(scn, nil) else { return nil }
        return body(data)
    }

    func symbol(_ data: UnsafeMutablePointer<Elf_Data>, _ index: Int) -> GElf_Sym? {
        var s = GElf_Sym()
        return gelf_getsym(data, Int32(clamping: index), &s) == nil ? nil : s
    }

    func dyn(_ data: UnsafeMutablePointer<Elf_Data>, _ index: Int) -> GElf_Dyn? {
        var d = GElf_Dyn()
        return gelf_getdyn(data, Int32(clamping: index), &d) == nil ? nil : d
    }

    func rela(_ data: UnsafeMutablePointer<Elf_Data>, _ index: Int) -> GElf_Rela? {
        var r = GElf_Rela()
        return gelf_getrela(data, Int32(clamping: index), &r) == nil ? nil : r
    }

    func rel(_ data: UnsafeMutablePointer<Elf_Data>, _ index: Int) -> GElf_Rel? {
        var r = GElf_Rel()
        return gelf_getrel(data, Int32(clamping: index), &r) == nil ? nil : r
    }

    func verneed(_ data: UnsafeMutablePointer<Elf_Data>, _ offset: Int) -> GElf_Verneed? {
        var v = GElf_Verneed()
        return gelf_getverneed(data, Int32(clamping: offset), &v) == nil ? nil : v
    }

    func vernaux(_ data: UnsafeMutablePointer<Elf_Data>, _ offset: Int) -> GElf_Vernaux? {
        var v = GElf_Vernaux()
        return gelf_getvernaux(data, Int32(clamping: offset), &v) == nil ? nil : v
    }

    /// Returns each note as (type, name, descriptor bytes).
    func notes(_ data: UnsafeMutablePointer<Elf_Data>) -> [(type: UInt32, name: String, desc: [UInt8])] {
        var result: [(UInt32, String, [UInt8])] = []
        var offset = 0
        let size = Int(data.pointee.d_size)
        guard let base = data.pointee.d_buf else { return [] }
        while offset < size {
            var note = GElf_Nhdr()
            var nameOffset = 0
            var descOffset = 0
            let next = gelf_getnote(data, offset, &note, &nameOffset, &descOffset)
            guard next > offset else { break }
            let nameLength = Int(note.n_namesz)
            let descLength = Int(note.n_descsz)
            guard nameOffset + nameLength <= size, descOffset + descLength <= size else { break }
            let nameBytes = UnsafeRawBufferPointer(start: base + nameOffset, count: nameLength)
            let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
            let desc = Array(UnsafeRawBufferPointer(start: base + descOffset, count: descLength))
            result.append((note.n_type, name, desc))
            offset = next
        }
        return result
    }
}

/// Copies the section's bytes, decompressing SHF_COMPRESSED sections through libelf.
/// `limit` bounds the uncompressed size, which comes from an unchecked header.
func decompressedSectionBytes(_ handle: ELFHandle, _ scn: OpaquePointer, limit: Int) -> [UInt8]? {
    var chdr = GElf_Chdr()
    if gelf_getchdr(scn, &chdr) != nil {
        guard chdr.ch_size <= UInt64(limit) else { return nil }
        guard elf_compress(scn, 0, 0) >= 0 else { return nil }
    }
    return handle.withData(scn) { data -> [UInt8]? in
        guard let buf = data.pointee.d_buf else { return [] }
        let n = Int(data.pointee.d_size)
        guard n <= limit else { return nil }
        return Array(UnsafeRawBufferPointer(start: buf, count: n))
    } ?? nil
}
