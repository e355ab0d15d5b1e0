/// What glibc's loader reads of the GNU symbol versioning tables (elf/dl-version.c,
/// elf/dl-lookup.c): the version each dynamic symbol has (`.gnu.version`), the versions an
/// object defines (`.gnu.version_d`) and the ones it requires, with their indices and flags
/// (`.gnu.version_r`). Read from the raw section bytes, bounded by the sections' sizes.
public struct VersionDefinition: Hashable, Sendable {
    /// `vd_ndx`: what `.gnu.version` entries of the symbols it defines hold.
    public var index: UInt16
    /// `vd_flags` (`VER_FLG_BASE` 1: the object's own name, not a version).
    public var flags: UInt16
    public var name: String
}

/// One required version (`Elfxx_Vernaux`) with the library it is required from.
public struct VersionRequirement: Hashable, Sendable {
    /// `vn_file`: the library, as named in `DT_NEEDED`.
    public var file: String
    public var name: String
    /// `vna_other`: what `.gnu.version` entries of the symbols bound to it hold.
    public var index: UInt16
    /// `VER_FLG_WEAK` (2): a missing weak version is not an error.
    public var weak: Bool
}

extension ELFFile {
    private func rawTable(_ type: SectionType) -> (bytes: [UInt8], strtab: Int, count: Int)? {
        guard let s = sections.first(where: { $0.type == type }), let b = contents(of: s) else { return nil }
        return (b, Int(s.link), Int(s.info))
    }

    private var reader: (([UInt8]) -> ByteReader) { { ByteReader($0, bigEndian: self.header.dataEncoding == .bigEndian) } }

    /// `.gnu.version_d`, in table order; empty without one.
    public func versionDefinitions() -> [VersionDefinition] {
        guard let (bytes, strtab, count) = rawTable(.gnuVersionDefinition) else { return [] }
        let r = reader(bytes)
        var out: [VersionDefinition] = []
        var offset = 0
        // Elfxx_Verdef: vd_version u16, vd_flags u16, vd_ndx u16, vd_cnt u16, vd_hash u32,
        // vd_aux u32, vd_next u32; Elfxx_Verdaux: vda_name u32, vda_next u32.
        for _ in 0..<min(count, Limits.symbolVersions, bytes.count / 20 + 1) {
            guard offset >= 0, offset + 20 <= bytes.count else { break }
            let flags = UInt16(truncatingIfNeeded: r.uint(at: offset + 2, size: 2))
            let index = UInt16(truncatingIfNeeded: r.uint(at: offset + 4, size: 2))
            let aux = offset + Int(r.uint32(at: offset + 12))
            if aux + 8 <= bytes.count {
                let name = handle.string(table: strtab, offset: Int(r.uint32(at: aux))) ?? ""
                out.append(VersionDefinition(index: index, flags: flags, name: name))
            }
            let next = Int(r.uint32(at: offset + 16))
            guard next > 0 else { break }
            offset += next
        }
        return out
    }

    /// `.gnu.version_r` entry by entry, in table order (the order glibc checks them in).
    public func versionRequirements() -> [VersionRequirement] {
        guard let (bytes, strtab, count) = rawTable(.gnuVersionNeed) else { return [] }
        let r = reader(bytes)
        var out: [VersionRequirement] = []
        var offset = 0
        // Elfxx_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32;
        // Elfxx_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
        for _ in 0..<min(count, Limits.symbolVersions, bytes.count / 16 + 1) {
            guard offset >= 0, offset + 16 <= bytes.count else { break }
            let cnt = Int(r.uint(at: offset + 2, size: 2))
            let file = handle.string(table: strtab, offset: Int(r.uint32(at: offset + 4))) ?? ""
            var aux = offset + Int(r.uint32(at: offset + 8))
            for _ in 0..<cnt {
                guard aux + 16 <= bytes.count, out.count < Limits.symbolVersions else { break }
                let flags = r.uint(at: aux + 4, size: 2)
                let other = UInt16(truncatingIfNeeded: r.uint(at: aux + 6, size: 2))
                let name = handle.string(table: strtab, offset: Int(r.uint32(at: aux + 8))) ?? ""
                out.append(VersionRequirement(file: file, name: name, index: other, weak: flags & 2 != 0))
                let next = Int(r.uint32(at: aux + 12))
                guard next > 0 else { break }
                aux += next
            }
            let next = Int(r.uint32(at: offset + 12))
            guard next > 0 else { break }
            offset += next
        }
        return out
    }

    /// `.gnu.version`: one entry per `.dynsym` symbol (bit 15 = hidden); nil without one.
    public func symbolVersionIndices() -> [UInt16]? {
        guard let s = sections.first(where: { $0.type == .gnuVersionSymbols }), let b = contents(of: s) else { return nil }
        let r = reader(b)
        return (0..<(b.count / 2)).map { UInt16(truncatingIfNeeded: r.uint(at: $0 * 2, size: 2)) }
    }
}
