import Foundation
import TestSupport
import XCTest

/// `compare --sysroot` against what the real loader of the target root said: every case of
/// TestBinaries/sysroot-oracle.json (recorded by TestBinaries/tools/sysroots.py, the fixture
/// gateway run with chroot inside the Debian bullseye root or the musl root that
/// scripts/sysroots makes),
/// verdict and message, in text and JSON; then hostile roots.
final class SysrootAgreementTests: XCTestCase {
    let sysrootOut = Paths.root.appendingPathComponent("TestBinaries/work/sysroot-out/cases")
    let roots = Paths.root.appendingPathComponent("TestBinaries/work/sysroots")

    struct Oracle: Decodable {
        struct Case: Decodable {
            var id: String, root: String, gateway: String, plugins: [String]
            var results: [Result]
        }
        struct Result: Decodable { var plugin: String, outcome: String, error: String?, registerers: [String]? }
        var cases: [Case]
    }

    func oracle() throws -> Oracle {
        try JSONDecoder().decode(Oracle.self, from: Data(contentsOf: Paths.root.appendingPathComponent("TestBinaries/sysroot-oracle.json")))
    }

    func testEveryRootCaseAgreesWithTheRealLoader() throws {
        let cases = try oracle().cases
        XCTAssertGreaterThanOrEqual(cases.filter { $0.root == "bullseye" }.count, 6)
        XCTAssertGreaterThanOrEqual(cases.filter { $0.root == "musl" }.count, 3)
        for c in cases {
            let dir = sysrootOut.appendingPathComponent(c.id)
            let real = dir.resolvingSymlinksInPath().path
            let args = ["compare", "--sysroot", roots.appendingPathComponent(c.root).path]
                + c.plugins.map { dir.appendingPathComponent($0).path } + [dir.appendingPathComponent(c.gateway).path]
            let json = try ProcessResult.run(Paths.executable, args + ["--format", "json"])
            let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], c.id)
            let plugins = try XCTUnwrap(report["plugins"] as? [[String: Any]], c.id)
            let text = try ProcessResult.run(Paths.executable, args)
            XCTAssertEqual((report["inputErrors"] as? [Any])?.count, 0, c.id)
            XCTAssertEqual(json.status, c.results.allSatisfy { $0.outcome == "loaded" } ? 0 : 1, c.id)
            XCTAssertEqual(text.status, json.status, c.id)
            for (r, p) in zip(c.results, plugins) {
                // The gateway ran plugins as <CASE>/name inside the root; compare names them by
                // their path here, Go's message by the path given and dlopen's by the real path.
                let shown = dir.appendingPathComponent(r.plugin).path
                let message = (p["message"] as? String)?
                    .replacingOccurrences(of: "plugin.Open(\"\(shown)\")", with: "plugin.Open(\"<CASE>/\(r.plugin)\")")
                    .replacingOccurrences(of: real, with: "<CASE>")
                if r.outcome == "loaded" {
                    XCTAssertEqual(p["verdict"] as? String, "loads", "\(c.id) \(r.plugin): \(message ?? "")")
                    XCTAssertEqual(p["registerers"] as? [String], r.registerers, c.id)
                } else {
                    XCTAssertEqual(p["verdict"] as? String, "fails", c.id)
                    XCTAssertEqual(message, r.error, "\(c.id) \(r.plugin)")
                    let line = text.stdout.split(separator: "\n").first { $0.hasPrefix(shown + ": FAILS: ") }
                    XCTAssertEqual(line.map { String($0.dropFirst(shown.count + 9)) }, p["message"] as? String, "\(c.id): text")
                }
            }
        }
    }

    /// A root without the gateway's C library is an input error (exit 2), never a pass.
    func testARootWithoutTheGatewaysCLibraryIsAnInputError() throws {
        let c = try XCTUnwrap(try oracle().cases.first { $0.id == "bullseye-loads" })
        let dir = sysrootOut.appendingPathComponent(c.id)
        let empty = try temporaryRoot()
        defer { try? FileManager.default.removeItem(at: empty) }
        let r = try ProcessResult.run(Paths.executable, ["compare", "--sysroot", empty.path,
                                                        dir.appendingPathComponent(c.plugins[0]).path, dir.appendingPathComponent(c.gateway).path])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("the gateway does not start on this root: libdl.so.2: cannot open shared object file: No such file or directory"), r.stderr)
        XCTAssertTrue(r.stdout.contains(": UNKNOWN"), r.stdout)
    }

    /// Hostile roots: symlink loops, absolute links that must stay inside the root (here:
    /// /lib/x86_64-linux-gnu -> / and libc.so.6 -> /etc/passwd, which on this machine would
    /// lead to the host's files), ld.so.conf including itself, a huge ld.so.cache: the answer
    /// comes, from the root only.
    func testHostileRootsNeitherCrashNorEscape() throws {
        let c = try XCTUnwrap(try oracle().cases.first { $0.id == "bullseye-loads" })
        let dir = sysrootOut.appendingPathComponent(c.id)
        let root = try temporaryRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let fm = FileManager.default
        for d in ["etc/ld.so.conf.d", "lib", "usr/lib"] { try fm.createDirectory(at: root.appendingPathComponent(d), withIntermediateDirectories: true) }
        // /lib/x86_64-linux-gnu -> /  (inside the root: the root itself, not the host's /)
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("lib/x86_64-linux-gnu").path, withDestinationPath: "/")
        // /usr/lib/x86_64-linux-gnu/libc.so.6 -> loop
        try fm.createDirectory(at: root.appendingPathComponent("usr/lib/x86_64-linux-gnu"), withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("usr/lib/x86_64-linux-gnu/libc.so.6").path, withDestinationPath: "libc.so.6")
        // /lib/libdl.so.2 -> the host's real libdl by absolute path: must be looked up in the root
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("lib/libdl.so.2").path, withDestinationPath: "/lib/x86_64-linux-gnu/libdl.so.2")
        try "include /etc/ld.so.conf\ninclude ld.so.conf.d/*.conf\n/opt/lib\n".write(to: root.appendingPathComponent("etc/ld.so.conf"), atomically: true, encoding: .utf8)
        try "include /etc/ld.so.conf.d/*.conf\n".write(to: root.appendingPathComponent("etc/ld.so.conf.d/loop.conf"), atomically: true, encoding: .utf8)
        // A 64 MiB sparse ld.so.cache: over the read limit, so not read (and not a crash).
        let cache = root.appendingPathComponent("etc/ld.so.cache")
        fm.createFile(atPath: cache.path, contents: Data("glibc-ld.so.cache1.1".utf8))
        let h = try FileHandle(forWritingTo: cache)
        try h.truncate(atOffset: 64 << 20)
        try h.close()
        let r = try ProcessResult.run(Paths.executable, ["compare", "--sysroot", root.path,
                                                        dir.appendingPathComponent(c.plugins[0]).path, dir.appendingPathComponent(c.gateway).path])
        XCTAssertEqual(r.status, 2, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("libdl.so.2: cannot open shared object file: No such file or directory"), r.stderr)
    }

    private func temporaryRoot() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("plugincheck-sysroot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
