/// A go.mod file, parsed with the rules of golang.org/x/mod/modfile: strictly for the main
/// module (`Parse`: an unknown directive is an error), laxly for a dependency's go.mod read
/// from the module cache (`ParseLax`: only `module`, `go`, `toolchain`, `require` and
/// `retract` count; the go command ignores a dependency's `replace` and `exclude`).
public struct ModFile: Sendable, Equatable {
    public struct Requirement: Sendable, Equatable {
        public var module: ModuleVersion
        /// Marked `// indirect`.
        public var indirect: Bool
        public var line: Int
    }

    /// `replace old [version] => new [version]`; `new` without a version is a directory.
    public struct Replacement: Sendable, Equatable {
        public var old: ModuleVersion
        public var new: ModuleVersion
        public var line: Int
        /// The target is a directory (relative to the go.mod's folder, or absolute).
        public var isDirectory: Bool { new.version.isEmpty }
    }

    /// `retract v` or `retract [low, high]`, with the comment that says why.
    public struct Retraction: Sendable, Equatable {
        public var low: String
        public var high: String
        public var rationale: String
    }

    public var file: String
    public var modulePath: String?
    /// The `go` line's version; nil when there is none (the go command then assumes 1.16).
    public var goVersion: String?
    public var toolchain: String?
    public var requirements: [Requirement] = []
    public var excludes: [ModuleVersion] = []
    public var replacements: [Replacement] = []
    public var retractions: [Retraction] = []

    public init(file: String) { self.file = file }

    /// The `go` version that decides pruning and vendoring (1.16 when absent).
    public var effectiveGoVersion: GoLanguageVersion {
        goVersion.flatMap(GoLanguageVersion.init) ?? .assumedWithoutGoLine
    }

    public var isPruned: Bool { effectiveGoVersion >= .pruningStarts }

    /// The replacement that applies to `m`: one for its exact version wins over one for
    /// every version of its path (modfile / modload `Replacement`).
    public func replacement(for m: ModuleVersion) -> Replacement? {
        replacements.last { $0.old == m } ?? replacements.last { $0.old.path == m.path && $0.old.version.isEmpty }
    }

    public static func parse(_ text: String, file: String, strict: Bool) -> Result<ModFile, ModFileError> {
        let lines: [ModFileLine]
        switch ModFileSyntax.parse(text, file: file) {
        case .success(let l): lines = l
        case .failure(let e): return .failure(e)
        }
        var f = ModFile(file: file)
        func fail(_ l: ModFileLine, _ message: String) -> Result<ModFile, ModFileError> {
            .failure(ModFileError(file: file, line: l.line, column: l.column, message: message))
        }
        for l in lines {
            let args = l.arguments
            switch l.verb {
            case "module":
                guard f.modulePath == nil else { return fail(l, "repeated module statement") }
                guard args.count == 1 else { return fail(l, "usage: module module/path") }
                f.modulePath = args[0]
            case "go":
                guard f.goVersion == nil else { return fail(l, "repeated go statement") }
                guard args.count == 1 else { return fail(l, "go directive expects exactly one argument") }
                guard GoLanguageVersion(args[0]) != nil, !args[0].hasPrefix("go") else {
                    if !strict { continue }
                    return fail(l, "invalid go version '\(args[0])': must match format 1.23.0")
                }
                f.goVersion = args[0]
            case "toolchain":
                guard f.toolchain == nil else { return fail(l, "repeated toolchain statement") }
                guard args.count == 1 else { return fail(l, "toolchain directive expects exactly one argument") }
                guard args[0] == "default" || (args[0].hasPrefix("go") && GoLanguageVersion(args[0]) != nil) else {
                    if !strict { continue }
                    return fail(l, "invalid toolchain version '\(args[0])': must match format go1.23.0 or default")
                }
                f.toolchain = args[0]
            case "require", "exclude":
                guard args.count == 2 else { return fail(l, "usage: \(l.verb) module/path v1.2.3") }
                guard SemanticVersion.isCanonical(args[1]) else {
                    return fail(l, "\(l.verb) \(args[0]): version \"\(args[1])\" invalid: must be of the form v1.2.3")
                }
                let m = ModuleVersion(path: args[0], version: args[1])
                if l.verb == "require" {
                    f.requirements.append(Requirement(module: m, indirect: l.trailingComment.hasPrefix("indirect"), line: l.line))
                } else if strict {
                    f.excludes.append(m)
                }
            case "replace":
                guard let arrow = args.firstIndex(of: "=>"), arrow == 1 || arrow == 2, args.count - arrow - 1 == 1 || args.count - arrow - 1 == 2 else {
                    return fail(l, "usage: replace module/path [v1.2.3] => other/module v1.4\n\t or replace module/path [v1.2.3] => ../local/directory")
                }
                let old = ModuleVersion(path: args[0], version: arrow == 2 ? args[1] : "")
                if arrow == 2 && !SemanticVersion.isValid(old.version) {
                    return fail(l, "replace \(old.path): version \"\(old.version)\" invalid")
                }
                let newPath = args[arrow + 1]
                let newVersion = args.count - arrow - 1 == 2 ? args[arrow + 2] : ""
                if newVersion.isEmpty && !FilePath.isDirectoryPath(newPath) {
                    return fail(l, "replacement module without version must be directory path (rooted or starting with ./ or ../)")
                }
                if !newVersion.isEmpty && FilePath.isDirectoryPath(newPath) {
                    return fail(l, "replacement module directory path \"\(newPath)\" cannot have version")
                }
                if !newVersion.isEmpty && !SemanticVersion.isValid(newVersion) {
                    return fail(l, "replace \(newPath): version \"\(newVersion)\" invalid")
                }
                if strict { f.replacements.append(Replacement(old: old, new: ModuleVersion(path: newPath, version: newVersion), line: l.line)) }
            case "retract":
                if args.count == 1 {
                    f.retractions.append(Retraction(low: args[0], high: args[0], rationale: l.trailingComment))
                } else if args.count == 5 && args[0] == "[" && args[2] == "," && args[4] == "]" {
                    f.retractions.append(Retraction(low: args[1], high: args[3], rationale: l.trailingComment))
                } else {
                    return fail(l, "usage: retract v1.2.3 or retract [v1.2.3, v1.4.0]")
                }
            case "godebug", "tool", "ignore":
                continue
            default:
                if strict { return fail(l, "unknown directive: \(l.verb)") }
            }
        }
        if strict && f.modulePath == nil {
            return .failure(ModFileError(file: file, line: 1, column: 1, message: "no module declaration in go.mod. To specify the module path:\n\tgo mod edit -module=example.com/mod"))
        }
        return .success(f)
    }

    /// Whether `version` lies in one of the retracted intervals.
    public func retracts(_ version: String) -> Retraction? {
        retractions.first { SemanticVersion.compare($0.low, version) <= 0 && SemanticVersion.compare(version, $0.high) <= 0 }
    }
}
