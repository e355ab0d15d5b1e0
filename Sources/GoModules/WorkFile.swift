/// A go.work file (golang.org/x/mod/modfile `ParseWork`): `go`, `toolchain`, `use`
/// (module folders, relative to the go.work's folder), `replace` (which overrides the
/// workspace modules' own), `godebug`.
public struct WorkFile: Sendable, Equatable {
    public var file: String
    public var goVersion: String?
    public var toolchain: String?
    public var uses: [String] = []
    public var replacements: [ModFile.Replacement] = []

    public static func parse(_ text: String, file: String) -> Result<WorkFile, ModFileError> {
        let lines: [ModFileLine]
        switch ModFileSyntax.parse(text, file: file) {
        case .success(let l): lines = l
        case .failure(let e): return .failure(e)
        }
        var w = WorkFile(file: file)
        var replaceLines = ""
        for l in lines {
            func fail(_ m: String) -> Result<WorkFile, ModFileError> { .failure(ModFileError(file: file, line: l.line, column: l.column, message: m)) }
            switch l.verb {
            case "go":
                guard l.arguments.count == 1, GoLanguageVersion(l.arguments[0]) != nil else { return fail("invalid go version '\(l.arguments.first ?? "")': must match format 1.23.0") }
                w.goVersion = l.arguments[0]
            case "toolchain":
                guard l.arguments.count == 1 else { return fail("toolchain directive expects exactly one argument") }
                w.toolchain = l.arguments[0]
            case "use":
                guard l.arguments.count == 1 else { return fail("usage: use local/dir") }
                w.uses.append(l.arguments[0])
            case "replace":
                replaceLines += "replace " + l.arguments.map { $0.contains(" ") ? "\"\($0)\"" : $0 }.joined(separator: " ") + "\n"
            case "godebug":
                continue
            default:
                return fail("unknown directive: \(l.verb)")
            }
        }
        // The replace syntax is go.mod's: parse it with the same rules.
        if !replaceLines.isEmpty {
            switch ModFile.parse("module workspace\n" + replaceLines, file: file, strict: true) {
            case .success(let m): w.replacements = m.replacements
            case .failure(let e): return .failure(e)
            }
        }
        return .success(w)
    }
}
