import Foundation
import GoBinary
import PluginCompat
import TestSupport
import XCTest

/// Each matrix case varies one thing (TestBinaries/cases.tsv says what); the findings must
/// name that thing as the cause, with both sides' values and a fix.
final class CauseTests: XCTestCase {
    func verdicts(_ plugins: [String], _ gateway: String) throws -> [PluginVerdict] {
        let paths = try plugins.map { try Paths.fixture($0) }
        return Compatibility.compare(plugins: paths, gateway: try Paths.fixture(gateway)).plugins
    }

    func checks(_ v: PluginVerdict, _ severity: Severity = .error) -> [String] {
        v.findings.filter { $0.severity == severity }.map(\.check.rawValue)
    }

    func testEachVariedSettingIsNamedAsTheCause() throws {
        // (plugin, gateway, the cause the case varies, the plugin's value, the gateway's value)
        let table: [(String, String, String, String, String, UInt)] = [
            ("plugin-handler-go1.24.11.so", "gateway-go1.25.5", "go-toolchain", "go1.24.11", "go1.25.5", #line),
            ("plugin-handler-go1.25.5-trimpath.so", "gateway-go1.25.5", "trimpath", "-trimpath=true", "not set", #line),
            ("plugin-handler-go1.25.5.so", "gateway-go1.25.5-trimpath", "trimpath", "not set", "-trimpath=true", #line),
            ("plugin-handler-go1.25.5-race.so", "gateway-go1.25.5", "race", "-race=true", "not set", #line),
            ("plugin-handler-go1.25.5-goexperiment-greenteagc.so", "gateway-go1.25.5", "goexperiment", "GOEXPERIMENT=greenteagc", "not set", #line),
            ("plugin-handler-go1.25.5-tags-extra.so", "gateway-go1.25.5", "build-tags", "-tags=extra", "not set", #line),
            ("plugin-handler-go1.25.5-shared-v1.1.0.so", "gateway-go1.25.5", "module-version", "example.com/shared v1.1.0", "example.com/shared v1.0.0", #line),
            // Same version, same go.sum: the plugin compiled shared from vendor/ (no h1: sum).
            ("plugin-handler-go1.25.5-vendor.so", "gateway-go1.25.5", "vendor", "example.com/shared v1.0.0 (vendored", "example.com/shared v1.0.0 (h1:", #line),
            // A go.work use of a local checkout: (devel), although go.mod requires v1.0.0.
            ("plugin-handler-go1.25.5-gowork.so", "gateway-go1.25.5", "workspace", "example.com/shared (devel)", "example.com/shared v1.0.0", #line),
        ]
        for (plugin, gateway, cause, pv, gv, line) in table {
            let v = try XCTUnwrap(verdicts([plugin], gateway).first)
            XCTAssertEqual(v.verdict, .fails, plugin, line: line)
            XCTAssertEqual(v.findings.first?.check, .packageFingerprints, plugin, line: line)
            let f = try XCTUnwrap(v.findings.first { $0.check.rawValue == cause }, "\(plugin): \(checks(v))", line: line)
            XCTAssertTrue(f.plugin?.hasPrefix(pv) ?? false, "\(plugin): \(f.plugin ?? "nil")", line: line)
            XCTAssertTrue(f.gateway?.hasPrefix(gv) ?? false, "\(plugin): \(f.gateway ?? "nil")", line: line)
            XCTAssertNotNil(f.fix, plugin, line: line)
        }
    }

    func testGcflagsOnASharedPackage() throws {
        let v = try XCTUnwrap(verdicts(["plugin-handler-go1.25.5-gcflags-shared.so"], "gateway-go1.25.5").first)
        XCTAssertEqual(v.firstMismatchedPackage, "example.com/shared")
        XCTAssertTrue(checks(v).contains("gcflags"), "\(checks(v))")
    }

    func testReplaceAndBuildPath() throws {
        let replaced = try XCTUnwrap(verdicts(["plugin-handler-go1.25.5-replace-same.so"], "gateway-go1.25.5").first)
        XCTAssertTrue(checks(replaced).contains("replace"), "\(checks(replaced))")
        let modcache = try XCTUnwrap(verdicts(["plugin-handler-go1.25.5-modcache-alt.so"], "gateway-go1.25.5").first)
        XCTAssertEqual(checks(modcache), ["package-fingerprints", "build-path"])
    }

    /// Loads, but the replaced module's function body differs: fingerprints agree, content may not.
    func testSameFingerprintsDifferentContentIsAWarning() throws {
        let v = try XCTUnwrap(verdicts(["plugin-handler-go1.25.5-trimpath-replace-body.so"], "gateway-go1.25.5-trimpath-replace-same").first)
        XCTAssertEqual(v.verdict, .loads)
        XCTAssertEqual(checks(v, .warning), ["module-content"])
    }

    func testWarningsThatDoNotStopLoading() throws {
        let v3 = try XCTUnwrap(verdicts(["plugin-handler-go1.25.5-goamd64-v3.so"], "gateway-go1.25.5").first)
        XCTAssertEqual(v3.verdict, .loads)
        XCTAssertEqual(checks(v3, .warning), ["cpu-level"])
        let none = try XCTUnwrap(verdicts(["plugin-none-go1.25.5.so"], "gateway-go1.25.5").first)
        XCTAssertEqual(none.verdict, .loads)
        XCTAssertEqual(checks(none, .warning), ["registerers"])
        let ldflags = try XCTUnwrap(verdicts(["plugin-handler-go1.25.5-ldflags-X.so"], "gateway-go1.25.5").first)
        XCTAssertEqual(ldflags.verdict, .loads)
        XCTAssertEqual(checks(ldflags, .info), ["ldflags"])
        XCTAssertFalse(ldflags.hasWarnings)
    }

    func testCrossArchitectureAndLibc() throws {
        let arm = try XCTUnwrap(verdicts(["plugin-handler-go1.25.5-arm64.so"], "gateway-go1.25.5").first)
        XCTAssertEqual(checks(arm), ["architecture"])
        XCTAssertEqual(arm.findings.first?.fix, "rebuild the plugin with GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-linux-gnu-gcc (it was built for GOARCH=arm64)")
        let musl = try XCTUnwrap(verdicts(["plugin-handler-go1.25.5-musl.so"], "gateway-go1.25.5").first)
        XCTAssertEqual(checks(musl), ["libc"])
        let fortified = try XCTUnwrap(verdicts(["plugin-cgofort-go1.25.5.so"], "gateway-go1.25.5-musl").first)
        XCTAssertEqual(checks(fortified), ["libc"])
        XCTAssertEqual(fortified.findings.first?.plugin, "needs __fprintf_chk")
    }

    /// A target glibc older than what the plugin needs turns the warning into the loader's error.
    func testTargetGlibcDecidesVersionRequirements() throws {
        let plugin = try Paths.fixture("plugin-handler-go1.25.5.so"), gateway = try Paths.fixture("gateway-go1.25.5")
        let need = try XCTUnwrap(Artifact.read(path: plugin).elf?.highestGlibc)
        let older = try XCTUnwrap(GlibcVersion(symbolVersion: "GLIBC_2.17"))
        XCTAssertLessThan(older, need)
        let report = Compatibility.compare(plugins: [plugin], gateway: gateway, options: CompareOptions(targetGlibc: older))
        let v = try XCTUnwrap(report.plugins.first)
        XCTAssertEqual(v.verdict, .fails)
        XCTAssertEqual(v.message, "plugin.Open(\"\(plugin)\"): /lib/x86_64-linux-gnu/libc.so.6: version `\(need)' not found (required by \(plugin))")
        let newer = Compatibility.compare(plugins: [plugin], gateway: gateway, options: CompareOptions(targetGlibc: need))
        XCTAssertEqual(newer.plugins.first?.verdict, .loads)
    }
}
