import Foundation
@testable import GoBinary
import TestSupport
import XCTest

/// The module info parser and writer against Go's own `debug.ParseBuildInfo`,
/// `BuildInfo.String` and `strconv.Quote`, run side by side (TestBinaries/tools/goref with the
/// pinned Go 1.25.5) on inputs chosen for Go's rules: quoting, replacements, bad columns,
/// unknown lines, CRLF endings, a missing final newline.
final class ModuleInfoTests: XCTestCase {
    static let texts: [String] = [
        "path\texample.com/p\nmod\texample.com/m\t(devel)\t\ndep\texample.com/d\tv1.0.0\th1:abc=\nbuild\t-buildmode=plugin\nbuild\tGOOS=linux\n",
        "path\tp\nmod\tm\tv1\nbuild\t-ldflags=\"-X main.v=1 -s\"\nbuild\t-tags=a,b\nbuild\tCGO_CFLAGS=\n",
        "dep\ta\tv1\th1:x\n=>\t../a\t\t\ndep\tb\tv2\th1:y\n=>\texample.com/b2\tv2.1.0\th1:z\n",
        "mod\tm\tv1\n=>\t./local\t\t\n",
        "build\t\"we\\tird key\"=value\nbuild\tk=\"va lue\"\nbuild\tk2=`raw value`\n",
        "build\t\"bad=\"x\n",
        "build\t=x\n",
        "build\tnoequals\n",
        "build\tk=has space\n",
        "build\tbad key=v\n",
        "dep\tonly-one-column\n",
        "=>\ta\tb\tc\n",
        "dep\ta\tv1\th1:x\n=>\ttoo\tfew\n",
        "unknown line\npath\tp\n\tindented\n",
        "path\tp\r\nmod\tm\tv1\th1:s\r\nbuild\tGOOS=linux\r\n",
        "path\tp\nbuild\tlast=line-without-newline",
        "",
        "build\tk=\"unterminated\n",
        "build\tk=\"\\u00e9t\\u00e9 \\x41\"\n",
        "build\t-gcflags=all=-N -l\n",
        "build\t-gcflags=\"all=-N -l\"\nbuild\tvcs.modified=true\n",
    ]
    static let quoted: [String] = ["", "plain", "a b", "tab\there", "quote\"s", "back`tick", "new\nline", "\u{7f}\u{01}",
                                   "été", "\u{2028}", "🙂", "back\\slash", "\u{200b}zero-width"]

    struct Reference: Decodable {
        struct Parsed: Decodable { var error: String?; var string: String }
        var parse: [Parsed]
        var quote: [String]
    }

    func reference() throws -> Reference {
        let go = Paths.root.appendingPathComponent(".toolchains/go1.25.5/go/bin/go").path
        let input = try JSONSerialization.data(withJSONObject: ["parse": Self.texts, "quote": Self.quoted])
        let p = Process()
        p.executableURL = URL(fileURLWithPath: go)
        p.arguments = ["run", Paths.root.appendingPathComponent("TestBinaries/tools/goref/main.go").path]
        var env = ProcessInfo.processInfo.environment
        env["GOTOOLCHAIN"] = "local"
        env["GOCACHE"] = Paths.root.appendingPathComponent("TestBinaries/work/gocache-goref").path
        env["GOFLAGS"] = ""
        p.environment = env
        let stdin = Pipe(), stdout = Pipe()
        p.standardInput = stdin
        p.standardOutput = stdout
        try p.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        return try JSONDecoder().decode(Reference.self, from: data)
    }

    func testParseAndWriteAgreeWithGo() throws {
        let ref = try reference()
        XCTAssertEqual(ref.parse.count, Self.texts.count)
        for (text, want) in zip(Self.texts, ref.parse) {
            do {
                let info = try ModuleInfo.parse(text)
                XCTAssertNil(want.error, "Go rejects \(text.debugDescription) with \(want.error ?? ""), we accept it")
                XCTAssertEqual(info.goString, want.string, text.debugDescription)
            } catch {
                XCTAssertEqual(error.description, want.error, text.debugDescription)
            }
        }
        XCTAssertEqual(Self.quoted.map(GoQuoting.quote), ref.quote)
    }

    /// Values survive a round trip through Go's quoting, whatever they contain.
    func testRoundTripOfQuotedSettings() throws {
        var info = ModuleInfo()
        info.settings = Self.quoted.filter { !$0.isEmpty }.map { BuildSetting(key: "k" + $0, value: $0) }
        let again = try ModuleInfo.parse(info.goString)
        XCTAssertEqual(again.settings, info.settings)
    }
}
