import PluginCompat

/// JUnit XML for CI test-report views (GitLab's `artifacts:reports:junit`, Jenkins, GitHub
/// test reporters): one test suite, one test case per plugin (its verdict), one for the
/// gateway and one for the configuration when they have findings, and one per input error.
/// A plugin that does not load is a `<failure>` whose message is what the gateway would log
/// and whose text holds every finding with its fix; an input error is an `<error>`.
///
/// Written here rather than with XMLCoder: XMLCoder brings FoundationXML, whose libxml2 (with
/// liblzma and ICU) cannot be linked into the fully static release binary, and the few
/// elements JUnit needs are plain to write with the escaping below.
public enum JUnitReport {
    struct Case {
        var name: String
        var classname: String
        /// `failure` or `error`, with its message, type and text.
        var problem: (element: String, message: String, type: String, text: String)?
    }

    /// `command` names the run (`compare`, `audit`) in the suite's name and the test classes.
    public static func render(_ report: CompareReport, command: String) -> String {
        var cases: [Case] = []
        let classname = "plugincheck.\(command)"
        for v in report.plugins {
            var c = Case(name: v.path, classname: classname)
            if v.verdict != .loads {
                let head = v.message ?? "\(v.path): \(v.verdict.rawValue)"
                let type = v.findings.first(where: { $0.severity == .error })?.check.rawValue ?? v.step.rawValue
                c.problem = ("failure", "\(v.verdict.rawValue.uppercased()): \(head)", type, findingsText(v.findings))
            }
            cases.append(c)
        }
        for (name, findings) in [("gateway \(report.gateway.path)", report.gatewayFindings),
                                 ("configuration \(report.configuration?.path ?? "")", report.configuration?.findings ?? [])]
            // A note (info: the target system was not checked) is in the JSON; a test case is a check.
            where findings.contains(where: { $0.severity <= .warning }) {
            var c = Case(name: name, classname: classname)
            if let first = findings.first(where: { $0.severity == .error }) {
                c.problem = ("failure", first.explanation, first.check.rawValue, findingsText(findings))
            }
            cases.append(c)
        }
        for e in report.inputErrors {
            cases.append(Case(name: e.path, classname: classname, problem: ("error", e.line1, "input-error", e.line1)))
        }
        let failures = cases.filter { $0.problem?.element == "failure" }.count
        let errors = cases.filter { $0.problem?.element == "error" }.count
        var scope = report.gateway.path
        if let a = report.audit { scope = "\(a.configuration ?? a.folder) (gateway \(report.gateway.path))" }
        let counts = "tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"\(errors)\""
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"plugincheck\" \(counts)>\n"
        xml += "  <testsuite name=\"\(escape("plugincheck \(command) \(scope)"))\" \(counts) skipped=\"0\">\n"
        xml += "    <properties>\n"
        for (name, value) in [("plugincheck.version", ToolVersion.current), ("gateway", report.gateway.path),
                              ("summary", CompareTextReport.summaryLine(report))] {
            xml += "      <property name=\"\(escape(name))\" value=\"\(escape(value))\" />\n"
        }
        xml += "    </properties>\n"
        for c in cases {
            let open = "    <testcase name=\"\(escape(c.name))\" classname=\"\(escape(c.classname))\""
            guard let p = c.problem else {
                xml += open + " />\n"
                continue
            }
            xml += open + ">\n"
            xml += "      <\(p.element) message=\"\(escape(p.message))\" type=\"\(escape(p.type))\">\(escape(p.text))</\(p.element)>\n"
            xml += "    </testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>"
        return xml
    }

    /// Text as XML character data or an attribute value: the five markup characters as
    /// entities, and the characters XML 1.0 does not allow (most controls) as U+FFFD.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(u)
            case _ where u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF: out += "\u{FFFD}"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    static func findingsText(_ findings: [Finding]) -> String {
        var lines: [String] = []
        CompareTextReport.findingLines(findings, into: &lines)
        return lines.joined(separator: "\n")
    }
}
