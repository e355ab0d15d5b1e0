import FoundationEssentials
import PluginCompat

/// The documented JSON form of a comparison (docs/json-schema.md).
public enum CompareJSONReport {
    public static func render(_ report: CompareReport) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(report)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
