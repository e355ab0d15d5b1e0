import ELFKit
import Foundation
import TestSupport
import XCTest

/// The in-place symbol and relocation reader (what compare and audit read through) against
/// libelf's `gelf_getsym`/`gelf_getrela`/`elf_strptr`, entry by entry, on every ELF file of the
/// fixtures and the corpus, and on copies with damaged table headers.
final class InPlaceTablesTests: XCTestCase {
    func testAgreesWithLibELFOnFixturesAndCorpus() throws {
        var files = Paths.filesWithReference(under: Paths.fixtures, suffix: ".readelf.txt").map { Paths.fixtures.appendingPathComponent($0).path }
        files += Paths.filesWithReference(under: Paths.corpus, suffix: ".readelf.txt").map { Paths.corpus.appendingPathComponent($0).path }
        XCTAssertGreaterThanOrEqual(files.count, 60, "fixtures or corpus missing")
        var tables = 0
        for path in files {
            guard let file = try? ELFFile(path: path) else { continue }
            tables += compare(file, URL(fileURLWithPath: path).lastPathComponent)
        }
        XCTAssertGreaterThan(tables, 100)
    }

    /// Section sizes that are not a whole number of entries, tables marked compressed, a
    /// string table link to a section that is not one: both readers must refuse alike.
    func testAgreesWithLibELFOnDamagedTableHeaders() throws {
        let path = try Paths.fixture("plugin-handler-go1.25.5.so")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let file = try ELFFile(path: path)
        let targets = file.sections.filter { [.dynsym, .symtab, .rela].contains($0.type) }
        XCTAssertFalse(targets.isEmpty)
        for s in targets {
            let header = Int(file.header.sectionHeaderOffset) + s.index * 64
            func damaged(_ at: Int, _ value: UInt64, _ what: String) throws {
                var copy = bytes
                withUnsafeBytes(of: value.littleEndian) { for (i, b) in $0.enumerated() { copy[header + at + i] = b } }
                let f = try ELFFile(bytes: copy)
                _ = compare(f, "\(s.name) \(what)")
            }
            try damaged(32, s.size - 5, "size not a multiple")              // sh_size
            try damaged(8, s.flags | Section.compressedFlag, "compressed")  // sh_flags
            try damaged(40, UInt64(s.index) | UInt64(s.info) << 32, "linked to itself")  // sh_link, sh_info
            try damaged(24, UInt64(bytes.count) - 10, "offset near the end")  // sh_offset
        }
    }

    @discardableResult
    private func compare(_ file: ELFFile, _ name: String) -> Int {
        var tables = 0
        for (position, s) in file.sections.enumerated() {
            if s.type == .dynsym || s.type == .symtab {
                tables += 1
                let mine = file.symbols(inSection: position), libelf = file.libelfSymbols(inSection: position)
                XCTAssertEqual(mine.count, libelf.count, "\(name) \(s.name)")
                if mine != libelf, let i = Array(zip(mine, libelf)).firstIndex(where: { $0.0 != $0.1 }) {
                    XCTFail("\(name) \(s.name) symbol \(i): \(mine[i]) != \(libelf[i])")
                }
                // The byte comparisons agree with the names (valid UTF-8 ones: String repairs the others).
                file.withSymbolTable(s) { view in
                    for (i, sym) in libelf.enumerated() where i < view.count && !sym.name.contains("\u{FFFD}") {
                        let bytes = Array(sym.name.utf8)
                        let half = Array(bytes.prefix(bytes.count / 2)), tail = Array(bytes.suffix(bytes.count / 3))
                        if !view.name(i, equals: bytes) || !view.name(i, hasPrefix: half) || !view.name(i, hasSuffix: tail)
                            || view.name(i, equals: bytes + [0x41]) || view.name(i, hasPrefix: bytes + [0x41]) {
                            XCTFail("\(name) \(s.name) symbol \(i) \(sym.name): byte comparisons disagree")
                            return
                        }
                    }
                }
            }
            if s.type == .rela || s.type == .rel {
                tables += 1
                let mine = file.relocations(in: s), libelf = file.libelfRelocations(in: s)
                XCTAssertEqual(mine.count, libelf.count, "\(name) \(s.name)")
                if mine != libelf, let i = Array(zip(mine, libelf)).firstIndex(where: { $0.0 != $0.1 }) {
                    XCTFail("\(name) \(s.name) relocation \(i): \(mine[i]) != \(libelf[i])")
                }
            }
        }
        return tables
    }
}
