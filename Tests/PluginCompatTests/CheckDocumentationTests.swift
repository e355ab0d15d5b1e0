import Foundation
import PluginCompat
import TestSupport
import XCTest

/// Each check has its page under docs/checks/, and each page there belongs to a check.
final class CheckDocumentationTests: XCTestCase {
    func testEveryCheckHasItsPageAndNoPageIsOrphaned() throws {
        let dir = Paths.root.appendingPathComponent("docs/checks")
        let pages = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".md") && $0 != "README.md" })
        let expected = Set(CheckID.allCases.map { URL(fileURLWithPath: $0.documentationPath).lastPathComponent })
        XCTAssertEqual(pages.subtracting(expected).sorted(), [], "pages without a check")
        XCTAssertEqual(expected.subtracting(pages).sorted(), [], "checks without a page")
        let index = try String(contentsOf: dir.appendingPathComponent("README.md"), encoding: .utf8)
        for check in CheckID.allCases {
            XCTAssertTrue(index.contains("(\(check.rawValue).md)"), "docs/checks/README.md does not link \(check.rawValue)")
        }
    }
}
