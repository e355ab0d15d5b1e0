/// A fix that is a rebuild of the plugin, as data: the same fix the finding's `fix` text says,
/// in a form a pipeline (or a test) can apply to the plugin's build command and follow
/// literally. Every field left empty means "as the plugin was built".
public struct Rebuild: Sendable, Codable, Equatable {
    /// The Go release to build with, `go1.25.5` (e.g. `GOTOOLCHAIN=go1.25.5`).
    @Nullable public var toolchain: String?
    /// The GOROOT whose `bin/go` to build with, when the toolchain's directory itself matters
    /// (an untrimmed gateway records it in the standard library's fingerprints).
    @Nullable public var goroot: String?
    /// Environment variables to set (`GOMODCACHE`, `GOWORK=off`, `GOEXPERIMENT`, `GOARCH`...).
    public var environment: [String: String]
    /// `go build` flags to add (`-trimpath`, `-mod=mod`, `-tags=extra`), replacing a flag of the
    /// same name, and flag names to drop (`-race`).
    public var addFlags: [String]
    public var removeFlags: [String]
    /// Module versions to require first (`go get example.com/shared@v1.0.0`).
    public var require: [String]
    /// Modules whose `replace` directive to drop first (`go mod edit -dropreplace=example.com/shared`).
    public var dropReplace: [String]
    /// `replace` directives to set first, `module=target` (`go mod edit -replace=...`).
    public var replace: [String]
    /// The folder to build the plugin's module in, when it must move (its replace directives
    /// then resolve to the gateway's directories).
    @Nullable public var directory: String?

    public init(toolchain: String? = nil, goroot: String? = nil, environment: [String: String] = [:], addFlags: [String] = [],
                removeFlags: [String] = [], require: [String] = [], dropReplace: [String] = [], replace: [String] = [],
                directory: String? = nil) {
        self.toolchain = toolchain
        self.goroot = goroot
        self.environment = environment
        self.addFlags = addFlags
        self.removeFlags = removeFlags
        self.require = require
        self.dropReplace = dropReplace
        self.replace = replace
        self.directory = directory
    }

    /// Both rebuilds at once (the first one's choice wins where they set the same thing).
    func merged(with other: Rebuild) -> Rebuild {
        var r = self
        r.toolchain = toolchain ?? other.toolchain
        r.goroot = goroot ?? other.goroot
        r.environment.merge(other.environment) { a, _ in a }
        for f in other.addFlags where !r.addFlags.contains(f) { r.addFlags.append(f) }
        for f in other.removeFlags where !r.removeFlags.contains(f) { r.removeFlags.append(f) }
        for m in other.require where !r.require.contains(m) { r.require.append(m) }
        for m in other.dropReplace where !r.dropReplace.contains(m) { r.dropReplace.append(m) }
        for m in other.replace where !r.replace.contains(m) { r.replace.append(m) }
        r.directory = directory ?? other.directory
        return r
    }

    /// The build command this rebuild makes of a plain `go build -buildmode=plugin`, as a user
    /// types it: `GOMODCACHE=/go/pkg/mod go build -buildmode=plugin -trimpath ...`.
    public var command: String {
        var parts: [String] = []
        if let directory { parts.append("cd \(directory) &&") }
        for m in dropReplace { parts.append("go mod edit -dropreplace=\(m) &&") }
        for m in replace { parts.append("go mod edit -replace=\(m) &&") }
        for m in require { parts.append("go get \(m) &&") }
        for (k, v) in environment.sorted(by: { $0.key < $1.key }) { parts.append("\(k)=\(v)") }
        if toolchain != nil && goroot == nil { parts.append("GOTOOLCHAIN=\(toolchain!)") }
        parts.append(goroot.map { "\($0)/bin/go" } ?? "go")
        parts.append("build -buildmode=plugin")
        parts += addFlags
        parts.append("...")
        var s = parts.joined(separator: " ")
        if !removeFlags.isEmpty { s += " (without \(removeFlags.joined(separator: ", ")))" }
        return s
    }
}
