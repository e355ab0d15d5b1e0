import PluginCompat

/// GitLab's Code Quality report (`artifacts:reports:codequality`): a JSON array of issues,
/// each with `description`, `check_name`, `fingerprint`, `severity` and `location.path` /
/// `location.lines.begin`. One issue per finding of severity error or warning (info findings
/// are left out: they change nothing), and one per input error.
public enum GitLabReport {
    struct Issue: Encodable {
        var description: String
        var check_name: String
        var fingerprint: String
        var severity: String
        var location: Location
        /// Code Quality's type; GitLab shows only `issue`s.
        var type = "issue"
        var categories = ["Bug Risk"]
    }
    struct Location: Encodable {
        var path: String
        var lines: Lines
    }
    struct Lines: Encodable { var begin: Int }

    public static func render(_ report: CompareReport) -> String {
        var issues: [Issue] = []
        func add(_ f: Finding, path: String, message: String?) {
            guard f.severity != .info else { return }
            var text = (message.map { $0 + ": " } ?? "") + f.explanation
            if let fix = f.fix { text += ". Fix: \(fix)" }
            issues.append(Issue(description: text, check_name: f.check.rawValue,
                                fingerprint: fingerprint(f.check.rawValue, path, f.explanation, f.plugin ?? "", f.gateway ?? ""),
                                severity: f.severity == .error ? "critical" : "minor",
                                location: Location(path: path, lines: Lines(begin: 1))))
        }
        for v in report.plugins {
            for (i, f) in v.findings.enumerated() { add(f, path: v.path, message: i == 0 ? v.message : nil) }
        }
        for f in report.gatewayFindings { add(f, path: report.gateway.path, message: nil) }
        if let c = report.configuration {
            for f in c.findings { add(f, path: c.path, message: nil) }
        }
        for e in report.inputErrors {
            issues.append(Issue(description: "could not decide: \(e.line1)", check_name: "input-error",
                                fingerprint: fingerprint("input-error", e.path, e.reason), severity: "blocker",
                                location: Location(path: e.path, lines: Lines(begin: e.line ?? 1))))
        }
        return JSONOutput.encode(issues)
    }

    /// A stable identifier of one issue (GitLab compares reports across pipelines by it):
    /// 128 bits of two FNV-1a hashes of the fields, in hex.
    static func fingerprint(_ parts: String...) -> String {
        let bytes = Array(parts.joined(separator: "\u{1f}").utf8)
        func fnv(_ seed: UInt64) -> UInt64 {
            bytes.reduce(seed) { ($0 ^ UInt64($1)) &* 0x100000001b3 }
        }
        let hex = { (v: UInt64) -> String in
            let s = String(v, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }
        return hex(fnv(0xcbf29ce484222325)) + hex(fnv(0x84222325cbf29ce4))
    }
}
