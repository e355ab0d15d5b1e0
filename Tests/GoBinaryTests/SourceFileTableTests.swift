import ELFKit
import Foundation
@testable import GoBinary
import TestSupport
import XCTest

/// The pclntab source file table reader against Go's own `debug/gosym` (TestBinaries/tools/goref
/// with the pinned Go 1.25.5), on real fixtures of every Go release and layout we build, the
/// stripped copies (checked against Go on their unstripped twins), a big-endian executable built
/// here, and the shared corpus.
///
/// What is compared: every function of the function table, in order, with the file of its entry
/// PC (`Table.PCToLine(f.Entry)`; Go's "" is our nil), and the set of the table's file names.
/// `Table.Files` is built by debug/gosym's `initFileMap` from the whole file table (all
/// `nfiletab` entries, referenced or not), so it is the same set as `fileNames`; go1.2 tables
/// skip entry 0 in both readers. Go's map drops duplicate names, so the comparison is of sets.
final class SourceFileTableTests: XCTestCase {
    static let go = Paths.root.appendingPathComponent(".toolchains/go1.25.5/go/bin/go").path

    /// Plugins and gateways across releases, layouts and architectures.
    static let fixtures = [
        "plugin-handler-go1.19.so", "gateway-go1.19",                       // Debian Go 1.19: go1.18 layout
        "plugin-handler-go1.21.13.so", "gateway-go1.21.13",
        "plugin-handler-go1.24.11.so", "gateway-go1.24.11",
        "plugin-handler-go1.25.5.so", "gateway-go1.25.5",
        "plugin-handler-go1.26.6.so", "gateway-go1.26.6",
        "plugin-handler-go1.25.5-386.so",                                   // 4-byte pointers
        "plugin-handler-go1.25.5-arm64.so", "gateway-go1.25.5-arm64",
        "plugin-handler-go1.25.5-trimpath.so", "gateway-go1.25.5-trimpath",
        "gateway-go1.25.5-pie", "gateway-go1.25.5-static-pie", "gateway-go1.25.5-musl-static",
        "plugin-handler-go1.25.5-race.so", "cshared-go1.25.5.so", "plugin-handler-go1.25.5-gopath-only.so",
    ]

    struct Ref: Decodable {
        var path: String
        var error: String?
        var location: String?
        var funcs: [[String]]
        var files: [String]
    }

    /// Go's reading of each path (one `go run` for all of them).
    static func reference(_ paths: [String], gocache: String? = nil) throws -> [String: Ref] {
        struct Out: Decodable { var pclntab: [Ref]? }
        let input = try JSONSerialization.data(withJSONObject: ["pclntab": paths])
        let p = Process()
        p.executableURL = URL(fileURLWithPath: go)
        p.arguments = ["run", Paths.root.appendingPathComponent("TestBinaries/tools/goref/main.go").path]
        var env = ProcessInfo.processInfo.environment
        env["GOTOOLCHAIN"] = "local"
        env["GOTELEMETRY"] = "off"
        env["GOCACHE"] = gocache ?? Paths.root.appendingPathComponent("TestBinaries/work/gocache-goref").path
        env["GOFLAGS"] = ""
        p.environment = env
        let stdin = Pipe(), stdout = Pipe()
        p.standardInput = stdin
        p.standardOutput = stdout
        try p.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "goref failed")
        let refs = try JSONDecoder().decode(Out.self, from: data).pclntab ?? []
        return Dictionary(refs.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
    }

    struct Ours {
        var table: SourceFileTable
        var funcs: [[String]]
        var files: [String]
    }

    static func ours(_ path: String) throws -> Ours? {
        let file = try ELFFile(path: path)
        guard let table = SourceFileTable(file: file) else { return nil }
        var funcs: [[String]] = []
        table.forEachFunction { name, fileName in funcs.append([name, fileName ?? ""]) }
        return Ours(table: table, funcs: funcs, files: Array(Set(table.fileNames)).sorted())
    }

    /// Asserts that our reading of `path` is Go's reading `ref`; returns the functions compared.
    @discardableResult
    func assertSame(_ path: String, as ref: Ref?, label: String, file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        guard let ref else { XCTFail("\(label): no reference", file: file, line: line); return 0 }
        XCTAssertNil(ref.error, "\(label): Go cannot read it", file: file, line: line)
        guard let mine = try Self.ours(path) else {
            XCTFail("\(label): no table found", file: file, line: line)
            return 0
        }
        XCTAssertFalse(ref.funcs.isEmpty, label, file: file, line: line)
        XCTAssertEqual(mine.funcs.count, ref.funcs.count, "\(label): function count", file: file, line: line)
        if mine.funcs != ref.funcs {
            let diff = zip(mine.funcs, ref.funcs).enumerated().filter { $0.element.0 != $0.element.1 }.prefix(5)
            XCTFail("\(label): functions differ, first: \(diff.map { "#\($0.offset) ours \($0.element.0) Go \($0.element.1)" })",
                    file: file, line: line)
        }
        if mine.files != ref.files {
            let a = Set(mine.files), b = Set(ref.files)
            XCTFail("\(label): file sets differ (\(a.count) vs \(b.count)); only ours \(a.subtracting(b).sorted().prefix(5)), only Go's \(b.subtracting(a).sorted().prefix(5))",
                    file: file, line: line)
        }
        XCTAssertEqual(mine.table.fileNames.count, Set(mine.table.fileNames).count, "\(label): duplicate file names", file: file, line: line)
        return mine.funcs.count
    }

    func testFixturesAgreeWithGo() throws {
        let paths = try Self.fixtures.map { try Paths.fixture($0) }
        let refs = try Self.reference(paths)
        var total = 0
        for (name, path) in zip(Self.fixtures, paths) {
            let n = try assertSame(path, as: refs[path], label: name)
            // Unstripped, we find the table where Go's reader does.
            XCTAssertEqual(try Self.ours(path)?.table.location.rawValue, refs[path]?.location, "\(name): location")
            total += n
            print("pclntab \(name): \(n) functions, \(refs[path]?.files.count ?? 0) files agree with debug/gosym")
        }
        print("pclntab: \(total) functions compared over \(paths.count) fixtures")
    }

    /// The stripped fixtures (strip copies of a build, per the manifest) give what Go reads from
    /// their unstripped twins: the table survives strip, and we find it without symbols.
    func testStrippedFixturesMatchTheirTwins() throws {
        struct Manifest: Decodable {
            struct Entry: Decodable { var name: String; var derivedFrom: String?; var postprocess: String? }
            var files: [Entry]
        }
        let data = try Data(contentsOf: Paths.fixtures.appendingPathComponent("manifest.json"))
        let manifest = try JSONDecoder().decode(Manifest.self, from: data)
        // Strip copies of another build; the `-ldflags=-s -w` builds (named -strip too) have no
        // twin to compare with and Go's reader cannot read them without a symbol table.
        let stripped = manifest.files.filter { $0.name.hasPrefix("bin/") && $0.name.contains("-strip") && $0.derivedFrom != nil }
        XCTAssertTrue(stripped.contains { $0.name == "bin/plugin-handler-go1.19-strip.so" })
        XCTAssertTrue(stripped.contains { $0.name == "bin/gateway-go1.25.5-strip" })
        var pairs: [(strip: String, twin: String)] = []
        for e in stripped {
            XCTAssertTrue(e.postprocess?.contains("strip") ?? false, "\(e.name) is not a strip copy: \(e.postprocess ?? "-")")
            guard let twin = e.derivedFrom else { XCTFail("\(e.name): no derivedFrom"); continue }
            pairs.append((Paths.fixtures.appendingPathComponent(e.name).path, Paths.fixtures.appendingPathComponent(twin).path))
        }
        let refs = try Self.reference(pairs.map(\.twin) + pairs.map(\.strip))
        for (strip, twin) in pairs {
            let label = "\((strip as NSString).lastPathComponent) vs \((twin as NSString).lastPathComponent)"
            let n = try assertSame(strip, as: refs[twin], label: label)
            print("pclntab \(label): \(n) functions agree")
            // debug/gosym itself needs the section or the symbols, which a stripped plugin lacks.
            if strip.hasSuffix(".so") { XCTAssertNotNil(refs[strip]?.error, "\(label): Go reads the stripped plugin?") }
        }
    }

    func testFormatAndLocation() throws {
        let cases: [(String, SourceFileTable.Format, SourceFileTable.Location)] = [
            ("plugin-handler-go1.19.so", .go118, .symbol),
            ("plugin-handler-go1.19-strip.so", .go118, .scan),
            ("plugin-handler-go1.25.5-strip.so", .go120, .scan),
            ("gateway-go1.19", .go118, .section),
            ("gateway-go1.25.5", .go120, .section),
            ("gateway-go1.25.5-strip", .go120, .section),
            // A PIE keeps the table in .data.rel.ro, as a plugin does (no .gopclntab section).
            ("gateway-go1.25.5-pie", .go120, .symbol),
            ("plugin-handler-go1.25.5.so", .go120, .symbol),
            ("plugin-handler-go1.25.5-386.so", .go120, .symbol),
            // From Go 1.26 plugins have a .gopclntab section too.
            ("plugin-handler-go1.26.6.so", .go120, .section),
        ]
        for (name, format, location) in cases {
            let t = try Self.ours(Paths.fixture(name))?.table
            XCTAssertEqual(t?.format, format, name)
            XCTAssertEqual(t?.location, location, name)
        }
        // Not Go: no table.
        XCTAssertNil(try Self.ours(Paths.fixture("clib.so")), "clib.so")
        XCTAssertNil(try? Self.ours(Paths.fixture("empty.so")), "empty.so")
    }

    /// Real binaries of other releases (go1.2 and go1.16 layouts included), architectures and
    /// byte orders: every Go file Go's debug/gosym reads must read the same; the others must
    /// have no table.
    func testCorpusAgreesWithGo() throws {
        let manifest = Paths.corpus.appendingPathComponent("MANIFEST.tsv")
        guard let text = try? String(contentsOf: manifest, encoding: .utf8) else { throw XCTSkip("no corpus at \(Paths.corpus.path)") }
        var goFiles: [String] = [], others: [String] = []
        for row in text.split(separator: "\n").dropFirst() {
            let cols = row.split(separator: "\t", omittingEmptySubsequences: false)
            guard cols.count > 3 else { continue }
            let path = Paths.corpus.appendingPathComponent(String(cols[0])).path
            guard FileManager.default.fileExists(atPath: path) else { continue }
            if cols[1].hasPrefix("go-") { goFiles.append(path) } else if cols[2] != "not-ELF" { others.append(path) }
        }
        let refs = try Self.reference(goFiles)
        var compared = 0, formats: Set<String> = []
        for path in goFiles {
            let label = String(path.dropFirst(Paths.corpus.path.count + 1))
            guard let ref = refs[path], ref.error == nil else {
                // Stripped: debug/gosym needs the section or the symbols. We still find the
                // table by its header; without a twin only its sanity can be checked.
                let mine = try Self.ours(path)
                XCTAssertNotNil(mine, "\(label): no table in a stripped Go file")
                if let mine {
                    XCTAssertEqual(mine.table.location, .scan, label)
                    XCTAssertGreaterThan(mine.funcs.count, 500, label)
                    XCTAssertTrue(mine.funcs.contains { $0[0] == "runtime.main" && ($0[1] == "runtime/proc.go" || $0[1].hasSuffix("/runtime/proc.go")) }, "\(label): \(mine.funcs.filter { $0[0] == "runtime.main" })")
                    formats.insert(mine.table.format.rawValue + "/" + (mine.table.bigEndian ? "BE" : "LE") + "/\(mine.table.pointerSize)")
                }
                print("pclntab corpus \(label): Go cannot read it (\(refs[path]?.error ?? "no answer")); we find \(mine?.funcs.count ?? 0) functions by header scan")
                continue
            }
            let n = try assertSame(path, as: ref, label: label)
            if let t = try Self.ours(path)?.table { formats.insert(t.format.rawValue + "/" + (t.bigEndian ? "BE" : "LE") + "/\(t.pointerSize)") }
            print("pclntab corpus \(label): \(n) functions agree")
            compared += 1
        }
        print("pclntab corpus: \(compared) files compared, layouts \(formats.sorted())")
        XCTAssertGreaterThanOrEqual(compared, 5)
        for path in others {
            guard let file = try? ELFFile(path: path) else { continue }
            XCTAssertNil(SourceFileTable(file: file), "table found in a non-Go file \(path)")
        }
    }

    /// A big-endian executable (s390x, .gopclntab) built here with the pinned toolchain.
    func testBigEndianExecutable() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("plugincheck-pclntab-be-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "module example.com/be\n\ngo 1.25\n".write(to: dir.appendingPathComponent("go.mod"), atomically: true, encoding: .utf8)
        try """
        package main

        import (
        \t"fmt"
        \t"os"
        )

        type T struct{ n int }

        func (t *T) Add(k int) int { t.n += k; return t.n }

        func main() {
        \tt := &T{}
        \tfmt.Println(t.Add(len(os.Args)))
        }

        """.write(to: dir.appendingPathComponent("main.go"), atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("be").path
        let gocache = Paths.root.appendingPathComponent("TestBinaries/work/gocache").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.go)
        p.arguments = ["build", "-o", out, "."]
        p.currentDirectoryURL = dir
        var env = ProcessInfo.processInfo.environment
        for (k, v) in ["GOARCH": "s390x", "GOOS": "linux", "CGO_ENABLED": "0", "GOTELEMETRY": "off", "GOFLAGS": "-mod=mod",
                       "GOPROXY": "off", "GOTOOLCHAIN": "local", "GOCACHE": gocache, "GOWORK": "off"] { env[k] = v }
        p.environment = env
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "go build for s390x failed")
        let file = try ELFFile(path: out)
        XCTAssertEqual(file.header.dataEncoding, .bigEndian)
        let refs = try Self.reference([out])
        let n = try assertSame(out, as: refs[out], label: "s390x executable")
        XCTAssertGreaterThan(n, 100)
        let t = try XCTUnwrap(Self.ours(out)?.table)
        XCTAssertEqual(t.format, .go120)
        XCTAssertEqual(t.location, .section)
        XCTAssertTrue(t.bigEndian)
        XCTAssertTrue(t.fileNames.contains(dir.appendingPathComponent("main.go").path) || t.fileNames.contains { $0.hasSuffix("/main.go") })
        print("pclntab s390x executable: \(n) functions agree")
    }
}
