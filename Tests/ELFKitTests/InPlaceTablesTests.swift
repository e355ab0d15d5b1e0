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

    /// The string-table searches (memmem, then one pass over the name offsets) give the entries
    /// libelf's names say, for prefixes, exact names, names that are the tail of others, and
    /// alternatives searched together; and the one-pass relocation filters (by offset window,
    /// by type and symbol) the entries libelf gives: on every corpus file (other machines, 32-bit and
    /// big-endian tables) and on fixtures of each kind compare and audit read.
    func testStringTableSearchesAgreeWithLibELFNames() throws {
        var files = Paths.filesWithReference(under: Paths.corpus, suffix: ".readelf.txt").map { Paths.corpus.appendingPathComponent($0).path }
        for f in ["plugin-handler-go1.25.5.so", "plugin-handler-go1.19.so", "plugin-handler-go1.25.5-strip.so", "plugin-handler-go1.25.5-386.so",
                  "plugin-handler-go1.25.5-arm64.so", "gateway-go1.25.5", "krakend-lura-go1.24.11"] {
            files.append(try Paths.fixture(f))
        }
        XCTAssertGreaterThanOrEqual(files.count, 40, "fixtures or corpus missing")
        var tables = 0
        for path in files {
            guard let file = try? ELFFile(path: path) else { continue }
            let name = URL(fileURLWithPath: path).lastPathComponent
            for (position, s) in file.sections.enumerated() where s.type == .dynsym || s.type == .symtab {
                tables += 1
                let libelf = file.libelfSymbols(inSection: position)
                file.withSymbolTable(s) { view in
                    guard libelf.allSatisfy({ !$0.name.contains("\u{FFFD}") }) else { return }
                    let names = libelf.map { Array($0.name.utf8) }
                    func expected(_ needles: [[UInt8]], whole: Bool) -> [Int] {
                        var out: [Int] = []
                        for (i, n) in names.enumerated() where !n.isEmpty {
                            for d in needles where n[0] == d[0] && (whole ? n == d : n.count >= d.count && n[..<d.count].elementsEqual(d)) {
                                out.append(i)
                                break
                            }
                        }
                        return out
                    }
                    let some = names.filter { $0.count > 8 }
                    let picked = some.isEmpty ? [] : [some[some.count / 2]]
                    let utf8 = { (strings: [String]) in strings.map { Array($0.utf8) } }
                    var prefixes = [["go:link.pkghashbytes."], ["go:link.pkghashbytes.", "go.link.pkghashbytes."], ["type:"],
                                    ["runtime."], ["go:link.pkghash."]].map(utf8)
                    var exact = [["go:link.thispluginpath", "go.link.thispluginpath"], ["type:runtime.moduledata", "type.runtime.moduledata"]].map(utf8)
                    for n in picked {
                        prefixes.append([Array(n.prefix(n.count / 2))])
                        exact.append([n]); exact.append([Array(n.suffix(6))]); exact.append([n, Array(n.suffix(n.count - 1))])
                    }
                    for p in prefixes where view.indices(whereNameHasAnyPrefix: p) != expected(p, whole: false) {
                        XCTFail("\(name) \(s.name): prefixes \(p.map { String(decoding: $0, as: UTF8.self) }): the search disagrees with libelf's names")
                    }
                    for e in exact where view.indices(namedAnyOf: e) != expected(e, whole: true) {
                        XCTFail("\(name) \(s.name): names \(e.map { String(decoding: $0, as: UTF8.self) }): the search disagrees with libelf's names")
                    }
                }
            }
            for s in file.sections where s.type == .rela || s.type == .rel {
                let libelf = file.libelfRelocations(in: s)
                // The one-pass filters by offset window and by type agree with libelf's entries.
                let offsets = libelf.map(\.offset).sorted()
                let window = offsets.isEmpty ? 0...0 : offsets[offsets.count / 3]...offsets[2 * offsets.count / 3]
                file.withRelocations(s) { view in
                    XCTAssertEqual(view.indices(offsetsIn: window), libelf.indices.filter { window.contains(libelf[$0].offset) }, "\(name) \(s.name) window")
                    // Against every symbol, and against every other one. The bitmaps stop at 2^20
                    // symbols: MIPS64 lays r_info out otherwise, so the corpus's MIPS64 object reads
                    // as symbol 620,756,992 (a bitmap of 600 MB). Past the end nothing is marked.
                    let size = min(libelf.map(\.symbolIndex).max() ?? 0, 1 << 20) + 1
                    let every = [Bool](repeating: true, count: size), alternate = (0..<size).map { $0 % 2 == 1 }
                    for type in Set(libelf.map(\.type)) {
                        XCTAssertEqual(view.indices(ofType: type, againstAnyOf: every),
                                       libelf.indices.filter { libelf[$0].type == type && libelf[$0].symbolIndex < size }, "\(name) \(s.name) type \(type)")
                        XCTAssertEqual(view.indices(ofType: type, againstAnyOf: alternate),
                                       libelf.indices.filter { libelf[$0].type == type && libelf[$0].symbolIndex < size && libelf[$0].symbolIndex % 2 == 1 },
                                       "\(name) \(s.name) type \(type), odd symbols")
                    }
                }
            }
        }
        XCTAssertGreaterThan(tables, 50)
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
