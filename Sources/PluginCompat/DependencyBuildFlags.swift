/// The build flags `deps` is told about (`--flags`, then `GOFLAGS`, as the go command reads
/// GOFLAGS first and lets the command line override it), reduced to what changes the
/// plugin's package fingerprints or what the build selects.
public struct DependencyBuildFlags: Sendable, Equatable, Codable {
    public var trimpath = false
    public var race = false
    /// `-msan` / `-asan`: instrumented like `-race`.
    public var sanitizer: String?
    public var tags: [String] = []
    public var mod: String?
    /// `-gcflags` with its package pattern, e.g. `all=-N -l`; nil when not given.
    public var gcflags: String?

    public init() {}

    /// `goflags`: GOFLAGS's value (space-separated flags, as the go command splits it);
    /// `flags`: the words of `--flags`, applied after.
    public init(goflags: String?, flags: [String]) {
        var words = (goflags ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
        words += flags
        var i = 0
        while i < words.count {
            var w = words[i]
            if w.hasPrefix("--") { w.removeFirst() }
            let (name, inline) = Self.split(w)
            func value() -> String? {
                if let v = inline { return v }
                guard i + 1 < words.count else { return nil }
                i += 1
                return words[i]
            }
            switch name {
            case "-trimpath": trimpath = Self.bool(inline)
            case "-race": race = Self.bool(inline)
            case "-msan", "-asan": if Self.bool(inline) { sanitizer = name }
            case "-tags": tags = (value() ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init).sorted()
            case "-mod": mod = value()
            case "-gcflags": gcflags = value()
            default: break
            }
            i += 1
        }
    }

    private static func split(_ w: String) -> (String, String?) {
        guard let eq = w.firstIndex(of: "=") else { return (w, nil) }
        return (String(w[..<eq]), String(w[w.index(after: eq)...]))
    }

    private static func bool(_ v: String?) -> Bool { v == nil || v == "true" || v == "1" }

    /// Splits a `--flags` value into words as a POSIX shell would for simple quoting
    /// (`-gcflags='all=-N -l'`), without expanding anything.
    public static func words(_ s: String) -> [String] {
        var out: [String] = [], cur = "", quote: Character?, any = false
        for c in s {
            if let q = quote {
                if c == q { quote = nil } else { cur.append(c) }
            } else if c == "'" || c == "\"" {
                quote = c; any = true
            } else if c == " " || c == "\t" || c == "\n" {
                if any || !cur.isEmpty { out.append(cur) }
                cur = ""; any = false
            } else {
                cur.append(c)
            }
        }
        if any || !cur.isEmpty { out.append(cur) }
        return out
    }

    /// Whether `-gcflags` reaches packages other than the main package: a pattern
    /// (`all=`, `example.com/shared=`) does; a bare value applies to the named packages only.
    static func gcflagsReachDependencies(_ v: String?) -> Bool {
        guard let v, let eq = v.firstIndex(of: "=") else { return false }
        let pattern = v[..<eq]
        return !pattern.hasPrefix("-") && !pattern.isEmpty
    }
}
