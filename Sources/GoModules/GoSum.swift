/// A go.sum file: `path version[/go.mod] h1:hash` lines. Kept because `check-plugin` reads
/// it (the highest version of each path listed there, which is not what the build selects)
/// and because a vendored or replaced module's missing hash is itself a fact.
public struct GoSum: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var module: ModuleVersion
        /// The line is for the module's go.mod only (`/go.mod` suffix), not its content.
        public var goModOnly: Bool
        public var hash: String
    }

    public var entries: [Entry] = []

    /// Lines that are not three fields are skipped, as the go command's `readGoSum` reports
    /// them only in some versions; the first malformed line is kept for the report.
    public var malformedLine: Int?

    public static func parse(_ text: String) -> GoSum {
        var s = GoSum()
        var n = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            n += 1
            let f = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if f.isEmpty { continue }
            guard f.count == 3 else {
                if s.malformedLine == nil { s.malformedLine = n }
                continue
            }
            var version = String(f[1])
            let goMod = version.hasSuffix("/go.mod")
            if goMod { version.removeLast("/go.mod".count) }
            s.entries.append(Entry(module: ModuleVersion(path: String(f[0]), version: version), goModOnly: goMod, hash: String(f[2])))
        }
        return s
    }

    /// What `krakend check-plugin` takes as the plugin's version of each module: the highest
    /// version listed for its path, go.mod-only lines included (krakend-cobra `plugin.Describe`).
    public var highestVersions: [String: String] {
        var out: [String: String] = [:]
        for e in entries { out[e.module.path] = out[e.module.path].map { SemanticVersion.max($0, e.module.version) } ?? e.module.version }
        return out
    }
}
