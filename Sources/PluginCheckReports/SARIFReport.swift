import PluginCompat

/// SARIF 2.1.0 for CI code scanning: one result per finding, located at the plugin file.
public enum SARIFReport {
    struct Log: Encodable {
        var schema = "https://json.schemastore.org/sarif-2.1.0.json"
        var version = "2.1.0"
        var runs: [Run]
        enum CodingKeys: String, CodingKey { case schema = "$schema", version, runs }
    }
    struct Run: Encodable { var tool: Tool; var invocations: [Invocation]; var results: [Result] }
    /// Whether the run could decide, and the inputs that stopped it (`inputErrors` in JSON).
    struct Invocation: Encodable {
        var executionSuccessful: Bool
        var toolExecutionNotifications: [Notification]
    }
    struct Notification: Encodable {
        var level = "error"
        var message: Text
        var locations: [Location]
    }
    struct Tool: Encodable { var driver: Driver }
    struct Driver: Encodable {
        var name = "plugincheck"
        var version = ToolVersion.current
        var semanticVersion = ToolVersion.current
        var rules: [Rule]
    }
    struct Rule: Encodable {
        var id: String
        var shortDescription: Text
        /// Where the check is documented: its page in the repository (docs/checks/<id>.md).
        var help: Text
        /// The page as an absolute URI (`docsURL` + `/checks/<id>.md`).
        var helpUri: String
    }
    struct Text: Encodable { var text: String }
    struct Result: Encodable {
        var ruleId: String
        var level: String
        var message: Text
        var locations: [Location]
    }
    struct Location: Encodable { var physicalLocation: Physical }
    struct Physical: Encodable { var artifactLocation: ArtifactLocation }
    struct ArtifactLocation: Encodable { var uri: String }

    static func location(_ uri: String) -> Location {
        Location(physicalLocation: Physical(artifactLocation: ArtifactLocation(uri: Self.uri(uri))))
    }

    /// Where `helpUri` points: the installed documentation (`scripts/package` puts docs/ in
    /// /usr/share/doc/plugincheck), unless the caller names the copy it publishes.
    public static let installedDocs = "file:///usr/share/doc/plugincheck"

    /// A path as a URI reference: relative paths stay relative (SARIF resolves them against
    /// the repository), absolute ones become `file://` URIs; every octet outside RFC 3986's
    /// unreserved set and `/` is percent-encoded (`my plugin#1.so` -> `my%20plugin%231.so`).
    static func uri(_ path: String) -> String {
        var encoded = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                encoded += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return path.hasPrefix("/") ? "file://" + encoded : encoded
    }

    public static func render(_ report: CompareReport, docsURL: String = installedDocs) -> String {
        var results: [Result] = []
        var used: Set<CheckID> = []
        func add(_ f: Finding, at uri: String, message: String?) {
            used.insert(f.check)
            var text = f.explanation.prefix(1).uppercased() + f.explanation.dropFirst() + "."
            if let m = message { text = "\(m). " + text }
            if f.plugin != nil || f.gateway != nil { text += " Plugin: \(f.plugin ?? "-"); gateway: \(f.gateway ?? "-")." }
            if let fix = f.fix { text += " Fix: \(fix)." }
            results.append(Result(ruleId: f.check.rawValue, level: f.severity == .info ? "note" : f.severity.rawValue,
                                  message: Text(text: text), locations: [location(uri)]))
        }
        for v in report.plugins {
            for (i, f) in v.findings.enumerated() { add(f, at: v.path, message: i == 0 ? v.message : nil) }
        }
        for f in report.gatewayFindings { add(f, at: report.gateway.path, message: nil) }
        if let c = report.configuration {
            for f in c.findings { add(f, at: c.path, message: nil) }
        }
        let notifications = report.inputErrors.map { Notification(message: Text(text: $0.line1), locations: [location($0.path)]) }
        let base = docsURL.hasSuffix("/") ? String(docsURL.dropLast()) : docsURL
        let rules = used.sorted().map {
            Rule(id: $0.rawValue, shortDescription: Text(text: $0.summary), help: Text(text: "See \($0.documentationPath)"),
                 helpUri: base + "/checks/" + $0.rawValue + ".md")
        }
        let invocation = Invocation(executionSuccessful: report.inputErrors.isEmpty, toolExecutionNotifications: notifications)
        let log = Log(runs: [Run(tool: Tool(driver: Driver(rules: rules)), invocations: [invocation], results: results)])
        return JSONOutput.encode(log)
    }
}
