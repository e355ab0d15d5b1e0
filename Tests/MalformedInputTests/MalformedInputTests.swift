import ELFKit
import Foundation
import FuzzSupport
import GoBinary
import TestSupport
import XCTest

/// A command line the malformed-file suite runs every bad file through, with a good file
/// beside it. Adding a command (e.g. `compare`, with the bad file on either side) is one entry.
struct CommandUnderTest: Sendable {
    var name: String
    /// Builds the arguments from the bad and the good file.
    var arguments: @Sendable (_ bad: String, _ good: String) -> [String]
    /// The exit status when the bad file cannot be read.
    var errorStatus: Int32
    /// Whether the output is `go version -m`'s, checked byte for byte against the real Go.
    var goVersionTwin = false
    /// Text that proves the good file was processed.
    var goodMarker: @Sendable (_ good: String) -> String = { $0 }
    /// Exit statuses of a run whose bad file could still be read.
    var okStatuses: Set<Int32> = [0]
    /// The bad file is a plugin whose failure to load is the verdict: status 1 with the file
    /// named on stdout is the documented answer for a file the loader would reject.
    var verdictStatus: Int32? = nil
}

/// The gateway `compare` checks plugins against.
let gatewayForCompare = (try? Paths.fixture("gateway-go1.25.5")) ?? "missing-fixture-gateway-go1.25.5"

let commandsUnderTest: [CommandUnderTest] = [
    CommandUnderTest(name: "inspect text", arguments: { ["inspect", $0, $1] }, errorStatus: 2),
    CommandUnderTest(name: "inspect json", arguments: { ["inspect", "--format", "json", $0, $1] }, errorStatus: 2,
                     goodMarker: { "\"path\" : \"\($0)\"" }),
    CommandUnderTest(name: "inspect goversion", arguments: { ["inspect", "--format", "goversion", $0, $1] },
                     errorStatus: 1, goVersionTwin: true, goodMarker: { "\($0): go1." }),
    // compare: the bad file as a plugin (before a good one), then as the gateway. Status 1 is a
    // prediction ("fails"), not an error, when the damaged file can still be read.
    CommandUnderTest(name: "compare bad plugin", arguments: { ["compare", $0, $1, gatewayForCompare] }, errorStatus: 2,
                     okStatuses: [0, 1], verdictStatus: 1),
    CommandUnderTest(name: "compare bad gateway", arguments: { ["compare", "--format", "json", $1, $0] }, errorStatus: 2,
                     goodMarker: { "\"path\" : \"\($0)\"" }, okStatuses: [0, 1]),
]

/// Hostile and broken input: damaged copies of a real plugin and odd file-system
/// objects, each run through every command next to a good file.
final class MalformedInputTests: XCTestCase {
    /// Under AddressSanitizer (scripts/sanitize) runs are slower and RSS means nothing.
    static let sanitized = ProcessInfo.processInfo.environment["PLUGINCHECK_SANITIZER"] != nil
    /// Per run of two files, debug build (a release build answers in milliseconds).
    static let secondsPerRun = sanitized ? 10.0 : 1.0
    static let peakRSSLimitMiB = 64
    /// Known differences from `go version -m`, by case, with the reason.
    static let knownGoDeviations = [
        "modinfo-invalid-utf8": "module info is decoded as UTF-8: invalid bytes print as U+FFFD, Go prints them raw",
    ]

    static let workDir: URL = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("plugincheck-malformed-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        chmod(dir.path, 0o755)  // the non-root run must reach the files
        return dir
    }()

    static let goTool: String? = {
        let go = Paths.root.appendingPathComponent(".toolchains/go1.25.5/go/bin/go").path
        return FileManager.default.isExecutableFile(atPath: go) ? go : nil
    }()

    /// Everything the suite wrote goes when it ends (the sparse files, every damaged copy).
    override class func tearDown() {
        try? FileManager.default.removeItem(at: workDir)
        Run.removeWorkDirectory()
        super.tearDown()
    }

    /// Writes one case to disk under `sub`, named after the case with a .so suffix.
    func write(_ c: Case, under sub: String) throws -> String {
        let dir = Self.workDir.appendingPathComponent(sub)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(c.name + ".so").path
        try Data(c.bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Runs every command over `bad` next to `good` and checks the issue's expectations.
    /// Returns the runs, keyed by command name.
    @discardableResult
    func check(_ bad: String, good: String, expect: Expect, label: String, prefix: [String] = [],
               memoryBound: Bool = true, goOracle: Bool = true, only: Int? = nil,
               file: StaticString = #filePath, line: UInt = #line) throws -> [String: Run] {
        var runs: [String: Run] = [:]
        var commands = commandsUnderTest
        if let rotate = only, Self.sanitized {
            // Under ASan each case goes through one command, in rotation, to keep CI short.
            commands = [commandsUnderTest[rotate % commandsUnderTest.count]]
        }
        for command in commands {
            let argv = prefix + [Paths.executable] + command.arguments(bad, good)
            let r = try Run.spawn(argv)
            runs[command.name] = r
            let what = "\(label) / \(command.name): \(r.summary)"
            XCTAssertNil(r.signal, "crashed: \(what)", file: file, line: line)
            XCTAssertFalse(r.timedOut, "hung: \(what)", file: file, line: line)
            XCTAssertLessThan(r.seconds, Self.secondsPerRun, "slow: \(what)", file: file, line: line)
            if memoryBound && !Self.sanitized {
                XCTAssertLessThan(r.peakRSSKiB / 1024, Self.peakRSSLimitMiB, "memory: \(what)", file: file, line: line)
            }
            XCTAssertTrue(r.stdout.contains(command.goodMarker(good)), "good file not processed: \(what)", file: file, line: line)
            if command.goVersionTwin {
                if goOracle, let go = Self.goTool {
                    let g = try Run.spawn(prefix + [go, "version", "-m", bad, good])
                    if let why = Self.knownGoDeviations[label] {
                        XCTAssertNotEqual(r.rawStdout, g.rawStdout, "fixed? remove from knownGoDeviations: \(why)", file: file, line: line)
                        XCTAssertEqual(r.stderr, g.stderr, what, file: file, line: line)
                        XCTAssertEqual(r.status, g.status, what, file: file, line: line)
                    } else {
                        // Byte for byte, damaged or not: GoELFStrictness applies the checks of
                        // Go's debug/elf that a lenient reader would skip.
                        XCTAssertEqual(r.rawStdout, g.rawStdout, "stdout differs from go version -m: \(what)", file: file, line: line)
                        XCTAssertEqual(r.stderr, g.stderr, "stderr differs from go version -m: \(what)", file: file, line: line)
                        XCTAssertEqual(r.status, g.status, "status differs from go version -m: \(what)", file: file, line: line)
                    }
                } else {
                    // Without Go at hand: at most one line about the bad file, status 0 or 1.
                    XCTAssertLessThanOrEqual(r.stderrLines.count, 1, what, file: file, line: line)
                    XCTAssertTrue(r.status == 0 || r.status == command.errorStatus, what, file: file, line: line)
                }
                continue
            }
            let errorLines = r.stderrLines
            switch (expect, r.status) {
            case (_, command.errorStatus?):
                XCTAssertEqual(errorLines.count, 1, "want exactly one error line: \(what)", file: file, line: line)
                XCTAssertTrue(errorLines.first?.hasPrefix("\(bad): ") ?? false, "error line must name the file: \(what)",
                              file: file, line: line)
                XCTAssertGreaterThan(errorLines.first?.count ?? 0, bad.count + 4, "error line must give a reason: \(what)",
                                     file: file, line: line)
            case (.error, let status?) where status == command.verdictStatus:
                XCTAssertEqual(errorLines.count, 0, what, file: file, line: line)
                XCTAssertTrue(r.stdout.contains("\(bad): "), "verdict must name the file: \(what)", file: file, line: line)
            case (.either, let status?) where command.okStatuses.contains(status):
                XCTAssertEqual(errorLines.count, 0, what, file: file, line: line)
            default:
                XCTFail("want status \(command.errorStatus)\(expect == .either ? " or \(command.okStatuses.sorted())" : ""): \(what)",
                        file: file, line: line)
            }
        }
        return runs
    }

    // MARK: Damaged copies of a real plugin

    func testDamagedCopiesOfARealPlugin() throws {
        let good = try Paths.fixture("plugin-handler-go1.25.5.so")
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: good)))
        var worst = (name: "", kib: 0), slowest = (name: "", seconds: 0.0)
        var index = 0
        let count = try malformedCases(from: original) { c in
            let path = try write(c, under: "damaged")
            let runs = try check(path, good: good, expect: c.expect, label: c.name, only: index)
            index += 1
            for (command, r) in runs {
                if r.peakRSSKiB > worst.kib { worst = ("\(c.name) (\(command))", r.peakRSSKiB) }
                if r.seconds > slowest.seconds { slowest = ("\(c.name) (\(command))", r.seconds) }
            }
            try FileManager.default.removeItem(atPath: path)
        }
        XCTAssertGreaterThan(count, 150)
        print("malformed: \(count) damaged copies x \(Self.sanitized ? "1 (rotating)" : "\(commandsUnderTest.count)") commands; "
              + "peak RSS \(worst.kib) KiB on \(worst.name); slowest \(String(format: "%.3f", slowest.seconds)) s on \(slowest.name)")
    }

    /// The same cases in process, through the fuzz targets' bodies and both ELFFile
    /// initializers, which must agree.
    func testDamagedCopiesInProcessAndFromMemory() throws {
        let good = try Paths.fixture("plugin-handler-go1.25.5.so")
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: good)))
        try malformedCases(from: original) { c in
            let path = try write(c, under: "inprocess")
            defer { try? FileManager.default.removeItem(atPath: path) }
            FuzzBodies.elf(c.bytes)
            let fromPath = Result { () throws(ELFError) in try ELFFile(path: path) }
            let fromBytes = Result { () throws(ELFError) in try ELFFile(bytes: c.bytes, path: path) }
            switch (fromPath, fromBytes) {
            case (.success(let a), .success(let b)):
                XCTAssertEqual(a.header, b.header, c.name)
                XCTAssertEqual(a.sections, b.sections, c.name)
                XCTAssertEqual(a.segments, b.segments, c.name)
            case (.failure(let a), .failure(let b)):
                XCTAssertEqual(a, b, c.name)
            default:
                XCTFail("\(c.name): path and memory initializers disagree: \(fromPath) vs \(fromBytes)")
            }
        }
    }

    // MARK: The file system

    func testFileSystemOddities() throws {
        let good = try Paths.fixture("plugin-handler-go1.25.5.so")
        let dir = Self.workDir.appendingPathComponent("fs")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        func p(_ name: String) -> String { dir.appendingPathComponent(name).path }
        XCTAssertTrue(FileManager.default.createFile(atPath: p("empty.so"), contents: Data()))
        try FileManager.default.createDirectory(atPath: p("x.so"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: p("dangling.so"), withDestinationPath: p("nowhere.so"))
        try FileManager.default.createSymbolicLink(atPath: p("loop-a.so"), withDestinationPath: p("loop-b.so"))
        try FileManager.default.createSymbolicLink(atPath: p("loop-b.so"), withDestinationPath: p("loop-a.so"))
        XCTAssertEqual(mkfifo(p("fifo.so"), 0o644), 0)
        let odd = p("a name with spaces; $(touch pwned) `id` & | > 'q' \"dq\".so")
        try FileManager.default.copyItem(atPath: good, toPath: odd)
        XCTAssertTrue(FileManager.default.createFile(atPath: p("text.so"), contents: Data("#!/bin/sh\necho hello\n".utf8)))
        // Bad files: an error line (inspect) and Go's behaviour (goversion).
        for name in ["empty.so", "x.so", "dangling.so", "loop-a.so", "text.so"] {
            try check(p(name), good: good, expect: .error, label: name)
        }
        // A FIFO must not block (Go's own tool would wait for a writer; no oracle there).
        try check(p("fifo.so"), good: good, expect: .error, label: "fifo", goOracle: false)
        try check("/dev/zero", good: good, expect: .error, label: "/dev/zero")
        // Shell characters are data, not syntax: the file reads like the original.
        let runs = try check(odd, good: good, expect: .either, label: "odd name")
        XCTAssertEqual(runs["inspect text"]?.status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "pwned"))
        XCTAssertTrue(runs["inspect json"]?.stdout.contains("\"path\" : \"\(odd.replacingOccurrences(of: "\"", with: "\\\""))\"") ?? false)
    }

    /// A file its reader may not open: run as nobody (tests run as root).
    func testUnreadableFileForNonRootUser() throws {
        let setpriv = "/usr/bin/setpriv"
        try XCTSkipUnless(getuid() == 0 && FileManager.default.isExecutableFile(atPath: setpriv), "needs root and setpriv")
        let good = Self.workDir.appendingPathComponent("readable.so").path
        let secret = Self.workDir.appendingPathComponent("secret.so").path
        try? FileManager.default.removeItem(atPath: good)
        try? FileManager.default.removeItem(atPath: secret)
        try FileManager.default.copyItem(atPath: Paths.fixture("plugin-handler-go1.25.5.so"), toPath: good)
        try FileManager.default.copyItem(atPath: good, toPath: secret)
        chmod(good, 0o644)
        chmod(secret, 0o600)
        let prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
        let runs = try check(secret, good: good, expect: .error, label: "unreadable", prefix: prefix, goOracle: false)
        XCTAssertTrue(runs["inspect text"]?.stderr.contains("\(secret): Permission denied") ?? false, runs["inspect text"]?.summary ?? "")
        // go version -m prints only the path when it cannot open the file.
        XCTAssertEqual(runs["inspect goversion"]?.stderr, "\(secret)\n")
        XCTAssertEqual(runs["inspect goversion"]?.status, 1)
    }

    /// 4 GB sparse files: one that is a real plugin followed by a hole, one that is a hole
    /// with a header claiming tables at its end. Memory stays bounded, nothing reads 4 GB.
    /// They live beside the build (the checkout's file system), not in /tmp, which may be a
    /// file system without holes; and they are removed at once.
    func testFourGigabyteSparseFiles() throws {
        let good = try Paths.fixture("plugin-handler-go1.25.5.so")
        let dir = Paths.root.appendingPathComponent(".build/sparse-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        chmod(dir.path, 0o755)
        defer { try? FileManager.default.removeItem(at: dir) }
        let big = dir.appendingPathComponent("sparse-plugin.so").path
        try FileManager.default.copyItem(atPath: good, toPath: big)
        XCTAssertEqual(truncate(big, 4 << 30), 0)
        var st = stat()
        XCTAssertEqual(stat(big, &st), 0)
        XCTAssertLessThan(Int(st.st_blocks) * 512, 64 << 20, "the file system under \(dir.path) does not keep holes: 4 GB were written")
        try check(big, good: good, expect: .either, label: "4 GB sparse plugin")

        var header = ELF64Image(try [UInt8](Data(contentsOf: URL(fileURLWithPath: good))).prefix(64).map { $0 })
        header.put(40, 8, (4 << 30) - 64 * 0xffff)  // e_shoff: the last 65535 entries of the file
        header.put(60, 2, 0xffff)
        header.put(32, 8, 0); header.put(56, 2, 0)
        let hole = dir.appendingPathComponent("sparse-hole.so").path
        try Data(header.bytes).write(to: URL(fileURLWithPath: hole))
        XCTAssertEqual(truncate(hole, 4 << 30), 0)
        try check(hole, good: good, expect: .either, label: "4 GB sparse hole with 65535 zero sections")
    }

    // MARK: Regressions found by fuzzing

    /// Every input under Tests/FuzzRegressions/TARGET/ goes through its fuzz target again; each file is
    /// named after what it found (see docs/security.md).
    func testFuzzRegressions() throws {
        let root = Paths.root.appendingPathComponent("Tests/FuzzRegressions")
        let bodies: [String: ([UInt8]) -> Void] = [
            "FuzzELF": FuzzBodies.elf, "FuzzBuildInfo": FuzzBodies.buildInfo, "FuzzModuleInfo": FuzzBodies.moduleInfo,
            "FuzzConfig": FuzzBodies.configuration,
        ]
        var count = 0
        for (target, body) in bodies {
            let dir = root.appendingPathComponent(target)
            guard FileManager.default.fileExists(atPath: dir.path) else { continue }
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where !name.hasPrefix(".") {
                body(try [UInt8](Data(contentsOf: dir.appendingPathComponent(name))))
                count += 1
            }
        }
        // The committed inputs (Tests/FuzzRegressions/README.md lists them) must all be found.
        XCTAssertGreaterThanOrEqual(count, 3, "the regression inputs under Tests/FuzzRegressions were not found")
    }

    /// Runs the named damaged copy of the plugin in process (a trap kills the test run).
    func runNamedCase(_ name: String) throws {
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Paths.fixture("plugin-handler-go1.25.5.so"))))
        var found = false
        try malformedCases(from: original) { c in
            guard c.name == name else { return }
            found = true
            let file = try ELFFile(bytes: c.bytes, path: name)
            _ = file.versionNeeds
            _ = file.needed
            FuzzBodies.elf(c.bytes)
        }
        XCTAssertTrue(found, "no case named \(name)")
    }

    /// `.gnu.version_r` with sh_size 2^64-1: `Int(section.size)` trapped before the size was
    /// checked against the file.
    func testRegressionVerneedSizeAboveIntMaxTrapped() throws {
        try runNamedCase("sh_size-max-.gnu.version_r")
    }

    /// No section headers and DT_STRTAB near 2^64: `strtab + value` overflowed and trapped
    /// while resolving DT_NEEDED through PT_DYNAMIC.
    func testRegressionDynamicStrtabAddressWrapTrapped() throws {
        try runNamedCase("sectionless-dynamic-strtab-wraps")
    }

    /// A CRLF module info is split on "\n" only, as Go does, so "\r" stays in the values and a
    /// build line is rejected (found by the malformed suite: "\r\n" is one Swift Character).
    /// Damaged pclntab headers and sub-tables in a real plugin (the table found through
    /// runtime.pclntab) and its stripped copy (found by the header scan): the source file table
    /// reader and PackageSources must not crash, hang or grow, and give nil or a bounded result;
    /// inspect must still answer.
    func testDamagedPclntab() throws {
        for name in ["plugin-handler-go1.25.5.so", "plugin-handler-go1.25.5-strip.so"] {
            let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Paths.fixture(name))))
            // The go1.20 header (magic 0xfffffff1, pad, quantum 1, pointer size 8), little-endian.
            let magic: [UInt8] = [0xf1, 0xff, 0xff, 0xff, 0, 0, 1, 8]
            let h = try XCTUnwrap((0..<(original.count - 8)).first { original[$0] == 0xf1 && Array(original[$0..<$0 + 8]) == magic })
            let good = try XCTUnwrap(SourceFileTable(file: ELFFile(bytes: original, path: name)))
            var goodCount = 0
            good.forEachFunction { _, _ in goodCount += 1 }
            let img = ELF64Image(original)
            func word(_ i: Int) -> Int { Int(img.u(h + 8 + 8 * i, 8)) }
            let (cu, filetab, pctab, functab) = (word(4), word(5), word(6), word(7))
            var cases: [(String, [UInt8])] = []
            func patch(_ label: String, _ body: (inout ELF64Image) -> Void) {
                var copy = ELF64Image(original)
                body(&copy)
                cases.append((label, copy.bytes))
            }
            patch("nfunc-huge") { $0.put(h + 8, 8, UInt64.max) }
            patch("nfunc-at-limit") { $0.put(h + 8, 8, UInt64(Limits.pclntabFunctions)) }
            patch("nfunc-one-more") { $0.put(h + 8, 8, UInt64(goodCount + 1)) }
            patch("nfiles-huge") { $0.put(h + 16, 8, UInt64.max) }
            patch("nfiles-at-limit") { $0.put(h + 16, 8, UInt64(Limits.pclntabFiles)) }
            patch("funcname-past-end") { $0.put(h + 32, 8, 0x7fff_ffff_ffff) }
            patch("cutab-past-end") { $0.put(h + 40, 8, UInt64(original.count * 4)) }
            patch("filetab-after-pctab") { $0.put(h + 48, 8, UInt64(pctab + 1)) }
            patch("pctab-past-end") { $0.put(h + 56, 8, UInt64.max >> 1) }
            patch("functab-past-end") { $0.put(h + 64, 8, UInt64(original.count)) }
            patch("functab-offsets-outside") { img in
                for i in 0..<goodCount { img.put(h + functab + (2 * i + 1) * 4, 4, UInt64(UInt32.max - UInt32(i))) }
            }
            patch("functab-offsets-all-same") { img in
                let first = img.u(h + functab + 4, 4)
                for i in 0..<goodCount { img.put(h + functab + (2 * i + 1) * 4, 4, first) }
            }
            patch("cutab-garbage") { img in
                for i in stride(from: h + cu, to: h + filetab, by: 4) { img.put(i, 4, 0x7fff_fff0) }
            }
            patch("filetab-no-nul") { img in
                for i in (h + filetab)..<(h + pctab) { img.bytes[i] = 0x41 }
            }
            patch("pctab-endless-varints") { img in
                for i in (h + pctab)..<min(h + functab, img.bytes.count) { img.bytes[i] = 0x80 }
            }
            patch("pctab-zero-pc-steps") { img in
                for i in stride(from: h + pctab, to: min(h + functab, img.bytes.count) - 1, by: 2) {
                    img.bytes[i] = 0x02; img.bytes[i + 1] = 0
                }
            }
            patch("header-only") { img in img.bytes = Array(img.bytes.prefix(h + 72)) }
            cases.append(("truncated-in-filetab", img.truncated(h + filetab + 100)))
            cases.append(("truncated-in-functab", img.truncated(h + functab + 4000)))
            for (label, bytes) in cases {
                let what = "\(name) \(label)"
                let start = Date()
                guard let file = try? ELFFile(bytes: bytes, path: what) else { continue }
                if let t = SourceFileTable(file: file) {
                    var n = 0
                    t.forEachFunction { fn, path in
                        n += 1
                        XCTAssertLessThanOrEqual(fn.utf8.count, Limits.sourcePath)
                        XCTAssertLessThanOrEqual(path?.utf8.count ?? 0, Limits.sourcePath)
                    }
                    XCTAssertLessThanOrEqual(n, bytes.count / 8, what)
                    XCTAssertLessThanOrEqual(t.fileNames.count, Limits.pclntabFiles, what)
                }
                if let sources = PackageSources(file: file, moduleInfo: nil) {
                    XCTAssertLessThanOrEqual(sources.byPackage.count, bytes.count / 8, what)
                    _ = sources.roots
                }
                XCTAssertLessThan(Date().timeIntervalSince(start), Self.secondsPerRun * 2, "slow: \(what)")
                // Through the command line too: inspect reads the table for its report.
                let path = try write(Case(name: "pclntab-\(name)-\(label)", bytes: bytes, expect: .either), under: "pclntab")
                let r = try Run.spawn([Paths.executable, "inspect", "--format", "json", path])
                XCTAssertNil(r.signal, "crashed: \(what): \(r.summary)")
                XCTAssertFalse(r.timedOut, "hung: \(what)")
                XCTAssertLessThan(r.seconds, Self.secondsPerRun, "slow: \(what): \(r.summary)")
            }
        }
    }

    func testModuleInfoWithCRLFParsesAsGoDoes() {
        let text = "path\texample.com/p\r\nmod\texample.com/p\tv1\r\nbuild\tk=v\r\n"
        XCTAssertThrowsError(try ModuleInfo.parse(text)) { error in
            XCTAssertEqual((error as? GoBuildInfoError)?.description,
                           "could not parse Go build info: line 3: unquoted value \"v\\r\" must be quoted")
        }
        let info = try? ModuleInfo.parse("path\tp\r\nmod\tm\tv1\r\n")
        XCTAssertEqual(info?.path, "p\r")
        XCTAssertEqual(info?.main?.version, "v1\r")
    }
}
