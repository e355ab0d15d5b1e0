import PluginCompat

/// The documented JSON form of a comparison (docs/json-schema.md).
public enum CompareJSONReport {
    public static func render(_ report: CompareReport) -> String {
        var report = report
        report.toolVersion = ToolVersion.current
        return JSONOutput.encode(report)
    }
}
