import ELFKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The raw `.go.buildinfo` contents: the toolchain version and the framed module info text.
///
/// Blob layout (writer: cmd/link/internal/ld/data.go):
///
///     offset 0   14 bytes  magic "\xff Go buildinf:"
///     offset 14  1 byte    pointer size (4 or 8)
///     offset 15  1 byte    flags: bit 0 big-endian, bit 1 strings inline (Go 1.18+)
///     offset 16  Go 1.18+: uvarint len, version bytes, uvarint len, module info bytes
///                Go 1.13-1.17: two pointers to Go string headers {data, len}
///                          (runtime.buildVersion, runtime.modinfo)
public struct BuildInfoBlob: Hashable, Sendable {
    static let magic: [UInt8] = [0xff] + Array(" Go buildinf:".utf8)
    static let headerSize = 32
    static let alignment: UInt64 = 16
    static let pointerSizeOffset = 14
    static let flagsOffset = 15
    static let bigEndianFlag: UInt8 = 0x1
    static let inlineStringsFlag: UInt8 = 0x2
    /// Go reads the data segment in chunks of this size when searching for the magic.
    static let searchChunkSize: UInt64 = 1 << 20
    /// Longest uvarint Go reads for a string length.
    static let maxVarintLength = 10

    public enum Format: String, Sendable, Codable {
        /// Go 1.18+: strings stored inline after the header.
        case inline
        /// Go 1.13 to 1.17: pointers to string headers.
        case pointer
    }

    /// Virtual address of the blob's header.
    public var address: UInt64
    public var format: Format
    public var pointerSize: Int
    public var bigEndian: Bool
    /// The toolchain version, e.g. `go1.25.5`.
    public var goVersion: String
    /// The module info text with its 16-byte frames removed; empty when absent or too short.
    public var moduleInfo: String

    /// Finds and decodes the blob the way Go's `debug/buildinfo` does, including its quirks,
    /// so that files it rejects are rejected here with the same error.
    public static func read(from file: ELFFile) throws(GoBuildInfoError) -> BuildInfoBlob {
        let (start, size) = dataStart(of: file)
        return try read(from: ELFAddressSpace(file), dataStart: start, dataSize: size)
    }

    /// Where Go looks: the `.go.buildinfo` section, or else the first loadable segment that
    /// is writable and not executable.
    public static func dataStart(of file: ELFFile) -> (address: UInt64, size: UInt64) {
        if let s = file.section(named: ".go.buildinfo") { return (s.address, s.size) }
        if let p = file.segments.first(where: { $0.type == .load && $0.isWritable && !$0.isExecutable }) {
            return (p.virtualAddress, p.memorySize)
        }
        return (0, 0)
    }

    public static func read(from space: AddressSpace, dataStart: UInt64, dataSize: UInt64) throws(GoBuildInfoError) -> BuildInfoBlob {
        guard dataSize > 0 else { throw .notGoExecutable }
        let address = try searchMagic(space, start: dataStart, size: dataSize)
        let header = try readExactly(space, address, headerSize)
        let flags = header[flagsOffset]
        var version: [UInt8], module: [UInt8]
        let format: Format
        let pointerSize = Int(header[pointerSizeOffset])
        let bigEndian = flags & bigEndianFlag != 0
        if flags & inlineStringsFlag != 0 {
            format = .inline
            let (v, next) = try decodeString(space, address + UInt64(headerSize))
            (version, module) = (v, try decodeString(space, next).bytes)
        } else {
            format = .pointer
            guard pointerSize == 4 || pointerSize == 8 else { throw .notGoExecutable }
            let reader = ByteReader(header, bigEndian: bigEndian)
            let versionPointer = reader.uint(at: 16, size: pointerSize)
            let modulePointer = reader.uint(at: 16 + pointerSize, size: pointerSize)
            version = readStringHeader(space, versionPointer, pointerSize: pointerSize, bigEndian: bigEndian)
            module = readStringHeader(space, modulePointer, pointerSize: pointerSize, bigEndian: bigEndian)
        }
        guard !version.isEmpty else { throw .notGoExecutable }
        // The text is framed by 16 bytes on each side (not UTF-8, so cut before decoding);
        // Go checks only the newline before the end frame, and treats anything shorter as
        // no module info.
        var text = ""
        if module.count >= 33 && module[module.count - 17] == UInt8(ascii: "\n") {
            text = String(decoding: module[16..<(module.count - 16)], as: UTF8.self)
        }
        return BuildInfoBlob(address: address, format: format, pointerSize: pointerSize, bigEndian: bigEndian,
                             goVersion: String(decoding: version, as: UTF8.self), moduleInfo: text)
    }

    /// The first 16-byte-aligned magic in `[start, start+size)`, searched chunk by chunk.
    /// Mirrors Go's loop exactly, including that after skipping a misaligned magic the
    /// index it returns is relative to the rest of the chunk.
    static func searchMagic(_ space: AddressSpace, start: UInt64, size: UInt64) throws(GoBuildInfoError) -> UInt64 {
        let (end, overflow) = start.addingReportingOverflow(size)
        guard !overflow else { throw .unrecognizedFormat }
        var start = (start &+ alignment &- 1) & ~(alignment - 1)
        guard start < end else { throw .notGoExecutable }
        while start < end {
            let remaining = end - start
            let chunk = min(searchChunkSize, remaining)
            enum Step { case found(UInt64), next, fail(GoBuildInfoError) }
            // Searched in place (the file is mapped), not copied.
            let step = space.withBytes(address: start, count: Int(chunk)) { buffer -> Step in
                guard let buffer else { return .fail(.unrecognizedFormat) }
                guard buffer.count > 0 else { return .fail(.notGoExecutable) }
                var data = buffer[...]
                while !data.isEmpty {
                    guard let found = firstIndex(of: magic, in: UnsafeRawBufferPointer(rebasing: data)) else { break }
                    let i = UInt64(found)
                    if remaining < i || remaining - i < UInt64(headerSize) { return .fail(.notGoExecutable) }
                    if i % alignment != 0 {
                        let next = Int((i + alignment - 1) & ~(alignment - 1))
                        if next > data.count { return .fail(.notGoExecutable) }
                        data = data[(data.startIndex + next)...]
                        continue
                    }
                    return .found(start + i)
                }
                return .next
            }
            switch step {
            case .found(let address): return address
            case .fail(let error): throw error
            case .next: start += chunk
            }
        }
        throw .notGoExecutable
    }

    /// The offset of the first occurrence of `needle` in `hay`: memchr (vectorised in libc)
    /// finds candidates for the first byte, memcmp checks the rest.
    static func firstIndex(of needle: [UInt8], in hay: UnsafeRawBufferPointer) -> Int? {
        needle.withUnsafeBytes { firstOccurrence(of: $0, in: hay) }
    }

    static func firstIndex(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        haystack.withUnsafeBytes { firstIndex(of: needle, in: $0).map { haystack.startIndex + $0 } }
    }

    /// Exactly `count` bytes, or the error Go gives for a short or unmapped read.
    static func readExactly(_ space: AddressSpace, _ address: UInt64, _ count: Int) throws(GoBuildInfoError) -> [UInt8] {
        guard let b = space.read(address: address, count: count) else { throw .unrecognizedFormat }
        guard b.count == count else { throw .notGoExecutable }
        return b
    }

    /// A uvarint length followed by that many bytes; returns the string and the next address.
    static func decodeString(_ space: AddressSpace, _ address: UInt64) throws(GoBuildInfoError) -> (bytes: [UInt8], next: UInt64) {
        let prefix = try readExactly(space, address, maxVarintLength)
        guard let (length, n) = uvarint(prefix) else { throw .notGoExecutable }
        let dataAddress = address &+ UInt64(n)
        // A length beyond any readable range is reported as Go does, without allocating it.
        guard length <= UInt64(Int32.max) else { throw .notGoExecutable }
        let bytes = try readExactly(space, dataAddress, Int(length))
        return (bytes, dataAddress &+ length)
    }

    /// Go's `binary.Uvarint`: nil when the buffer ends first or the value overflows 64 bits.
    static func uvarint(_ b: [UInt8]) -> (UInt64, Int)? {
        var x: UInt64 = 0
        var shift: UInt64 = 0
        for (i, byte) in b.enumerated() {
            if i == maxVarintLength { return nil }
            if byte < 0x80 {
                if i == maxVarintLength - 1 && byte > 1 { return nil }
                return (x | UInt64(byte) << shift, i + 1)
            }
            x |= UInt64(byte & 0x7f) << shift
            shift += 7
        }
        return nil
    }

    /// A Go string header {data, len} at `address`; empty on any failure, as in Go.
    static func readStringHeader(_ space: AddressSpace, _ address: UInt64, pointerSize: Int, bigEndian: Bool) -> [UInt8] {
        guard let header = space.read(address: address, count: 2 * pointerSize), header.count == 2 * pointerSize else { return [] }
        let reader = ByteReader(header, bigEndian: bigEndian)
        let data = reader.uint(at: 0, size: pointerSize)
        let length = reader.uint(at: pointerSize, size: pointerSize)
        guard length <= UInt64(Int32.max), let bytes = space.read(address: data, count: Int(length)),
              bytes.count == Int(length) else { return [] }
        return bytes
    }
}
