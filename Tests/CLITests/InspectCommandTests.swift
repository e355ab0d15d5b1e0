import Foundation
import TestSupport
import XCTest

/// `plugincheck inspect` in text and JSON, run as a user would run it.
final class InspectCommandTests: XCTestCase {
    func inspectJSON(_ paths: [String]) throws -> (reports: [[String: Any]], result: ProcessResult) {
        let r = try ProcessResult.run(Paths.executable, ["inspect", "--format", "json"] + paths)
        let parsed = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]]
        return (try XCTUnwrap(parsed, r.stdout), r)
    }

    /// The JSON facts of a plugin agree with `go version -m` (version, path, deps, settings).
    func testJSONOfPluginAgreesWithGoVersion() throws {
        let path = try Paths.fixture("plugin-handler-go1.25.5.so")
        let (reports, r) = try inspectJSON([path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try XCTUnwrap(reports.first)
        XCTAssertEqual(report["schemaVersion"] as? Int, 1)
        let go = try XCTUnwrap(report["go"] as? [String: Any])
        let reference = try String(contentsOfFile: path + ".goversion.txt", encoding: .utf8)
        let lines = reference.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(go["version"] as? String, lines[0][0].split(separator: " ").last.map(String.init))
        XCTAssertEqual(go["path"] as? String, lines.first { $0.count > 1 && $0[1] == "path" }?[2])
        let deps = try XCTUnwrap(go["dependencies"] as? [[String: Any]])
        XCTAssertEqual(deps.map { $0["path"] as? String }, lines.filter { $0.count > 1 && $0[1] == "dep" }.map { $0[2] })
        let settings = try XCTUnwrap(go["settings"] as? [[String: Any]])
        XCTAssertEqual(settings.map { "\($0["key"]!)=\($0["value"]!)" },
                       lines.filter { $0.count > 1 && $0[1] == "build" }.map { $0[2] })
        XCTAssertEqual(go["role"] as? String, "plugin")
        let plugin = try XCTUnwrap(go["plugin"] as? [String: Any])
        XCTAssertEqual(plugin["registerers"] as? [String], ["HandlerRegisterer"])
        XCTAssertEqual(plugin["pluginPath"] as? String, go["path"] as? String)
        let elf = try XCTUnwrap(report["elf"] as? [String: Any])
        XCTAssertEqual(elf["machine"] as? String, "x86-64")
        XCTAssertEqual(elf["libc"] as? String, "glibc")
        XCTAssertEqual(elf["stripped"] as? Bool, false)
    }

    /// A Go 1.19 plugin has no build info; its version comes from the DWARF producer string,
    /// which `readelf --debug-dump=info` shows.
    func testGo119PluginNamesItsVersion() throws {
        let path = try Paths.fixture("plugin-handler-go1.19.so")
        let dwarf = try ProcessResult.run("/usr/bin/readelf", ["--debug-dump=info", path])
        let producer = try XCTUnwrap(dwarf.stdout.split(separator: "\n").first { $0.contains("DW_AT_producer") })
        let version = try XCTUnwrap(producer.split(separator: " ").first { $0.hasPrefix("go1.") }).trimmingCharacters(in: .punctuationCharacters)
        let (reports, r) = try inspectJSON([path])
        XCTAssertEqual(r.status, 0)
        let go = try XCTUnwrap(reports.first?["go"] as? [String: Any])
        XCTAssertEqual(go["version"] as? String, version)
        XCTAssertEqual(go["versionSource"] as? String, "dwarf-producer")
        XCTAssertEqual(go["fingerprintPrefix"] as? String, "go.link.")
        let text = try ProcessResult.run(Paths.executable, ["inspect", path])
        XCTAssertTrue(text.stdout.contains("version      \(version) (from dwarf producer)"), text.stdout)
    }

    func testStrippedGo119PluginSaysWhyVersionIsUnknown() throws {
        let path = try Paths.fixture("plugin-handler-go1.19-strip.so")
        let (reports, r) = try inspectJSON([path])
        XCTAssertEqual(r.status, 0)
        let go = try XCTUnwrap(reports.first?["go"] as? [String: Any])
        XCTAssertNil(go["version"] as? String)
        XCTAssertEqual(go["versionSource"] as? String, "unknown")
        let reason = try XCTUnwrap(go["versionUnknownReason"] as? String)
        XCTAssertTrue(reason.contains("stripped"), reason)
        // Still recognised as a plugin, with its path, from .dynsym alone.
        let plugin = try XCTUnwrap(go["plugin"] as? [String: Any])
        XCTAssertEqual(plugin["pluginPath"] as? String, "example.com/plugins/handler")
        XCTAssertEqual(plugin["pluginPathSource"] as? String, "mainFunction")
        XCTAssertEqual(plugin["registerers"] as? [String], ["HandlerRegisterer"])
    }

    /// Each KrakenD plugin kind exports its registerer; the one exporting none says so.
    func testRegisterersOfEachPluginKind() throws {
        let kinds = ["handler": ["HandlerRegisterer"], "client": ["ClientRegisterer"],
                     "modifier": ["ModifierRegisterer"], "none": []]
        for (kind, want) in kinds {
            let (reports, _) = try inspectJSON([try Paths.fixture("plugin-\(kind)-go1.25.5.so")])
            let plugin = try XCTUnwrap((reports.first?["go"] as? [String: Any])?["plugin"] as? [String: Any])
            XCTAssertEqual(plugin["registerers"] as? [String], want, kind)
        }
        let text = try ProcessResult.run(Paths.executable, ["inspect", try Paths.fixture("plugin-none-go1.25.5.so")])
        XCTAssertTrue(text.stdout.contains("registerers  none: KrakenD would load it and register nothing"), text.stdout)
    }

    func testHostFacts() throws {
        let (reports, _) = try inspectJSON([try Paths.fixture("gateway-go1.25.5"), try Paths.fixture("gateway-go1.25.5-nocgo")])
        let dynamic = try XCTUnwrap((reports[0]["go"] as? [String: Any])?["host"] as? [String: Any])
        XCTAssertEqual(dynamic["canLoadPlugins"] as? Bool, true)
        let count = try ProcessResult.run("/usr/bin/readelf", ["--dyn-syms", "-W", try Paths.fixture("gateway-go1.25.5")])
            .stdout.split(separator: "\n").filter { $0.contains(" go:link.pkghashbytes.") }.count
        XCTAssertEqual(dynamic["fingerprintCount"] as? Int, count)
        let static_ = try XCTUnwrap((reports[1]["go"] as? [String: Any])?["host"] as? [String: Any])
        XCTAssertEqual(static_["canLoadPlugins"] as? Bool, false)
        XCTAssertEqual(static_["isDynamic"] as? Bool, false)
    }

    /// Bad input: one line per bad file on stderr naming it and the reason, exit status 2,
    /// and every other file still reported.
    func testBadInputIsReportedAndOthersProcessed() throws {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("inspect-\(UUID().uuidString)")
        try fm.createDirectory(at: dir.appendingPathComponent("x.so"), withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: dir) }
        let good = try Paths.fixture("plugin-handler-go1.25.5.so")
        let text = dir.appendingPathComponent("text.so").path
        XCTAssertTrue(fm.createFile(atPath: text, contents: Data("not elf\n".utf8)))
        let truncated = dir.appendingPathComponent("truncated.so").path
        XCTAssertTrue(fm.createFile(atPath: truncated, contents: try Data(contentsOf: URL(fileURLWithPath: good)).prefix(3000)))
        let missing = dir.appendingPathComponent("missing.so").path
        let folder = dir.appendingPathComponent("x.so").path
        for format in ["text", "json"] {
            let r = try ProcessResult.run(Paths.executable, ["inspect", "--format", format, missing, good, folder, text, truncated])
            XCTAssertEqual(r.status, 2, format)
            let lines = r.stderr.split(separator: "\n").map(String.init)
            XCTAssertEqual(Array(lines.prefix(3)), [
                "\(missing): No such file or directory",
                "\(folder): is a directory, not a regular file",
                "\(text): not an ELF file",
            ], format)
            XCTAssertEqual(lines.count, 4, format)
            // The table position comes from the real header, as readelf prints it.
            let readelf = try ProcessResult.run("/usr/bin/readelf", ["-h", good]).stdout
            let shoff = try XCTUnwrap(readelf.split(separator: "\n").first { $0.contains("Start of section headers") }?
                .split(separator: " ").first { Int($0) != nil })
            XCTAssertEqual(lines.last, "\(truncated): malformed ELF: section header table (44 entries at \(shoff)) extends past the end of the file", format)
            XCTAssertTrue(r.stdout.contains("example.com/plugins/handler"), format)
        }
    }
}
