import Foundation
import TestSupport
import XCTest

/// `plugincheck deps` as a user and a pipeline run it: the text report, JSON, the `--fix`
/// script, `-f`, and the exit statuses (0 aligned, 1 differences, 2 an input prevents a
/// decision, 64 a usage error), on the module folders of Tests/Fixtures/deps/checkplugin against
/// the fixture gateway (example.com/shared v1.0.0, go1.25.5).
final class DepsCommandTests: XCTestCase {
    static let root = Paths.root.path
    static var gateway: String { root + "/TestBinaries/out/bin/gateway-go1.25.5" }
    static func folder(_ name: String) -> String { root + "/Tests/Fixtures/deps/checkplugin/" + name }

    func deps(_ args: [String], extra: [String: String] = [:]) throws -> ProcessResult {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: Self.gateway), "scripts/fixtures builds the gateway")
        var env = ["HOME": NSHomeDirectory(), "PATH": "/usr/bin:/bin", "GOMODCACHE": Self.root + "/TestBinaries/work/gomodcache"]
        for (k, v) in extra { env[k] = v }
        return try ProcessResult.run("/usr/bin/env", ["-i"] + env.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } + [Paths.executable, "deps"] + args)
    }

    func testAlignedExitsZeroWithTheVerdictFirst() throws {
        let r = try deps(["--gateway", Self.gateway, "-g", "go1.25.5", Self.folder("gosum-highest")])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(r.stderr, "")
        XCTAssertTrue(r.stdout.hasPrefix("example.com/cpfixture: ALIGNED with \(Self.gateway): No incompatibilities found!\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("  plugin:  \(Self.folder("gosum-highest")) (modules), builds with go1.25.5 (-g/--go)\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("  gateway: \(Self.gateway): go1.25.5, GOARCH=amd64, glibc\n"), r.stdout)
        // check-plugin's -s: the go.sum's folder is the module.
        XCTAssertEqual(try deps(["--gateway", Self.gateway, "-g", "1.25.5", "-s", Self.folder("gosum-highest") + "/go.sum"]).status, 0)
        let fix = try deps(["--gateway", Self.gateway, "-g", "go1.25.5", "--fix", Self.folder("gosum-highest")])
        XCTAssertEqual(fix.status, 0)
        XCTAssertTrue(fix.stdout.hasSuffix("# nothing to change: the module is aligned with the gateway\n"), fix.stdout)
    }

    func testDifferencesExitOneWithHaveWantAndTheFix() throws {
        let r = try deps(["--gateway", Self.gateway, "-g", "go1.24.11", Self.folder("replace-dir")])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("example.com/cpfixture: MISALIGNED with \(Self.gateway): 2 incompatibility(ies) found...\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("  error [go-toolchain] "), r.stdout)
        XCTAssertTrue(r.stdout.contains("      have: go1.24.11 (-g/--go)\n      want: go1.25.5\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("  error [replace] example.com/shared\n      have: v1.0.0 => ./shared (required by main module)\n      want: v1.0.0\n"), r.stdout)

        // --fix: only a script, runnable by sh, that aligns the module.
        let fix = try deps(["--gateway", Self.gateway, "-g", "go1.24.11", "--fix", Self.folder("replace-dir")])
        XCTAssertEqual(fix.status, 1)
        XCTAssertEqual(fix.stdout, """
            #!/bin/sh
            # plugincheck deps --fix: align the plugin module with the gateway's build
            set -e
            cd \(Self.folder("replace-dir"))
            go mod edit -toolchain=go1.25.5
            export GOTOOLCHAIN=go1.25.5
            go mod edit -dropreplace=example.com/shared
            go get example.com/shared@v1.0.0

            """)
        // -f: the report, then check-plugin's fix commands.
        let f = try deps(["--gateway", Self.gateway, "-g", "go1.24.11", "-f", Self.folder("replace-dir")])
        XCTAssertEqual(f.status, 1)
        XCTAssertTrue(f.stdout.hasPrefix(r.stdout), f.stdout)
        XCTAssertTrue(f.stdout.count > r.stdout.count && f.stdout.contains("go get example.com/shared@v1.0.0"), f.stdout)

        // JSON: the verdict, the findings and the script.
        let j = try deps(["--gateway", Self.gateway, "-g", "go1.24.11", "--format", "json", Self.folder("replace-dir")])
        XCTAssertEqual(j.status, 1)
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(doc["verdict"] as? String, "misaligned")
        XCTAssertEqual(doc["fixScript"] as? String, fix.stdout)
        let checks = (doc["findings"] as? [[String: Any]] ?? []).compactMap { $0["check"] as? String }
        XCTAssertEqual(Set(checks), ["go-toolchain", "replace"])
        XCTAssertNotNil(doc["toolVersion"] as? String)
    }

    func testAGoModSyntaxErrorNamesFileLineAndColumnAndExitsTwo() throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("plugincheck-depscli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let gomod = tmp.appendingPathComponent("go.mod").path
        try "module example.com/bad\n\ngo 1.19\n\nrequire (\n\texample.com/shared\n)\n".write(toFile: gomod, atomically: true, encoding: .utf8)
        let r = try deps(["--gateway", Self.gateway, tmp.path])
        XCTAssertEqual(r.status, 2, r.stdout + r.stderr)
        XCTAssertEqual(r.stderr, "\(gomod): 6:2: usage: require module/path v1.2.3\n")
        XCTAssertTrue(r.stdout.contains("UNDECIDED"), r.stdout)
        try "module example.com/bad\n\ngo 1.19\nrequire example.com/shared v1.0.0 )\n".write(toFile: gomod, atomically: true, encoding: .utf8)
        let r2 = try deps(["--gateway", Self.gateway, "--format", "json", gomod])
        XCTAssertEqual(r2.status, 2)
        XCTAssertEqual(r2.stderr, "\(gomod): 4:35: syntax error: unexpected ')'\n")
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(r2.stdout.utf8)), "the JSON report is written even when an input fails")
    }

    func testUnreadableInputsExitTwoAndUsageErrors64() throws {
        let r = try deps(["--gateway", "/etc/passwd", Self.folder("gosum-highest")])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "/etc/passwd: not an ELF file\n")
        let missing = try deps(["--gateway", Self.gateway, Self.root + "/no/such/folder"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("no such file or directory"), missing.stderr)
        // A plugin is no gateway: its build info is not the reference.
        let plugin = try deps(["--gateway", try Paths.fixture("plugin-handler-go1.25.5.so"), Self.folder("gosum-highest")])
        XCTAssertEqual(plugin.status, 2)
        XCTAssertTrue(plugin.stderr.contains("a Go plugin, not the gateway executable"), plugin.stderr)
        XCTAssertEqual(try deps([Self.folder("gosum-highest")]).status, 64)
        XCTAssertEqual(try deps(["--gateway", Self.gateway, "--format", "yaml", Self.folder("gosum-highest")]).status, 64)
    }
}
