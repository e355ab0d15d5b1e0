import Foundation
import TestSupport
import XCTest

/// `inspect --format goversion` must be byte-identical to `go version -m`: stdout, stderr and
/// exit status, on recorded references and on the real `go` command run side by side.
final class GoVersionFormatTests: XCTestCase {
    /// Go 1.25.5 from the pinned toolchains (scripts/bootstrap installs it).
    static let go = Paths.root.appendingPathComponent(".toolchains/go1.25.5/go/bin/go").path

    func testEveryFixtureMatchesRecordedGoVersion() throws {
        try compareRecorded(under: Paths.fixtures, atLeast: 40)
    }

    func testEveryCorpusFileMatchesRecordedGoVersion() throws {
        try compareRecorded(under: Paths.corpus, atLeast: 40)
    }

    func compareRecorded(under dir: URL, atLeast minimum: Int) throws {
        let files = Paths.filesWithReference(under: dir, suffix: ".goversion.txt")
        XCTAssertGreaterThanOrEqual(files.count, minimum, "references missing under \(dir.path)")
        var identical = 0
        for f in files {
            let r = try ProcessResult.run(Paths.executable, ["inspect", "--format", "goversion", f], cwd: dir)
            let wantOut = try String(contentsOf: dir.appendingPathComponent(f + ".goversion.txt"), encoding: .utf8)
            let wantErr = (try? String(contentsOf: dir.appendingPathComponent(f + ".goversion.stderr.txt"), encoding: .utf8)) ?? ""
            let wantRC = (try? String(contentsOf: dir.appendingPathComponent(f + ".goversion.rc"), encoding: .utf8))
                .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
            XCTAssertEqual(r.stdout, wantOut, "stdout of \(f)")
            XCTAssertEqual(r.stderr, wantErr, "stderr of \(f)")
            XCTAssertEqual(r.status, wantRC, "exit status of \(f)")
            if r.stdout == wantOut && r.stderr == wantErr && r.status == wantRC { identical += 1 }
        }
        print("goversion conformance: \(identical) identical / \(files.count) files under \(dir.path)")
    }

    /// Side by side with the real command on a tree holding everything its rules treat
    /// specially: nested folders, symlinks to files and folders, a dangling symlink, a loop,
    /// a non-executable non-.so file, a text file named .so, names with spaces.
    func testDirectoryWalkAndSpecialFilesMatchRealGo() throws {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("gv-\(UUID().uuidString)")
        let tree = dir.appendingPathComponent("tree")
        try fm.createDirectory(at: tree.appendingPathComponent("sub/deeper"), withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: dir) }
        let plugin = try Paths.fixture("plugin-handler-go1.25.5.so")
        let gateway = try Paths.fixture("gateway-go1.19")
        try fm.copyItem(atPath: plugin, toPath: tree.appendingPathComponent("a plugin.so").path)
        try fm.copyItem(atPath: gateway, toPath: tree.appendingPathComponent("sub/gateway").path)
        try fm.copyItem(atPath: try Paths.fixture("plugin-handler-go1.19.so"), toPath: tree.appendingPathComponent("sub/deeper/old.so").path)
        try fm.copyItem(atPath: try Paths.fixture("clib.so"), toPath: tree.appendingPathComponent("sub/clib.so").path)
        XCTAssertTrue(fm.createFile(atPath: tree.appendingPathComponent("text.so").path, contents: Data("hello\n".utf8)))
        XCTAssertTrue(fm.createFile(atPath: tree.appendingPathComponent("notes.txt").path, contents: Data("hello\n".utf8)))
        XCTAssertTrue(fm.createFile(atPath: tree.appendingPathComponent("empty.so").path, contents: Data()))
        try fm.copyItem(atPath: gateway, toPath: tree.appendingPathComponent("gateway.bin").path)
        try fm.setAttributes([.posixPermissions: 0o644], ofItemAtPath: tree.appendingPathComponent("gateway.bin").path)
        try fm.createSymbolicLink(atPath: tree.appendingPathComponent("link.so").path, withDestinationPath: "a plugin.so")
        try fm.createSymbolicLink(atPath: tree.appendingPathComponent("dangling.so").path, withDestinationPath: "nowhere")
        try fm.createSymbolicLink(atPath: tree.appendingPathComponent("loop.so").path, withDestinationPath: "loop.so")
        try fm.createSymbolicLink(atPath: tree.appendingPathComponent("subdir-link").path, withDestinationPath: "sub")
        try fm.createSymbolicLink(atPath: dir.appendingPathComponent("tree-link").path, withDestinationPath: "tree")

        let cases: [[String]] = [
            ["tree"], ["tree/"], ["./tree//sub"], ["tree-link"], ["tree/link.so"], ["tree/dangling.so"], ["tree/loop.so"],
            ["tree/text.so"], ["tree/notes.txt"], ["tree/empty.so"], ["tree/gateway.bin"], ["tree/missing"],
            ["tree/sub/clib.so", "tree/a plugin.so", "tree/missing", "tree"], ["tree/subdir-link"],
        ]
        for args in cases {
            let ours = try ProcessResult.run(Paths.executable, ["inspect", "--format", "goversion"] + args, cwd: dir)
            let real = try ProcessResult.run(Self.go, ["version", "-m"] + args, cwd: dir)
            XCTAssertEqual(ours.stdout, real.stdout, "stdout for \(args)")
            XCTAssertEqual(ours.stderr, real.stderr, "stderr for \(args)")
            XCTAssertEqual(ours.status, real.status, "exit status for \(args)")
        }
    }

    /// Mach-O and PE files: Go would read them, plugincheck says plainly that it reads ELF only.
    func testNonELFExecutableFormatsSaySoClearly() throws {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("fmt-\(UUID().uuidString)")
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: dir) }
        let macho = dir.appendingPathComponent("plugin.so").path
        XCTAssertTrue(fm.createFile(atPath: macho, contents: Data([0xcf, 0xfa, 0xed, 0xfe] + Array(repeating: 0, count: 60))))
        let pe = dir.appendingPathComponent("plugin.dll").path
        XCTAssertTrue(fm.createFile(atPath: pe, contents: Data(Array("MZ".utf8) + Array(repeating: 0, count: 62))))
        let r = try ProcessResult.run(Paths.executable, ["inspect", "--format", "goversion", macho, pe])
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(r.stderr, "\(macho): Mach-O file: plugincheck reads ELF files only\n\(pe): PE file: plugincheck reads ELF files only\n")
        XCTAssertEqual(r.status, 1)
    }
}
