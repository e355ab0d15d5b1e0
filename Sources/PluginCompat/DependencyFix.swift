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
    /// A step no change of the plugin's module or build can make: the script says so and fails.
    static func gatewayMustChange(_ what: String) -> String { "# the gateway must change: " + what }
    /// A step the script cannot take (another folder, another workspace): done by hand.
    static func byHand(_ what: String) -> String { "# by hand: " + what }
}
