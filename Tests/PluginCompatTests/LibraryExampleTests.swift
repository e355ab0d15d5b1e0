import Foundation
import PluginCheck
import TestSupport
import XCTest

/// The examples of docs/library.md, compiled and run; `testTheDocumentShowsTheseExamples`
/// checks the page shows exactly the code between the markers.
final class LibraryExampleTests: XCTestCase {
    func testCompareExample() throws {
        let pluginPath = try Paths.fixture("plugin-handler-go1.24.11.so")
        let gatewayPath = try Paths.fixture("gateway-go1.25.5")
        // --- docs/library.md example begins
        let report = Compatibility.compare(plugins: [pluginPath], gateway: gatewayPath)
        for verdict in report.plugins {
            print(verdict.path, verdict.verdict.rawValue, verdict.message ?? "")
            for finding in verdict.findings where finding.severity == .error {
                print("  [\(finding.check)] \(finding.plugin ?? "-") vs \(finding.gateway ?? "-"): \(finding.fix ?? "")")
            }
        }
        let status = report.exitStatus(strict: false)  // 0, 1 or 2, as the CLI exits
        // --- docs/library.md example ends
        XCTAssertEqual(status, 1)
        XCTAssertEqual(report.plugins.first?.verdict, .fails)
        // The runtime's package, then every other package that differs, then the cause.
        XCTAssertEqual(report.plugins.first?.findings.map(\.check), [.packageFingerprints, .packageFingerprints, .goToolchain])
        XCTAssertEqual(report.plugins.first?.findings.first?.fix, "rebuild the plugin with Go 1.25.5")
    }

    func testInspectExample() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("library-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(atPath: Paths.fixture("plugin-handler-go1.25.5.so"), toPath: dir.appendingPathComponent("plugin.so").path)
        let cwd = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(dir.path))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(cwd) }
        // --- docs/library.md example begins
        let report = FileReport.read(path: "plugin.so")   // `error` is set for unreadable input
        print(report.elf?.machine ?? "-", report.elf?.libc ?? .unknown, report.elf?.highestGlibcVersion ?? "-")
        print(report.go?.version ?? "unknown", report.go?.plugin?.pluginPath ?? "-", report.go?.plugin?.registerers ?? [])

        let info = try GoBuildInfo.read(path: "plugin.so")  // throws GoBuildInfo.ReadError, in Go's words
        print(info.goVersion, info.moduleInfo.main?.version ?? "-")
        // --- docs/library.md example ends
        XCTAssertNil(report.error)
        XCTAssertEqual(report.elf?.machine, "x86-64")
        XCTAssertEqual(report.go?.plugin?.registerers, ["HandlerRegisterer"])
        XCTAssertEqual(info.goVersion, "go1.25.5")
    }

    func testTheDocumentShowsTheseExamples() throws {
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let page = try String(contentsOf: Paths.root.appendingPathComponent("docs/library.md"), encoding: .utf8)
        var examples: [String] = []
        var current: [Substring]?
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasSuffix("// --- docs/library.md example begins") { current = []; continue }
            if line.hasSuffix("// --- docs/library.md example ends"), let c = current {
                examples.append(c.map { $0.hasPrefix("        ") ? String($0.dropFirst(8)) : String($0) }.joined(separator: "\n"))
                current = nil
                continue
            }
            current?.append(line)
        }
        XCTAssertEqual(examples.count, 2)
        for example in examples {
            XCTAssertTrue(page.contains(example), "docs/library.md does not show:\n\(example)")
        }
    }
}
