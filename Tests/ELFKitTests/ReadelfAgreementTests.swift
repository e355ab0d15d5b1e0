import ELFKit
import Foundation
import TestSupport
import XCTest

/// The ELF layer against binutils: every file that has a recorded `readelf` output beside it
/// (the generated fixtures and the shared corpus) must give the same facts.
final class ReadelfAgreementTests: XCTestCase {
    func testFixturesAgreeWithReadelf() throws {
        let files = Paths.filesWithReference(under: Paths.fixtures, suffix: ".readelf.txt")
        XCTAssertGreaterThanOrEqual(files.count, 20, "fixtures missing: run scripts/fixtures")
        for f in files { try check(Paths.fixtures.appendingPathComponent(f).path) }
    }

    func testCorpusAgreesWithReadelf() throws {
        let files = Paths.filesWithReference(under: Paths.corpus, suffix: ".readelf.txt")
        XCTAssertGreaterThanOrEqual(files.count, 40, "corpus missing at \(Paths.corpus.path)")
        for f in files { try check(Paths.corpus.appendingPathComponent(f).path) }
    }

    func check(_ path: String, line: UInt = #line) throws {
        // Note descriptions can hold arbitrary bytes; decode leniently.
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path + ".readelf.txt")), as: UTF8.self)
        let ref = ReadelfReference(text: text)
        let name = URL(fileURLWithPath: path).lastPathComponent
        guard !text.hasPrefix("readelf: Error: Not an ELF file") else {
            XCTAssertThrowsError(try ELFFile(path: path), "\(name) is not ELF") { error in
                XCTAssertEqual(error as? ELFError, .notELF, name)
            }
            return
        }
        let file = try ELFFile(path: path)
        let h = file.header
        XCTAssertEqual(h.elfClass.description, ref.header["Class"], name)
        XCTAssertEqual(h.dataEncoding == .littleEndian ? "2's complement, little endian" : "2's complement, big endian",
                       ref.header["Data"], name)
        XCTAssertEqual(h.osABI.description, ref.header["OS/ABI"], name)
        XCTAssertEqual(String(h.abiVersion), ref.header["ABI Version"], name)
        XCTAssertEqual(h.type.description, ref.header["Type"]?.split(separator: " ").first.map(String.init), name)
        XCTAssertEqual(h.machine.readelfName, ref.header["Machine"], name)
        XCTAssertEqual("0x" + String(h.entry, radix: 16), ref.header["Entry point address"], name)
        XCTAssertEqual("0x" + String(h.flags, radix: 16), ref.header["Flags"]?.split(separator: ",").first.map(String.init), name)
        XCTAssertEqual(String(h.programHeaderCount), ref.header["Number of program headers"], name)
        XCTAssertEqual(String(h.sectionHeaderCount), ref.header["Number of section headers"]?.split(separator: " ").first.map(String.init), name)

        if ref.sawProgramHeaders {
            XCTAssertEqual(file.segments.map { $0.type.readelfName(machine: h.machine) }, ref.programHeaders.map(\.type), name)
            for (s, r) in zip(file.segments, ref.programHeaders) {
                XCTAssertEqual(s.offset, r.offset, "\(name) \(r.type)")
                XCTAssertEqual(s.virtualAddress, r.virtualAddress, "\(name) \(r.type)")
                XCTAssertEqual(s.physicalAddress, r.physicalAddress, "\(name) \(r.type)")
                XCTAssertEqual(s.fileSize, r.fileSize, "\(name) \(r.type)")
                XCTAssertEqual(s.memorySize, r.memorySize, "\(name) \(r.type)")
                XCTAssertEqual(s.alignment, r.alignment, "\(name) \(r.type)")
                let flags = [(Segment.readableFlag, "R"), (Segment.writableFlag, "W"), (Segment.executableFlag, "E")]
                    .filter { s.flags & $0.0 != 0 }.map(\.1).joined(separator: " ")
                XCTAssertEqual(flags, r.flags.replacingOccurrences(of: "RW", with: "R W"), "\(name) \(r.type)")
            }
            XCTAssertEqual(file.interpreter, ref.interpreter, name)
        }
        if ref.sawDynamic {
            XCTAssertEqual(file.needed, ref.dynamicStrings("NEEDED"), name)
            XCTAssertEqual(file.soname, ref.dynamicStrings("SONAME").first, name)
            XCTAssertEqual(file.rpath, ref.dynamicStrings("RPATH").first, name)
            XCTAssertEqual(file.runpath, ref.dynamicStrings("RUNPATH").first, name)
            var refFlags: [String] = []
            for entry in ref.dynamic where entry.tag == "FLAGS" {
                refFlags += entry.value.split(separator: " ").map(String.init)
            }
            for entry in ref.dynamic where entry.tag == "FLAGS_1" {
                refFlags += entry.value.split(separator: " ").dropFirst().map(String.init)  // drop "Flags:"
            }
            XCTAssertEqual(file.dynamicFlags.names, refFlags, name)
            // readelf lists the entries up to and including DT_NULL.
            XCTAssertEqual(file.dynamicEntries.count, max(0, ref.dynamic.count - 1), name)
        }
        if ref.sawSections {
            let ours = file.sections
            XCTAssertEqual(ours.map(\.name), ref.sections.map(\.name), name)
            XCTAssertEqual(ours.map(\.type.description), ref.sections.map(\.type), name)
            XCTAssertEqual(ours.map(\.address), ref.sections.map(\.address), name)
            XCTAssertEqual(ours.map(\.offset), ref.sections.map(\.offset), name)
            XCTAssertEqual(ours.map(\.size), ref.sections.map(\.size), name)
            XCTAssertEqual(file.hasSymbolTable, ref.sections.contains { $0.type == "SYMTAB" }, name)
            XCTAssertEqual(file.gnuBuildID, ref.buildID, name)
            if let n = ref.dynsymCount {
                XCTAssertEqual(file.symbols(.dynamic).count, n, name)
            }
            if ref.sawVersionNeeds {
                XCTAssertEqual(file.versionNeeds.map(\.file), ref.versionNeeds.map(\.file), name)
                XCTAssertEqual(file.versionNeeds.map(\.versions), ref.versionNeeds.map(\.versions), name)
            } else {
                XCTAssertEqual(file.versionNeeds.count, 0, name)
            }
        }
    }
}
