import DynamicLoading
import ELFKit
import Foundation
import TestSupport
import XCTest

/// Facts readelf does not print in the recorded form, checked against other references.
final class ELFFileTests: XCTestCase {
    /// glibc versions: the gateway's highest requirement is what `readelf -V` lists.
    func testHighestGlibcVersionOfGateway() throws {
        let file = try ELFFile(path: try Paths.fixture("gateway-go1.25.5"))
        XCTAssertEqual(file.libcFlavour, .glibc)
        let all = file.versionNeeds.flatMap(\.versions).compactMap(GlibcVersion.init(symbolVersion:))
        XCTAssertFalse(all.isEmpty)
        XCTAssertEqual(file.highestGlibcVersion, all.max())
        XCTAssertEqual(GlibcVersion(symbolVersion: "GLIBC_2.3.2")! < GlibcVersion(symbolVersion: "GLIBC_2.34")!, true)
        XCTAssertNil(GlibcVersion(symbolVersion: "GLIBC_PRIVATE"))
    }

    func testLibcFlavours() throws {
        XCTAssertEqual(try ELFFile(path: try Paths.fixture("gateway-go1.25.5-musl")).libcFlavour, .musl)
        XCTAssertEqual(try ELFFile(path: try Paths.fixture("gateway-go1.25.5-nocgo")).libcFlavour, .none)
        XCTAssertEqual(try ELFFile(path: try Paths.fixture("plugin-handler-go1.25.5.so")).libcFlavour, .glibc)
        XCTAssertEqual(try ELFFile(path: try Paths.fixture("gateway-go1.25.5-arm64")).libcFlavour, .glibc)
    }

    /// Bytes at a virtual address equal the bytes at the file offset that `readelf -S`
    /// gives for the section holding that address.
    func testBytesAtAddressFollowSegments() throws {
        let path = try Paths.fixture("plugin-handler-go1.25.5.so")
        let file = try ELFFile(path: path)
        let rodata = try XCTUnwrap(file.section(named: ".rodata"))
        let viaAddress = file.bytes(atAddress: rodata.address + 64, count: 32)
        XCTAssertEqual(viaAddress, file.bytes(atOffset: rodata.offset + 64, count: 32))
        XCTAssertNil(file.bytes(atAddress: 0xffff_ffff_0000, count: 8), "unmapped address")
        let bss = try XCTUnwrap(file.section(named: ".bss"))
        XCTAssertNil(file.bytes(atAddress: bss.address + bss.size - 1, count: 1), "NOBITS data is not in the file")
    }

    /// Relocations: `readelf -r` counts the entries of .rela.dyn; the RELATIVE ones are type 8 on x86-64.
    func testDynamicRelocationsMatchReadelf() throws {
        let path = try Paths.fixture("plugin-handler-go1.25.5.so")
        let file = try ELFFile(path: path)
        let r = try ProcessResult.run("/usr/bin/readelf", ["-r", "-W", path])
        let header = r.stdout.split(separator: "\n").first { $0.hasPrefix("Relocation section '.rela.dyn'") }
        let words = header.map { $0.split(separator: " ").map(String.init) } ?? []
        let count = words.firstIndex(of: "contains").flatMap { Int(words[$0 + 1]) }
        XCTAssertEqual(file.dynamicRelocations.count, count)
        let relative = r.stdout.split(separator: "\n").filter { $0.contains("R_X86_64_RELATIVE") }.count
        XCTAssertEqual(file.dynamicRelocations.filter { $0.type == 8 }.count, relative)
        let named = r.stdout.split(separator: "\n").filter { $0.contains("R_X86_64_64") && $0.contains("go:link.pkghash.") }.count
        XCTAssertEqual(file.dynamicRelocations.filter { $0.type == 1 && ($0.symbolName?.hasPrefix("go:link.pkghash.") ?? false) }.count, named)
        XCTAssertGreaterThan(named, 10)
    }

    func testStrippedFilesHaveNoSymbolTable() throws {
        XCTAssertFalse(try ELFFile(path: try Paths.fixture("plugin-handler-go1.25.5-strip.so")).hasSymbolTable)
        XCTAssertFalse(try ELFFile(path: try Paths.fixture("plugin-handler-go1.25.5-ldflags-sw.so")).hasSymbolTable)
        XCTAssertTrue(try ELFFile(path: try Paths.fixture("plugin-handler-go1.25.5.so")).hasSymbolTable)
    }

    func testBadInputGivesErrorsNotCrashes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("elfkit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func expect(_ path: String, _ want: ELFError, line: UInt = #line) {
            XCTAssertThrowsError(try ELFFile(path: path), line: line) { XCTAssertEqual($0 as? ELFError, want, line: line) }
        }
        expect(dir.appendingPathComponent("missing").path, .cannotOpen(.noSuchFile))
        expect(dir.path, .notRegularFile(.directory))
        expect("/dev/zero", .notRegularFile(.characterDevice))
        let empty = dir.appendingPathComponent("empty.so")
        XCTAssertTrue(FileManager.default.createFile(atPath: empty.path, contents: Data()))
        expect(empty.path, .tooShort)
        let text = dir.appendingPathComponent("text.so")
        XCTAssertTrue(FileManager.default.createFile(atPath: text.path, contents: Data("not an elf file\n".utf8)))
        expect(text.path, .notELF)
        // A real plugin cut inside its program header table.
        let plugin = try Data(contentsOf: URL(fileURLWithPath: try Paths.fixture("plugin-handler-go1.25.5.so")))
        let cut = dir.appendingPathComponent("cut.so")
        try plugin.prefix(100).write(to: cut)
        XCTAssertThrowsError(try ELFFile(path: cut.path)) { error in
            guard case .malformed = error as? ELFError else { return XCTFail("\(error)") }
        }
        let header = dir.appendingPathComponent("header.so")
        try plugin.prefix(40).write(to: header)
        expect(header.path, .tooShort)
    }
}
