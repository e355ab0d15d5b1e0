import Foundation
import TestSupport
import XCTest

/// `plugincheck compare` as a pipeline runs it: formats, exit statuses, error lines.
final class CompareCommandTests: XCTestCase {
    func run(_ args: [String]) throws -> ProcessResult {
        try ProcessResult.run(Paths.executable, ["compare"] + args)
    }

    /// The JSON carries the documented fields, and the message is the real loader's
    /// (TestBinaries/oracle.json, case minor-plugin-1.24, with its paths).
    func testJSONFieldsAndMessageMatchTheRealLoader() throws {
        let plugin = try Paths.fixture("plugin-handler-go1.24.11.so"), gateway = try Paths.fixture("gateway-go1.25.5")
        let r = try run(["--format", "json", plugin, gateway])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stderr, "")
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(doc["schemaVersion"] as? Int, 1)
        let v = try XCTUnwrap((doc["plugins"] as? [[String: Any]])?.first)
        XCTAssertEqual(v["verdict"] as? String, "fails")
        let oracle = try JSONSerialization.jsonObject(with: Data(contentsOf: Paths.root.appendingPathComponent("TestBinaries/oracle.json"))) as? [String: Any]
        let real = ((oracle?["cases"] as? [[String: Any]])?.first { $0["id"] as? String == "minor-plugin-1.24" }?["results"] as? [[String: Any]])?.first?["error"] as? String
        XCTAssertEqual(v["message"] as? String, real?.replacingOccurrences(of: "<OUT>", with: Paths.fixtures.path))
        XCTAssertEqual(v["firstMismatchedPackage"] as? String, "internal/goarch")
        let findings = try XCTUnwrap(v["findings"] as? [[String: Any]])
        XCTAssertGreaterThanOrEqual(findings.count, 2)
        for f in findings {
            for key in ["check", "severity", "explanation"] { XCTAssertNotNil(f[key] as? String, key) }
            for key in ["plugin", "gateway", "fix"] { XCTAssertTrue(f[key] is String || f[key] is NSNull, "\(key) in \(f)") }
        }
        let loads = try run(["--format", "json", try Paths.fixture("plugin-handler-go1.25.5.so"), gateway])
        XCTAssertEqual(loads.status, 0)
        let lv = try XCTUnwrap(((JSONSerialization.jsonObject(with: Data(loads.stdout.utf8)) as? [String: Any])?["plugins"] as? [[String: Any]])?.first)
        XCTAssertEqual(lv["verdict"] as? String, "loads")
        // Documented as null, not left out.
        XCTAssertTrue(lv["message"] is NSNull, "\(lv)")
        XCTAssertTrue(lv["firstMismatchedPackage"] is NSNull, "\(lv)")
    }

    func testTextPutsTheVerdictFirst() throws {
        let plugin = try Paths.fixture("plugin-handler-go1.26.6.so")
        let r = try run([plugin, try Paths.fixture("plugin-handler-go1.25.5.so"), try Paths.fixture("gateway-go1.25.5")])
        XCTAssertEqual(r.status, 1)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains("\(plugin): CRASHES THE GATEWAY: fatal error: runtime: no plugin module data"), r.stdout)
        XCTAssertTrue(lines.contains { $0.hasSuffix("plugin-handler-go1.25.5.so: NOT REACHED") }, r.stdout)
        XCTAssertTrue(lines.contains { $0.contains("error [go-runtime-layout]") }, r.stdout)
    }

    func testSARIF() throws {
        let plugin = try Paths.fixture("plugin-handler-go1.25.5-race.so")
        let r = try run(["--format", "sarif", plugin, try Paths.fixture("gateway-go1.25.5")])
        XCTAssertEqual(r.status, 1)
        let log = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(log["version"] as? String, "2.1.0")
        XCTAssertNotNil(log["$schema"] as? String)
        let run0 = try XCTUnwrap((log["runs"] as? [[String: Any]])?.first)
        let rules = try XCTUnwrap(((run0["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        let results = try XCTUnwrap(run0["results"] as? [[String: Any]])
        XCTAssertEqual(Set(results.compactMap { $0["ruleId"] as? String }), Set(rules.compactMap { $0["id"] as? String }))
        XCTAssertTrue(results.allSatisfy { ["error", "warning", "note"].contains($0["level"] as? String ?? "") })
        XCTAssertTrue(results.contains { $0["ruleId"] as? String == "race" })
        let uri = (((results.first?["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: Any])?["uri"] as? String
        // An absolute path is a file URI (SARIF resolves a relative one against the repository).
        XCTAssertEqual(uri, "file://" + plugin)
    }

    func testExitStatuses() throws {
        let gateway = try Paths.fixture("gateway-go1.25.5")
        XCTAssertEqual(try run([try Paths.fixture("plugin-handler-go1.25.5.so"), gateway]).status, 0)
        let none = try Paths.fixture("plugin-none-go1.25.5.so")
        XCTAssertEqual(try run([none, gateway]).status, 0, "a warning alone does not fail")
        XCTAssertEqual(try run(["--strict", none, gateway]).status, 1, "--strict fails on warnings")
        // The gateway is a directory: the tool cannot read its input.
        let dir = Paths.fixtures.appendingPathComponent("bin").path
        let bad = try run([try Paths.fixture("plugin-handler-go1.25.5.so"), dir])
        XCTAssertEqual(bad.status, 2)
        XCTAssertEqual(bad.stderr, "\(dir): is a directory, not a regular file\n")
        // A text file named .so is predictable (the loader's invalid ELF header): no input error.
        let text = try run([try Paths.fixture("text.so"), gateway])
        XCTAssertEqual(text.status, 1)
        XCTAssertEqual(text.stderr, "")
        XCTAssertEqual(try run([gateway]).status, 64, "usage error")
    }

    /// audit takes the folder's matching files in name order, as KrakenD does, so the
    /// plugin-only library conflict of the matrix case pluginlib-old-then-new appears.
    func testAuditLoadsAFolderInNameOrder() throws {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString)")
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: dir) }
        try fm.copyItem(atPath: try Paths.fixture("plugin-modifier-go1.25.5-pluginlib-v1.1.0.so"), toPath: dir.appendingPathComponent("b-modifier.so").path)
        try fm.copyItem(atPath: try Paths.fixture("plugin-client-go1.25.5.so"), toPath: dir.appendingPathComponent("a-client.so").path)
        XCTAssertTrue(fm.createFile(atPath: dir.appendingPathComponent("README.md").path, contents: Data("not a plugin\n".utf8)))
        let r = try ProcessResult.run(Paths.executable, ["audit", "--format", "json", dir.path, try Paths.fixture("gateway-go1.25.5")])
        XCTAssertEqual(r.status, 1)
        let plugins = try XCTUnwrap((JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])?["plugins"] as? [[String: Any]])
        XCTAssertEqual(plugins.map { ($0["path"] as? String).map { URL(fileURLWithPath: $0).lastPathComponent } }, ["a-client.so", "b-modifier.so"])
        XCTAssertEqual(plugins.map { $0["verdict"] as? String }, ["loads", "fails"])
        XCTAssertEqual(plugins[1]["firstMismatchedPackage"] as? String, "example.com/pluginlib")
    }

    /// The directories a path-caused mismatch names come from the source file table, which
    /// `strip` keeps: a stripped plugin against a stripped gateway names the same two module
    /// caches as the unstripped files, and they are the ones the fixture build used
    /// (TestBinaries/out/manifest.json's `gomodcache`, independent of plugincheck).
    func testStrippedFilesStillNameTheDirectories() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("plugincheck-strip-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let original = try Paths.fixture("plugin-handler-go1.25.5-modcache-alt.so")
        let stripped = dir.appendingPathComponent("plugin-handler-go1.25.5-modcache-alt.so").path
        let s = try ProcessResult.run("/usr/bin/strip", ["-o", stripped, original])
        XCTAssertEqual(s.status, 0, s.stderr)
        let manifest = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: Paths.root.appendingPathComponent("TestBinaries/out/manifest.json"))) as? [String: Any])
        let files = try XCTUnwrap(manifest["files"] as? [[String: Any]])
        func cache(_ name: String) throws -> String {
            let rel = try XCTUnwrap(files.first { $0["name"] as? String == "bin/" + name }?["gomodcache"] as? String, name)
            return Paths.root.appendingPathComponent(rel).resolvingSymlinksInPath().path
        }
        let pluginCache = try cache("plugin-handler-go1.25.5-modcache-alt.so"), gatewayCache = try cache("gateway-go1.25.5")
        XCTAssertNotEqual(pluginCache, gatewayCache)
        for (plugin, gateway) in [(original, try Paths.fixture("gateway-go1.25.5")), (stripped, try Paths.fixture("gateway-go1.25.5-strip"))] {
            let r = try run(["--format", "json", plugin, gateway])
            XCTAssertEqual(r.status, 1, r.stderr)
            let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            let findings = try XCTUnwrap((doc["plugins"] as? [[String: Any]])?.first?["findings"] as? [[String: Any]])
            let path = try XCTUnwrap(findings.first { $0["check"] as? String == "build-path" }, "\(plugin): no build-path finding in \(findings)")
            XCTAssertEqual(path["plugin"] as? String, "\(pluginCache)/example.com/shared@v1.0.0 (module cache \(pluginCache))")
            XCTAssertEqual(path["gateway"] as? String, "\(gatewayCache)/example.com/shared@v1.0.0 (module cache \(gatewayCache))")
            let rebuild = try XCTUnwrap(findings.first?["rebuild"] as? [String: Any])
            XCTAssertEqual(rebuild["environment"] as? [String: String], ["GOMODCACHE": gatewayCache])
        }
        let inspect = try ProcessResult.run(Paths.executable, ["inspect", "--format", "json", stripped])
        XCTAssertEqual(inspect.status, 0, inspect.stderr)
        let report = try XCTUnwrap((JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [[String: Any]])?.first)
        let sources = try XCTUnwrap((report["go"] as? [String: Any])?["sources"] as? [String: Any])
        XCTAssertEqual(sources["location"] as? String, "header-scan")
        let roots = try XCTUnwrap(sources["roots"] as? [[String: Any]])
        XCTAssertTrue(roots.contains { $0["kind"] as? String == "module-cache" && $0["path"] as? String == pluginCache }, "\(roots)")
    }

    /// A plugin that loads but that a lura-asserting gateway never registers is a warning on its
    /// verdict (`registerer-interface`, audit's wording), so `--strict` fails; one it registers has
    /// none. Per file of the recorded folder cases run by a lura-asserting gateway (registerers-*:
    /// Go 1.25.5, 1.24.11, stripped; TestBinaries/folders-oracle.json), against the gateway that
    /// case ran: a warning with the gateway's log line exactly where the gateway logged `unknown
    /// type`. A gateway that does not assert lura's interfaces (krakend-go1.25.5) gets none.
    func testARegistererTheGatewayWillNotRegisterIsAWarning() throws {
        let oracle = try JSONSerialization.jsonObject(with: Data(contentsOf: Paths.root.appendingPathComponent("TestBinaries/folders-oracle.json"))) as! [String: Any]
        var warned = 0, clean = 0
        for c in oracle["cases"] as! [[String: Any]] {
            guard let command = c["command"] as? [String], command.first?.hasPrefix("krakend-lura") == true else { continue }
            let lines = c["lines"] as! [[String]]
            let gateway = try Paths.fixture(command[0])
            for entry in c["layout"] as! [[String]] where entry[0] == "copy" {
                let (shown, plugin) = (entry[1], try Paths.fixture(entry[2]))
                let refused = lines.filter { $0[0] == "LOOKUP" && $0[2] == shown && $0[3] == "unknown-type" }
                let registered = lines.contains { $0[0] == "LOOKUP" && $0[2] == shown && $0[3] == "found" }
                let r = try run(["--format", "json", "--strict", plugin, gateway])
                let v = try XCTUnwrap(((JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])?["plugins"] as? [[String: Any]])?.first, r.stderr)
                XCTAssertEqual(v["verdict"] as? String, "loads", shown)
                let findings = (v["findings"] as? [[String: Any]] ?? []).filter { $0["check"] as? String == "registerer-interface" }
                let notRegistered = findings.filter { ($0["explanation"] as? String)?.contains("never registers it") == true }
                XCTAssertEqual(notRegistered.count, refused.count, "\(shown): one warning per loader that logged unknown type")
                XCTAssertTrue(findings.allSatisfy { $0["severity"] as? String == "warning" }, "\(shown): \(findings)")
                for f in notRegistered {
                    // The gateway's own line, as it logged it for this file (after its index and path).
                    let logged = lines.filter { $0[0] == "LOG" && $0[2].contains("(\(shown)): ") }.map { String($0[2].split(separator: ")").last!.dropFirst(2)) }
                    let explanation = f["explanation"] as? String ?? ""
                    XCTAssertTrue(logged.contains { explanation.hasSuffix("(\(plugin)): \($0)`") }, "\(shown): \(explanation) against \(logged)")
                }
                if !refused.isEmpty {
                    warned += 1
                    XCTAssertEqual(r.status, 1, "\(shown): --strict fails on the warning")
                    let text = try run([plugin, gateway])
                    XCTAssertEqual(text.status, 0, "\(shown): without --strict a warning does not fail")
                    XCTAssertTrue(text.stdout.contains("warning [registerer-interface] \(plugin) loads, but its HandlerRegisterer is not the interface"), text.stdout)
                    // Not asserted by this gateway (of the same Go version, where there is one): the presence check only.
                    if command[0] == "krakend-lura-go1.25.5" {
                        let other = try run(["--format", "json", "--strict", plugin, try Paths.fixture("krakend-go1.25.5")])
                        XCTAssertFalse(other.stdout.contains("registerer-interface"), "\(shown) against a gateway without lura's interfaces")
                        XCTAssertEqual(other.status, 0, other.stdout)
                    }
                } else if registered && findings.isEmpty {
                    clean += 1
                    XCTAssertEqual(r.status, 0, "\(shown): registered, nothing to warn about: \(r.stdout)")
                }
            }
        }
        XCTAssertEqual(warned, 3 * 3, "wrongparam, missingmethod, pointervar in each case")
        XCTAssertGreaterThanOrEqual(clean, 3 * 5)
    }
}
