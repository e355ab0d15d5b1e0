import Foundation
import PluginCompat
import XMLCoder

/// JUnit XML for CI test-report views (GitLab's `artifacts:reports:junit`, Jenkins, GitHub
/// test reporters): one test suite, one test case per plugin (its verdict), one for the
/// gateway and one for the configuration when they have findings, and one per input error.
/// A plugin that does not load is a `<failure>` whose message is what the gateway would log
/// and whose text holds every finding with its fix; an input error is an `<error>`.
public enum JUnitReport {
    struct Suites: Encodable, DynamicNodeEncoding {
        var name = "plugincheck"
        var tests: Int
        var failures: Int
        var errors: Int
        var testsuite: [Suite]
        static func nodeEncoding(for key: CodingKey) -> XMLEncoder.NodeEncoding {
            key.stringValue == "testsuite" ? .element : .attribute
        }
    }

    struct Suite: Encodable, DynamicNodeEncoding {
        var name: String
        var tests: Int
        var failures: Int
        var errors: Int
        var skipped = 0
        var properties: Properties
        var testcase: [Case]
        static func nodeEncoding(for key: CodingKey) -> XMLEncoder.NodeEncoding {
            ["properties", "testcase"].contains(key.stringValue) ? .element : .attribute
        }
    }

    struct Properties: Encodable { var property: [Property] }
    struct Property: Encodable, DynamicNodeEncoding {
        var name: String
        var value: String
        static func nodeEncoding(for key: CodingKey) -> XMLEncoder.NodeEncoding { .attribute }
    }

    struct Case: Encodable, DynamicNodeEncoding {
        var name: String
        var classname: String
        var failure: Problem?
        var error: Problem?
        enum CodingKeys: String, CodingKey { case name, classname, failure, error }
        static func nodeEncoding(for key: CodingKey) -> XMLEncoder.NodeEncoding {
            ["name", "classname"].contains(key.stringValue) ? .attribute : .element
        }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(classname, forKey: .classname)
            try c.encodeIfPresent(failure, forKey: .failure)
            try c.encodeIfPresent(error, forKey: .error)
        }
    }

    /// `<failure message="..." type="check">text</failure>`.
    struct Problem: Encodable, DynamicNodeEncoding {
        var message: String
        var type: String
        var text: String
        enum CodingKeys: String, CodingKey { case message, type, text = "" }
        static func nodeEncoding(for key: CodingKey) -> XMLEncoder.NodeEncoding {
            key.stringValue.isEmpty ? .element : .attribute
        }
    }

    /// `command` names the run (`compare`, `audit`) in the suite's name and the test classes.
    public static func render(_ report: CompareReport, command: String) -> String {
        var cases: [Case] = []
        let classname = "plugincheck.\(command)"
        for v in report.plugins {
            var c = Case(name: v.path, classname: classname)
            let errors = v.findings.filter { $0.severity == .error }
            if v.verdict != .loads {
                let head = v.message ?? "\(v.path): \(v.verdict.rawValue)"
                c.failure = Problem(message: "\(v.verdict.rawValue.uppercased()): \(head)", type: errors.first?.check.rawValue ?? v.step.rawValue,
                                    text: findingsText(v.findings))
            }
            cases.append(c)
        }
        for (name, findings) in [("gateway \(report.gateway.path)", report.gatewayFindings),
                                 ("configuration \(report.configuration?.path ?? "")", report.configuration?.findings ?? [])] where !findings.isEmpty {
            var c = Case(name: name, classname: classname)
            if let first = findings.first(where: { $0.severity == .error }) {
                c.failure = Problem(message: first.explanation, type: first.check.rawValue, text: findingsText(findings))
            }
            cases.append(c)
        }
        for e in report.inputErrors {
            cases.append(Case(name: e.path, classname: classname, error: Problem(message: e.line1, type: "input-error", text: e.line1)))
        }
        let failures = cases.filter { $0.failure != nil }.count
        let errors = cases.filter { $0.error != nil }.count
        var scope = report.gateway.path
        if let a = report.audit { scope = "\(a.configuration ?? a.folder) (gateway \(report.gateway.path))" }
        let properties = Properties(property: [
            Property(name: "plugincheck.version", value: ToolVersion.current),
            Property(name: "gateway", value: report.gateway.path),
            Property(name: "summary", value: CompareTextReport.summaryLine(report)),
        ])
        let suite = Suite(name: "plugincheck \(command) \(scope)", tests: cases.count, failures: failures, errors: errors,
                          properties: properties, testcase: cases)
        let suites = Suites(tests: cases.count, failures: failures, errors: errors, testsuite: [suite])
        let encoder = XMLEncoder()
        encoder.outputFormatting = [.prettyPrinted]
        do {
            let data = try encoder.encode(suites, withRootKey: "testsuites", header: XMLHeader(version: 1.0, encoding: "UTF-8"))
            return String(decoding: data, as: UTF8.self)
        } catch {
            // Strings and integers always encode; see JSONOutput for why this stops.
            fatalError("report could not be encoded as XML: \(error)")
        }
    }

    static func findingsText(_ findings: [Finding]) -> String {
        var lines: [String] = []
        CompareTextReport.findingLines(findings, into: &lines)
        return lines.joined(separator: "\n")
    }
}
