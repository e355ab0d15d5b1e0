import PluginCompat
import TestSupport
import XCTest

/// The example of docs/library.md, compiled and run: keep the two identical.
final class LibraryExampleTests: XCTestCase {
    func testDocumentedExample() throws {
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
        XCTAssertEqual(report.plugins.first?.findings.map(\.check), ["package-fingerprints", "package-fingerprints", "go-toolchain"])
        XCTAssertEqual(report.plugins.first?.findings.first?.fix, "rebuild the plugin with Go 1.25.5")
    }
}
