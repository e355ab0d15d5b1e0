import ELFKit
import Foundation
import GoBinary
@testable import PluginCompat
import TestSupport
import XCTest

/// The registerer predictions (RegistererCheck.swift) against what the KrakenD-like gateway that
/// asserts lura's interfaces (krakend-lura-go*) really did, case by case of folders-oracle.json:
/// per file and loader, `found` or `unknown-type`, the unknown-type log line, each extra it called
/// (EXTRA), and the name it registered when the name is a constant.
final class RegistererAgreementTests: XCTestCase {
    func testPredictionsAgreeWithTheGateway() throws {
        let figures = try agree(RegistererExpectation.krakend)
        print("registerers: \(figures.predictions) predictions agree with the gateway in \(figures.cases) cases (\(figures.unknownTypes) unknown type, \(figures.names) names, \(figures.extras) extras)")
        XCTAssertEqual(figures.cases, 3)
        XCTAssertEqual(figures.predictions, 30)
        XCTAssertEqual(figures.unknownTypes, 9)
    }

    /// lura's interfaces written as a host-expectations file (TestBinaries/hosts/lura-v2.json, by
    /// hand from lura's source) predict what the gateway did just as the built-in ones do, and
    /// give the same predictions: only the fix's naming of the interface's source differs.
    func testAHostExpectationsFileOfLurasInterfacesAgreesWithTheGateway() throws {
        let file = try HostExpectations.read(path: Paths.root.appendingPathComponent("TestBinaries/hosts/lura-v2.json").path)
        XCTAssertEqual(file.expectations.map(\.symbol), RegistererExpectation.krakend.map(\.symbol))
        let figures = try agree(file.expectations)
        XCTAssertEqual(figures.predictions, 30)
        XCTAssertEqual(figures.unknownTypes, 9)
        XCTAssertEqual(figures.compared, 30)
    }

    struct Figures { var cases = 0, predictions = 0, names = 0, extras = 0, unknownTypes = 0, compared = 0 }

    /// Each prediction from `expectations` against the gateway's lines; where the expectations are
    /// not the built-in ones, also against the built-in prediction.
    func agree(_ expectations: [RegistererExpectation]) throws -> Figures {
        let oracle = Paths.root.appendingPathComponent("TestBinaries/folders-oracle.json")
        let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: oracle)) as! [String: Any]
        let kinds = ["ClientRegisterer": "client", "HandlerRegisterer": "handler", "ModifierRegisterer": "modifier"]
        var f = Figures()
        for c in doc["cases"] as! [[String: Any]] where (c["gateway"] as? String)?.hasPrefix("krakend-lura") == true {
            f.cases += 1
            let lines = c["lines"] as! [[String]]
            for entry in c["layout"] as! [[String]] where entry[0] == "copy" {
                let shown = entry[1]
                let facts = GoFacts(file: try ELFFile(path: try Paths.fixture(entry[2])))
                let plugin = try XCTUnwrap(facts.plugin, entry[2])
                let predictions = RegistererPrediction.predict(plugin.exports, exported: plugin.exportedSymbols, expectations: expectations)
                if expectations != RegistererExpectation.krakend {
                    let builtIn = RegistererPrediction.predict(plugin.exports, exported: plugin.exportedSymbols)
                    // A fix names where the interface comes from last, in parentheses.
                    func unsourced(_ p: RegistererPrediction) -> RegistererPrediction {
                        var q = p
                        if let fix = q.fix, fix.hasSuffix(")"), let r = fix.range(of: " (", options: .backwards) { q.fix = String(fix[..<r.lowerBound]) }
                        return q
                    }
                    XCTAssertEqual(predictions.map(unsourced), builtIn.map(unsourced), shown)
                    f.compared += predictions.count
                }
                for p in predictions {
                    let kind = kinds[p.symbol]!
                    let at = try XCTUnwrap(lines.firstIndex { $0.count >= 5 && $0[0] == "LOOKUP" && $0[1] == kind && $0[2] == shown }, "\(shown) \(kind)")
                    let real = lines[at]
                    XCTAssertEqual(p.outcome == .registered ? "found" : p.outcome == .unknownType ? "unknown-type" : "?", real[3], "\(c["id"]!) \(shown)")
                    XCTAssertEqual(p.type, real[4], "\(shown): Lookup's type")
                    if p.outcome == .unknownType {
                        f.unknownTypes += 1
                        XCTAssertTrue(lines.contains { $0[0] == "LOG" && $0[2].hasSuffix("(\(shown)): \(p.log!)") }, "\(shown): the log line")
                    }
                    // The lines of this file's registration: EXTRA ..., then REGISTERED.
                    let after = lines[(at + 1)...].prefix { $0[0] == "EXTRA" || $0[0] == "REGISTERED" }
                    XCTAssertEqual(after.filter { $0[0] == "EXTRA" }.map { $0[3] }, p.extrasUsed, "\(shown): extras used")
                    f.extras += p.extrasUsed.count
                    if let name = p.name, p.outcome == .registered {
                        XCTAssertEqual(after.first { $0[0] == "REGISTERED" }?[2], name, "\(shown): registered name")
                        f.names += 1
                    }
                    f.predictions += 1
                }
            }
        }
        return f
    }
}
