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
        var rules: [Rule]
    }
    struct Rule: Encodable {
        var id: String
        var shortDescription: Text
        /// Where the check is documented, relative to the repository (docs/checks/<id>.md).
        var help: Text
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
        Location(physicalLocation: Physical(artifactLocation: ArtifactLocation(uri: uri)))
    }

    public static func render(_ report: CompareReport) -> String {
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
        let rules = used.sorted().map { Rule(id: $0.rawValue, shortDescription: Text(text: $0.summary), help: Text(text: "See \($0.documentationPath)")) }
        let invocation = Invocation(executionSuccessful: report.inputErrors.isEmpty, toolExecutionNotifications: notifications)
        let log = Log(runs: [Run(tool: Tool(driver: Driver(rules: rules)), invocations: [invocation], results: results)])
        return JSONOutput.encode(log)
    }
}
