/// The commands `--fix` writes, one helper per kind, so that every finding spells them alike.
enum DependencyFix {
    static func shellQuote(_ s: String) -> String {
        if !s.isEmpty && s.allSatisfy({ $0.isLetter || $0.isNumber || "/._-@=+:,".contains($0) }) { return s }
        return "'" + s.replacing("'", with: "'\\''") + "'"
    }

    static func goGet(_ module: String, _ version: String) -> String { "go get " + shellQuote(module + "@" + version) }
    static func dropReplace(_ module: String) -> String { "go mod edit -dropreplace=" + shellQuote(module) }
    static func replace(_ module: String, with target: String) -> String { "go mod edit -replace=" + shellQuote(module + "=" + target) }
    static func toolchain(_ v: String) -> String { "go mod edit -toolchain=" + shellQuote(v) }
}
