import Foundation
import PluginCompat
import TestSupport
import XCTest

/// `deps` on every plugin source of the fixture matrix, with the environment and flags the
/// manifest says it was built with, held against what the real gateway did with the compiled
/// plugin (TestBinaries/oracle.json): aligned = loaded, misaligned = failed or crashed.
final class DepsMatrixAgreementTests: XCTestCase {
    static let root = Paths.root.path

    /// Cases whose outcome depends on what deps cannot see before the build, each pinned so
    /// that a change in the prediction shows: the finding's `decided` is false for them.
    static let expectedUncertain: Set<String> = [
        "patch-plugin-1.25.4", "patch-gateway-1.25.4",          // another patch release: loads unless a shared package changed
        "replace-body-both-trimpath", "replace-comment-both-trimpath",
        "replace-commentline-both-trimpath", "replace-same-trimpath-vs-modcache", // -trimpath both: content decides
        "tags-shared-plugin", "tags-shared-gateway", "tags-unused-plugin",       // tags matter only where files use them
        "mono-other-plugin", "mono-other-plugin-fixed", "mono-other-trimpath-both", // relative replace: the gateway's folder is unrecorded
        "musl-gateway-glibc-plugin", "musl-gateway-fortified-plugin",            // glibc plugin, musl gateway: symbols decide
    ]

    /// Cases decided by what the gateway's build info does not record, so deps says aligned
    /// and the real gateway disagrees; each is a limit docs/deps.md names.
    static let knownBlind: Set<String> = []

    /// Builds whose module cache lacks example.com/pluginlib's go.mod: the handler imports
    /// nothing of it, so the go command's lazy loading never read it, while the full graph
    /// (`go list -m all`, and deps) needs it. deps fails closed there: exit 2, the file named.
    static let expectedMissing: Set<String> = [
        "modcache-alt-plugin", "modcache-alt-trimpath-only", "modcache-alt-trimpath-both",
        "gopath-alt-plugin", "gopath-alt-plugin-fixed",
    ]

    func testEveryPluginSourceAgreesWithTheRealLoader() throws {
        let manifestData = try Data(contentsOf: Paths.fixtures.appendingPathComponent("manifest.json"))
        let manifest = try XCTUnwrap(JSONSerialization.jsonObject(with: manifestData) as? [String: Any])
        let files = try XCTUnwrap(manifest["files"] as? [[String: Any]])
        var byName: [String: [String: Any]] = [:]
        for f in files { if let n = f["name"] as? String { byName[String(n.dropFirst(4))] = f } }
        let oracleData = try Data(contentsOf: Paths.root.appendingPathComponent("TestBinaries/oracle.json"))
        let oracle = try XCTUnwrap(JSONSerialization.jsonObject(with: oracleData) as? [String: Any])
        let cases = try XCTUnwrap(oracle["cases"] as? [[String: Any]])

        var checked = 0
        var uncertain: Set<String> = []
        var blind: Set<String> = []
        var missing: Set<String> = []
        for c in cases {
            guard let id = c["id"] as? String, let plugins = c["plugins"] as? [String], plugins.count == 1,
                  let gatewayName = c["gateway"] as? String,
                  let plugin = byName[plugins[0]], plugin["role"] as? String == "plugin",
                  let results = c["results"] as? [[String: Any]] else { continue }
            let outcome = results.first?["outcome"] as? String ?? "crash"
            let options = try self.options(plugin: plugin, gateway: Paths.fixture(gatewayName))
            let report = DependencyCheck.run(options)
            XCTAssertEqual(report.inputErrors, [], id)
            if !report.missing.isEmpty {
                missing.insert(id)
                for m in report.missing { XCTAssertFalse(FileManager.default.fileExists(atPath: m.path), "\(id): \(m.path) exists") }
                XCTAssertEqual(report.exitStatus(strict: false), 2, id)
                continue
            }
            checked += 1
            let summary = report.findings.map { "\($0.severity) \($0.check.rawValue) \($0.module ?? "") decided=\($0.decided)" }.joined(separator: "; ")
            switch report.verdict {
            case .uncertain:
                uncertain.insert(id)
            case .aligned:
                if outcome != "loaded" { blind.insert(id) }
            case .misaligned:
                XCTAssertNotEqual(outcome, "loaded", "\(id): deps predicts misaligned (\(summary)), the real gateway loaded it")
            }
        }
        XCTAssertGreaterThan(checked, 80)
        XCTAssertEqual(uncertain, Self.expectedUncertain)
        XCTAssertEqual(blind, Self.knownBlind)
        XCTAssertEqual(missing, Self.expectedMissing)
    }

    /// The options a user of that build would pass: its folder, `-g` its toolchain, `-l`
    /// its C compiler's libc, `--flags` its build flags, and its environment.
    func options(plugin: [String: Any], gateway: String) throws -> DependencyOptions {
        let name = (plugin["name"] as? String ?? "").replacing("bin/", with: "")
        var env: [String: String] = ["HOME": NSHomeDirectory(), "PATH": "/usr/bin:/bin"]
        let folder: String
        if let tree = plugin["tree"] as? String {
            folder = Self.root + "/" + tree
            env["GOFLAGS"] = "-modcacherw -buildvcs=false"
            env["GOWORK"] = nil
        } else {
            // Generated go.mod per build (the build ran `go build -modfile=<it>`); its
            // folder is named after the output file.
            let command = plugin["command"] as? String ?? ""
            let out = command.split(separator: " ").split(separator: "-o").last?.first.map(String.init) ?? name
            folder = Self.root + "/TestBinaries/work/mod/" + out
            env["GOFLAGS"] = "-mod=mod -modcacherw -buildvcs=false"
            env["GOWORK"] = "off"
        }
        env["GOMODCACHE"] = Self.root + "/" + (plugin["gomodcache"] as? String ?? "TestBinaries/work/gomodcache")
        for (k, v) in plugin["env"] as? [String: String] ?? [:] {
            if v == "(unset)" { env[k] = nil } else { env[k] = v }
        }
        if env["GOMODCACHE"] == nil, let gopath = env["GOPATH"] { env["GOMODCACHE"] = gopath + "/pkg/mod" }
        env["GOARCH"] = plugin["goarch"] as? String
        let cc = plugin["cc"] as? String ?? "gcc"
        let toolchain = (plugin["toolchain"] as? String ?? "").split(separator: " ").first.map(String.init)
        let flags = (plugin["flags"] as? [String] ?? []).filter { $0 != "-buildmode=plugin" }
        return DependencyOptions(path: folder, gateway: gateway, goVersion: toolchain, libc: cc.contains("musl") ? "musl" : "glibc",
                                 flags: flags, environment: env)
    }
}
