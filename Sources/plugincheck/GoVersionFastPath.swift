import PluginCheckReports

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

/// Recognises `compare PLUGIN... GATEWAY` and `audit FOLDER GATEWAY` with no option at all:
/// the commands a pipeline runs per release, whose verdict costs less than the parser's
/// reflection. They run exactly as the parsed commands do with every option at its default
/// (`ReportOptions`, `--pattern .so`, `--workdir .`); anything else goes through the parser.
enum ComparisonFastPath {
    static func run(_ args: [String]) -> Int32? {
        guard let command = args.first, args.dropFirst().allSatisfy({ !$0.hasPrefix("-") && !$0.isEmpty && $0 != "help" }),
              let run = ComparisonRun() else { return nil }
        let paths = Array(args.dropFirst())
        switch command {
        case "compare" where paths.count >= 2:
            return run.compare(plugins: Array(paths.dropLast()), gateway: paths.last!)
        case "audit" where paths.count == 2:
            return run.audit(folder: paths[0], pattern: ".so", gateway: paths[1], workdir: ".", allowEmpty: false)
        default:
            return nil
        }
    }
}
