import Foundation
import TestSupport
import XCTest

/// Every input that prevents a decision is one line on stderr naming the path and the
/// reason, exit status 2, and an entry in the JSON `inputErrors` (and the SARIF run's
/// notifications): never an empty list, never "loads".
final class FailClosedTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("failclosed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        chmod(dir.path, 0o755)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    struct Outcome {
        var status: Int32
        var stderr: String
        var inputErrors: [[String: Any]]
        var json: [String: Any]
        var text: String
    }

    /// Runs the command twice, as text and as JSON, and checks what every input error shares.
    func run(_ args: [String], as user: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> Outcome {
        func exec(_ extra: [String]) throws -> ProcessResult {
            if user == "nobody" {
                return try ProcessResult.run("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", Paths.executable] + args + extra)
            }
            return try ProcessResult.run(Paths.executable, args + extra)
        }
        let text = try exec([])
        let json = try exec(["--format", "json"])
        XCTAssertEqual(text.status, json.status, file: file, line: line)
        XCTAssertEqual(text.stderr, json.stderr, file: file, line: line)
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], json.stderr, file: file, line: line)
        let errors = (doc["inputErrors"] as? [[String: Any]]) ?? []
        return Outcome(status: text.status, stderr: text.stderr, inputErrors: errors, json: doc, text: text.stdout)
    }

    /// Exit 2, one stderr line per input error, each naming `path` with `reason`.
    func assertInputError(_ o: Outcome, path: String, reason: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(o.status, 2, o.stderr, file: file, line: line)
        let lines = o.stderr.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, o.inputErrors.count, o.stderr, file: file, line: line)
        XCTAssertTrue(lines.contains { $0.hasPrefix(path + ":") && $0.contains(reason) }, "stderr: \(o.stderr)", file: file, line: line)
        XCTAssertTrue(o.inputErrors.contains { ($0["path"] as? String) == path && (($0["reason"] as? String) ?? "").contains(reason) },
                      "inputErrors: \(o.inputErrors)", file: file, line: line)
        XCTAssertFalse(o.text.contains(": LOADS"), "nothing may be said to load: \(o.text)", file: file, line: line)
        XCTAssertTrue(o.text.hasSuffix("no decision\n"), o.text, file: file, line: line)
    }

    func gateway() throws -> String { try Paths.fixture("gateway-go1.25.5") }

    func testAMissingFolder() throws {
        let missing = dir.appendingPathComponent("nonexistent").path
        assertInputError(try run(["audit", "--strict", missing, try gateway()]), path: missing, reason: "No such file or directory")
    }

    func testAFileGivenAsTheFolder() throws {
        let file = try Paths.fixture("plugin-handler-go1.25.5.so")
        assertInputError(try run(["audit", file, try gateway()]), path: file, reason: "Not a directory")
    }

    func testAnUnreadableFolder() throws {
        let folder = dir.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: try Paths.fixture("plugin-handler-go1.25.5.so"), toPath: folder.appendingPathComponent("a.so").path)
        chmod(folder.path, 0o000)
        defer { chmod(folder.path, 0o755) }
        assertInputError(try run(["audit", folder.path, try gateway()], as: "nobody"), path: folder.path, reason: "Permission denied")
    }

    func testAFolderWhereNothingMatches() throws {
        let folder = dir.appendingPathComponent("plugins")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub.so"), withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: folder.appendingPathComponent("README.md").path, contents: Data()))
        let o = try run(["audit", folder.path, try gateway()])
        assertInputError(o, path: folder.path, reason: "no file name contains the pattern \".so\"")
        // Where nothing is really deployed, it is a decision: nothing loads, nothing fails.
        let empty = try run(["audit", "--allow-empty", folder.path, try gateway()])
        XCTAssertEqual(empty.status, 0, empty.stderr)
        XCTAssertEqual(empty.stderr, "")
        XCTAssertTrue(empty.text.hasSuffix("0 plugins: 0 load, 0 fail, 0 crash; folder \(folder.path) pattern .so\n"), empty.text)
    }

    func testAMissingOrUnreadableGateway() throws {
        let plugins = dir.appendingPathComponent("plugins")
        try FileManager.default.createDirectory(at: plugins, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: try Paths.fixture("plugin-handler-go1.25.5.so"), toPath: plugins.appendingPathComponent("a.so").path)
        let missing = dir.appendingPathComponent("no-gateway").path
        assertInputError(try run(["audit", plugins.path, missing]), path: missing, reason: "No such file or directory")
        assertInputError(try run(["compare", plugins.appendingPathComponent("a.so").path, missing]), path: missing, reason: "No such file or directory")
        let locked = dir.appendingPathComponent("gateway").path
        try FileManager.default.copyItem(atPath: try gateway(), toPath: locked)
        chmod(locked, 0o000)
        assertInputError(try run(["audit", plugins.path, locked], as: "nobody"), path: locked, reason: "Permission denied")
    }

    /// A musl gateway's loader binds the plugin's C symbols against musl's library; under a
    /// root that lacks it, nothing can be decided (the real gateway rejects this plugin with
    /// `__fprintf_chk: symbol not found`, matrix case cgofort-in-musl-gateway).
    func testMuslLibraryMissingUnderTheSysroot() throws {
        let root = dir.appendingPathComponent("root")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("lib"), withIntermediateDirectories: true)
        let plugins = dir.appendingPathComponent("plugins")
        try FileManager.default.createDirectory(at: plugins, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: try Paths.fixture("plugin-cgofort-go1.25.5.so"), toPath: plugins.appendingPathComponent("fort.so").path)
        let musl = try Paths.fixture("gateway-go1.25.5-musl")
        let o = try run(["audit", "--sysroot", root.path, plugins.path, musl])
        assertInputError(o, path: musl, reason: root.path + "/lib/ld-musl-x86_64.so.1")
        let verdicts = (o.json["plugins"] as? [[String: Any]] ?? []).map { $0["verdict"] as? String }
        XCTAssertEqual(verdicts, ["unknown"])
        // With this machine's musl (the default root) the real outcome is predicted.
        let here = try run(["audit", plugins.path, musl])
        XCTAssertEqual(here.status, 1, here.stderr)
        XCTAssertTrue(here.text.contains("Error relocating \(plugins.path)/fort.so: __fprintf_chk: symbol not found"), here.text)
    }

    func testASysrootThatDoesNotExist() throws {
        let missing = dir.appendingPathComponent("no-root").path
        let o = try run(["compare", "--sysroot", missing, try Paths.fixture("plugin-handler-go1.25.5.so"), try gateway()])
        assertInputError(o, path: missing, reason: "No such file or directory")
    }

    func testConfigurationsThatDoNotParseNameTheLineAndColumn() throws {
        let table: [(String, String, String, UInt)] = [
            ("krakend.json", "{\n  \"version\": 3,\n  \"plugin\": {\"folder\": \"./plugins/\" \"pattern\": \".so\"}\n}\n", ":3:", #line),
            ("krakend.yaml", "version: 3\nplugin:\n  folder: ./plugins/\n pattern: .so\n", ":4:", #line),
            ("krakend.toml", "version = 3\n[plugin]\nfolder = \"./plugins/\npattern = \".so\"\n", ":3:", #line),
            // Table headers whose key does not start after the bracket: toml++ (in TOMLKit)
            // aborts the process on these, so plugincheck finds them first.
            ("krakend.toml", "version = 3\n[\nfolder = \"./plugins/\"\n", ":2:2:", #line),
            ("krakend.toml", "version = 3\n[[ \t\n", ":2:5:", #line),
            ("krakend.toml", "version = 3\n  [ # a comment\n", ":2:5:", #line),
            ("krakend.toml", "a = \"\"\"\n[ not a header\n\"\"\"\n[.plugin]\n", ":4:2:", #line),
        ]
        for (name, text, place, line) in table {
            let path = dir.appendingPathComponent(name).path
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
            let o = try run(["audit", "--config", path, try gateway()])
            XCTAssertEqual(o.status, 2, o.stderr, line: line)
            XCTAssertTrue(o.stderr.hasPrefix(path + place), "\(name): \(o.stderr)", line: line)
            XCTAssertEqual(o.stderr.split(separator: "\n").count, 1, o.stderr, line: line)
            let e = try XCTUnwrap(o.inputErrors.first, line: line)
            XCTAssertEqual(e["path"] as? String, path, line: line)
            XCTAssertNotNil(e["line"] as? Int, "\(e)", line: line)
            XCTAssertNotNil(e["column"] as? Int, "\(e)", line: line)
        }
    }

    /// What looks like a bad table header but is inside a value (a multi-line array or string)
    /// is TOML that parses: the check that keeps toml++ from aborting refuses no valid file.
    func testTOMLValuesThatSpanLinesAreNotHeaders() throws {
        let text = "version = 3\nnested = [\n  [\n    1,\n  ], # [\n  \"[\"\n]\ndoc = '''\n[\n'''\n[plugin]\nfolder = \"./plugins/\"\npattern = \".so\"\n"
        let path = dir.appendingPathComponent("krakend.toml").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let o = try run(["audit", "--config", path, try gateway()])
        XCTAssertFalse(o.stderr.contains("table header"), o.stderr)
        XCTAssertTrue(o.stderr.contains("plugins"), "the folder is read from the file: \(o.stderr)")
    }

    func testConfigurationsKrakenDRefuses() throws {
        let table: [(String, String, UInt)] = [
            ("{\"version\": 2, \"plugin\": {\"folder\": \"./plugins/\", \"pattern\": \".so\"}}", "unsupported version: 2 (want: 3)", #line),
            ("{\"version\": 3}", "no \"plugin\" section", #line),
            ("{\"version\": 3, \"plugin\": {}}", "No such file or directory", #line),
            ("[1, 2]", "not an object", #line),
        ]
        for (text, reason, line) in table {
            let path = dir.appendingPathComponent("krakend.json").path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            let o = try run(["audit", "--config", path, try gateway()])
            XCTAssertEqual(o.status, 2, o.stderr, line: line)
            XCTAssertEqual(o.stderr.split(separator: "\n").count, 1, o.stderr, line: line)
            XCTAssertTrue(o.stderr.contains(reason), o.stderr, line: line)
            XCTAssertEqual(o.inputErrors.count, 1, line: line)
        }
        let missing = dir.appendingPathComponent("absent.json").path
        assertInputError(try run(["audit", "--config", missing, try gateway()]), path: missing, reason: "No such file or directory")
    }

    func testSARIFCarriesTheInputErrors() throws {
        let missing = dir.appendingPathComponent("nonexistent").path
        let r = try ProcessResult.run(Paths.executable, ["audit", "--format", "sarif", missing, try gateway()])
        XCTAssertEqual(r.status, 2)
        let log = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let invocation = try XCTUnwrap(((log["runs"] as? [[String: Any]])?.first?["invocations"] as? [[String: Any]])?.first)
        XCTAssertEqual(invocation["executionSuccessful"] as? Bool, false)
        let notes = try XCTUnwrap(invocation["toolExecutionNotifications"] as? [[String: Any]])
        XCTAssertEqual(notes.count, 1)
        XCTAssertEqual((notes[0]["message"] as? [String: Any])?["text"] as? String, "\(missing): No such file or directory")
    }
}
