import PluginCompat

/// `deps` as text: the verdict line first, then each finding with check-plugin's
/// `have:`/`want:` wording and the fix, then what could not be decided.
public enum DepsTextReport {
    public static func render(_ r: DependencyReport, verbose: Bool = false, style: TerminalStyle = .plain) -> String {
        var out = ""
        let name = r.plugin?.modulePath ?? r.plugin?.directory ?? "plugin"
        let problems = r.findings.filter { $0.severity <= .warning }
        switch r.verdict {
        case _ where !r.inputErrors.isEmpty:
            out += "\(name): UNDECIDED: an input cannot be read\n"
        case .aligned:
            out += "\(name): ALIGNED with \(r.gateway?.path ?? "the gateway"): No incompatibilities found!\n"
        case .misaligned:
            out += "\(name): MISALIGNED with \(r.gateway?.path ?? "the gateway"): \(problems.count) incompatibility(ies) found...\n"
        case .uncertain:
            out += "\(name): UNCERTAIN with \(r.gateway?.path ?? "the gateway"): \(problems.count) difference(s) whose effect cannot be told before the build\n"
        }
        if let p = r.plugin, let g = r.gateway {
            out += "  plugin:  \(p.directory) (\(p.mode)\(p.workFile.map { ", " + $0 } ?? "")), builds with \(p.toolchain ?? "an unknown Go") (\(p.toolchainSource))\n"
            out += "  gateway: \(g.path): \(g.goVersion ?? "?")\(g.goarch.map { ", GOARCH=" + $0 } ?? "")\(g.libc.map { ", " + $0 } ?? "")\(g.trimpath ? ", -trimpath" : "")\n"
        }
        for f in r.findings where verbose || f.severity <= .warning {
            let sev = style.severity(f.severity)
            out += "  \(sev) [\(f.check.rawValue)] \(f.module ?? f.check.summary)\(f.decided ? "" : " (undecided)")\n"
            out += "      have: \(f.have)\n"
            out += "      want: \(f.want)\n"
            out += "      \(f.explanation)\n"
            if let fix = f.fix { out += "      fix: \(fix)\n" }
        }
        for m in r.missing {
            out += "  undecided: \(m.module): go.mod \(m.reason) (\(m.path))\(m.requiredBy.isEmpty ? "" : ", required by " + m.requiredBy.joined(separator: ", ")); the versions it requires are not counted\n"
        }
        for u in r.undecided { out += "  undecided: \(u)\n" }
        for c in r.checkPlugin where c.falseReport {
            out += "  note: check-plugin would report \(c.module) (have: \(c.goSumHighest), the highest in go.sum; want: \(c.gateway)); the build selects \(c.selected)\n"
        }
        if verbose {
            for s in r.shared { out += "  shared: \(s.path) plugin \(s.plugin.version.isEmpty ? "(workspace)" : s.plugin.version) gateway \(s.gatewayVersion)\(s.aligned ? "" : " (differs)")\n" }
        }
        return out
    }

    /// check-plugin's `-f`: the fix commands, one a line (what `--fix` writes, without the script frame).
    public static func fixes(_ r: DependencyReport) -> String {
        let script = r.fixScript.split(separator: "\n").dropFirst(3)
        return script.joined(separator: "\n") + "\n"
    }
}
