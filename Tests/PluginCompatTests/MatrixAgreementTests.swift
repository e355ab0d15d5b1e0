import Foundation
import GoBinary
import PluginCompat
import TestSupport
import XCTest

/// The prediction against the real loader: every case of the fixture matrix, whose outcome
/// `scripts/fixtures` recorded by running the fixture gateway (TestBinaries/oracle.json),
/// must get the same verdict, the same message (paths aside) and the same package named.
final class MatrixAgreementTests: XCTestCase {
    struct Oracle: Decodable {
        var placeholder: String
        var cases: [Case]
        struct Case: Decodable {
            var id: String
            var gateway: String
            var plugins: [String]
            var results: [Result]
        }
        struct Result: Decodable {
            var plugin: String
            var outcome: String
            var error: String?
            var fatal: String?
            var registerers: [String]?
        }
    }

    func testPredictionAgreesWithRealLoaderOnEveryCase() throws {
        let data = try Data(contentsOf: Paths.root.appendingPathComponent("TestBinaries/oracle.json"))
        let oracle = try JSONDecoder().decode(Oracle.self, from: data)
        let out = Paths.fixtures.path
        let bin = Paths.fixtures.appendingPathComponent("bin").path
        _ = try Paths.fixture("gateway-go1.25.5")  // fails with a hint when the fixtures are missing
        var agree = 0, total = 0
        var disagreements: [String] = []
        for c in oracle.cases {
            let report = Compatibility.compare(plugins: c.plugins.map { "\(bin)/\($0)" }, gateway: "\(bin)/\(c.gateway)")
            XCTAssertEqual(report.plugins.count, c.results.count, c.id)
            for (verdict, real) in zip(report.plugins, c.results) {
                total += 1
                let expected: VerdictKind = ["loaded": .loads, "error": .fails, "crash": .crashes, "not-reached": .notReached][real.outcome]!
                let message = verdict.message?.replacingOccurrences(of: out, with: oracle.placeholder)
                let expectedMessage = real.error ?? real.fatal
                let expectedPackage = real.error?.range(of: "different version of package ").map { String(real.error![$0.upperBound...]).replacingOccurrences(of: " (previous failure)", with: "") }
                var ok = verdict.verdict == expected && message == expectedMessage
                if real.error?.hasSuffix("(previous failure)") != true {
                    ok = ok && verdict.firstMismatchedPackage == expectedPackage
                }
                if real.outcome == "loaded" { ok = ok && verdict.registerers == (real.registerers ?? []) }
                if ok {
                    agree += 1
                } else {
                    disagreements.append("\(c.id) \(real.plugin): predicted \(verdict.verdict.rawValue) \(message ?? "-") [\(verdict.firstMismatchedPackage ?? "-")] registers \(verdict.registerers); real \(real.outcome) \(expectedMessage ?? "-") registers \(real.registerers ?? [])")
                }
            }
        }
        print("matrix agreement: \(agree) agreeing / \(total) plugin loads in \(oracle.cases.count) cases")
        XCTAssertEqual(disagreements, [], "\(disagreements.count) disagreements")
        XCTAssertGreaterThanOrEqual(oracle.cases.count, 60)
    }
}
