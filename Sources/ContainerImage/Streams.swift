import CZlib
import ELFKit

/// A source of bytes read in order; an empty chunk is its end.
protocol ByteStream: AnyObject {
    func next(max: Int) throws(Refusal) -> [UInt8]
}

/// `size` bytes of a file from `offset`, read with pread.
final class FileRange: ByteStream {
    let file: ReadableFile
    var offset: Int
    let end: Int

    init(file: ReadableFile, offset: Int, size: Int) {
        self.file = file
        self.offset = offset
        self.end = offset + size
    }

    func next(max: Int) throws(Refusal) -> [UInt8] {
        let want = min(max, end - offset)
        guard want > 0 else { return [] }
        let got: [UInt8]
        do { got = try file.read(offset: offset, count: want) } catch { throw Refusal("cannot read \(file.path): \(error)") }
        guard !got.isEmpty else { throw Refusal("truncated: \(file.path) ends at byte \(offset), \(end - offset) bytes short") }
        offset += got.count
        return got
    }
}

/// gzip (one or more members, as `gzip` and Go's `compress/gzip` write) through zlib's inflate.
final class GzipStream: ByteStream {
    let source: ByteStream
    let name: String
    var stream = z_stream()
    var input: [UInt8] = []
    var inputUsed = 0
    var sourceDone = false
    var finished = false
    var memberEnded = false

    init(_ source: ByteStream, name: String) throws(Refusal) {
        self.source = source
        self.name = name
        // 15 + 16: gzip only (not raw zlib), 32 KiB window.
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Refusal("\(name): zlib cannot start")
        }
    }

    deinit { inflateEnd(&stream) }

    func next(max: Int) throws(Refusal) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: max)
        var produced = 0
        while produced == 0 && !finished {
            if inputUsed == input.count && !sourceDone {
                input = try source.next(max: 1 << 16)
                inputUsed = 0
                if input.isEmpty { sourceDone = true }
            }
            if memberEnded {
                // Another gzip member follows, or the stream ends here.
                if inputUsed == input.count {
                    if sourceDone { finished = true; break }
                    continue
                }
                inflateReset(&stream)
                memberEnded = false
            }
            if inputUsed == input.count && sourceDone {
                throw Refusal("truncated: \(name): the gzip stream ends before its end marker")
            }
            let available = input.count - inputUsed
            let rc: Int32 = input.withUnsafeMutableBufferPointer { inBuf in
                out.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_in = inBuf.baseAddress! + inputUsed
                    stream.avail_in = UInt32(available)
                    stream.next_out = outBuf.baseAddress! + produced
                    stream.avail_out = UInt32(max - produced)
                    let rc = inflate(&stream, Z_NO_FLUSH)
                    inputUsed += available - Int(stream.avail_in)
                    produced = max - Int(stream.avail_out)
                    stream.next_in = nil
                    stream.next_out = nil
                    return rc
                }
            }
            switch rc {
            case Z_OK, Z_BUF_ERROR: break
            case Z_STREAM_END: memberEnded = true
            default:
                let why = stream.msg.map { String(cString: $0) } ?? "error \(rc)"
                throw Refusal("\(name): damaged gzip data (\(why))")
            }
        }
        return Array(out.prefix(produced))
    }
}

/// Reads exact counts from a stream, keeping what it read ahead.
final class BufferedStream {
    let source: ByteStream
    var buffer: [UInt8] = []
    var position = 0

    init(_ source: ByteStream) { self.source = source }

    /// Up to `count` bytes (fewer only at the end of the stream).
    func read(upTo count: Int) throws(Refusal) -> [UInt8] {
        if position == buffer.count {
            buffer = try source.next(max: Swift.max(count, 1 << 16))
            position = 0
        }
        let n = min(count, buffer.count - position)
        defer { position += n }
        return Array(buffer[position..<position + n])
    }

    /// Exactly `count` bytes; an empty array at the end of the stream; fewer is a truncation.
    func read(exactly count: Int, what: String) throws(Refusal) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count {
            let part = try read(upTo: count - out.count)
            if part.isEmpty {
                if out.isEmpty { return [] }
                throw Refusal("truncated: \(what) ends \(count - out.count) bytes early")
            }
            out += part
        }
        return out
    }

    func skip(_ count: Int, what: String) throws(Refusal) {
        var left = count
        while left > 0 {
            let part = try read(upTo: min(left, 1 << 16))
            if part.isEmpty { throw Refusal("truncated: \(what) ends \(left) bytes early") }
            left -= part.count
        }
    }
}

/// What a blob's first bytes say it is.
enum Compression {
    case none, gzip, zstd, other(String)

    static func of(_ head: [UInt8]) -> Compression {
        if head.starts(with: [0x1f, 0x8b]) { return .gzip }
        if head.starts(with: [0x28, 0xb5, 0x2f, 0xfd]) { return .zstd }
        if head.starts(with: [0x42, 0x5a, 0x68]) { return .other("bzip2") }
        if head.starts(with: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) { return .other("xz") }
        return .none
    }
}
