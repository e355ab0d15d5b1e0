/// What the graph walk knows about one module version: its go.mod's `go` line and
/// requirements (excluded versions already dropped).
public struct ModuleSummary: Sendable, Equatable {
    public var goVersion: String?
    public var requirements: [ModuleVersion]

    public init(goVersion: String?, requirements: [ModuleVersion]) {
        self.goVersion = goVersion
        self.requirements = requirements
    }

    /// A go.mod at go 1.17 or later lists every module its packages need, so the walk can
    /// stop below it (modload `pruningForGoVersion`); no `go` line means unpruned.
    public var pruned: Bool { goVersion.flatMap(GoLanguageVersion.init).map { $0 >= .pruningStarts } ?? false }
}

/// A go.mod the walk needed and could not read: which module, where it was looked for, who
/// required it. The versions selected below it cannot be decided.
public struct MissingModFile: Error, Sendable, Equatable, Codable {
    public var module: ModuleVersion
    public var path: String
    public var reason: String
    public var requiredBy: [String]

    public init(module: ModuleVersion, path: String, reason: String, requiredBy: [String] = []) {
        self.module = module; self.path = path; self.reason = reason; self.requiredBy = requiredBy
    }
}

/// The module graph and minimum version selection as the go command builds them
/// (cmd/go/internal/modload `readModGraph`, cmd/go/internal/mvs `Graph`): each module path
/// gets the highest version any reachable requirement names.
public struct ModuleGraph: Sendable {
    public enum Pruning: Sendable { case pruned, unpruned, workspace }

    /// The selected version of each module path reached (main modules excluded).
    public private(set) var selected: [String: String] = [:]
    /// For each selected module, one module that requires it at some version: the chain
    /// a report names ("required by").
    public private(set) var requiredBy: [String: ModuleVersion] = [:]
    /// The `go` line of each loaded module version.
    public private(set) var goVersions: [ModuleVersion: String] = [:]
    public private(set) var missing: [MissingModFile] = []
    /// The graph exceeded `Limits.maxGraphModules`: the selection is incomplete.
    public private(set) var truncated = false

    /// `mainModules`: the paths that always win (the main module, or every workspace module);
    /// `roots`: their requirements; `summary`: reads one module version's go.mod.
    /// In workspace mode the roots are the workspace modules themselves (version ""), whose
    /// go.mod files `workspaceModules` holds, as modload's `readModGraph` takes them.
    public static func build(mainModules: Set<String>, roots: [ModuleVersion], pruning: Pruning,
                             workspaceModules: [String: ModuleSummary] = [:],
                             summary: (ModuleVersion) -> Result<ModuleSummary, MissingModFile>) -> ModuleGraph {
        withoutActuallyEscaping(summary) { summary in
            var loader = Loader(mainModules: mainModules, summary: summary)
            loader.workspaceModules = workspaceModules
            return build(mainModules: mainModules, roots: roots, pruning: pruning, loader: loader)
        }
    }

    private static func build(mainModules: Set<String>, roots: [ModuleVersion], pruning: Pruning, loader: Loader) -> ModuleGraph {
        var loader = loader
        var currentRoots = pruning == .workspace ? roots : roots.filter { !mainModules.contains($0.path) }
        var graph = loader.walk(roots: currentRoots, pruning: pruning)
        // expandGraph: when the full graph shows that a root is not its path's selected
        // version, the go command raises the root and loads again; in a pruned graph this
        // can pull in requirements the lower root did not have. Each round only raises
        // versions, so this ends.
        if pruning == .pruned {
            for _ in 0..<64 {
                let raised = currentRoots.map { ModuleVersion(path: $0.path, version: graph.selected[$0.path] ?? $0.version) }
                if raised == currentRoots { break }
                currentRoots = raised
                graph = loader.walk(roots: currentRoots, pruning: pruning)
            }
        }
        return graph
    }

    private struct Loader {
        let mainModules: Set<String>
        let summary: (ModuleVersion) -> Result<ModuleSummary, MissingModFile>
        var cache: [ModuleVersion: Result<ModuleSummary, MissingModFile>] = [:]
        var workspaceModules: [String: ModuleSummary] = [:]

        func isWorkspaceModule(_ m: ModuleVersion) -> Bool { m.version.isEmpty && workspaceModules[m.path] != nil }

        mutating func load(_ m: ModuleVersion) -> Result<ModuleSummary, MissingModFile> {
            if isWorkspaceModule(m) { return .success(workspaceModules[m.path]!) }
            if let r = cache[m] { return r }
            let r = summary(m)
            cache[m] = r
            return r
        }

        private struct Key: Hashable { var m: ModuleVersion; var pruning: Int }

        mutating func walk(roots: [ModuleVersion], pruning: Pruning) -> ModuleGraph {
            var g = ModuleGraph()
            var edges: [ModuleVersion: [ModuleVersion]] = [:]
            var enqueued = Set<Key>()
            var queue: [(ModuleVersion, Pruning)] = []
            var missing: [ModuleVersion: MissingModFile] = [:]
            var parents: [ModuleVersion: [String]] = [:]
            func code(_ p: Pruning) -> Int { p == .pruned ? 0 : p == .unpruned ? 1 : 2 }
            func enqueue(_ m: ModuleVersion, _ p: Pruning) {
                guard m.version != "none", !mainModules.contains(m.path) || isWorkspaceModule(m) else { return }
                if enqueued.insert(Key(m: m, pruning: code(p))).inserted { queue.append((m, p)) }
            }
            func drain() {
                while let (m, p) = queue.popLast() {
                    if edges.count > Limits.maxGraphModules { g.truncated = true; return }
                    switch load(m) {
                    case .failure(var e):
                        e.requiredBy = parents[m] ?? []
                        missing[m] = e
                    case .success(let s):
                        edges[m] = s.requirements
                        g.goVersions[m] = s.goVersion
                        for r in s.requirements where !(parents[r]?.contains(m.description) ?? false) {
                            parents[r, default: []].append(m.description)
                        }
                        // readModGraph: below a pruned module only its own requirements count,
                        // unless the walk is already unpruned or the module is unpruned.
                        let next: Pruning = p == .unpruned ? .unpruned : (s.pruned ? .pruned : .unpruned)
                        for r in s.requirements where p != .pruned || !s.pruned {
                            enqueue(r, next)
                        }
                    }
                }
            }
            for r in roots { parents[r, default: []].append("main module") ; enqueue(r, pruning) }
            drain()

            // Workspace mode keeps loading the selected version of every module the roots
            // reach whose selected version is above the one required (readModGraph's
            // hasDepsInAll loop), until nothing new is selected.
            if pruning == .workspace {
                var hasDepsInAll = Set(roots.map(\.path))
                var seen = Set<ModuleVersion>()
                for _ in 0..<10_000 {
                    let sel = Self.select(roots: roots, edges: edges, mainModules: mainModules).selected
                    var needs: Set<ModuleVersion> = []
                    for p in hasDepsInAll {
                        // A workspace module is selected as itself (version "").
                        guard let v = mainModules.contains(p) ? "" : sel[p] else { continue }
                        let m = ModuleVersion(path: p, version: v)
                        if !seen.contains(m) { needs.insert(m); continue }
                        for r in edges[m] ?? [] {
                            if let sv = sel[r.path], SemanticVersion.compare(sv, r.version) > 0 {
                                let s = ModuleVersion(path: r.path, version: sv)
                                if !seen.contains(s) { needs.insert(s) }
                            }
                        }
                    }
                    if needs.isEmpty { break }
                    for m in needs.sorted() {
                        enqueue(m, .workspace)
                        seen.insert(m)
                        hasDepsInAll.insert(m.path)
                    }
                    drain()
                }
            }

            let result = Self.select(roots: roots, edges: edges, mainModules: mainModules)
            g.selected = result.selected
            g.requiredBy = result.requiredBy
            // Every missing go.mod is reported, the selected version's or not: MVS takes the
            // maximum over every reachable version, so a lower one's requirements count too.
            g.missing = missing.values.sorted { $0.module < $1.module }
            return g
        }

        /// mvs.Graph's selection: walk from the roots along loaded edges; the highest
        /// version seen of each path is selected.
        static func select(roots: [ModuleVersion], edges: [ModuleVersion: [ModuleVersion]], mainModules: Set<String>)
            -> (selected: [String: String], requiredBy: [String: ModuleVersion]) {
            var selected: [String: String] = [:]
            var requiredBy: [String: ModuleVersion] = [:]
            var seen = Set<ModuleVersion>()
            var stack: [(ModuleVersion, ModuleVersion?)] = roots.map { ($0, nil) }
            while let (m, parent) = stack.popLast() {
                guard m.version != "none", seen.insert(m).inserted else { continue }
                if mainModules.contains(m.path) {
                    // The main modules win over any version required of them; only their own
                    // go.mod (version "") leads further.
                    if m.version.isEmpty { for r in edges[m] ?? [] { stack.append((r, m)) } }
                    continue
                }
                if let cur = selected[m.path] {
                    if SemanticVersion.compare(m.version, cur) > 0 {
                        selected[m.path] = m.version
                        requiredBy[m.path] = parent
                    }
                } else {
                    selected[m.path] = m.version
                    requiredBy[m.path] = parent
                }
                for r in edges[m] ?? [] { stack.append((r, m)) }
            }
            return (selected, requiredBy)
        }
    }
}
