import FoundationEssentials

/// The one JSON style of every report: pretty-printed, keys sorted, slashes unescaped.
enum JSONOutput {
    /// The reports hold strings, integers, booleans and nested values only, which always
    /// encode; a failure would be a bug in this program, and stopping (a non-zero exit
    /// status) is the closed way to fail, where an empty document would pass a pipeline.
    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            fatalError("report could not be encoded as JSON: \(error)")
        }
    }
}
