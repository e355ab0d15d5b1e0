import PluginCompat

/// `deps --format json`: the report as it is, with the tool's version beside it.
public enum DepsJSONReport {
    struct Document: Encodable {
        var toolVersion: String
        var report: DependencyReport
        var fixScript: String

        func encode(to encoder: Encoder) throws {
            try report.encode(to: encoder)
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(toolVersion, forKey: .toolVersion)
            try c.encode(fixScript, forKey: .fixScript)
        }
        enum Key: String, CodingKey { case toolVersion, fixScript }
    }

    public static func render(_ report: DependencyReport) -> String {
        JSONOutput.encode(Document(toolVersion: ToolVersion.current, report: report, fixScript: report.fixScript))
    }
}
