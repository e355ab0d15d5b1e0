/// Why no Go build information could be read. The two sentinels and their wording are
/// those of Go's `debug/buildinfo`, so `go version -m` output can be reproduced exactly.
public enum GoBuildInfoError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file is not in an executable format Go recognises, or is too damaged to parse.
    case unrecognizedFormat
    /// A valid executable without a (readable) build info blob.
    case notGoExecutable
    /// The module info text is malformed (Go's `ParseBuildInfo` error, with its line number).
    case parse(line: Int, reason: String)

    public var description: String {
        switch self {
        case .unrecognizedFormat: return "unrecognized file format"
        case .notGoExecutable: return "not a Go executable"
        case .parse(let line, let reason): return "could not parse Go build info: line \(line): \(reason)"
        }
    }
}
