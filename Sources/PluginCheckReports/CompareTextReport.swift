import PluginCompat

/// Renders a comparison for people: per plugin, the verdict in one line with the exact
/// message the gateway would log, then the findings, most important first, each with both
/// values side by side and the fix.
public enum CompareTextReport {
    public static func render(_ report: CompareReport, verbose: Bool = false) -> String {
        var lines: [String] = []
        let g = report.gateway
        lines.append("gateway \(g.path): \([g.goVersion, g.machine, g.libc].compactMap { $0 }.joined(separator: ", "))")
        for v in report.plugins {
            lines.append("")
            let head: String
            switch v.verdict {
            case .loads: head = "LOADS"
            case .fails: head = "FAILS"
            case .crashes: head = "CRASHES THE GATEWAY"
            case .unknown: head = "UNKNOWN"
            case .notReached: head = "NOT REACHED"
            }
            lines.append("\(v.path): \(head)" + (v.message.map { ": \($0)" } ?? registersText(v)))
            let shown = v.findings.filter { verbose || $0.severity != .info }
            for f in shown {
                lines.append("  \(f.severity.rawValue) [\(f.check)] \(f.explanation)")
                if f.plugin != nil || f.gateway != nil {
                    lines.append("      plugin:  \(f.plugin ?? "-")")
                    lines.append("      gateway: \(f.gateway ?? "-")")
                }
                if let fix = f.fix { lines.append("      fix: \(fix)") }
            }
        }
        for f in report.gatewayFindings {
            lines.append("")
            lines.append("gateway \(f.severity.rawValue) [\(f.check)] \(f.explanation)")
            if let g = f.gateway { lines.append("      gateway: \(g)") }
            if let fix = f.fix { lines.append("      fix: \(fix)") }
        }
        for e in report.inputErrors {
            lines.append("")
            lines.append("could not read \(e.path): \(e.reason)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func registersText(_ v: PluginVerdict) -> String {
        guard v.verdict == .loads else { return "" }
        return v.registerers.isEmpty ? " (registers nothing)" : " (registers \(v.registerers.joined(separator: ", ")))"
    }
}
