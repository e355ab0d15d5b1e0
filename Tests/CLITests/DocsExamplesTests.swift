import Foundation
import TestSupport
import XCTest

/// Every `console` example in the README and under docs/ is run, from the repository root,
/// and must print what the page shows (standard output and standard error together, as a
/// terminal shows them). The checkout's own directory is written `/path/to/plugincheck` on
/// the pages. `PLUGINCHECK_UPDATE_DOCS=1 swift test --filter DocsExamplesTests` rewrites the
/// pages with what the tool prints now; review that diff like code.
final class DocsExamplesTests: XCTestCase {
    static let rootPlaceholder = "/path/to/plugincheck"

    /// Values that differ between two checkouts of the same commit.
    static func machineIndependent(_ text: String) -> String {
        var s = text
        for (pattern, placeholder) in [
            (#"\b[0-9a-f]{16,}\b"#, "<hex>"),
            (#"0x[0-9a-f]+"#, "0x<hex>"),
            (#"size(\s+)[0-9]+ bytes"#, "size$1<n> bytes"),
            (#""size" : [0-9]+"#, "\"size\" : <n>"),
        ] {
            s = s.replacingOccurrences(of: pattern, with: placeholder, options: .regularExpression)
        }
        return s
    }

    struct Example {
        var page: URL
        /// Line index of the `$ ` line in the page.
        var commandLine: Int
        /// Lines of expected output that follow it, up to the next command or the fence.
        var outputRange: Range<Int>
        var command: String
        var workdir: String
        /// For the last command of a block: the line after it that says `Exit status: N.`.
        var statusLine: Int?
    }

    static func pages() throws -> [URL] {
        let docs = Paths.root.appendingPathComponent("docs")
        var out = [Paths.root.appendingPathComponent("README.md")]
        let e = FileManager.default.enumerator(atPath: docs.path)
        while let rel = e?.nextObject() as? String {
            if rel.hasSuffix(".md") { out.append(docs.appendingPathComponent(rel)) }
        }
        return out.sorted { $0.path < $1.path }
    }

    static func examples(in page: URL, lines: [String]) -> [Example] {
        var out: [Example] = []
        var inConsole = false
        var current: Example?
        var cd: [String] = []
        for (i, line) in lines.enumerated() {
            if line.hasPrefix("```") {
                if inConsole, var c = current {
                    c.outputRange = c.outputRange.lowerBound..<i
                    // The page states the exit status in the first line of text after the block.
                    if let next = lines[(i + 1)...].firstIndex(where: { !$0.isEmpty }), lines[next].hasPrefix("Exit status: ") {
                        c.statusLine = next
                    }
                    out.append(c)
                }
                current = nil
                cd = []
                inConsole = !inConsole && line == "```console"
                continue
            }
            guard inConsole else { continue }
            if line.hasPrefix("$ ") {
                if var c = current {
                    c.outputRange = c.outputRange.lowerBound..<i
                    out.append(c)
                }
                let command = String(line.dropFirst(2))
                current = Example(page: page, commandLine: i, outputRange: (i + 1)..<(i + 1), command: command, workdir: cd.joined(separator: " && "))
                if command.hasPrefix("cd ") && !command.contains("&&") { cd.append(command) }
            }
        }
        return out
    }

    /// The command with the documented program names replaced by the binary under test.
    static func shell(_ command: String) -> String {
        var s = command
        let exe = Paths.executable
        if let r = s.range(of: #"(\.\./)*\.build/(release|debug)/plugincheck"#, options: .regularExpression) {
            s.replaceSubrange(r, with: exe)
        } else if s.hasPrefix("plugincheck ") {
            s = exe + s.dropFirst("plugincheck".count)
        }
        return s
    }

    func testEveryConsoleExampleShowsWhatTheToolPrints() throws {
        let update = ProcessInfo.processInfo.environment["PLUGINCHECK_UPDATE_DOCS"] == "1"
        var ran = 0
        for page in try Self.pages() {
            let text = try String(contentsOf: page, encoding: .utf8)
            var lines = text.components(separatedBy: "\n")
            var replacements: [(Range<Int>, [String])] = []
            for example in Self.examples(in: page, lines: lines) where !example.command.hasPrefix("cd ") || example.command.contains("&&") {
                let script = (example.workdir.isEmpty ? "" : example.workdir + " && ") + Self.shell(example.command) + " 2>&1"
                let r = try ProcessResult.run("/bin/sh", ["-c", script], cwd: Paths.root)
                var out = r.stdout
                // The fixtures record the directories they were built in: where the checkout's
                // TestBinaries/work or .toolchains are links (a second work tree), their targets too.
                for sub in ["TestBinaries/work", "TestBinaries/out", ".toolchains"] {
                    let link = Paths.root.appendingPathComponent(sub)
                    let real = link.resolvingSymlinksInPath().path
                    if real != link.path { out = out.replacingOccurrences(of: real, with: link.path) }
                }
                var actual = out.replacingOccurrences(of: Paths.root.path, with: Self.rootPlaceholder).components(separatedBy: "\n")
                if actual.last == "" { actual.removeLast() }
                let expected = Array(lines[example.outputRange])
                ran += 1
                // The status of the command itself, not of `sh` (the same unless the line pipes).
                let status = "Exit status: \(r.status)."
                if update {
                    if Self.machineIndependent(actual.joined(separator: "\n")) != Self.machineIndependent(expected.joined(separator: "\n")) {
                        replacements.append((example.outputRange, actual))
                    }
                    if let at = example.statusLine, !lines[at].hasPrefix(status) {
                        replacements.append((at..<(at + 1), [status + lines[at].drop { $0 != "." }.dropFirst()]))
                    }
                } else {
                    XCTAssertEqual(Self.machineIndependent(expected.joined(separator: "\n")), Self.machineIndependent(actual.joined(separator: "\n")),
                                   "\(page.lastPathComponent) line \(example.commandLine + 1): \(example.command)")
                    if let at = example.statusLine {
                        XCTAssertTrue(lines[at].hasPrefix(status), "\(page.lastPathComponent) line \(at + 1) says \"\(lines[at])\", the command exits \(r.status)")
                    }
                }
            }
            if update && !replacements.isEmpty {
                for (range, new) in replacements.sorted(by: { $0.0.lowerBound > $1.0.lowerBound }) { lines.replaceSubrange(range, with: new) }
                try lines.joined(separator: "\n").write(to: page, atomically: true, encoding: .utf8)
            }
        }
        XCTAssertGreaterThan(ran, 40, "the console examples were not found")
    }
}
