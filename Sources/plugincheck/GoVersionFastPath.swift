/// Recognises `inspect --format goversion PATH...` (or `-f goversion`, `--format=goversion`),
/// with no other option; returns the paths.
enum GoVersionFastPath {
    static func paths(in args: [String]) -> [String]? {
        guard args.first == "inspect" else { return nil }
        var rest = args.dropFirst()
        var sawFormat = false
        var paths: [String] = []
        var afterDashDash = false
        while let a = rest.first {
            rest = rest.dropFirst()
            if afterDashDash { paths.append(a); continue }
            switch a {
            case "--": afterDashDash = true
            case "--format", "-f":
                guard rest.first == "goversion" else { return nil }
                rest = rest.dropFirst()
                sawFormat = true
            case "--format=goversion":
                sawFormat = true
            default:
                if a.hasPrefix("-") { return nil }
                paths.append(a)
            }
        }
        return sawFormat && !paths.isEmpty ? paths : nil
    }
}
