import ELFKit

/// One entry of a tar stream (ustar, with GNU long names and PAX extended headers, as Go's
/// archive/tar, GNU tar, umoci and skopeo write them).
struct TarEntry {
    enum Kind: Equatable { case file, directory, symbolicLink, hardLink, special, other(UInt8) }
    var name: String
    var kind: Kind
    var mode: UInt32
    var size: Int
    var linkTarget: String
}

/// Reads entries in order; the caller reads or skips each entry's data.
final class TarReader {
    let input: BufferedStream
    let what: String
    /// Data of the current entry not yet read, and the padding after it.
    var dataLeft = 0
    var padding = 0
    var entries = 0

    init(_ input: BufferedStream, what: String) {
        self.input = input
        self.what = what
    }

    /// The next entry, nil at the end of the archive.
    func next() throws(Refusal) -> TarEntry? {
        try input.skip(dataLeft + padding, what: what)
        dataLeft = 0
        padding = 0
        var longName: String?
        var longLink: String?
        var pax: [String: String] = [:]
        while true {
            let block = try input.read(exactly: 512, what: what)
            // A missing end-of-archive marker is accepted (Go's reader does too); a partial
            // block is not.
            if block.isEmpty || block.allSatisfy({ $0 == 0 }) { return nil }
            entries += 1
            guard entries <= Limits.layerEntries else { throw Refusal("\(what): more than \(Limits.layerEntries) entries") }
            guard Self.checksumMatches(block) else { throw Refusal("\(what): damaged tar header at entry \(entries) (checksum)") }
            let type = block[156]
            let size = try Self.number(block[124..<136], field: "size", what: what)
            let padded = (size + 511) & ~511
            switch type {
            case UInt8(ascii: "x"), UInt8(ascii: "g"), UInt8(ascii: "L"), UInt8(ascii: "K"):
                guard size <= Limits.tarExtendedHeader else {
                    throw Refusal("\(what): oversize header: a \(Character(Unicode.Scalar(type))) record of \(size) bytes (at most \(Limits.tarExtendedHeader))")
                }
                let data = try input.read(exactly: size, what: what)
                guard data.count == size else { throw Refusal("truncated: \(what) ends inside a header record") }
                try input.skip(padded - size, what: what)
                switch type {
                case UInt8(ascii: "L"): longName = try Self.path(data.prefix { $0 != 0 }, what: what)
                case UInt8(ascii: "K"): longLink = try Self.path(data.prefix { $0 != 0 }, what: what)
                case UInt8(ascii: "x"): pax.merge(try Self.paxRecords(data, what: what)) { $1 }
                default: break  // global PAX headers: nothing plugincheck uses
                }
                continue
            default: break
            }
            var name = String(decoding: block[0..<100].prefix { $0 != 0 }, as: UTF8.self)
            if block[257..<262].elementsEqual("ustar".utf8) {
                let prefix = String(decoding: block[345..<500].prefix { $0 != 0 }, as: UTF8.self)
                if !prefix.isEmpty { name = prefix + "/" + name }
            }
            var link = String(decoding: block[157..<257].prefix { $0 != 0 }, as: UTF8.self)
            if let longName { name = longName }
            if let longLink { link = longLink }
            if let p = pax["path"] { name = p }
            if let l = pax["linkpath"] { link = l }
            var entrySize = size
            if let s = pax["size"] {
                guard let v = Int(s), v >= 0 else { throw Refusal("\(what): entry \(name): PAX size \(s) is not a size") }
                entrySize = v
            }
            let mode = UInt32(truncatingIfNeeded: (try? Self.number(block[100..<108], field: "mode", what: what)) ?? 0o644)
            let kind: TarEntry.Kind
            switch type {
            case 0, UInt8(ascii: "0"), UInt8(ascii: "7"): kind = name.hasSuffix("/") ? .directory : .file
            case UInt8(ascii: "1"): kind = .hardLink
            case UInt8(ascii: "2"): kind = .symbolicLink
            case UInt8(ascii: "3"), UInt8(ascii: "4"), UInt8(ascii: "6"): kind = .special
            case UInt8(ascii: "5"): kind = .directory
            default: kind = .other(type)
            }
            let hasData = kind == .file || (kind != .directory && kind != .hardLink && kind != .symbolicLink && kind != .special)
            guard entrySize <= Limits.layerFile else {
                throw Refusal("\(what): entry \(name): claimed size \(entrySize) bytes is over the limit of \(Limits.layerFile)")
            }
            dataLeft = hasData ? entrySize : 0
            padding = hasData ? ((entrySize + 511) & ~511) - entrySize : 0
            return TarEntry(name: name, kind: kind, mode: mode, size: hasData ? entrySize : 0, linkTarget: link)
        }
    }

    /// The current entry's data, in chunks; empty at its end.
    func readData(max: Int = 1 << 16) throws(Refusal) -> [UInt8] {
        guard dataLeft > 0 else { return [] }
        let part = try input.read(upTo: min(max, dataLeft))
        guard !part.isEmpty else { throw Refusal("truncated: \(what) ends inside an entry's data, \(dataLeft) bytes short") }
        dataLeft -= part.count
        return part
    }

    static func checksumMatches(_ block: [UInt8]) -> Bool {
        guard let stored = try? number(block[148..<156], field: "checksum", what: "") else { return false }
        var unsigned = 0, signed = 0
        for (i, b) in block.enumerated() {
            let v = (148..<156).contains(i) ? 0x20 : b
            unsigned += Int(v)
            signed += Int(Int8(bitPattern: v))
        }
        return stored == unsigned || stored == signed
    }

    /// An octal field (NUL- or space-terminated) or GNU's base-256 form.
    static func number(_ field: ArraySlice<UInt8>, field name: String, what: String) throws(Refusal) -> Int {
        if let first = field.first, first & 0x80 != 0 {
            guard first == 0x80 else { throw Refusal("\(what): tar \(name) field is negative or too large") }
            var v = 0
            for b in field.dropFirst() {
                guard v < (Int.max >> 8) else { throw Refusal("\(what): tar \(name) field is too large") }
                v = v << 8 | Int(b)
            }
            return v
        }
        var v = 0
        var digits = 0
        for b in field {
            if b == 0 || (b == 0x20 && digits > 0) { break }
            if b == 0x20 { continue }
            guard (0x30...0x37).contains(b) else { throw Refusal("\(what): tar \(name) field is not an octal number") }
            v = v * 8 + Int(b - 0x30)
            digits += 1
        }
        return v
    }

    static func path<C: Collection>(_ bytes: C, what: String) throws(Refusal) -> String where C.Element == UInt8 {
        guard bytes.count <= Limits.tarPath else { throw Refusal("\(what): a path of \(bytes.count) bytes (at most \(Limits.tarPath))") }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// "%d key=value\n" records.
    static func paxRecords(_ data: [UInt8], what: String) throws(Refusal) -> [String: String] {
        var out: [String: String] = [:]
        var i = 0
        while i < data.count {
            guard let space = data[i...].firstIndex(of: 0x20),
                  let length = Int(String(decoding: data[i..<space], as: UTF8.self)), length > space - i,
                  i + length <= data.count, data[i + length - 1] == 0x0a,
                  let eq = data[(space + 1)..<(i + length)].firstIndex(of: UInt8(ascii: "="))
            else { throw Refusal("\(what): damaged PAX header") }
            let key = String(decoding: data[(space + 1)..<eq], as: UTF8.self)
            let valueBytes = data[(eq + 1)..<(i + length - 1)]
            if key == "path" || key == "linkpath" {
                guard !valueBytes.contains(0) else { throw Refusal("\(what): PAX \(key) holds a NUL byte") }
                out[key] = try path(valueBytes, what: what)
            } else {
                out[key] = String(decoding: valueBytes, as: UTF8.self)
            }
            i += length
        }
        return out
    }
}
