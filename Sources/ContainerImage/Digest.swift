import Crypto

/// An OCI content digest (image-spec descriptor.md, "Digests"): `sha256:` or `sha512:` and the
/// lowercase hex of the hash. A blob named by its digest is refused when its bytes hash to
/// another value: a damaged download or a changed image is never read as the image it claims
/// to be.
struct Digest: Equatable, CustomStringConvertible {
    enum Algorithm: String { case sha256, sha512 }
    var algorithm: Algorithm
    var hex: String

    /// Nil unless `text` is exactly `sha256:<64 hex>` or `sha512:<128 hex>` (so that a digest
    /// can also name a file under blobs/ and never a path outside it).
    init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let a = Algorithm(rawValue: String(parts[0])),
              parts[1].count == (a == .sha256 ? 64 : 128),
              parts[1].allSatisfy({ ("0"..."9").contains($0) || ("a"..."f").contains($0) }) else { return nil }
        algorithm = a
        hex = String(parts[1])
    }

    var description: String { "\(algorithm.rawValue):\(hex)" }
    /// `sha256:0123456789ab`, for messages.
    var short: String { "\(algorithm.rawValue):\(hex.prefix(12))" }
}

/// The hash of the bytes that pass through it, checked against a digest at the end.
final class DigestingStream: ByteStream {
    let source: ByteStream
    let expected: Digest
    /// What the bytes are, for the refusal (`layer 1 (sha256:...)`, `the configuration`).
    let what: String
    private var sha256 = SHA256()
    private var sha512 = SHA512()

    init(_ source: ByteStream, expected: Digest, what: String) {
        self.source = source
        self.expected = expected
        self.what = what
    }

    func next(max: Int) throws(Refusal) -> [UInt8] {
        let chunk = try source.next(max: max)
        switch expected.algorithm {
        case .sha256: sha256.update(data: chunk)
        case .sha512: sha512.update(data: chunk)
        }
        return chunk
    }

    /// Reads what is left (a tar's trailing blocks, a gzip trailer) and compares.
    func finish() throws(Refusal) {
        while !(try next(max: 1 << 16)).isEmpty {}
        let got: String
        switch expected.algorithm {
        case .sha256: got = sha256.finalize().map { Self.hexDigits($0) }.joined()
        case .sha512: got = sha512.finalize().map { Self.hexDigits($0) }.joined()
        }
        guard got == expected.hex else {
            throw Refusal("\(what): content does not match its digest \(expected.short) (\(expected.algorithm.rawValue):\(got.prefix(12)) read): the image is damaged or was changed")
        }
    }

    static func hexDigits(_ b: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(b >> 4)], digits[Int(b & 15)]])
    }
}
