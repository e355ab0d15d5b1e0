import Foundation
@testable import GoBinary
import XCTest

/// The blob decoder on byte arrays laid out as cmd/link writes them (the layout drawn in
/// BuildInfoBlob.swift), in both formats, both byte orders and both pointer sizes.
final class BuildInfoBlobTests: XCTestCase {
    static let module = "path\texample.com/p\nmod\texample.com/m\t(devel)\t\nbuild\tGOOS=linux\n"
    /// cmd/go frames the module info with 16 bytes on each side.
    static let framed = Array(repeating: UInt8(0x30), count: 16) + Array(module.utf8) + Array(repeating: UInt8(0xf2), count: 16)

    func uvarint(_ v: Int) -> [UInt8] {
        var v = UInt64(v), out: [UInt8] = []
        while v >= 0x80 { out.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }
        return out + [UInt8(v)]
    }

    func header(pointerSize: UInt8, flags: UInt8) -> [UInt8] {
        BuildInfoBlob.magic + [pointerSize, flags] + Array(repeating: 0, count: 16)
    }

    func testInlineFormat() throws {
        let base: UInt64 = 0x40_0000
        let bytes = header(pointerSize: 8, flags: 0x2) + uvarint(8) + Array("go1.25.5".utf8) + uvarint(Self.framed.count) + Self.framed
        let blob = try BuildInfoBlob.read(from: ByteArrayAddressSpace(base: base, bytes: bytes), dataStart: base, dataSize: UInt64(bytes.count))
        XCTAssertEqual(blob.format, .inline)
        XCTAssertEqual(blob.goVersion, "go1.25.5")
        XCTAssertEqual(blob.moduleInfo, Self.module)
        XCTAssertEqual(blob.address, base)
    }

    func testPointerFormatAllWidthsAndOrders() throws {
        for (size, bigEndian) in [(4, false), (4, true), (8, false), (8, true)] {
            let base: UInt64 = 0x1000
            func ptr(_ v: UInt64) -> [UInt8] {
                let le = (0..<size).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) }
                return bigEndian ? le.reversed() : le
            }
            // header (32) | version string header | module string header | version bytes | module bytes
            let versionHeader = base + 32, moduleHeader = versionHeader + UInt64(2 * size)
            let versionData = moduleHeader + UInt64(2 * size), moduleData = versionData + 7
            var bytes = BuildInfoBlob.magic + [UInt8(size), bigEndian ? 1 : 0] + ptr(versionHeader) + ptr(moduleHeader)
            bytes += Array(repeating: 0, count: 32 - bytes.count)
            bytes += ptr(versionData) + ptr(7) + ptr(moduleData) + ptr(UInt64(Self.framed.count))
            bytes += Array("go1.15.9".utf8.prefix(7)) + Self.framed
            let blob = try BuildInfoBlob.read(from: ByteArrayAddressSpace(base: base, bytes: bytes), dataStart: base, dataSize: UInt64(bytes.count))
            XCTAssertEqual(blob.format, .pointer)
            XCTAssertEqual(blob.pointerSize, size)
            XCTAssertEqual(blob.bigEndian, bigEndian)
            XCTAssertEqual(blob.goVersion, "go1.15.9".prefix(7).description)
            XCTAssertEqual(blob.moduleInfo, Self.module)
        }
    }

    /// Go's rules for what is not a Go executable, each from debug/buildinfo's source.
    func testRejections() {
        let base: UInt64 = 0x2000
        func read(_ bytes: [UInt8]) -> GoBuildInfoError? {
            do { _ = try BuildInfoBlob.read(from: ByteArrayAddressSpace(base: base, bytes: bytes), dataStart: base, dataSize: UInt64(bytes.count)); return nil }
            catch { return error }
        }
        // No magic at all.
        XCTAssertEqual(read(Array(repeating: 0, count: 256)), .notGoExecutable)
        // A magic only at a misaligned address is skipped.
        XCTAssertEqual(read([0, 0, 0] + header(pointerSize: 8, flags: 2) + Array(repeating: 0, count: 64)), .notGoExecutable)
        // A varint length of 16 TB: the read comes up short, nothing is allocated for it.
        XCTAssertEqual(read(header(pointerSize: 8, flags: 2) + uvarint(16 << 40) + Array(repeating: 0x41, count: 64)), .notGoExecutable)
        // Pointer format with pointers leading outside the mapping: an empty version.
        XCTAssertEqual(read(header(pointerSize: 8, flags: 0).enumerated().map { $0.offset >= 16 ? 0xee : $0.element } + Array(repeating: 0, count: 32)), .notGoExecutable)
        // A pointer size other than 4 or 8.
        XCTAssertEqual(read(header(pointerSize: 3, flags: 0) + Array(repeating: 0, count: 32)), .notGoExecutable)
        // Nothing maps the data start: Go calls that an unrecognized format.
        XCTAssertEqual((try? BuildInfoBlob.read(from: ByteArrayAddressSpace(base: base, bytes: [1]), dataStart: 0x10, dataSize: 64)) == nil, true)
        // Module info shorter than 33 bytes counts as none.
        let short = header(pointerSize: 8, flags: 2) + uvarint(4) + Array("go1x".utf8) + uvarint(20) + Array(repeating: 0x41, count: 20)
        XCTAssertEqual(try? BuildInfoBlob.read(from: ByteArrayAddressSpace(base: base, bytes: short), dataStart: base, dataSize: UInt64(short.count)).moduleInfo, "")
    }

    func testGoVersionParsing() {
        let v = GoVersion("go1.25.5 X:boringcrypto")
        XCTAssertEqual(v?.minorVersion, "1.25")
        XCTAssertEqual(v?.patch, 5)
        XCTAssertEqual(v?.suffix, " X:boringcrypto")
        XCTAssertEqual(GoVersion("go1.19")?.number, "1.19.0")
        XCTAssertEqual(GoVersion("go1.21rc2")?.prerelease, "rc2")
        XCTAssertNil(GoVersion("devel"))
        XCTAssertLessThan(GoVersion("go1.24.11")!, GoVersion("go1.25.4")!)
    }
}
