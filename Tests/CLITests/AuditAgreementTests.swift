import Foundation
import TestSupport
import XCTest

/// `audit` against the KrakenD-like fixture gateway (TestBinaries/src/krakend): for every
/// folder case of TestBinaries/folders.json, what the real gateway did (recorded in
/// TestBinaries/folders-oracle.json by scripts/fixtures) and what `audit --format json`
/// predicts from the same configuration, folder and working directory must agree: the files
/// selected, each plugin.Open's outcome and message, the kinds registered, what the
/// configuration asks for, and the inputs that prevent a decision.
final class AuditAgreementTests: XCTestCase {
    static let kinds = ["client": "ClientRegisterer", "handler": "HandlerRegisterer", "modifier": "ModifierRegisterer"]

    struct Case {
        var id: String
        var record: [String: Any]
        var lines: [[String]]
        var dir: String
        func lines(_ tag: String) -> [[String]] { lines.filter { $0.first == tag } }
    }

    func cases() throws -> [Case] {
        let url = Paths.root.appendingPathComponent("TestBinaries/folders-oracle.json")
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let records = try XCTUnwrap(doc["cases"] as? [[String: Any]])
        XCTAssertGreaterThanOrEqual(records.count, 30)
        return try records.map { r in
            let id = try XCTUnwrap(r["id"] as? String)
            let dir = Paths.fixtures.appendingPathComponent("folders/\(id)").path
            guard FileManager.default.fileExists(atPath: dir) else { throw Paths.MissingFixture(path: dir) }
            return Case(id: id, record: r, lines: (r["lines"] as? [[String]]) ?? [], dir: dir)
        }
    }

    /// The audit of one case, run as the gateway was (as nobody where it was).
    func audit(_ c: Case) throws -> (json: [String: Any], stderr: String, status: Int32) {
        let cwd = (c.record["cwd"] as? String).map { c.dir + "/" + $0 } ?? c.dir
        let gateway = try Paths.fixture((c.record["gateway"] as? String) ?? "krakend-go1.25.5")
        var args: [String]
        if let scan = c.record["scanOnly"] as? [String] {
            args = ["audit", "--format", "json", "--allow-empty", "--pattern", scan[1], "--workdir", cwd, scan[0], gateway]
        } else {
            let config = c.dir + "/" + ((c.record["configAt"] as? String) ?? "krakend.json")
            args = ["audit", "--format", "json", "--config", config, "--workdir", cwd, gateway]
        }
        var exe = Paths.executable
        if c.record["user"] as? String == "nobody" {
            args = ["--reuid=65534", "--regid=65534", "--clear-groups", exe] + args
            exe = "/usr/bin/setpriv"
        }
        let r = try ProcessResult.run(exe, args)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(c.id): \(r.stderr)")
        return (json, r.stderr, r.status)
    }

    func normalise(_ s: String, _ c: Case) -> String {
        let real = (try? FileManager.default.destinationOfSymbolicLink(atPath: c.dir)) ?? c.dir
        return s.replacingOccurrences(of: real, with: "<CASE>").replacingOccurrences(of: c.dir, with: "<CASE>")
            .replacingOccurrences(of: Paths.fixtures.path, with: "<OUT>")
    }

    func testEveryFolderCaseAgreesWithTheRealGateway() throws {
        var checked = 0
        for c in try cases() {
            let (json, stderr, status) = try audit(c)
            let inputErrors = (json["inputErrors"] as? [[String: Any]]) ?? []
            let plugins = (json["plugins"] as? [[String: Any]]) ?? []
            let selected = ((json["audit"] as? [String: Any])?["selected"] as? [String]) ?? []
            let loaders = c.lines("LOADER").map { $0[1] }
            // Inputs that stop KrakenD (or make it load nothing) stop the audit: exit status 2.
            if !c.lines("CONFIGERR").isEmpty || (!c.lines("SCANERR").isEmpty && c.record["scanOnly"] == nil) || (loaders.isEmpty && c.record["scanOnly"] == nil) {
                XCTAssertEqual(status, 2, "\(c.id): \(stderr)")
                XCTAssertFalse(inputErrors.isEmpty, c.id)
                XCTAssertFalse(stderr.isEmpty, c.id)
                checked += 1
                continue
            }
            if let err = c.lines("SCANERR").first {
                XCTAssertEqual(status, 2, "\(c.id): \(err)")
                XCTAssertFalse(inputErrors.isEmpty, c.id)
                checked += 1
                continue
            }
            // The files selected, in order, named as the gateway names them.
            let first = loaders.first ?? "-"
            let scanned = c.lines("SCAN").filter { $0[1] == first }.map { $0[2] }
            XCTAssertEqual(selected.map { normalise($0, c) }, scanned, "\(c.id): selection")
            if c.record["scanOnly"] != nil {
                checked += 1
                continue
            }
            if scanned.isEmpty {
                XCTAssertEqual(status, 2, "\(c.id): nothing matches")
                checked += 1
                continue
            }
            // Each file's first plugin.Open (the first loader's); a crash ends the process.
            let crashed = (c.record["exitStatus"] as? Int ?? 0) != 0
            var sawCrash = false
            for (path, p) in zip(scanned, plugins) {
                let verdict = p["verdict"] as? String
                let message = (p["message"] as? String).map { normalise($0, c) }
                if let open = c.lines("OPEN").first(where: { $0[1] == first && $0[2] == path }) {
                    if open[3] == "loaded" {
                        XCTAssertEqual(verdict, "loads", "\(c.id) \(path): \(message ?? "")")
                        // audit's registerers are the symbols Lookup finds; whether lura's type assertion then
                        // succeeds (a krakend-lura gateway's unknown-type) is held by RegistererAgreementTests.
                        let lura = (c.record["gateway"] as? String)?.hasPrefix("krakend-lura") == true
                        let registered = Set(c.lines("LOOKUP").filter { $0[2] == path && ($0[3] == "found" || (lura && $0[3] == "unknown-type")) }.compactMap { Self.kinds[$0[1]] })
                        let predicted = Set((p["registerers"] as? [String] ?? []).filter { Self.kinds.values.contains($0) })
                        XCTAssertEqual(predicted, registered, "\(c.id) \(path): registered kinds")
                    } else if p["verdict"] as? String == "unknown" || inputErrors.contains(where: { ($0["path"] as? String) == path }) {
                        // The file could not be read here (another user): no decision, exit 2.
                        XCTAssertEqual(status, 2, "\(c.id) \(path)")
                    } else {
                        XCTAssertEqual(verdict, "fails", "\(c.id) \(path)")
                        XCTAssertEqual(message, open[4], "\(c.id) \(path)")
                    }
                } else if crashed && !sawCrash {
                    sawCrash = true
                    XCTAssertEqual(verdict, "crashes", "\(c.id) \(path)")
                    XCTAssertEqual(message, c.record["fatal"] as? String, "\(c.id) \(path)")
                } else {
                    XCTAssertEqual(verdict, crashed ? "not-reached" : "loads", "\(c.id) \(path)")
                }
            }
            XCTAssertEqual(plugins.count, scanned.count, c.id)
            if crashed {
                // The process died while loading: it never got to the configuration's plugins.
                XCTAssertEqual(status, 1, c.id)
                checked += 1
                continue
            }
            // What the configuration asks for: the same declarations, in the same order, and a
            // declared-plugins error exactly for the kinds nothing registered.
            let configuration = json["configuration"] as? [String: Any]
            let declarations = (configuration?["declarations"] as? [[String: Any]]) ?? []
            let recorded = c.lines("DECLARED")
            XCTAssertEqual(declarations.count, recorded.count, "\(c.id): declarations")
            for (d, r) in zip(declarations, recorded) {
                XCTAssertEqual(d["key"] as? String, r[1], c.id)
                XCTAssertEqual(d["location"] as? String, r[4], c.id)
                if let why = d["ignored"] as? String {
                    XCTAssertEqual("ignored:" + why, r[3], "\(c.id): \(r)")
                } else {
                    XCTAssertEqual(d["name"] as? String, r[2], c.id)
                    XCTAssertTrue(["registered", "missing", "not-reached"].contains(r[3]), "\(c.id): \(r)")
                }
            }
            let findings = (configuration?["findings"] as? [[String: Any]]) ?? []
            try checkRegisterers(c, findings, status)
            let kindErrors = Set(findings.filter { $0["severity"] as? String == "error" && $0["check"] as? String == "declared-plugins" }.compactMap { ($0["gateway"] as? String)?.split(separator: ":").first.map(String.init) })
            let registeredKinds = Set(c.lines("REGISTERED").map { $0[1] })
            let askedKinds = Set(declarations.filter { $0["ignored"] == nil || $0["ignored"] is NSNull }.compactMap { $0["namespace"] as? String })
            let kindOf = ["plugin/http-server": "handler", "plugin/http-client": "client", "plugin/req-resp-modifier": "modifier"]
            let expected = Set(askedKinds.filter { kindOf[$0].map { !registeredKinds.contains($0) } ?? false })
            XCTAssertEqual(kindErrors.subtracting(["plugin/middleware"]), expected, "\(c.id): kinds asked for that nothing registers")
            // Exit status: 0 only when everything loads and everything asked for is there.
            let everythingLoads = plugins.allSatisfy { $0["verdict"] as? String == "loads" }
            let configErrors = findings.filter { $0["severity"] as? String == "error" }
            if inputErrors.isEmpty {
                XCTAssertEqual(status, everythingLoads && configErrors.isEmpty ? 0 : 1, "\(c.id): exit status")
            }
            checked += 1
        }
        print("registerers: \(registererFigures.interface) registerer-interface errors = the gateway's unknown-type lines, \(registererFigures.names) registerer-name findings")
        XCTAssertGreaterThanOrEqual(checked, 30)
    }

    /// The registerer checks against what the gateway did: a `registerer-interface` error exactly
    /// for each file whose look-up the gateway logged as `unknown type` (with that log line), and a
    /// `registerer-name` error only for a name the gateway did not register, and for every name it
    /// reported missing when every registering plugin's name is a constant.
    func checkRegisterers(_ c: Case, _ findings: [[String: Any]], _ status: Int32) throws {
        let interface = findings.filter { $0["check"] as? String == "registerer-interface" && $0["severity"] as? String == "error" }
        let paths = Set(interface.compactMap { ($0["plugin"] as? String)?.components(separatedBy: ": ").first })
        let unknownType = Set(c.lines("LOOKUP").filter { $0[3] == "unknown-type" }.map { $0[2] })
        XCTAssertEqual(paths, unknownType, "\(c.id): registerer-interface errors")
        for f in interface {
            let explanation = f["explanation"] as? String ?? ""
            XCTAssertTrue(c.lines("LOG").contains { explanation.contains("`\($0[2])`") }, "\(c.id): the log line in \(explanation)")
        }
        let registered = Set(c.lines("REGISTERED").map { $0[2] })
        let names = findings.filter { $0["check"] as? String == "registerer-name" }.compactMap { f -> String? in
            guard let g = f["gateway"] as? String, let colon = g.range(of: ": ") else { return nil }
            return String(g[colon.upperBound...].split(separator: " ").first ?? "")
        }
        XCTAssertEqual(Set(names).intersection(registered), [], "\(c.id): registerer-name for a registered name")
        if !interface.isEmpty || !names.isEmpty { XCTAssertEqual(status, 1, "\(c.id): registerer errors exit 1") }
        registererFigures.interface += interface.count
        registererFigures.names += names.count
    }
    var registererFigures = (interface: 0, names: 0)

    /// The registerers case without the struct registerer (whose name is computed), in a fresh
    /// folder: the real lura-asserting gateway's missing names are exactly audit's registerer-name
    /// errors, its unknown-type log lines audit's registerer-interface errors.
    /// For each Go version the registerer folders are built with (1.25.5, 1.24.11, and 1.25.5
    /// stripped), each against its own lura-asserting gateway.
    func testRegistererNamesAgreeWithTheGatewayOnAFreshFolder() throws {
        for (folder, gateway) in [("registerers-go1.25.5", "krakend-lura-go1.25.5"), ("registerers-go1.24.11", "krakend-lura-go1.24.11"),
                                  ("registerers-go1.25.5-strip", "krakend-lura-go1.25.5")] {
            try registererNamesAgree(folder: folder, gateway: gateway)
        }
    }

    func registererNamesAgree(folder: String, gateway gatewayName: String) throws {
        let fm = FileManager.default
        let source = Paths.fixtures.appendingPathComponent("folders/\(folder)")
        guard fm.fileExists(atPath: source.path) else { throw Paths.MissingFixture(path: source.path) }
        let dir = fm.temporaryDirectory.appendingPathComponent("names-\(UUID().uuidString)")
        try fm.createDirectory(at: dir.appendingPathComponent("plugins"), withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: dir) }
        for name in try fm.contentsOfDirectory(atPath: source.appendingPathComponent("plugins").path) where name != "structreg.so" {
            try fm.copyItem(at: source.appendingPathComponent("plugins/\(name)"), to: dir.appendingPathComponent("plugins/\(name)"))
        }
        try fm.copyItem(at: source.appendingPathComponent("krakend.json"), to: dir.appendingPathComponent("krakend.json"))
        let gateway = try Paths.fixture(gatewayName)
        let real = try ProcessResult.run(gateway, ["-c", "krakend.json"], cwd: dir)
        let lines = real.stdout.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        let registered = Set(lines.filter { $0.first == "REGISTERED" }.map { $0[2] })
        let missing = Set(lines.filter { $0.first == "DECLARED" && $0[3] != "registered" && !$0[3].hasPrefix("ignored") }.map { $0[2] }).subtracting(registered)
        XCTAssertEqual(missing, ["my-plugin", "wrong-param", "struct-handler"], "\(folder): \(real.stdout)")
        let ours = try ProcessResult.run(Paths.executable, ["audit", "--format", "json", "--config", dir.path + "/krakend.json", "--workdir", dir.path, gateway])
        XCTAssertEqual(ours.status, 1, ours.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(ours.stdout.utf8)) as? [String: Any], ours.stderr)
        let findings = ((json["configuration"] as? [String: Any])?["findings"] as? [[String: Any]]) ?? []
        let names = findings.filter { $0["check"] as? String == "registerer-name" && $0["severity"] as? String == "error" }
            .compactMap { ($0["gateway"] as? String)?.components(separatedBy: ": ").last?.split(separator: " ").first.map(String.init) }
        XCTAssertEqual(Set(names), missing, folder)
        let logged = lines.filter { $0.first == "LOG" && $0[2].hasSuffix("unknown type") }.map { $0[2] }
        let interface = findings.filter { $0["check"] as? String == "registerer-interface" && $0["severity"] as? String == "error" }
        XCTAssertEqual(interface.count, logged.count, folder)
        for line in logged {
            XCTAssertTrue(interface.contains { ($0["explanation"] as? String)?.contains("`\(line)`") == true }, line)
        }
        print("registerer-name (\(folder)): \(names.count) names audit reports missing = the gateway's \(missing.count); registerer-interface: \(interface.count) = \(logged.count) log lines")
    }

    /// A folder made here, scanned by the real gateway (`-scan-only`, lura's Scan) and by
    /// `audit`, spelled four ways.
    func testTheSelectionIsLurasScanOnAFreshFolder() throws {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("scan-\(UUID().uuidString)")
        let plugins = dir.appendingPathComponent("plugins")
        try fm.createDirectory(at: plugins.appendingPathComponent("sub.so"), withIntermediateDirectories: true)
        try fm.createDirectory(at: plugins.appendingPathComponent("nested"), withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: dir) }
        let handler = try Paths.fixture("plugin-handler-go1.25.5.so")
        for name in ["handler.so", "handler.so.bak", "nested/inner.so"] {
            try fm.copyItem(atPath: handler, toPath: plugins.appendingPathComponent(name).path)
        }
        XCTAssertTrue(fm.createFile(atPath: plugins.appendingPathComponent("README.md").path, contents: Data("plugins\n".utf8)))
        try fm.createSymbolicLink(atPath: plugins.appendingPathComponent("linked-dir.so").path, withDestinationPath: "nested")
        try fm.createSymbolicLink(atPath: plugins.appendingPathComponent("linked.so").path, withDestinationPath: "handler.so")
        let gateway = try Paths.fixture("krakend-go1.25.5")
        for folder in ["./plugins/", "plugins//", "plugins", plugins.path + "/"] {
            let real = try ProcessResult.run(gateway, ["-scan-only", folder, ".so"], cwd: dir)
            XCTAssertEqual(real.status, 0, real.stderr)
            let lura = real.stdout.split(separator: "\n").filter { $0.hasPrefix("SCAN\t") }.map { String($0.split(separator: "\t")[2]) }
            XCTAssertEqual(lura.map { URL(fileURLWithPath: $0).lastPathComponent }, ["handler.so", "handler.so.bak", "linked-dir.so", "linked.so"], folder)
            let ours = try ProcessResult.run(Paths.executable, ["audit", "--format", "json", "--workdir", dir.path, folder, gateway])
            let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(ours.stdout.utf8)) as? [String: Any], ours.stderr)
            XCTAssertEqual((json["audit"] as? [String: Any])?["selected"] as? [String], lura, folder)
            let messages = (json["plugins"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
            XCTAssertTrue(messages.contains { $0.hasPrefix("plugin.Open(\"\(lura[1])\"): plugin already loaded") }, "\(folder): \(messages)")
        }
    }
}
