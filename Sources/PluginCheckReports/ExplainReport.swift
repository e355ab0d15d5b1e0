import PluginCompat

/// `explain` as a library call: explain the logged text, compare the files when asked, write
/// the report on standard output (one line per unreadable input on standard error), and
/// return the exit status.
public struct ExplainRun {
    public enum Format: String, CaseIterable, Sendable {
        case text, json
    }

    public var format: Format

    public init(format: Format = .text) {
        self.format = format
    }

    /// `plugins` and `gateway`: the files to compare (`compare`'s prediction for each
    /// explanation); no comparison when `gateway` is nil.
    public func run(log: String, plugins: [String] = [], gateway: String? = nil) -> Int32 {
        var report = ExplanationReport(log: log)
        if let gateway {
            report = report.comparing(with: Compatibility.compare(plugins: plugins, gateway: gateway))
        }
        report.toolVersion = ToolVersion.current
        for e in report.inputErrors { StandardStreams.err(e.line1 + "\n") }
        switch format {
        case .text: StandardStreams.out(ExplainTextReport.render(report))
        case .json: StandardStreams.out(JSONOutput.encode(report) + "\n")
        }
        return report.exitStatus
    }

    /// The whole of standard input.
    public static func readStandardInput() -> String {
        var lines: [String] = []
        while let line = readLine(strippingNewline: false) { lines.append(line) }
        return lines.joined()
    }

    /// Whether standard input is a terminal (nothing piped in).
    public static var standardInputIsTerminal: Bool { StandardStreams.isTerminal(0) }
}

/// Renders an explanation for people: per distinct message, where it was logged, the check,
/// what happened, the values taken from it, the causes ranked with their fixes, what to do,
/// and, with a comparison, what `compare` predicts for the files; then one summary line.
public enum ExplainTextReport {
    public static func render(_ report: ExplanationReport) -> String {
        var lines: [String] = []
        for e in report.explanations {
            if !lines.isEmpty { lines.append("") }
            lines.append("\(location(e.occurrences)): \(e.message)")
            lines.append("  check: \(e.check) (\(e.documentation))")
            lines.append("  what happened: \(e.happened)")
            let values = valueLines(e.values)
            if !values.isEmpty {
                lines.append("  from the log:")
                let width = values.map(\.0.count).max() ?? 0
                for (label, value) in values {
                    lines.append("      \(label):" + String(repeating: " ", count: width - label.count + 1) + value)
                }
            }
            lines.append("  likely causes:")
            for c in e.causes {
                let applies = c.confirmed == true ? " (applies here)" : ""
                lines.append("    \(c.rank). [\(c.check)]\(applies) \(c.cause)")
                lines.append("       fix: \(c.fix)")
            }
            lines.append("  what to do: \(e.fix)")
            if let p = e.prediction { predictionLines(p, applying: e.causes.filter { $0.confirmed == true }, into: &lines) }
        }
        if let c = report.comparison {
            if !lines.isEmpty { lines.append("") }
            let g = c.gateway
            lines.append("compared: gateway \(g.path): \([g.goVersion, g.machine, g.libc].compactMap { $0 }.joined(separator: ", "))")
            for v in c.plugins { lines.append("  \(v.path): \(CompareTextReport.verdictWord(v.verdict))" + (v.message.map { ": \($0)" } ?? "")) }
        }
        for e in report.inputErrors {
            if !lines.isEmpty { lines.append("") }
            lines.append("could not read \(e.line1)")
        }
        if !lines.isEmpty { lines.append("") }
        lines.append(summaryLine(report))
        return lines.joined(separator: "\n") + "\n"
    }

    /// `2 messages explained (14 of 40 lines recognised)`, or why nothing was.
    public static func summaryLine(_ report: ExplanationReport) -> String {
        let n = report.explanations.count
        var line: String
        if n == 0 {
            line = "no message of the plugin loading path recognised in \(report.linesRead) line\(report.linesRead == 1 ? "" : "s") (docs/explain.md lists the messages plugincheck knows)"
        } else {
            line = "\(n) message\(n == 1 ? "" : "s") explained (\(report.linesRecognised) of \(report.linesRead) line\(report.linesRead == 1 ? "" : "s") recognised)"
        }
        for s in report.loaderSummaries {
            line += "; line \(s.line): lura's loader found \(s.errors) error\(s.errors == 1 ? "" : "s")"
            if s.listed < s.errors { line += ", \(s.listed) of them in the input" }
        }
        if !report.inputErrors.isEmpty {
            line += "; \(report.inputErrors.count) input\(report.inputErrors.count == 1 ? "" : "s") could not be read"
        }
        return line
    }

    static func location(_ occurrences: [Occurrence]) -> String {
        let numbers = occurrences.map { String($0.line) }
        var s = (numbers.count == 1 ? "line " : "lines ") + shortList(numbers)
        var loaders: [String] = []
        for o in occurrences { if let l = o.loader, !loaders.contains(l) { loaders.append(l) } }
        if !loaders.isEmpty { s += " " + loaders.joined(separator: " ") }
        return s
    }

    static func shortList(_ items: [String]) -> String {
        items.count <= 8 ? items.joined(separator: ", ") : items.prefix(8).joined(separator: ", ") + " and \(items.count - 8) more"
    }

    static func valueLines(_ v: ExplainedValues) -> [(String, String)] {
        var out: [(String, String)] = []
        func add(_ label: String, _ value: String?) { if let value { out.append((label, value)) } }
        add("file", v.plugin)
        if v.openedAs != v.plugin { add("plugin.Open", v.openedAs) }
        add("loader's file", v.object)
        add("package", v.package.map { $0 + (v.standardLibrary == true ? " (standard library)" : " (a module's)") })
        add("symbol", v.symbol)
        add("plugin path", v.goPluginPath)
        add("version needed", v.requiredVersion)
        add("library", v.library)
        add("required by", v.requiredBy)
        add("relocation type", v.relocationType.map(String.init))
        add("ELF class", v.elfClass)
        add("reason", v.reason)
        add("lura loader", v.loaderKind)
        add("lura index", v.index.map { "#\($0)" })
        add("folder", v.folder.map { $0.isEmpty ? "\"\" (empty)" : $0 })
        add("called by", v.calledFrom)
        return out
    }

    static func predictionLines(_ p: PredictionMatch, applying: [RankedCause], into lines: inout [String]) {
        let agreement: String
        switch p.agreement {
        case .matches: agreement = "matches the log"
        case .differs: agreement = "differs from the log"
        case .notPredicted: agreement = "not predicted"
        }
        lines.append("  plugincheck compare: \(p.plugin): \(CompareTextReport.verdictWord(p.verdict))" + (p.predictedMessage.map { ": \($0)" } ?? ""))
        lines.append("    \(agreement): \(p.detail)")
        if !applying.isEmpty {
            lines.append("    applies here: " + applying.map { "\($0.rank). [\($0.check)]" }.joined(separator: ", "))
        }
        var findings: [String] = []
        CompareTextReport.findingLines(p.findings.filter { $0.severity != .info }, into: &findings)
        lines += findings.map { "  " + $0 }
    }

}
