import Foundation
import TestSupport
import XCTest

/// krakend check-plugin's known false reports (krakend-cobra plugin.go; krakend-ce #456, #524,
/// #865), each on a real module folder under Tests/Fixtures/deps/checkplugin against the fixture
/// gateway (TestBinaries/out/bin/gateway-go1.25.5: example.com/shared v1.0.0, go1.25.5, glibc),
/// with `deps` run as a user runs it and, where it is cheap, the plugin really built and loaded.
final class CheckPluginFalseReportTests: XCTestCase {
    static let root = Paths.root.path
    static var gateway: String { root + "/TestBinaries/out/bin/gateway-go1.25.5" }
    static func folder(_ name: String) -> String { root + "/Tests/Fixtures/deps/checkplugin/" + name }
    static func go(_ version: String) -> String { root + "/.toolchains/go\(version)/go/bin/go" }

    /// `plugincheck deps ARGS` in a clean environment: the fixtures' module cache, the given PATH.
    func deps(_ args: [String], path: String = "/usr/bin:/bin", extra: [String: String] = [:]) throws -> ProcessResult {
        var env = ["HOME": NSHomeDirectory(), "PATH": path, "GOMODCACHE": Self.root + "/TestBinaries/work/gomodcache", "GOFLAGS": "-mod=mod"]
        for (k, v) in extra { env[k] = v }
        return try ProcessResult.run("/usr/bin/env", ["-i"] + env.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                                     + [Paths.executable, "deps", "--gateway", Self.gateway] + args)
    }

    /// Builds the folder's plugin (a copy) with that Go, offline, and runs the real gateway on it:
    /// its `PLUGIN <path> loaded|error ...` line.
    func buildAndLoad(_ name: String, go version: String = "1.25.5") throws -> String {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: Self.gateway), "scripts/fixtures builds the gateway")
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: Self.go(version)), "scripts/bootstrap installs go\(version)")
        let tmp = try TemporaryFolder()
        let copy = tmp.path + "/m"
        try FileManager.default.copyItem(atPath: Self.folder(name), toPath: copy)
        let so = tmp.path + "/p.so"
        let env = ["HOME=" + NSHomeDirectory(), "PATH=" + (Self.go(version) as NSString).deletingLastPathComponent + ":/usr/bin:/bin",
                   "GOTOOLCHAIN=local", "GOTELEMETRY=off", "GOPROXY=file://" + Self.root + "/TestBinaries/work/proxy", "GOSUMDB=off",
                   "GOFLAGS=-mod=mod -modcacherw", "GOMODCACHE=" + Self.root + "/TestBinaries/work/gomodcache",
                   "GOCACHE=" + Self.root + "/TestBinaries/work/gocache", "CGO_ENABLED=1", "CC=gcc"]
        let build = try ProcessResult.run("/usr/bin/env", ["-i"] + env + [Self.go(version), "build", "-buildmode=plugin", "-o", so, "."],
                                          cwd: URL(fileURLWithPath: copy))
        XCTAssertEqual(build.status, 0, build.stderr)
        let run = try ProcessResult.run("/usr/bin/env", ["-i", "PATH=/usr/bin:/bin", Self.gateway, so], cwd: Paths.fixtures)
        return run.stdout.split(separator: "\n").first { $0.hasPrefix("PLUGIN\t") }.map { $0.split(separator: "\t").dropFirst(2).joined(separator: " ") } ?? run.stderr
    }

    /// #456: check-plugin takes the highest version anywhere in go.sum. This go.sum lists
    /// example.com/shared v1.1.0/go.mod (a go.mod the graph once read) beside v1.0.0, which the
    /// build selects and the gateway has: check-plugin reports have v1.1.0, want v1.0.0.
    func testHighestGoSumVersionIsNotReported() throws {
        let r = try deps(["-g", "go1.25.5", "-s", Self.folder("gosum-highest") + "/go.sum"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains(": ALIGNED with "), r.stdout)
        XCTAssertFalse(r.stdout.contains("error ["), r.stdout)
        XCTAssertTrue(r.stdout.contains("note: check-plugin would report example.com/shared (have: v1.1.0, the highest in go.sum; want: v1.0.0); the build selects v1.0.0"), r.stdout)
        let json = try deps(["-g", "go1.25.5", "--format", "json", Self.folder("gosum-highest")])
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let cp = try XCTUnwrap(doc["checkPlugin"] as? [[String: Any]])
        XCTAssertEqual(cp.count, 1)
        XCTAssertEqual(cp.first?["falseReport"] as? Bool, true)
        XCTAssertEqual(try buildAndLoad("gosum-highest"), "loaded HandlerRegisterer")
    }

    /// check-plugin ignores `replace`. `replace example.com/shared => example.com/shared v1.0.0`
    /// under `require example.com/shared v1.1.0` builds the gateway's v1.0.0: check-plugin sees
    /// v1.1.0 in go.sum and reports it; deps follows the replace (aligned), and the build loads.
    func testReplaceByTheGatewaysVersionIsFollowed() throws {
        let r = try deps(["-g", "go1.25.5", Self.folder("replace-module")])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains(": ALIGNED with "), r.stdout)
        XCTAssertTrue(r.stdout.contains("note: check-plugin would report example.com/shared (have: v1.1.0"), r.stdout)
        XCTAssertEqual(try buildAndLoad("replace-module"), "loaded HandlerRegisterer")
    }

    /// The other side of ignoring `replace`: go.sum names only v1.0.0, the gateway's, so
    /// check-plugin finds nothing, while the build compiles example.com/shared from ./shared and
    /// the gateway refuses the plugin. deps reports the replace (exit 1) with the fix.
    func testReplaceByAFolderIsReported() throws {
        let r = try deps(["-g", "go1.25.5", Self.folder("replace-dir")])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("error [replace] example.com/shared"), r.stdout)
        XCTAssertTrue(r.stdout.contains("      have: v1.0.0 => ./shared (required by main module)\n      want: v1.0.0\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("fix: go mod edit -dropreplace=example.com/shared && go get example.com/shared@v1.0.0"), r.stdout)
        XCTAssertFalse(r.stdout.contains("note: check-plugin would report"), r.stdout)
        let loaded = try buildAndLoad("replace-dir")
        XCTAssertTrue(loaded.hasPrefix("error plugin.Open("), loaded)
        XCTAssertTrue(loaded.hasSuffix("plugin was built with a different version of package example.com/shared"), loaded)
    }

    /// #865: check-plugin's -g defaults to its own Go, so without -g it compares the gateway's Go
    /// with itself and never reports a toolchain. deps without -g predicts the build's Go
    /// (GOTOOLCHAIN=local: the go on PATH, go1.24.11 here) and reports it; the real build fails.
    func testDefaultGoIsPredictedNotTheGatewaysOwn() throws {
        let path = (Self.go("1.24.11") as NSString).deletingLastPathComponent + ":/usr/bin:/bin"
        let r = try deps([Self.folder("gosum-highest")], path: path, extra: ["GOTOOLCHAIN": "local"])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("builds with go1.24.11 (GOTOOLCHAIN=local: the go on PATH)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("error [go-toolchain]"), r.stdout)
        XCTAssertTrue(r.stdout.contains("      have: go1.24.11 (GOTOOLCHAIN=local: the go on PATH)\n      want: go1.25.5\n"), r.stdout)
        // The same folder with the gateway's Go on PATH is aligned: the toolchain was the difference.
        let same = try deps([Self.folder("gosum-highest")], path: (Self.go("1.25.5") as NSString).deletingLastPathComponent + ":/usr/bin:/bin",
                            extra: ["GOTOOLCHAIN": "local"])
        XCTAssertEqual(same.status, 0, same.stdout)
        let loaded = try buildAndLoad("gosum-highest", go: "1.24.11")
        XCTAssertTrue(loaded.hasPrefix("error plugin.Open("), loaded)
        XCTAssertTrue(loaded.contains("plugin was built with a different version of package"), loaded)
    }

    /// #456/#524: without -l, check-plugin always reports `libc have: (empty) want: ...`. deps
    /// compares the C library only when it knows the plugin's (-l, or a musl CC): without either,
    /// an aligned module is aligned, exit 0, and no libc line.
    func testDefaultLibcIsNotReported() throws {
        let r = try deps(["-g", "go1.25.5", Self.folder("gosum-highest")])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertFalse(r.stdout.contains("[libc]"), r.stdout)
        // Told the plugin's C library, deps compares it: -l musl against the glibc gateway.
        let musl = try deps(["-g", "go1.25.5", "-l", "musl", Self.folder("gosum-highest")])
        XCTAssertEqual(musl.status, 1, musl.stdout)
        XCTAssertTrue(musl.stdout.contains("error [libc]"), musl.stdout)
        let cc = try deps(["-g", "go1.25.5", Self.folder("gosum-highest")], extra: ["CC": "musl-gcc"])
        XCTAssertEqual(cc.status, 1, cc.stdout)
        XCTAssertEqual(try deps(["-g", "go1.25.5", "-l", "glibc", Self.folder("gosum-highest")]).status, 0)
    }
}
