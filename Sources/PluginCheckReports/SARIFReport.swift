import FoundationEssentials
import PluginCompat

/// SARIF 2.1.0 for CI code scanning: one result per finding, located at the plugin file.
public enum SARIFReport {
    struct Log: Encodable {
        var schema = "https://json.schemastore.org/sarif-2.1.0.json"
        var version = "2.1.0"
        var runs: [Run]
        enum CodingKeys: String, CodingKey { case schema = "$schema", version, runs }
    }
    struct Run: Encodable { var tool: Tool; var results: [Result] }
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

    public static func render(_ report: CompareReport) -> String {
        var results: [Result] = []
        var used: Set<CheckID> = []
        for v in report.plugins {
            for f in v.findings {
                used.insert(f.check)
                var text = f.explanation.prefix(1).uppercased() + f.explanation.dropFirst() + "."
                if v.findings.first == f, let m = v.message { text = "\(m). " + text }
                if f.plugin != nil || f.gateway != nil { text += " Plugin: \(f.plugin ?? "-"); gateway: \(f.gateway ?? "-")." }
                if let fix = f.fix { text += " Fix: \(fix)." }
                results.append(Result(ruleId: f.check.rawValue, level: f.severity == .info ? "note" : f.severity.rawValue,
                                      message: Text(text: text), locations: [Location(physicalLocation: Physical(artifactLocation: ArtifactLocation(uri: v.path)))]))
            }
        }
        let rules = used.sorted().map { Rule(id: $0.rawValue, shortDescription: Text(text: $0.summary), help: Text(text: "See \($0.documentationPath)")) }
        let log = Log(runs: [Run(tool: Tool(driver: Driver(rules: rules)), results: results)])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(log)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
