import Foundation
import TestSupport
import XCTest

/// TestBinaries/followdeps.json: for every single-plugin case of the matrix whose plugin the real
/// gateway refuses, TestBinaries/tools/followdeps.py ran `deps` on the plugin's module folder
/// (a copy), ran the `--fix` script, built the plugin as the fixture was built with what the
/// script says beyond go.mod (toolchain, flags, environment) and ran the real gateway on it.
/// Every followed script must give a plugin that loads, and `deps` must find the fixed module
/// aligned; a script that cannot align the plugin says so (`# the gateway must change`, and it
/// exits 1; or `# by hand`). This machine's run (out/followdeps.json, written by scripts/test)
/// must say the same as the committed copy.
final class DepsFollowFixTests: XCTestCase {
    static func rows(_ relative: String) throws -> [[String: Any]] {
        let data = try XCTUnwrap(FileManager.default.contents(atPath: Paths.root.appendingPathComponent(relative).path),
                                 "\(relative) is missing: scripts/test runs TestBinaries/tools/followdeps.py")
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try XCTUnwrap(doc["rows"] as? [[String: Any]], "\(relative): no rows")
    }

    static func pretty(_ o: Any) -> String {
        (try? JSONSerialization.data(withJSONObject: o, options: [.prettyPrinted, .sortedKeys])).flatMap { String(data: $0, encoding: .utf8) } ?? "\(o)"
    }

    func testEveryFixScriptFollowedGivesAPluginTheGatewayLoads() throws {
        let committed = try Self.rows("TestBinaries/followdeps.json")
        let key = { (r: [String: Any]) in "\(r["case"] ?? "?")" }

        // The cases: one plugin, a plugin build (not a copy or link), refused by the real gateway.
        let manifestData = try Data(contentsOf: Paths.fixtures.appendingPathComponent("manifest.json"))
        let manifest = try XCTUnwrap(JSONSerialization.jsonObject(with: manifestData) as? [String: Any])
        var role: [String: String] = [:]
        for f in manifest["files"] as? [[String: Any]] ?? [] {
            if let n = f["name"] as? String { role[String(n.dropFirst(4))] = f["role"] as? String }
        }
        let oracleData = try Data(contentsOf: Paths.root.appendingPathComponent("TestBinaries/oracle.json"))
        let oracle = try XCTUnwrap(JSONSerialization.jsonObject(with: oracleData) as? [String: Any])
        var failing: Set<String> = []
        for c in oracle["cases"] as? [[String: Any]] ?? [] {
            guard let id = c["id"] as? String, let plugins = c["plugins"] as? [String], plugins.count == 1,
                  role[plugins[0]] == "plugin", let r = (c["results"] as? [[String: Any]])?.first,
                  r["outcome"] as? String != "loaded" else { continue }
            failing.insert(id)
        }
        XCTAssertEqual(Set(committed.map(key)), failing, "followdeps.json must hold every refused single plugin of the matrix")

        var followed = 0, gateway = 0
        for r in committed {
            let verdict = r["verdict"] as? String ?? ""
            let script = r["script"] as? [String] ?? []
            if r["followed"] as? Bool == false {
                if verdict == "misaligned" {
                    // A misaligned verdict whose script cannot align the plugin says what must change.
                    let needs = r["needs"] as? String ?? ""
                    XCTAssertTrue(["the gateway", "a step by hand"].contains(needs), "\(key(r)): not followed without a reason: \(Self.pretty(r))")
                    if needs == "the gateway" {
                        gateway += 1
                        XCTAssertTrue(script.contains { $0.hasPrefix("# the gateway must change: ") }, key(r))
                        XCTAssertEqual(script.last, "exit 1", "\(key(r)): a script that cannot align the plugin must fail")
                        XCTAssertEqual(r["depsFixExit"] as? Int, 1, key(r))
                    } else {
                        XCTAssertTrue(script.contains { $0.hasPrefix("# by hand: ") }, key(r))
                    }
                } else {
                    // Not decided before the build (DepsMatrixAgreementTests.expectedUncertain): no fix to follow.
                    XCTAssertEqual(verdict, "uncertain", "\(key(r)): \(Self.pretty(r))")
                }
                continue
            }
            followed += 1
            XCTAssertEqual(verdict, "misaligned", key(r))
            XCTAssertFalse(script.contains { $0.hasPrefix("# nothing to change") }, "\(key(r)): a misaligned module's script changes nothing")
            XCTAssertTrue((r["outcome"] as? String ?? "").hasPrefix("loaded"), "\(key(r)): the fixed plugin did not load: \(Self.pretty(r))")
            XCTAssertEqual(r["verdictAfter"] as? String, "aligned", "\(key(r)): deps on the fixed module: \(Self.pretty(r))")
        }
        XCTAssertGreaterThanOrEqual(followed, 40)
        XCTAssertGreaterThanOrEqual(gateway, 10)
        let fresh = try Self.rows("TestBinaries/out/followdeps.json")
        XCTAssertEqual(Self.pretty(fresh), Self.pretty(committed), "this machine's followdeps run differs from TestBinaries/followdeps.json (rewrite it with followdeps.py --update)")
    }
}
