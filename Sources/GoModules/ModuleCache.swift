/// The module cache's download folder, where the go command keeps each version's go.mod:
/// `$GOMODCACHE/cache/download/<escaped path>/@v/<escaped version>.mod`
/// (cmd/go/internal/modfetch `CachePath`). Only read: this program never downloads.
public struct ModuleCache: Sendable, Equatable {
    public var root: String

    public init(root: String) { self.root = root }

    /// `GOMODCACHE`, else the first `GOPATH` entry's `pkg/mod`, else `$HOME/go/pkg/mod`
    /// (cmd/go/internal/cfg `GOMODCACHE` default).
    public static func locate(environment: [String: String]) -> ModuleCache? {
        if let m = environment["GOMODCACHE"], !m.isEmpty { return ModuleCache(root: m) }
        if let gp = environment["GOPATH"], let first = gp.split(separator: ":").first, !first.isEmpty {
            return ModuleCache(root: FilePath.join(String(first), "pkg/mod"))
        }
        if let home = environment["HOME"], !home.isEmpty { return ModuleCache(root: FilePath.join(home, "go/pkg/mod")) }
        return nil
    }

    /// Nil when the path or version cannot be escaped (the go command refuses them too).
    public func modFilePath(_ m: ModuleVersion) -> String? {
        guard let p = ModulePathEscaping.escape(m.path), let v = ModulePathEscaping.escape(m.version) else { return nil }
        return root + "/cache/download/" + p + "/@v/" + v + ".mod"
    }

    /// The folder the module's files are extracted to: `$GOMODCACHE/<escaped path>@<escaped version>`.
    public func sourceDirectory(_ m: ModuleVersion) -> String? {
        guard let p = ModulePathEscaping.escape(m.path), let v = ModulePathEscaping.escape(m.version) else { return nil }
        return root + "/" + p + "@" + v
    }

    public func summary(_ m: ModuleVersion, excluded: Set<ModuleVersion>) -> Result<ModuleSummary, MissingModFile> {
        guard let path = modFilePath(m) else {
            return .failure(MissingModFile(module: m, path: "", reason: "the module path or version cannot be escaped for the module cache"))
        }
        return Self.summary(ofModFileAt: path, module: m, excluded: excluded)
    }

    /// Reads a go.mod laxly (a dependency's), dropping requirements on excluded versions as
    /// modload's `goModSummary` does.
    public static func summary(ofModFileAt path: String, module m: ModuleVersion, excluded: Set<ModuleVersion>) -> Result<ModuleSummary, MissingModFile> {
        switch SourceFile.read(path, limit: Limits.maxModFileBytes) {
        case .failure(let e):
            return .failure(MissingModFile(module: m, path: path, reason: e == .missing ? "not in the module cache" : e.description))
        case .success(let text):
            switch ModFile.parse(text, file: path, strict: false) {
            case .failure(let e):
                return .failure(MissingModFile(module: m, path: path, reason: "does not parse: " + e.description))
            case .success(let f):
                return .success(ModuleSummary(goVersion: f.goVersion, requirements: f.requirements.map(\.module).filter { !excluded.contains($0) }))
            }
        }
    }
}
