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
        let oracle = Paths.root.appendingPathComponent("TestBinaries/folders-oracle.json")
        let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: oracle)) as! [String: Any]
        let kinds = ["ClientRegisterer": "client", "HandlerRegisterer": "handler", "ModifierRegisterer": "modifier"]
        var cases = 0, predictions = 0, names = 0, extras = 0, unknownTypes = 0
        for c in doc["cases"] as! [[String: Any]] where (c["gateway"] as? String)?.hasPrefix("krakend-lura") == true {
            cases += 1
            let lines = c["lines"] as! [[String]]
            for entry in c["layout"] as! [[String]] where entry[0] == "copy" {
                let shown = entry[1]
                let facts = GoFacts(file: try ELFFile(path: try Paths.fixture(entry[2])))
                let plugin = try XCTUnwrap(facts.plugin, entry[2])
                for p in RegistererPrediction.predict(plugin.exports, exported: plugin.exportedSymbols) {
                    let kind = kinds[p.symbol]!
                    let at = try XCTUnwrap(lines.firstIndex { $0.count >= 5 && $0[0] == "LOOKUP" && $0[1] == kind && $0[2] == shown }, "\(shown) \(kind)")
                    let real = lines[at]
                    XCTAssertEqual(p.outcome == .registered ? "found" : p.outcome == .unknownType ? "unknown-type" : "?", real[3], "\(c["id"]!) \(shown)")
                    XCTAssertEqual(p.type, real[4], "\(shown): Lookup's type")
                    if p.outcome == .unknownType {
                        unknownTypes += 1
                        XCTAssertTrue(lines.contains { $0[0] == "LOG" && $0[2].hasSuffix("(\(shown)): \(p.log!)") }, "\(shown): the log line")
                    }
                    // The lines of this file's registration: EXTRA ..., then REGISTERED.
                    let after = lines[(at + 1)...].prefix { $0[0] == "EXTRA" || $0[0] == "REGISTERED" }
                    XCTAssertEqual(after.filter { $0[0] == "EXTRA" }.map { $0[3] }, p.extrasUsed, "\(shown): extras used")
                    extras += p.extrasUsed.count
                    if let name = p.name, p.outcome == .registered {
                        XCTAssertEqual(after.first { $0[0] == "REGISTERED" }?[2], name, "\(shown): registered name")
                        names += 1
                    }
                    predictions += 1
                }
            }
        }
        print("registerers: \(predictions) predictions agree with the gateway in \(cases) cases (\(unknownTypes) unknown type, \(names) names, \(extras) extras)")
        XCTAssertEqual(cases, 3)
        XCTAssertEqual(predictions, 30)
        XCTAssertEqual(unknownTypes, 9)
    }
}
