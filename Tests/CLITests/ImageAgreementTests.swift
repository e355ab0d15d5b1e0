import Foundation
import TestSupport
import XCTest

/// `compare --image` and `audit --image` against `--sysroot` on the same root: the images of
/// TestBinaries/work/images/ (scripts/sysroots builds them from the bullseye and musl roots with
/// umoci and skopeo: an OCI image layout of two layers, the second deleting files the first
/// added, and the same image as a docker-archive tarball) must give, for every case of
/// TestBinaries/sysroot-oracle.json, the report `--sysroot` gives, the image named where the
/// root was. Then hostile archives (TestBinaries/tools/hostile_images.py, damaged or changed
/// ones among them: a layer or a docker-archive layer whose bytes are not those its digest
/// names): exit 2, one line
/// naming the image and the reason, nothing written outside the private temporary folder,
/// and that folder removed.
final class ImageAgreementTests: XCTestCase {
    let cases = Paths.root.appendingPathComponent("TestBinaries/work/sysroot-out/cases")
    let roots = Paths.root.appendingPathComponent("TestBinaries/work/sysroots")
    let images = Paths.root.appendingPathComponent("TestBinaries/work/images")
    let sysrootBin = Paths.root.appendingPathComponent("TestBinaries/work/sysroot-out/bin")

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

    struct ImageOracle: Decodable {
        struct Case: Decodable {
            var id: String, root: String, entrypoint: [String], command: [String], workingDir: String
            var configuration: [String: [String: AnyDecodable]]
            var results: [Result]
        }
        struct Result: Decodable { var plugin: String, outcome: String, error: String?, registerers: [String]? }
        struct AnyDecodable: Decodable { init(from decoder: Decoder) throws {} }
        var imageCases: [Case]
    }

    /// The whole deployment read from the image: the gateway its entrypoint starts, the
    /// configuration in its working directory (`-c krakend.json`), the plugin folder that names
    /// (relative to it; with a text file named like a plugin, a symbolic link with an absolute
    /// target into /opt whose $ORIGIN has the library, a directory), against what that gateway
    /// printed when run in the image's root (TestBinaries/sysroot-oracle.json, imageCases):
    /// verdict and message, plugin by plugin, through the OCI layout and the docker-archive.
    func testTheDeploymentInsideTheImageAgreesWithItsGateway() throws {
        let tmp = try temporary()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let oracle = try JSONDecoder().decode(ImageOracle.self, from: Data(contentsOf: Paths.root.appendingPathComponent("TestBinaries/sysroot-oracle.json")))
        XCTAssertGreaterThanOrEqual(oracle.imageCases.count, 1)
        for c in oracle.imageCases {
            XCTAssertEqual(c.command.first, "-c", c.id)
            let config = try XCTUnwrap(c.command.last)
            for kind in ["\(c.id)-oci", "\(c.id)-docker.tar"] {
                let image = images.appendingPathComponent(kind).path
                let r = try ProcessResult.run("/usr/bin/env", ["TMPDIR=" + tmp.path, Paths.executable, "audit", "--image", image, "--entrypoint",
                                                              "--config", config, "--format", "json"])
                let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(kind): \(r.stderr)")
                XCTAssertEqual((report["inputErrors"] as? [Any])?.count, 0, "\(kind): \(r.stderr)")
                XCTAssertEqual(r.status, c.results.allSatisfy { $0.outcome == "loaded" } ? 0 : 1, kind)
                XCTAssertEqual((report["gateway"] as? [String: Any])?["path"] as? String, c.entrypoint[0], kind)
                XCTAssertEqual((report["audit"] as? [String: Any])?["workdir"] as? String, c.workingDir, kind)
                let plugins = try XCTUnwrap(report["plugins"] as? [[String: Any]], kind)
                XCTAssertEqual(plugins.map { $0["path"] as? String }, c.results.map(\.plugin), kind)
                for (want, got) in zip(c.results, plugins) {
                    if want.outcome == "loaded" {
                        XCTAssertEqual(got["verdict"] as? String, "loads", "\(kind) \(want.plugin): \(got["message"] ?? "")")
                        XCTAssertEqual(got["registerers"] as? [String], want.registerers, "\(kind) \(want.plugin)")
                    } else {
                        XCTAssertEqual(got["verdict"] as? String, "fails", "\(kind) \(want.plugin)")
                        XCTAssertEqual(got["message"] as? String, want.error, "\(kind) \(want.plugin)")
                    }
                }
                // The same gateway named by its path, for a plugin of this machine.
                let loads = cases.appendingPathComponent("musl-loads/plugin-handler-musl.so").path
                let named = try ProcessResult.run("/usr/bin/env", ["TMPDIR=" + tmp.path, Paths.executable, "compare", "--image", image,
                                                                  "--gateway-path", c.entrypoint[0], loads])
                XCTAssertEqual(named.status, 0, "\(kind): \(named.stdout)\(named.stderr)")
                XCTAssertTrue(named.stdout.hasPrefix("gateway \(c.entrypoint[0]): "), named.stdout)
            }
        }
        // The recipe for the image's gateway is the recipe for that binary, named by its path in
        // the image (followrecipe.py runs the gateways' recipes and loads the results).
        for c in oracle.imageCases {
            let image = images.appendingPathComponent("\(c.id)-oci").path
            let fromImage = try ProcessResult.run("/usr/bin/env", ["TMPDIR=" + tmp.path, Paths.executable, "recipe", "--image", image, "--format", "json"])
            let binary = sysrootBin.appendingPathComponent("gateway-\(c.root)").path
            let fromBinary = try ProcessResult.run(Paths.executable, ["recipe", "--gateway", binary, "--format", "json"])
            XCTAssertEqual(fromImage.status, 0, fromImage.stderr)
            XCTAssertEqual(fromImage.stdout, fromBinary.stdout.replacingOccurrences(of: "\"gateway\" : \"\(binary)\"", with: "\"gateway\" : \"\(c.entrypoint[0])\""))
            XCTAssertTrue(fromImage.stdout.contains("\"gateway\" : \"\(c.entrypoint[0])\""), fromImage.stdout)
        }
        // An image that starts no program, and a gateway path the image does not have: exit 2,
        // one line each.
        let plugin = cases.appendingPathComponent("musl-loads/plugin-handler-musl.so").path
        let bare = images.appendingPathComponent("musl-oci").path
        let none = try ProcessResult.run("/usr/bin/env", ["TMPDIR=" + tmp.path, Paths.executable, "compare", "--image", bare, "--entrypoint", plugin])
        XCTAssertEqual(none.status, 2)
        XCTAssertEqual(none.stderr, "\(bare): the image has no entrypoint or command: name the gateway with --gateway-path\n")
        let missing = try ProcessResult.run("/usr/bin/env", ["TMPDIR=" + tmp.path, Paths.executable, "compare", "--image", bare, "--gateway-path", "/usr/bin/krakend", plugin])
        XCTAssertEqual(missing.status, 2)
        XCTAssertEqual(missing.stderr, "/usr/bin/krakend: No such file or directory\n")
        let noRecipe = try ProcessResult.run("/usr/bin/env", ["TMPDIR=" + tmp.path, Paths.executable, "recipe", "--image", bare])
        XCTAssertEqual(noRecipe.status, 2)
        XCTAssertEqual(noRecipe.stderr, "\(bare): the image has no entrypoint or command: name the gateway with --gateway-path\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp.path), [], "temporary roots are removed")
    }

    /// A configuration in the image's working directory, outside /etc and longer than a
    /// stand-in's 4 KiB (TestBinaries/tools/config_image.py), is read whole: its plugin folder is
    /// the one scanned. The gateway named is one the image lacks: its line is the only input error.
    func testAConfigurationOutsideEtcIsReadWhole() throws {
        let tmp = try temporary()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let image = tmp.appendingPathComponent("config-image")
        let made = try ProcessResult.run("/usr/bin/env", ["python3", Paths.root.appendingPathComponent("TestBinaries/tools/config_image.py").path, image.path])
        XCTAssertEqual(made.status, 0, made.stderr)
        let scratch = tmp.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let r = try ProcessResult.run("/usr/bin/env", ["TMPDIR=" + scratch.path, Paths.executable, "audit", "--image", image.path,
                                                      "--gateway-path", "/usr/bin/krakend", "--config", "krakend.json", "--format", "json"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "/usr/bin/krakend: No such file or directory\n")
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
        let audit = try XCTUnwrap(report["audit"] as? [String: Any])
        XCTAssertEqual(audit["configuration"] as? String, "/app/krakend.json")
        XCTAssertEqual(audit["selected"] as? [String], ["plugins/readme.so.txt"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.path), [], "temporary roots are removed")
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
            "layer-digest-mismatch": "content does not match its digest sha256:",
            "docker-diffid-mismatch": "layer 1 (layer.tar), uncompressed: content does not match its digest sha256:",
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
