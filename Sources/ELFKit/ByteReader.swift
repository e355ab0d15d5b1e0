/// Reads fixed-size integers from a byte array in a given byte order; reads past the end give 0.
public struct ByteReader: Sendable {
    public let bytes: [UInt8]
    public let bigEndian: Bool

    public init(_ bytes: [UInt8], bigEndian: Bool) {
        self.bytes = bytes
        self.bigEndian = bigEndian
    }

    public func uint(at offset: Int, size: Int) -> UInt64 {
        guard offset >= 0, size > 0, offset <= bytes.count - size else { return 0 }
        var v: UInt64 = 0
        for i in 0..<size {
            let b = UInt64(bytes[offset + (bigEndian ? i : size - 1 - i)])
            v = v << 8 | b
        }
        return v
    }

    public func uint32(at offset: Int) -> UInt32 { UInt32(truncatingIfNeeded: uint(at: offset, size: 4)) }
    public func uint64(at offset: Int) -> UInt64 { uint(at: offset, size: 8) }
}
