import ELFKit

/// Bytes at virtual addresses, the way Go's `debug/buildinfo` reads them. The Go layer reads
/// through this so that its decoders run on byte arrays in tests as well as on files.
public protocol AddressSpace {
    /// Up to `count` bytes at `address`: fewer where the mapping or the file ends.
    /// Nil when nothing maps `address` (Go's "unrecognized file format").
    func read(address: UInt64, count: Int) -> [UInt8]?

    /// The same bytes as `read`, lent to `body` without a copy where the implementation can;
    /// the buffer is valid only inside `body`. Nil buffer when nothing maps `address`.
    func withBytes<T>(address: UInt64, count: Int, _ body: (UnsafeRawBufferPointer?) -> T) -> T
}

extension AddressSpace {
    public func withBytes<T>(address: UInt64, count: Int, _ body: (UnsafeRawBufferPointer?) -> T) -> T {
        guard let bytes = read(address: address, count: count) else { return body(nil) }
        return bytes.withUnsafeBytes { body($0) }
    }
}

/// One flat mapping of bytes at a base address.
public struct ByteArrayAddressSpace: AddressSpace {
    public var base: UInt64
    public var bytes: [UInt8]
    public init(base: UInt64, bytes: [UInt8]) {
        self.base = base
        self.bytes = bytes
    }
    public func read(address: UInt64, count: Int) -> [UInt8]? {
        guard address >= base, address - base < UInt64(bytes.count) else { return nil }
        let start = Int(address - base)
        return Array(bytes[start..<min(bytes.count, start + max(0, min(count, bytes.count)))])
    }
}

/// An ELF file's address space as Go's reader sees it: the first program header of any type
/// whose range `[vaddr, vaddr+filesz-1]` holds the address, computed with the same
/// wrap-around Go has (a header with address 0 and no file bytes matches everything),
/// read up to the end of that header's file bytes and of the file.
public struct ELFAddressSpace: AddressSpace {
    public let file: ELFFile
    public init(_ file: ELFFile) { self.file = file }

    public func read(address: UInt64, count: Int) -> [UInt8]? {
        withBytes(address: address, count: count) { $0.map { Array($0) } }
    }

    public func withBytes<T>(address: UInt64, count: Int, _ body: (UnsafeRawBufferPointer?) -> T) -> T {
        for seg in file.segments where seg.virtualAddress <= address
            && address <= seg.virtualAddress &+ seg.fileSize &- 1 {
            let empty = UnsafeRawBufferPointer(start: nil, count: 0)
            guard seg.fileSize > 0 else { return body(empty) }
            let delta = address - seg.virtualAddress
            let available = seg.fileSize - delta
            let (offset, overflow) = seg.offset.addingReportingOverflow(delta)
            guard !overflow else { return body(empty) }
            return file.withBytes(atOffset: offset, count: Int(clamping: min(UInt64(max(0, count)), available)), body)
        }
        return body(nil)
    }
}
