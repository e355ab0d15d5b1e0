import Foundation
import TestSupport
import XCTest

/// `compare --image` and `audit --image` against `--sysroot` on the same root: the images of
/// TestBinaries/work/images/ (scripts/sysroots builds them from the bullseye and musl roots with
/// umoci and skopeo: an OCI image layout of two layers, the second deleting files the first
/// added, and the same image as a docker-archive tarball) must give, for every case of
/// TestBinaries/sysroot-oracle.json, the report `--sysroot` gives, the image named where the
/// root was. Then hostile archives (TestBinaries/tools/hostile_images.py): exit 2, one line
/// naming the image and the reason, nothing written outside the private temporary folder,
/// and that folder removed.
final class ImageAgreementTests: XCTestCase {
    let cases = Paths.root.appendingPathComponent("TestBinaries/work/sysroot-out/cases")
    let roots = Paths.root.appendingPathComponent("TestBinaries/work/sysroots")
    let images = Paths.root.appendingPathComponent("TestBinaries/work/images")

    struct Oracle: Decodable {
        struct Case: Decodable { var id: String, root: String, gateway: String, plugins: [String] }
        var cases: [Case]
    }

    func oracle() throws -> [Oracle.Case] {
        try JSONDecoder().decode(Oracle.self, from: Data(contentsOf: Paths.root.appendingPathComponent("TestBinaries/sysroot-oracle.json"))).cases
    }

    /// The report with the target root's name replaced, so that the two can be compared.
    func run(_ args: [String], root: String, tmp: URL) throws -> (status: Int32, json: String, stderr: String) {
        let r = try ProcessResult.run("/usr/bin/env", ["TMPDIR=" + tmp.path, Paths.executable] + args + ["--format", "json"])
        return (r.status, r.stdout.replacingOccurrences(of: root, with: "<ROOT>"), r.stderr.replacingOccurrences(of: root, with: "<ROOT>"))
    }

    func testCompareImageAgreesWithSysrootOnEveryOracleCase() throws {
        let tmp = try temporary()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let all = try oracle()
        XCTAssertGreaterThanOrEqual(all.count, 9)
        for c in all {
            let dir = cases.appendingPathComponent(c.id)
            let files = c.plugins.map { dir.appendingPathComponent($0).path } + [dir.appendingPathComponent(c.gateway).path]
            let sysroot = roots.appendingPathComponent(c.root).path
            let expected = try run(["compare", "--sysroot", sysroot] + files, root: sysroot, tmp: tmp)
            XCTAssertTrue(expected.json.contains("\"verdict\""), c.id)
            // Every case through the OCI layout; the docker-archive tarball for the musl cases
            // and one glibc case (each bullseye unpack costs seconds).
            var kinds = ["\(c.root)-oci"]
            if c.root == "musl" || c.id == "bullseye-missing-library" { kinds.append("\(c.root)-docker.tar") }
            for kind in kinds {
                let image = images.appendingPathComponent(kind).path
                let got = try run(["compare", "--image", image] + files, root: image, tmp: tmp)
                XCTAssertEqual(got.status, expected.status, "\(c.id) \(kind): \(got.stderr)")
                XCTAssertEqual(got.json, expected.json, "\(c.id) \(kind)")
                XCTAssertEqual(got.stderr, expected.stderr, "\(c.id) \(kind)")
            }
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp.path), [], "temporary roots are removed")
    }

    /// `audit --image --config`: the configuration's plugin folder, the image as the root.
    func testAuditImageConfigAgreesWithSysroot() throws {
        let tmp = try temporary()
        defer { try? FileManager.default.removeItem(at: tmp) }
        for id in ["bullseye-missing-library", "musl-loads"] {
            let c = try XCTUnwrap(try oracle().first { $0.id == id })
            let dir = cases.appendingPathComponent(c.id)
            let config = tmp.appendingPathComponent("krakend-\(id).json")
            try #"{"version": 3, "plugin": {"folder": "\#(dir.path)", "pattern": ".so"}}"#.write(to: config, atomically: true, encoding: .utf8)
            let sysroot = roots.appendingPathComponent(c.root).path
            let image = images.appendingPathComponent("\(c.root)-oci").path
            let args = ["--config", config.path, dir.appendingPathComponent(c.gateway).path]
            let expected = try run(["audit", "--sysroot", sysroot] + args, root: sysroot, tmp: tmp)
            let got = try run(["audit", "--image", image] + args, root: image, tmp: tmp)
            XCTAssertTrue(expected.json.contains("\"verdict\""), id)
            XCTAssertEqual(got.status, expected.status, id)
            XCTAssertEqual(got.json, expected.json, id)
        }
    }

    func testHostileArchivesAreInputErrorsAndWriteNothingOutside() throws {
        let tmp = try temporary()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let fm = FileManager.default
        let out = tmp.appendingPathComponent("images"), outside = tmp.appendingPathComponent("outside"), scratch = tmp.appendingPathComponent("tmp")
        for d in [out, outside, scratch] { try fm.createDirectory(at: d, withIntermediateDirectories: true) }
        let made = try ProcessResult.run("/usr/bin/env", ["python3", Paths.root.appendingPathComponent("TestBinaries/tools/hostile_images.py").path, out.path, outside.path])
        XCTAssertEqual(made.status, 0, made.stderr)
        let expected: [String: String] = [
            "traversal": "path leaves the image's root (path traversal)",
            "absolute": "absolute path (path traversal)",
            "symlink-escape": "goes through the symbolic link /evil (symlink escape)",
            "symlink-relative-escape": "leaves the image's root (symlink escape)",
            "hardlink-escape": "hard link to ../../../../etc/passwd leaves the image's root",
            "hardlink-absolute": "hard link to /etc/passwd leaves the image's root",
            "truncated-layer": "truncated: layer 1",
            "truncated-tar": "truncated: layer 1",
            "oversize-header": "oversize header",
            "huge-claimed-size": "claimed size 1125899906842624 bytes is over the limit",
            "digest-traversal": "is not a sha256 or sha512 digest",
            "not-an-image": "an image index without manifests",
        ]
        XCTAssertEqual(Set(try fm.contentsOfDirectory(atPath: out.path)), Set(expected.keys))
        let c = try XCTUnwrap(try oracle().first { $0.id == "bullseye-loads" })
        let dir = cases.appendingPathComponent(c.id)
        for (name, reason) in expected.sorted(by: { $0.key < $1.key }) {
            let image = out.appendingPathComponent(name).path
            for format in ["text", "json"] {
                let r = try ProcessResult.run("/usr/bin/env", ["TMPDIR=" + scratch.path, Paths.executable, "compare", "--image", image, "--format", format,
                                                              dir.appendingPathComponent(c.plugins[0]).path, dir.appendingPathComponent(c.gateway).path])
                XCTAssertEqual(r.status, 2, "\(name): \(r.stderr)")
                let lines = r.stderr.split(separator: "\n")
                XCTAssertEqual(lines.count, 1, "\(name): \(r.stderr)")
                XCTAssertTrue(r.stderr.contains(image + ": "), "\(name): \(r.stderr)")
                XCTAssertTrue(r.stderr.contains(reason), "\(name): \(r.stderr)")
                if format == "json" { XCTAssertFalse(r.stdout.contains("\"verdict\" : \"loads\""), name) }
            }
            XCTAssertEqual(try fm.contentsOfDirectory(atPath: outside.path), [], "\(name) wrote outside")
            XCTAssertEqual(try fm.contentsOfDirectory(atPath: scratch.path), [], "\(name) left its temporary root")
        }
    }

    private func temporary() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("plugincheck-image-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
