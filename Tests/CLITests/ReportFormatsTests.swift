import Foundation
import TestSupport
import XCTest

/// The formats CI systems read, checked with real consumers: SARIF for every fixture case
/// (sarif-pydantic's SARIF 2.1.0 object model, plus the URI rules), JUnit XML with
/// junitparser, GitLab Code Quality's required fields; one version everywhere; colour and
/// progress only on a terminal.
final class ReportFormatsTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("formats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    /// (gateway, plugins) of every case of TestBinaries/cases.tsv.
    func matrixCases() throws -> [(id: String, gateway: String, plugins: [String])] {
        let text = try String(contentsOf: Paths.root.appendingPathComponent("TestBinaries/cases.tsv"), encoding: .utf8)
        return try text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            // Plugins as named (one case names a file that does not exist on purpose).
            return (f[0], try Paths.fixture(f[2]), f[3].split(separator: " ").map { Paths.fixtures.appendingPathComponent("bin/\($0)").path })
        }
    }

    func python(_ script: String, _ args: [String]) throws -> ProcessResult {
        try ProcessResult.run("/usr/bin/env", ["python3", "-c", script] + args)
    }

    func testSARIFOfEveryMatrixCaseIsValid() throws {
        var files: [String] = []
        for c in try matrixCases() {
            let r = try ProcessResult.run(Paths.executable, ["compare", "--format", "sarif"] + c.plugins + [c.gateway])
            let path = dir.appendingPathComponent(c.id + ".sarif").path
            try Data(r.stdout.utf8).write(to: URL(fileURLWithPath: path))
            files.append(path)
        }
        // A name a SARIF URI must escape.
        let odd = dir.appendingPathComponent("my plugin#1.so").path
        try FileManager.default.copyItem(atPath: try Paths.fixture("plugin-handler-go1.24.11.so"), toPath: odd)
        let r = try ProcessResult.run(Paths.executable, ["compare", "--format", "sarif", odd, try Paths.fixture("gateway-go1.25.5")])
        XCTAssertTrue(r.stdout.contains("my%20plugin%231.so"), r.stdout)
        let oddSarif = dir.appendingPathComponent("odd.sarif").path
        try Data(r.stdout.utf8).write(to: URL(fileURLWithPath: oddSarif))
        files.append(oddSarif)
        let check = try python("""
            import json, re, sys
            from sarif_pydantic import Sarif
            uri = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*:)?([A-Za-z0-9._~/:@!$&'()*+,;=-]|%[0-9A-Fa-f]{2})*$")
            absolute = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
            n = 0
            for path in sys.argv[1:]:
                text = open(path).read()
                log = Sarif.model_validate_json(text)
                doc = json.loads(text)
                assert doc["version"] == "2.1.0", path
                run = doc["runs"][0]
                driver = run["tool"]["driver"]
                assert driver["name"] == "plugincheck" and driver["version"], path
                ids = {r["id"] for r in driver.get("rules", [])}
                for rule in driver.get("rules", []):
                    assert absolute.match(rule["helpUri"]) and uri.match(rule["helpUri"]), (path, rule["helpUri"])
                for res in run["results"]:
                    assert res["ruleId"] in ids, (path, res["ruleId"])
                    assert res["level"] in ("error", "warning", "note"), path
                    for loc in res["locations"]:
                        u = loc["physicalLocation"]["artifactLocation"]["uri"]
                        assert uri.match(u), (path, u)
                inv = run["invocations"][0]
                assert inv["executionSuccessful"] in (True, False), path
                n += 1
            print(n)
            """, files)
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertEqual(check.stdout.trimmingCharacters(in: .whitespacesAndNewlines), String(files.count))
        XCTAssertGreaterThanOrEqual(files.count, 90)
    }

    func testJUnitParsesWithJunitparser() throws {
        let gateway = try Paths.fixture("gateway-go1.25.5")
        let plugins = ["plugin-handler-go1.24.11.so", "plugin-handler-go1.25.5.so", "plugin-client-go1.25.5.so"].map { try! Paths.fixture($0) }
        let r = try ProcessResult.run(Paths.executable, ["compare", "--format", "junit"] + plugins + [gateway])
        XCTAssertEqual(r.status, 1)
        let path = dir.appendingPathComponent("report.xml").path
        try Data(r.stdout.utf8).write(to: URL(fileURLWithPath: path))
        let parsed = try python("""
            import sys
            from junitparser import JUnitXml, Failure, Error
            xml = JUnitXml.fromfile(sys.argv[1])
            for suite in xml:
                print("suite", suite.tests, suite.failures, suite.errors)
                for case in suite:
                    kinds = [type(r).__name__ for r in case.result]
                    msg = case.result[0].message if case.result else ""
                    print("case", case.name, ",".join(kinds) or "passed", msg)
            """, [path])
        XCTAssertEqual(parsed.status, 0, parsed.stderr)
        let lines = parsed.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "suite 3 2 0", parsed.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("case \(plugins[0]) Failure FAILS: plugin.Open(") && $0.hasSuffix("internal/goarch") }, parsed.stdout)
        // The first plugin poisons the second's own package (same plugin path); the client loads.
        XCTAssertTrue(lines.contains("case \(plugins[2]) passed "), parsed.stdout)
        // An input error is a JUnit error.
        let missing = dir.appendingPathComponent("nope").path
        let bad = try ProcessResult.run(Paths.executable, ["audit", "--format", "junit", missing, gateway])
        XCTAssertEqual(bad.status, 2)
        try Data(bad.stdout.utf8).write(to: URL(fileURLWithPath: path))
        let parsedBad = try python("""
            import sys
            from junitparser import JUnitXml
            for suite in JUnitXml.fromfile(sys.argv[1]):
                print(suite.errors, [type(r).__name__ for c in suite for r in c.result])
            """, [path])
        XCTAssertEqual(parsedBad.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "1 ['Error']", parsedBad.stderr)
    }

    func testGitLabCodeQualityHasEveryRequiredField() throws {
        let r = try ProcessResult.run(Paths.executable, ["compare", "--format", "gitlab", try Paths.fixture("plugin-handler-go1.25.5-race.so"),
                                                         try Paths.fixture("plugin-none-go1.25.5.so"), try Paths.fixture("gateway-go1.25.5")])
        XCTAssertEqual(r.status, 1)
        let issues = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        XCTAssertFalse(issues.isEmpty)
        var fingerprints = Set<String>()
        for issue in issues {
            for key in ["description", "check_name", "fingerprint", "severity"] { XCTAssertNotNil(issue[key] as? String, "\(key): \(issue)") }
            XCTAssertTrue(["info", "minor", "major", "critical", "blocker"].contains(issue["severity"] as? String ?? ""))
            let location = try XCTUnwrap(issue["location"] as? [String: Any])
            XCTAssertNotNil(location["path"] as? String)
            XCTAssertNotNil((location["lines"] as? [String: Any])?["begin"] as? Int)
            fingerprints.insert(issue["fingerprint"] as? String ?? "")
        }
        XCTAssertEqual(fingerprints.count, issues.count, "fingerprints are unique")
        XCTAssertTrue(issues.contains { $0["check_name"] as? String == "race" })
        XCTAssertTrue(issues.contains { $0["check_name"] as? String == "registerers" && $0["severity"] as? String == "minor" })
        // The same run gives the same fingerprints (GitLab compares them across pipelines).
        let again = try ProcessResult.run(Paths.executable, ["compare", "--format", "gitlab", try Paths.fixture("plugin-handler-go1.25.5-race.so"),
                                                             try Paths.fixture("plugin-none-go1.25.5.so"), try Paths.fixture("gateway-go1.25.5")])
        XCTAssertEqual(again.stdout, r.stdout)
    }

    func testOneVersionEverywhere() throws {
        let version = try ProcessResult.run(Paths.executable, ["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertFalse(version.isEmpty)
        let args = [try Paths.fixture("plugin-handler-go1.25.5.so"), try Paths.fixture("gateway-go1.25.5")]
        let json = try ProcessResult.run(Paths.executable, ["compare", "--format", "json"] + args)
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["toolVersion"] as? String, version)
        let sarif = try ProcessResult.run(Paths.executable, ["compare", "--format", "sarif"] + args)
        let driver = (((try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])?["runs"] as? [[String: Any]])?.first?["tool"] as? [String: Any])?["driver"] as? [String: Any]
        XCTAssertEqual(driver?["version"] as? String, version)
        let junit = try ProcessResult.run(Paths.executable, ["compare", "--format", "junit"] + args)
        XCTAssertTrue(junit.stdout.contains("<property name=\"plugincheck.version\" value=\"\(version)\" />"), junit.stdout)
    }

    /// Under a pseudo-terminal (`script`), the verdict words are coloured and an audit of more
    /// than a handful of files shows progress; in a pipe, or with NO_COLOR, neither appears.
    func testColourAndProgressOnlyOnATerminal() throws {
        let folder = dir.appendingPathComponent("plugins")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for i in 0..<7 {
            try FileManager.default.copyItem(atPath: try Paths.fixture("plugin-handler-go1.25.5.so"), toPath: folder.appendingPathComponent("p\(i).so").path)
        }
        let gateway = try Paths.fixture("gateway-go1.25.5")
        let command = "\(Paths.executable) audit \(folder.path) \(gateway)"
        // `swift test` may pass NO_COLOR on to its children: decide it here.
        let tty = try ProcessResult.run("/usr/bin/env", ["-u", "NO_COLOR", "/usr/bin/script", "-qec", command, "/dev/null"])
        XCTAssertTrue(tty.stdout.contains("\u{1b}[32mLOADS\u{1b}[0m"), tty.stdout)
        XCTAssertTrue(tty.stdout.contains("\u{1b}[31mFAILS\u{1b}[0m"), tty.stdout)
        XCTAssertTrue(tty.stdout.contains("checking 7/7 "), tty.stdout)
        let noColor = try ProcessResult.run("/usr/bin/env", ["NO_COLOR=1", "/usr/bin/script", "-qec", command, "/dev/null"])
        XCTAssertFalse(noColor.stdout.contains("\u{1b}[3"), noColor.stdout)
        let pipe = try ProcessResult.run("/usr/bin/env", ["-u", "NO_COLOR", Paths.executable, "audit", folder.path, gateway])
        XCTAssertFalse(pipe.stdout.contains("\u{1b}"), pipe.stdout)
        XCTAssertFalse(pipe.stderr.contains("checking"), pipe.stderr)
        let forced = try ProcessResult.run(Paths.executable, ["audit", "--color", "always", folder.path, gateway])
        XCTAssertTrue(forced.stdout.contains("\u{1b}[32mLOADS"), forced.stdout)
    }
}
