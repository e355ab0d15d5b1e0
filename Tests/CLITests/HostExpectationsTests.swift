import Foundation
import TestSupport
import XCTest

/// `--host-expectations FILE` (compare and audit): a host's type assertions declared in JSON,
/// instead of lura's built-in interfaces. lura's own, written as such a file, gives audit the
/// built-in findings; a func-typed expectation (Tyk's kind) is held to a real host that looks the
/// symbols up and asserts that func type; a file that cannot be used is an input error.
final class HostExpectationsTests: XCTestCase {
    static let lura = Paths.root.appendingPathComponent("TestBinaries/hosts/lura-v2.json").path

    func json(_ r: ProcessResult) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout + r.stderr)
    }

    /// On the recorded case registerers-go1.25.5, against its lura-asserting gateway.
    func testLurasInterfacesAsAFileGiveAuditTheBuiltInFindings() throws {
        let dir = Paths.fixtures.appendingPathComponent("folders/registerers-go1.25.5").path
        guard FileManager.default.fileExists(atPath: dir) else { throw Paths.MissingFixture(path: dir) }
        let args = ["audit", "--format", "json", "--config", dir + "/krakend.json", "--workdir", dir, try Paths.fixture("krakend-lura-go1.25.5")]
        let builtIn = try ProcessResult.run(Paths.executable, args)
        let file = try ProcessResult.run(Paths.executable, args + ["--host-expectations", Self.lura])
        XCTAssertEqual(file.stderr, "")
        XCTAssertEqual(file.status, builtIn.status)
        XCTAssertEqual(file.status, 1)
        func registererFindings(_ r: ProcessResult) throws -> [String] {
            let findings = ((try json(r)["configuration"] as? [String: Any])?["findings"] as? [[String: Any]]) ?? []
            return findings.filter { ($0["check"] as? String)?.hasPrefix("registerer-") == true }
                .map { "\($0["check"]!) \($0["severity"]!) \($0["plugin"] ?? "-")" }
        }
        let expected = try registererFindings(builtIn)
        XCTAssertEqual(expected.filter { $0.hasPrefix("registerer-interface error") }.count, 3, "the three unknown-type files")
        XCTAssertEqual(try registererFindings(file), expected)
        // And they come from the file: each names it as the source of what the host asserts.
        let fromFile = ((try json(file)["configuration"] as? [String: Any])?["findings"] as? [[String: Any]] ?? [])
            .filter { $0["check"] as? String == "registerer-interface" }
        XCTAssertEqual(fromFile.count, 4, "three unknown-type errors and loggerwrong's warning")
        for f in fromFile { XCTAssertTrue((f["gateway"] as? String ?? "").hasSuffix("(as \(Self.lura) describes KrakenD)"), "\(f)") }
    }

    /// A plugin exporting a function, a variable of the same func type and a function of another
    /// type, built here with the fixtures' Go 1.25.5, and a host built with it that opens the
    /// plugin, looks each up and asserts `func(io.Writer, map[string]string) error` (as Tyk asserts
    /// `func(http.ResponseWriter, *http.Request)`). compare's warnings must be exactly the
    /// symbols the host could not assert, each with the type the host saw.
    func testAFuncTypedExpectationAgreesWithARealHost() throws {
        let go = Paths.root.appendingPathComponent(".toolchains/go1.25.5/go/bin/go").path
        guard FileManager.default.isExecutableFile(atPath: go) else { throw Paths.MissingFixture(path: go) }
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("host-expectations-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: dir) }
        let sources = [
            "go.mod": "module example.com/funchost\n\ngo 1.25\n",
            "plug/main.go": """
            package main

            import "io"

            // What the host asserts.
            func Handle(w io.Writer, args map[string]string) error {
            \t_, err := io.WriteString(w, args["name"])
            \treturn err
            }

            // The same func type in a variable: Lookup returns a pointer to it.
            var Variable = func(w io.Writer, args map[string]string) error { return nil }

            // Another func type.
            func Other(w io.Writer) error { return nil }

            func main() {}

            """,
            "host/main.go": """
            package main

            import (
            \t"fmt"
            \t"io"
            \t"os"
            \t"plugin"
            )

            func main() {
            \tp, err := plugin.Open(os.Args[1])
            \tif err != nil {
            \t\tfmt.Println("OPEN", err)
            \t\tos.Exit(1)
            \t}
            \tfor _, name := range os.Args[2:] {
            \t\ts, err := p.Lookup(name)
            \t\tif err != nil {
            \t\t\tfmt.Printf("%s\\terror\\t%v\\n", name, err)
            \t\t} else if _, ok := s.(func(io.Writer, map[string]string) error); ok {
            \t\t\tfmt.Printf("%s\\tfound\\t%T\\n", name, s)
            \t\t} else {
            \t\t\tfmt.Printf("%s\\tunknown-type\\t%T\\n", name, s)
            \t\t}
            \t}
            }

            """,
        ]
        for (name, text) in sources {
            let url = dir.appendingPathComponent(name)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let plugin = dir.appendingPathComponent("funcs.so").path, host = dir.appendingPathComponent("host-bin").path
        try build(go, ["build", "-buildmode=plugin", "-o", plugin, "./plug"], in: dir)
        try build(go, ["build", "-o", host, "./host"], in: dir)
        let symbols = ["Handle", "Variable", "Other"]
        let real = try ProcessResult.run(host, [plugin] + symbols)
        XCTAssertEqual(real.status, 0, real.stdout + real.stderr)
        let seen = Dictionary(uniqueKeysWithValues: real.stdout.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }.map { ($0[0], $0) })
        XCTAssertEqual(seen["Handle"]?[1], "found", real.stdout)
        let refused = Set(symbols.filter { seen[$0]?[1] == "unknown-type" })
        XCTAssertEqual(refused, ["Variable", "Other"], real.stdout)

        let expectations = dir.appendingPathComponent("funchost.json")
        let type = "func(io.Writer, map[string]string) error"
        let doc: [String: Any] = ["host": "the test host", "symbols": symbols.map { ["name": $0, "type": type] }]
        try JSONSerialization.data(withJSONObject: doc).write(to: expectations)
        let r = try ProcessResult.run(Paths.executable, ["compare", "--strict", "--format", "json", "--host-expectations", expectations.path, plugin, host])
        XCTAssertEqual(r.status, 1, "--strict fails on the warnings: " + r.stdout + r.stderr)
        let v = try XCTUnwrap((try json(r)["plugins"] as? [[String: Any]])?.first)
        XCTAssertEqual(v["verdict"] as? String, "loads")
        XCTAssertEqual(v["registerers"] as? [String], symbols, "the symbols the file names that the plugin exports")
        let findings = (v["findings"] as? [[String: Any]] ?? []).filter { $0["check"] as? String == "registerer-interface" }
        var warned = Set<String>()
        for f in findings {
            XCTAssertEqual(f["severity"] as? String, "warning")
            let plugin = try XCTUnwrap(f["plugin"] as? String)
            // `PATH: SYMBOL TYPE: difference`, TYPE as the host's %T printed it.
            let symbol = try XCTUnwrap(symbols.first { plugin.contains(": \($0) \(seen[$0]![2]): ") }, plugin)
            warned.insert(symbol)
            XCTAssertNotNil(f["fix"] as? String)
        }
        XCTAssertEqual(warned, refused)
        XCTAssertEqual(findings.count, refused.count)
        // Naming only the symbol the host accepts: nothing to warn about.
        try JSONSerialization.data(withJSONObject: ["symbols": [["name": "Handle", "type": type]]]).write(to: expectations)
        let ok = try ProcessResult.run(Paths.executable, ["compare", "--strict", "--host-expectations", expectations.path, plugin, host])
        XCTAssertEqual(ok.status, 0, ok.stdout + ok.stderr)
    }

    func build(_ go: String, _ args: [String], in dir: URL) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: go)
        p.arguments = args
        p.currentDirectoryURL = dir
        var env = ProcessInfo.processInfo.environment
        // A private cache and GOPATH, removed with the folder; no network, no other toolchain.
        for (k, v) in ["GOTELEMETRY": "off", "GOFLAGS": "-mod=mod", "GOPROXY": "off", "GOTOOLCHAIN": "local", "GOWORK": "off",
                       "CGO_ENABLED": "1", "GOCACHE": dir.appendingPathComponent("gocache").path,
                       "GOPATH": dir.appendingPathComponent("gopath").path] { env[k] = v }
        p.environment = env
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "go \(args.joined(separator: " "))")
    }

    /// Each unusable file: one line `PATH: reason` (or `PATH:LINE:COLUMN: reason`) on standard
    /// error, exit status 2, the same entry in the JSON report's inputErrors; for compare and audit.
    func testAFileThatCannotBeUsedIsAnInputError() throws {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("host-expectations-bad-\(UUID().uuidString)")
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: dir) }
        let method = #"{"name": "RegisterHandlers", "type": "func(string)"}"#
        let files: [(name: String, text: String?, reason: String)] = [
            ("missing.json", nil, "no such file or directory"),
            ("truncated.json", #"{"symbols": ["#, "invalid JSON"),
            ("binary.json", "\u{0}\u{1}\u{ff}ELF", "invalid JSON"),
            ("list.json", "[]", "the document is not an object"),
            ("empty.json", "{}", "names no symbol"),
            ("none.json", #"{"symbols": []}"#, "names no symbol"),
            ("typo.json", #"{"symbols": [{"name": "HandlerRegisterer", "method": [\#(method)]}]}"#, "unknown key \"method\""),
            ("nothing.json", #"{"symbols": [{"name": "HandlerRegisterer"}]}"#, "asserts nothing"),
            ("lower.json", #"{"symbols": [{"name": "handlerRegisterer", "methods": [\#(method)]}]}"#, "not an exported Go name"),
            ("twice.json", #"{"symbols": [{"name": "H", "type": "func()"}, {"name": "H", "type": "func()"}]}"#, "named twice"),
            ("nofunc.json", #"{"symbols": [{"name": "H", "methods": [{"name": "M", "type": "string"}]}]}"#, "not a func type"),
        ]
        let plugin = try Paths.fixture("reg-good-go1.25.5.so"), gateway = try Paths.fixture("krakend-lura-go1.25.5")
        let folder = Paths.fixtures.appendingPathComponent("folders/registerers-go1.25.5").path
        for f in files {
            let path = dir.appendingPathComponent(f.name).path
            if let text = f.text { try text.write(toFile: path, atomically: true, encoding: .utf8) }
            // audit reads the file where compare does (ComparisonRun): a few cases show it fails the same way.
            let audit = ["missing.json", "truncated.json", "none.json"].contains(f.name)
            for command in [["compare", plugin, gateway]] + (audit ? [["audit", "--config", folder + "/krakend.json", "--workdir", folder, gateway]] : []) {
                let r = try ProcessResult.run(Paths.executable, command + ["--format", "json", "--host-expectations", path])
                XCTAssertEqual(r.status, 2, "\(command[0]) \(f.name): \(r.stderr)")
                let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false)
                XCTAssertEqual(lines.count, 2, "\(command[0]) \(f.name): one line: \(r.stderr)")
                XCTAssertTrue(r.stderr.hasPrefix(path + ":") && r.stderr.contains(f.reason), "\(command[0]) \(f.name): \(r.stderr)")
                let errors = try XCTUnwrap(try json(r)["inputErrors"] as? [[String: Any]])
                XCTAssertEqual(errors.compactMap { $0["path"] as? String }, [path], "\(command[0]) \(f.name)")
            }
        }
    }
}
