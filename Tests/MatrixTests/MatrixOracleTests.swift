// Checks the fixture matrix against the real loader.
//
// TestBinaries/out/oracle.json is written by `scripts/fixtures`, which runs the
// fixture gateway (Go's plugin.Open) on every case of TestBinaries/cases.tsv.
// TestBinaries/oracle.json is the committed copy. A difference between them
// means the real loader now behaves otherwise (new toolchain, new libc...):
// inspect the case, then refresh with `scripts/fixtures --update`.
import Foundation
import XCTest

final class MatrixOracleTests: XCTestCase {
    /// Fields of a case that the committed copy holds (diagnostics such as stderrHead are left out).
    static let comparedKeys = ["id", "varies", "gateway", "plugins", "runner", "results", "gatewayExitStatus", "stable"]

    /// The repository root: the first ancestor of this file holding TestBinaries/cases.tsv.
    static func repoRoot(file: String = #filePath) -> URL? {
        var dir = URL(fileURLWithPath: file).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("TestBinaries/cases.tsv").path) {
                return dir
            }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    func loadCases(_ relative: String, hint: String) throws -> [[String: Any]] {
        let root = try XCTUnwrap(Self.repoRoot(), "cannot find the repository root (TestBinaries/cases.tsv) above \(#filePath)")
        let url = root.appendingPathComponent(relative)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            XCTFail("\(relative) is missing: \(hint)")
            throw XCTSkip("\(relative) missing")
        }
        let json = try JSONSerialization.jsonObject(with: data)
        let doc = try XCTUnwrap(json as? [String: Any], "\(relative): not a JSON object")
        return try XCTUnwrap(doc["cases"] as? [[String: Any]], "\(relative): no \"cases\" array")
    }

    func freshCases() throws -> [[String: Any]] {
        try loadCases("TestBinaries/out/oracle.json",
                      hint: "run scripts/bootstrap && scripts/fixtures (builds the fixtures and runs the real loader)")
    }

    func committedCases() throws -> [[String: Any]] {
        try loadCases("TestBinaries/oracle.json",
                      hint: "it is committed; regenerate it with scripts/fixtures --update")
    }

    static func pretty(_ object: Any) -> String {
        guard JSONSerialization.isValidJSONObject(object),
              let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]) else {
            return String(describing: object)
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func compared(_ c: [String: Any]) -> [String: Any] {
        c.filter { comparedKeys.contains($0.key) }
    }

    static func results(_ cases: [[String: Any]]) -> [[String: Any]] {
        cases.flatMap { ($0["results"] as? [[String: Any]]) ?? [] }
    }

    func testFreshRunEqualsCommittedOracle() throws {
        let fresh = try freshCases(), committed = try committedCases()
        let freshByID = Dictionary(fresh.map { (($0["id"] as? String) ?? "?", $0) }, uniquingKeysWith: { a, _ in a })
        let committedByID = Dictionary(committed.map { (($0["id"] as? String) ?? "?", $0) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(fresh.count, freshByID.count, "duplicate case ids in out/oracle.json")
        XCTAssertEqual(Set(freshByID.keys), Set(committedByID.keys),
                       "case ids differ: only fresh \(Set(freshByID.keys).subtracting(committedByID.keys).sorted()), only committed \(Set(committedByID.keys).subtracting(freshByID.keys).sorted())")
        for (id, old) in committedByID.sorted(by: { $0.key < $1.key }) {
            guard let new = freshByID[id] else { continue }
            let a = Self.compared(old), b = Self.compared(new)
            // Canonical JSON (sorted keys) compares values exactly, on Linux too.
            let was = Self.pretty(a), now = Self.pretty(b)
            if was != now {
                XCTFail("case \(id): the real loader now behaves differently.\n--- committed TestBinaries/oracle.json\n\(was)\n+++ fresh TestBinaries/out/oracle.json\n\(now)\nIf expected, run scripts/fixtures --update.")
            }
        }
    }

    /// The folder cases (TestBinaries/folders.json, run by tools/folders.py through the
    /// KrakenD-like gateway) are held to their committed record the same way.
    func testFreshFolderRunEqualsCommittedRecord() throws {
        let fresh = try loadCases("TestBinaries/out/folders-oracle.json", hint: "run scripts/fixtures (it runs the folder cases too)")
        let committed = try loadCases("TestBinaries/folders-oracle.json", hint: "it is committed; regenerate it with scripts/fixtures --update")
        let freshByID = Dictionary(fresh.map { (($0["id"] as? String) ?? "?", $0) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(Set(freshByID.keys), Set(committed.compactMap { $0["id"] as? String }))
        XCTAssertGreaterThanOrEqual(committed.count, 30)
        for old in committed {
            let id = (old["id"] as? String) ?? "?"
            guard let new = freshByID[id] else { continue }
            // The fresh run also keeps diagnostics (stderrHead) the committed copy leaves out.
            let was = Self.pretty(old), now = Self.pretty(new.filter { $0.key != "stderrHead" })
            if was != now {
                XCTFail("folder case \(id): the real gateway now behaves differently.\n--- committed\n\(was)\n+++ fresh\n\(now)\nIf expected, run scripts/fixtures --update.")
            }
            XCTAssertEqual(old["stable"] as? Bool, true, "folder case \(id) was not stable between two runs")
        }
    }

    /// Each row of TestBinaries/fixes.tsv (a fix followed literally and run by the real gateway)
    /// names an oracle case whose recorded outcome is the one the row states.
    func testFixTableAgreesWithTheOracle() throws {
        let root = try XCTUnwrap(Self.repoRoot())
        let text = try String(contentsOf: root.appendingPathComponent("TestBinaries/fixes.tsv"), encoding: .utf8)
        let byID = Dictionary(try committedCases().map { (($0["id"] as? String) ?? "?", $0) }, uniquingKeysWith: { a, _ in a })
        var rows = 0, loaded = 0
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            XCTAssertEqual(f.count, 7, String(line))
            guard f.count == 7 else { continue }
            let (failing, rebuilt, outcome, gateway, caseID) = (f[1], f[3], f[4], f[5], f[6])
            let c = try XCTUnwrap(byID[caseID], "fixes.tsv names oracle case \(caseID), which is not in TestBinaries/oracle.json")
            XCTAssertEqual(c["gateway"] as? String, gateway, caseID)
            // The rebuilt plugin, or the failing one against a rebuilt gateway (or, when both were
            // rebuilt, the case's last plugin).
            let plugins = c["plugins"] as? [String] ?? []
            let plugin = plugins.contains(rebuilt) ? rebuilt : plugins.contains(failing) ? failing : (plugins.last ?? failing)
            let result = (c["results"] as? [[String: Any]] ?? []).first { $0["plugin"] as? String == plugin }
            let recorded = try XCTUnwrap(result?["outcome"] as? String, "\(caseID): no result for \(plugin)")
            XCTAssertTrue(outcome.hasPrefix(recorded), "\(caseID): fixes.tsv says \(outcome), the oracle recorded \(recorded)")
            rows += 1
            if recorded == "loaded" { loaded += 1 }
        }
        XCTAssertGreaterThanOrEqual(rows, 25)
        XCTAssertGreaterThanOrEqual(loaded, 20)
    }

    /// The rows of a follow tool's record (TestBinaries/tools/followfix.py, followrecipe.py).
    static func rows(_ root: URL, _ relative: String, writer: String) throws -> [[String: Any]] {
        let data = try XCTUnwrap(FileManager.default.contents(atPath: root.appendingPathComponent(relative).path),
                                 "\(relative) is missing: scripts/test runs TestBinaries/tools/\(writer)")
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try XCTUnwrap(doc["rows"] as? [[String: Any]], "\(relative): no rows")
    }

    /// TestBinaries/followfix.json: every plugin the real loader refuses in the matrix, with the
    /// fix plugincheck printed for it. Where that fix is a rebuild, followfix.py applied it to
    /// the plugin's build literally and the real gateway ran the result: it must load. This
    /// machine's run (out/followfix.json, written by scripts/test) must say the same.
    func testEveryRebuildFixWasFollowedAndLoads() throws {
        let root = try XCTUnwrap(Self.repoRoot())
        let committed = try Self.rows(root, "TestBinaries/followfix.json", writer: "followfix.py")
        let key = { (r: [String: Any]) in "\(r["case"] ?? "?") \(r["plugin"] ?? "?")" }
        var failing: Set<String> = []
        for c in try committedCases() {
            for r in c["results"] as? [[String: Any]] ?? [] where ["error", "crash", "timeout"].contains(r["outcome"] as? String ?? "") {
                failing.insert("\(c["id"] ?? "?") \(r["plugin"] ?? "?")")
            }
        }
        XCTAssertEqual(Set(committed.map(key)), failing, "followfix.json must hold every failing plugin of the matrix")
        var followed = 0
        for r in committed where r["followed"] as? Bool == true {
            followed += 1
            XCTAssertTrue((r["outcome"] as? String ?? "").hasPrefix("loaded"), "\(key(r)): the printed rebuild did not load: \(Self.pretty(r))")
        }
        XCTAssertGreaterThanOrEqual(followed, 40)
        for r in committed where r["followed"] as? Bool != true {
            // A fix that is not a rebuild of the plugin says what else must change.
            let fix = r["fix"] as? String ?? ""
            XCTAssertFalse(fix.isEmpty, "\(key(r)): a failing plugin without a fix")
        }
        let fresh = try Self.rows(root, "TestBinaries/out/followfix.json", writer: "followfix.py")
        XCTAssertEqual(Self.pretty(fresh), Self.pretty(committed), "this machine's followfix run differs from TestBinaries/followfix.json (rewrite it with followfix.py --update)")
    }

    /// TestBinaries/recipes.json: `plugincheck recipe` for every gateway of the matrix, run as a
    /// shell script by followrecipe.py, and what the real gateway did with the plugin it built.
    /// Each recipe's plugin loads, or the recipe refused and said why no build can match.
    func testEveryGatewaysRecipeBuildsAPluginItLoads() throws {
        let root = try XCTUnwrap(Self.repoRoot())
        let committed = try Self.rows(root, "TestBinaries/recipes.json", writer: "followrecipe.py")
        let gateways = Set(try committedCases().compactMap { $0["gateway"] as? String })
        XCTAssertEqual(Set(committed.compactMap { $0["gateway"] as? String }), gateways)
        var loaded = 0
        for r in committed {
            let outcome = r["outcome"] as? String ?? ""
            switch r["recipeStatus"] as? Int {
            case 0?:
                XCTAssertTrue(outcome.hasPrefix("loaded"), "\(r["gateway"] ?? "?"): \(outcome)")
                XCTAssertEqual(r["compare"] as? String, "loads", "\(r["gateway"] ?? "?")")
                loaded += 1
            case 1?:
                XCTAssertTrue(outcome.hasPrefix("recipe refused: plugincheck recipe: cannot"), "\(r["gateway"] ?? "?"): \(outcome)")
            default:
                XCTFail("\(r["gateway"] ?? "?"): recipe exit status \(r["recipeStatus"] ?? "?")")
            }
        }
        XCTAssertGreaterThanOrEqual(loaded, 20)
        XCTAssertEqual(Self.pretty(try Self.rows(root, "TestBinaries/out/recipes.json", writer: "followrecipe.py")), Self.pretty(committed),
                       "this machine's followrecipe run differs from TestBinaries/recipes.json (rewrite it with followrecipe.py --update)")
    }

    func testAtLeastSixtyCases() throws {
        XCTAssertGreaterThanOrEqual(try committedCases().count, 60)
        XCTAssertGreaterThanOrEqual(try freshCases().count, 60)
    }

    func testEveryCaseIsStable() throws {
        for c in try freshCases() + committedCases() {
            XCTAssertEqual(c["stable"] as? Bool, true, "case \(c["id"] ?? "?") gave different outcomes in two runs: \(Self.pretty(c))")
        }
    }

    func testEveryOutcomeClassIsPresent() throws {
        for (label, cases) in [("fresh", try freshCases()), ("committed", try committedCases())] {
            let results = Self.results(cases)
            func has(_ what: String, _ pred: ([String: Any]) -> Bool) {
                XCTAssertTrue(results.contains(where: pred), "\(label) oracle: no plugin load with outcome \(what)")
            }
            func outcome(_ r: [String: Any]) -> String { (r["outcome"] as? String) ?? "" }
            func error(_ r: [String: Any]) -> String { outcome(r) == "error" ? ((r["error"] as? String) ?? "") : "" }
            has("loaded with registerers") { outcome($0) == "loaded" && !(($0["registerers"] as? [String]) ?? []).isEmpty }
            has("loaded, registers nothing") { outcome($0) == "loaded" && (($0["registerers"] as? [String]) ?? ["x"]).isEmpty }
            has("error: plugin already loaded") { error($0).hasSuffix("plugin already loaded") }
            has("error: different version of package") { error($0).contains("plugin was built with a different version of package ") }
            has("error: plugin: not implemented") { error($0) == "plugin: not implemented" }
            for dl in ["cannot open shared object file: No such file or directory", "wrong ELF class: ELFCLASS32",
                       "invalid ELF header", "file too short", "Error relocating", "symbol not found"] {
                has("dlopen error containing \"\(dl)\"") { error($0).contains(dl) }
            }
            has("crash") { outcome($0) == "crash" && ($0["exitStatus"] as? Int ?? 0) != 0 && $0["fatal"] is String }
            has("not-reached after a crash") { outcome($0) == "not-reached" }
            let known: Set<String> = ["loaded", "error", "crash", "not-reached"]
            for r in results where !known.contains(outcome(r)) {
                XCTFail("\(label) oracle: unexpected outcome \(Self.pretty(r))")
            }
        }
    }

    func testMessagesAreLocationIndependent() throws {
        let root = try XCTUnwrap(Self.repoRoot()).path
        for r in Self.results(try committedCases()) {
            let text = ((r["error"] as? String) ?? "") + ((r["fatal"] as? String) ?? "")
            XCTAssertFalse(text.contains(root), "absolute path in committed oracle: \(text)")
        }
    }
}
