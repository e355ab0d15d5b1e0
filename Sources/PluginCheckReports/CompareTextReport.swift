import PluginCompat

/// Renders a comparison for people: per plugin, the verdict in one line with the exact
/// message the gateway would log, then the findings, most important first, each with both
/// values side by side and the fix; then what the configuration asks for, the inputs that
/// could not be read, and one summary line.
public enum CompareTextReport {
    /// `quiet`: only plugins with a problem (a verdict other than loads, or a warning), then
    /// the rest as before.
    public static func render(_ report: CompareReport, verbose: Bool = false, quiet: Bool = false,
                              style: TerminalStyle = .plain) -> String {
        var lines: [String] = []
        let g = report.gateway
        if !quiet {
            lines.append("gateway \(g.path): \([g.goVersion, g.machine, g.libc].compactMap { $0 }.joined(separator: ", "))")
        }
        for v in report.plugins where !quiet || v.verdict != .loads || v.hasWarnings {
            if !lines.isEmpty { lines.append("") }
            lines.append("\(v.path): \(style.verdict(v.verdict, verdictWord(v.verdict)))" + (v.message.map { ": \($0)" } ?? registersText(v)))
            findingLines(v.findings.filter { verbose || $0.severity != .info }, into: &lines, style: style)
        }
        for f in report.gatewayFindings where verbose || f.severity != .info {
            if !lines.isEmpty { lines.append("") }
            lines.append("gateway \(style.severity(f.severity)) [\(f.check)] \(f.explanation)")
            if let g = f.gateway { lines.append("      gateway: \(g)") }
            if let fix = f.fix { lines.append("      fix: \(fix)") }
        }
        if let c = report.configuration, !c.findings.isEmpty {
            if !lines.isEmpty { lines.append("") }
            lines.append("configuration \(c.path):")
            for f in c.findings {
                lines.append("  \(style.severity(f.severity)) [\(f.check)] \(f.explanation)")
                if let p = f.plugin { lines.append("      plugins:       \(p)") }
                if let g = f.gateway { lines.append("      configuration: \(g)") }
                if let fix = f.fix { lines.append("      fix: \(fix)") }
            }
        }
        for e in report.inputErrors {
            if !lines.isEmpty { lines.append("") }
            lines.append("could not read \(e.line1)")
        }
        if !lines.isEmpty { lines.append("") }
        lines.append(summaryLine(report))
        return lines.joined(separator: "\n") + "\n"
    }

    /// `4 plugins: 3 load, 1 fails, 0 crash; folder plugins/ pattern .so`.
    public static func summaryLine(_ report: CompareReport) -> String {
        let s = report.summary
        var parts = ["\(s.load) load", "\(s.fail) fail\(s.fail == 1 ? "s" : "")", "\(s.crash) crash\(s.crash == 1 ? "es" : "")"]
        if s.unknown > 0 { parts.append("\(s.unknown) unknown") }
        if s.notReached > 0 { parts.append("\(s.notReached) not reached") }
        var line = "\(s.plugins) plugin\(s.plugins == 1 ? "" : "s"): " + parts.joined(separator: ", ")
        if let a = report.audit {
            line += "; folder \(a.folder.isEmpty ? "\"\"" : a.folder) pattern \(a.pattern.isEmpty ? "\"\"" : a.pattern)"
            if let c = a.configuration { line += " (from \(c))" }
        }
        if let c = report.configuration {
            let errors = c.findings.filter { $0.severity == .error }.count
            if errors > 0 { line += "; \(errors) configuration error\(errors == 1 ? "" : "s")" }
        }
        if !report.inputErrors.isEmpty {
            line += "; \(report.inputErrors.count) input\(report.inputErrors.count == 1 ? "" : "s") could not be read: no decision"
        }
        return line
    }

    static func findingLines(_ findings: [Finding], into lines: inout [String], style: TerminalStyle = .plain) {
        for f in findings {
            lines.append("  \(style.severity(f.severity)) [\(f.check)] \(f.explanation)")
            if f.plugin != nil || f.gateway != nil {
                lines.append("      plugin:  \(f.plugin ?? "-")")
                lines.append("      gateway: \(f.gateway ?? "-")")
            }
            if let fix = f.fix { lines.append("      fix: \(fix)") }
        }
    }

    /// The verdict as the text reports print it.
    static func verdictWord(_ v: VerdictKind) -> String {
        switch v {
        case .loads: return "LOADS"
        case .fails: return "FAILS"
        case .crashes: return "CRASHES THE GATEWAY"
        case .unknown: return "UNKNOWN"
        case .notReached: return "NOT REACHED"
        }
    }

    static func registersText(_ v: PluginVerdict) -> String {
        guard v.verdict == .loads else { return "" }
        return v.registerers.isEmpty ? " (registers nothing)" : " (registers \(v.registerers.joined(separator: ", ")))"
    }
}
