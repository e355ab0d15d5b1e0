// Damaged copies of a real fixture, made by the test itself. The offsets are found with
// this small independent ELF64 little-endian reader, not with ELFKit (the code under test).

/// A little-endian ELF64 image that can be read and patched field by field.
struct ELF64Image {
    var bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func u(_ o: Int, _ n: Int) -> UInt64 {
        (0..<n).reversed().reduce(0) { $0 << 8 | UInt64(bytes[o + $1]) }
    }
    mutating func put(_ o: Int, _ n: Int, _ v: UInt64) {
        for i in 0..<n { bytes[o + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i))) }
    }

    var phoff: Int { Int(u(32, 8)) }
    var shoff: Int { Int(u(40, 8)) }
    var phnum: Int { Int(u(56, 2)) }
    var shnum: Int { Int(u(60, 2)) }
    var shstrndx: Int { Int(u(62, 2)) }

    struct Sec {
        var index: Int, name: String, type: UInt32, address: UInt64, offset: Int, size: Int, link: Int, info: Int
        /// Where this section's header is in the file.
        var header: Int
    }
    struct Seg { var header: Int, type: UInt32, flags: UInt32, offset: Int, vaddr: UInt64, filesz: Int }

    var segments: [Seg] {
        (0..<phnum).map { i in
            let h = phoff + i * 56
            return Seg(header: h, type: UInt32(u(h, 4)), flags: UInt32(u(h + 4, 4)), offset: Int(u(h + 8, 8)),
                       vaddr: u(h + 16, 8), filesz: Int(u(h + 32, 8)))
        }
    }

    var sections: [Sec] {
        let strOff = Int(u(shoff + shstrndx * 64 + 24, 8))
        return (0..<shnum).map { i in
            let h = shoff + i * 64
            return Sec(index: i, name: cString(at: strOff + Int(u(h, 4))), type: UInt32(u(h + 4, 4)), address: u(h + 16, 8),
                       offset: Int(u(h + 24, 8)), size: Int(u(h + 32, 8)), link: Int(u(h + 40, 4)), info: Int(u(h + 44, 4)),
                       header: h)
        }
    }

    func section(_ name: String) -> Sec? { sections.first { $0.name == name } }

    func cString(at o: Int) -> String {
        guard o < bytes.count else { return "" }
        return String(decoding: bytes[o...].prefix { $0 != 0 }, as: UTF8.self)
    }

    /// The file offset of a virtual address, through the PT_LOAD segments.
    func offset(ofAddress a: UInt64) -> Int? {
        for s in segments where s.type == 1 && a >= s.vaddr && a < s.vaddr + UInt64(s.filesz) {
            return s.offset + Int(a - s.vaddr)
        }
        return nil
    }

    /// (.dynsym entry offset, name) for every dynamic symbol.
    var dynamicSymbols: [(entry: Int, name: String)] {
        guard let sym = section(".dynsym") else { return [] }
        let str = sections[sym.link]
        return (0..<(sym.size / 24)).map { i in
            let e = sym.offset + i * 24
            return (e, cString(at: str.offset + Int(u(e, 4))))
        }
    }

    func truncated(_ n: Int) -> [UInt8] { Array(bytes.prefix(max(0, n))) }
}

/// What a damaged copy must produce.
enum Expect {
    /// Unreadable: one error line, the command's error status.
    case error
    /// Either a report or one error line; the point is no crash, no hang, bounded memory.
    case either
}

struct Case {
    var name: String
    var bytes: [UInt8]
    var expect: Expect
}

/// The Go 1.18+ inline build info blob at `offset`: `magic(14) ptrsize flags pad(16) uvarint version uvarint modinfo`.
func inlineBlob(version: String, moduleInfo: [UInt8]) -> [UInt8] {
    func uvarint(_ v: Int) -> [UInt8] {
        var v = UInt64(v), out: [UInt8] = []
        while v >= 0x80 { out.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }
        return out + [UInt8(v)]
    }
    let header = [0xff] + Array(" Go buildinf:".utf8) + [8, 2] + [UInt8](repeating: 0, count: 16)
    return header + uvarint(version.utf8.count) + Array(version.utf8) + uvarint(moduleInfo.count) + moduleInfo
}

/// Module info framed by 16 bytes on each side, as the linker writes it.
func framed(_ text: String) -> [UInt8] {
    [UInt8](repeating: 0x30, count: 16) + Array(text.utf8) + [UInt8](repeating: 0x31, count: 16)
}

/// Hands every damaged copy of `original` (a Go 1.21+ plugin linked with section headers at
/// the end) to `emit`, one at a time so that only one copy is in memory; returns how many.
@discardableResult
func malformedCases(from original: [UInt8], _ emit: (Case) throws -> Void) rethrows -> Int {
    let image = ELF64Image(original)
    precondition(image.shoff + image.shnum * 64 == original.count, "fixture's section header table is not at the end")
    var count = 0
    func add(_ name: String, _ expect: Expect, _ patch: (inout ELF64Image) -> Void) throws {
        var copy = image
        patch(&copy)
        count += 1
        try emit(Case(name: name, bytes: copy.bytes, expect: expect))
    }
    func truncate(_ name: String, at n: Int, _ expect: Expect = .error) throws {
        count += 1
        try emit(Case(name: "truncated-\(name)-at-\(n)", bytes: image.truncated(n), expect: expect))
    }

    // Truncation at every structural boundary (and one byte either side). The section header
    // table is at the end, so every cut before it must be an error.
    let sections = image.sections
    var boundaries: [(String, Int)] = [("empty", 0), ("magic", 1), ("magic", 4), ("class", 5), ("ident", 16),
                                       ("header", 52), ("header", 63), ("header", 64)]
    for (i, _) in image.segments.enumerated() { boundaries.append(("phdr\(i)", image.phoff + i * 56)) }
    boundaries.append(("phdr-end", image.phoff + image.phnum * 56))
    boundaries.append(("shdr-table", image.shoff))
    for s in sections where s.index > 0 {
        boundaries.append(("shdr-\(s.name)", s.header + 1))
        boundaries.append(("shdr-\(s.name)-end", s.header + 63))
    }
    for name in [".shstrtab", ".dynstr", ".strtab", ".dynsym", ".gnu.version_r", ".rela.dyn", ".go.buildinfo",
                 ".dynamic", ".note.gnu.build-id", ".symtab", ".interp"] {
        guard let s = sections.first(where: { $0.name == name }) else { continue }
        boundaries.append(("\(name)-start", s.offset))
        boundaries.append(("\(name)-middle", s.offset + s.size / 2))
        boundaries.append(("\(name)-end", s.offset + s.size - 1))
    }
    for (name, at) in boundaries where at < original.count { try truncate(name, at: at) }

    // Header fields: zeroed and oversized tables, wrong class and byte order.
    try add("e_shnum-65535", .error) { $0.put(60, 2, 0xffff) }
    try add("e_shnum-0", .either) { $0.put(60, 2, 0) }
    try add("e_phnum-65535", .either) { $0.put(56, 2, 0xffff) }
    try add("e_phnum-0", .either) { $0.put(56, 2, 0) }
    try add("e_phnum-pn_xnum-with-huge-sh_info", .either) { $0.put(56, 2, 0xffff); $0.put($0.shoff + 44, 4, 0xffff_ffff) }
    try add("e_shnum-0-with-huge-sh_size", .error) { $0.put(60, 2, 0); $0.put($0.shoff + 32, 8, 1 << 40) }
    try add("e_shoff-past-end", .error) { $0.put(40, 8, UInt64(original.count + 1)) }
    try add("e_shoff-max", .error) { $0.put(40, 8, UInt64.max - 7) }
    try add("e_phoff-past-end", .error) { $0.put(32, 8, UInt64(original.count)) }
    try add("e_phoff-max", .error) { $0.put(32, 8, UInt64.max - 7) }
    try add("e_shstrndx-65534", .error) { $0.put(62, 2, 0xfffe) }
    try add("e_shstrndx-shnum", .error) { $0.put(62, 2, UInt64($0.shnum)) }
    try add("e_shstrndx-xindex-with-huge-sh_link", .error) { $0.put(62, 2, 0xffff); $0.put($0.shoff + 40, 4, 0xffff_fff0) }
    try add("e_shentsize-1", .error) { $0.put(58, 2, 1) }
    try add("e_phentsize-0", .error) { $0.put(54, 2, 0) }
    try add("class-0", .error) { $0.bytes[4] = 0 }
    try add("class-32-on-64-bit-file", .either) { $0.bytes[4] = 1 }
    try add("class-3", .error) { $0.bytes[4] = 3 }
    try add("data-0", .error) { $0.bytes[5] = 0 }
    try add("data-big-endian", .error) { $0.bytes[5] = 2 }
    try add("data-3", .error) { $0.bytes[5] = 3 }
    try add("ident-version-0", .either) { $0.bytes[6] = 0 }
    try add("e_version-0", .either) { $0.put(20, 4, 0) }
    try add("e_type-core", .either) { $0.put(16, 2, 4) }
    try add("e_machine-arm64", .either) { $0.put(18, 2, 183) }

    // Section sizes and offsets claiming terabytes, or pointing past the end.
    for s in sections where s.index > 0 {
        try add("sh_size-1TB-\(s.name)", .either) { $0.put(s.header + 32, 8, 1 << 40) }
    }
    for name in [".dynsym", ".dynstr", ".shstrtab", ".gnu.version_r", ".go.buildinfo", ".rela.dyn", ".dynamic", ".symtab", ".strtab"] {
        guard let s = sections.first(where: { $0.name == name }) else { continue }
        try add("sh_size-max-\(name)", .either) { $0.put(s.header + 32, 8, UInt64.max) }
        try add("sh_offset-max-\(name)", .either) { $0.put(s.header + 24, 8, UInt64.max - 15) }
        try add("sh_offset-end-\(name)", .either) { $0.put(s.header + 24, 8, UInt64(original.count)) }
        try add("sh_link-huge-\(name)", .either) { $0.put(s.header + 40, 4, 0xffff_fff0) }
        try add("sh_type-nobits-\(name)", .either) { $0.put(s.header + 4, 4, 8) }
    }
    for seg in image.segments.enumerated() {
        try add("p_filesz-1TB-phdr\(seg.offset)", .either) { $0.put(seg.element.header + 32, 8, 1 << 40) }
        try add("p_offset-max-phdr\(seg.offset)", .either) { $0.put(seg.element.header + 8, 8, UInt64.max - 15) }
    }
    try add("shstrtab-no-terminator", .either) {
        let s = $0.sections[$0.shstrndx]
        for i in s.offset..<(s.offset + s.size) where $0.bytes[i] == 0 { $0.bytes[i] = 0x41 }
    }

    // .gnu.version_r: counts that lie, chains that loop or leave the section.
    if let v = sections.first(where: { $0.name == ".gnu.version_r" }) {
        try add("verneed-sh_info-huge", .either) { $0.put(v.header + 44, 4, 0xffff_ffff) }
        try add("verneed-vn_cnt-65535", .either) { $0.put(v.offset + 2, 2, 0xffff) }
        try add("verneed-vn_next-self-loop", .either) { $0.put(v.offset + 12, 4, 0) ; $0.put(v.header + 44, 4, 0xffff_ffff) }
        try add("verneed-vn_next-past-end", .either) { $0.put(v.offset + 12, 4, 0xffff_fff0) }
        try add("verneed-vn_aux-past-end", .either) { $0.put(v.offset + 8, 4, 0xffff_fff0) }
        try add("verneed-vna_next-loop", .either) {
            let aux = v.offset + Int($0.u(v.offset + 8, 4))
            $0.put(aux + 12, 4, 0); $0.put(v.offset + 2, 2, 0xffff)
        }
        try add("verneed-vn_file-past-strtab", .either) { $0.put(v.offset + 4, 4, 0xffff_fff0) }
    }

    // The build info blob.
    if let b = sections.first(where: { $0.name == ".go.buildinfo" }) {
        let o = b.offset
        let versionLength = Int(image.bytes[o + 32])
        let modVarint = o + 33 + versionLength
        for (name, at) in [("magic", o + 7), ("flags", o + 15), ("header", o + 31), ("version-varint", o + 32),
                           ("version-string", o + 33 + versionLength / 2), ("modinfo-varint", modVarint),
                           ("modinfo-varint-second-byte", modVarint + 1), ("modinfo-string", modVarint + 40),
                           ("modinfo-end-frame", modVarint + 2 + Int(image.u(modVarint, 1) & 0x7f | (image.u(modVarint + 1, 1) << 7)) - 8)] {
            // Cut inside the blob in a copy without section headers, so Go's segment search
            // finds it and then runs out of file.
            var copy = image
            copy.put(40, 8, 0); copy.put(60, 2, 0); copy.put(62, 2, 0)
            count += 1
            try emit(Case(name: "sectionless-truncated-buildinfo-\(name)", bytes: copy.truncated(at), expect: .either))
        }
        try add("buildinfo-magic-misaligned", .either) {
            let blob = Array($0.bytes[o..<(o + b.size - 1)])
            $0.bytes.replaceSubrange((o + 1)..<(o + b.size), with: blob)
            $0.bytes[o] = 0
        }
        try add("buildinfo-two-magics", .either) {
            // A second, empty blob 16 bytes before the real one.
            let header = Array($0.bytes[o..<(o + 16)])
            let prev = o - 16
            if prev >= 0 { $0.bytes.replaceSubrange(prev..<o, with: header) }
        }
        try add("buildinfo-second-magic-in-section", .either) {
            let header = Array($0.bytes[o..<(o + 32)])
            let end = o + b.size - 32
            $0.bytes.replaceSubrange(end..<(end + 32), with: header)
        }
        try add("buildinfo-version-varint-16TB", .either) {
            $0.bytes.replaceSubrange((o + 32)..<(o + 39), with: [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x04])
        }
        try add("buildinfo-modinfo-varint-16TB", .either) {
            $0.bytes.replaceSubrange(modVarint..<(modVarint + 7), with: [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x04])
        }
        try add("buildinfo-varint-overflow", .either) {
            $0.bytes.replaceSubrange((o + 32)..<(o + 43), with: [UInt8](repeating: 0xff, count: 11))
        }
        try add("buildinfo-pointer-size-0", .either) { $0.bytes[o + 14] = 0 }
        try add("buildinfo-pointer-format-garbage-pointers", .either) { $0.bytes[o + 15] = 0 }
        try add("buildinfo-pointer-format-big-endian", .either) { $0.bytes[o + 15] = 1 }
        try add("buildinfo-pointer-format-pointers-nowhere", .either) {
            $0.bytes[o + 15] = 0
            $0.put(o + 16, 8, 0xdead_beef_0000); $0.put(o + 24, 8, UInt64.max - 8)
        }
        try add("buildinfo-pointer-format-pointers-loop", .either) {
            // Each pointer names a string header at the blob itself: {data = blob+16, len = blob+16}.
            $0.bytes[o + 15] = 0
            $0.put(o + 16, 8, b.address + 16); $0.put(o + 24, 8, b.address + 16)
        }
        try add("buildinfo-pointer-format-length-16TB", .either) {
            $0.bytes[o + 15] = 0
            $0.put(o + 16, 8, b.address + 32); $0.put(o + 24, 8, b.address + 32)
            $0.put(o + 32, 8, b.address); $0.put(o + 40, 8, 1 << 44)
        }
        try add("buildinfo-4-byte-pointers", .either) { $0.bytes[o + 15] = 0; $0.bytes[o + 14] = 4 }
        // Module info texts the parser must reject or survive, written over the real one.
        let texts: [(String, String)] = [
            ("crlf", "path\texample.com/p\r\nmod\texample.com/p\t(devel)\t\r\ndep\tgithub.com/a/b\tv1.0.0\th1:x=\r\nbuild\t-buildmode=plugin\r\n"),
            ("mod-one-column", "path\tx\nmod\tonly\n"),
            ("dep-five-columns", "dep\ta\tb\tc\td\te\n"),
            ("replacement-without-module", "=>\ta\tb\tc\n"),
            ("replacement-two-columns", "mod\tx\tv1\t\n=>\ta\tb\n"),
            ("build-no-equals", "build\tnoequals\n"),
            ("build-unterminated-quote", "build\t\"-tags=1\n"),
            ("build-unquoted-space", "build\tk=a b\n"),
            ("build-empty-key", "build\t=v\n"),
            ("invalid-utf8", "path\t\u{FFFD}\nbuild\tk=\u{FFFD}\n"),
            ("no-final-newline", "path\tx\nmod\tx\tv1"),
            ("unknown-lines-only", "hello\nworld\n\n\n"),
        ]
        for (name, text) in texts {
            try add("modinfo-\(name)", .either) {
                var blob = inlineBlob(version: "go1.25.5", moduleInfo: framed(text))
                if name == "invalid-utf8" { blob = blob.map { $0 == 0xef ? 0xff : $0 } }
                precondition(blob.count <= b.size)
                $0.bytes.replaceSubrange(o..<(o + b.size), with: blob + [UInt8](repeating: 0, count: b.size - blob.count))
            }
        }
    }

    // Fingerprint symbols and relocations that point outside the file.
    try add("pkghash-symbols-outside-file", .either) {
        for s in $0.dynamicSymbols where s.name.hasPrefix("go:link.pkghash") { $0.put(s.entry + 8, 8, 0xffff_ffff_ff00_0000) }
    }
    try add("pkghash-symbols-size-huge", .either) {
        for s in $0.dynamicSymbols where s.name.hasPrefix("go:link.pkghash") { $0.put(s.entry + 16, 8, UInt64.max) }
    }
    try add("dynsym-names-outside-strtab", .either) {
        for s in $0.dynamicSymbols { $0.put(s.entry, 4, 0xffff_fff0) }
    }
    if let r = sections.first(where: { $0.name == ".rela.dyn" }) {
        try add("relocations-offsets-outside-file", .either) {
            for e in stride(from: r.offset, to: r.offset + r.size, by: 24) { $0.put(e, 8, 0xffff_ffff_ffff_0000) }
        }
        try add("relocations-symbol-index-huge", .either) {
            for e in stride(from: r.offset, to: r.offset + r.size, by: 24) { $0.put(e + 12, 4, 0xffff_fff0) }
        }
        try add("relocations-addend-outside-file", .either) {
            for e in stride(from: r.offset, to: r.offset + r.size, by: 24) { $0.put(e + 16, 8, 0x7fff_ffff_ffff_0000) }
        }
    }
    if let d = sections.first(where: { $0.name == ".dynamic" }) {
        try add("dynamic-no-dt_null-strtab-huge", .either) {
            for e in stride(from: d.offset, to: d.offset + d.size, by: 16) {
                if $0.u(e, 8) == 5 { $0.put(e + 8, 8, UInt64.max - 4) }
                if $0.u(e, 8) == 0 { $0.put(e, 8, 1) }
            }
        }
        try add("sectionless-dynamic-strtab-wraps", .either) {
            $0.put(40, 8, 0); $0.put(60, 2, 0); $0.put(62, 2, 0)
            for e in stride(from: d.offset, to: d.offset + d.size, by: 16) {
                if $0.u(e, 8) == 5 { $0.put(e + 8, 8, UInt64.max - 4) }
                if $0.u(e, 8) == 10 { $0.put(e + 8, 8, UInt64.max) }
            }
        }
    }
    if let n = sections.first(where: { $0.name == ".note.gnu.build-id" }) {
        try add("note-descsz-huge", .either) { $0.put(n.offset + 4, 4, 0xffff_fff0) }
        try add("note-namesz-huge", .either) { $0.put(n.offset, 4, 0xffff_fff0) }
    }
    try add("interp-no-terminator", .either) {
        guard let i = $0.section(".interp") else { return }
        for k in i.offset..<(i.offset + i.size) where $0.bytes[k] == 0 { $0.bytes[k] = 0x41 }
    }
    return count
}
