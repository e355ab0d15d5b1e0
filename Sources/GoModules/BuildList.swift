/// Where one selected module's source comes from in the build.
public enum ModuleSource: String, Sendable, Codable {
    /// `$GOMODCACHE/<path>@<version>`.
    case moduleCache = "module-cache"
    /// A `replace` by another module version (also from the module cache).
    case replacementModule = "replacement-module"
    /// A `replace` by a directory.
    case replacementDirectory = "replacement-directory"
    /// A workspace module of go.work (`use`).
    case workspace
    /// vendor/ of the main module (or of the workspace).
    case vendor
}

/// One module as the build will use it.
public struct SelectedModule: Sendable, Equatable, Codable {
    public var path: String
    public var version: String
    public var source: ModuleSource
    /// The replacement as go.mod (or go.work) spells it: `../shared`, `example.com/fork v1.2.0`.
    public var replacement: ModuleVersion?
    /// A directory replacement or workspace module, made absolute and cleaned.
    public var directory: String?
    /// The module (or `main module`) whose requirement named the selected version.
    public var requiredBy: String?
}

/// The inputs of a build that change what it selects.
public struct BuildEnvironment: Sendable, Equatable {
    /// `GOWORK`: nil or empty for the default search, `off`, or a go.work path.
    public var gowork: String?
    /// `-mod` from the command line or GOFLAGS: `mod`, `vendor`, `readonly`; nil for the default.
    public var modFlag: String?
    public var moduleCache: ModuleCache?

    public init(gowork: String? = nil, modFlag: String? = nil, moduleCache: ModuleCache?) {
        self.gowork = gowork; self.modFlag = modFlag; self.moduleCache = moduleCache
    }
}

/// What `go build` in a module folder will build from: the main module, the workspace if
/// one applies, whether it vendors, and every module's selected version (the lines of
/// `go list -m all`).
public struct BuildList: Sendable {
    public enum Mode: String, Sendable, Codable { case modules, vendor, workspace, workspaceVendor = "workspace-vendor" }

    public var mainModule: ModFile
    public var mainModuleDirectory: String
    /// Every workspace module (the main module among them), in go.work's `use` order.
    public var workspaceModules: [(path: String, directory: String)] = []
    public var workFile: WorkFile?
    public var mode: Mode
    public var modules: [SelectedModule] = []
    public var missing: [MissingModFile] = []
    /// Decisions that could not be made (beyond missing go.mod files), each one sentence.
    public var undecided: [String] = []
    /// Build errors the go command would stop with (inconsistent vendoring, a module outside
    /// the workspace), each one sentence.
    public var buildErrors: [String] = []
    /// The highest `go` line among the main module and the selected modules' go.mod files:
    /// the oldest toolchain that can build it.
    public var requiredGo: String?

    public func module(_ path: String) -> SelectedModule? { modules.first { $0.path == path } }

    public enum LoadError: Error, Sendable, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case syntax(ModFileError)
        case noModuleCache

        public var description: String {
            switch self {
            case .unreadable(let p, let r): return "\(p): \(r)"
            case .syntax(let e): return e.description
            case .noModuleCache: return "no module cache: set GOMODCACHE (or GOPATH, or HOME)"
            }
        }
    }

    static func readModFile(_ path: String) -> Result<ModFile, LoadError> {
        switch SourceFile.read(path, limit: Limits.maxModFileBytes) {
        case .failure(let e): return .failure(.unreadable(path: path, reason: e.description))
        case .success(let text):
            return ModFile.parse(text, file: path, strict: true).mapError { .syntax($0) }
        }
    }

    /// The go.work that applies to a build in `directory` (modload `findWorkspaceFile`): GOWORK
    /// names it, `off` disables it, otherwise the nearest go.work in the folder or above.
    public static func workFilePath(for directory: String, gowork: String?) -> String? {
        if let g = gowork, !g.isEmpty, g != "auto" {
            return g == "off" ? nil : (g.hasPrefix("/") ? g : FilePath.join(directory, g))
        }
        var dir = FilePath.clean(directory)
        for _ in 0..<4096 {
            let candidate = FilePath.join(dir, "go.work")
            if SourceFile.exists(candidate) && !SourceFile.isDirectory(candidate) { return candidate }
            if dir == "/" || dir == "." { return nil }
            dir = FilePath.dirname(dir)
        }
        return nil
    }

    /// Loads the build list of the module in `directory` (an absolute folder holding go.mod).
    public static func load(directory: String, environment env: BuildEnvironment) -> Result<BuildList, LoadError> {
        let dir = FilePath.clean(directory)
        let main: ModFile
        switch readModFile(FilePath.join(dir, "go.mod")) {
        case .failure(let e): return .failure(e)
        case .success(let m): main = m
        }
        var list = BuildList(mainModule: main, mainModuleDirectory: dir, mode: .modules)

        // The workspace, if one applies.
        var mainFiles: [(file: ModFile, directory: String)] = [(main, dir)]
        if let workPath = workFilePath(for: dir, gowork: env.gowork) {
            let work: WorkFile
            switch SourceFile.read(workPath, limit: Limits.maxModFileBytes) {
            case .failure(let e): return .failure(.unreadable(path: workPath, reason: e.description))
            case .success(let text):
                switch WorkFile.parse(text, file: workPath) {
                case .failure(let e): return .failure(.syntax(e))
                case .success(let w): work = w
                }
            }
            list.workFile = work
            list.mode = .workspace
            let workDir = FilePath.dirname(workPath)
            mainFiles = []
            var containsMain = false
            for use in work.uses {
                let useDir = FilePath.join(workDir, use)
                if useDir == dir || SourceFile.realPath(useDir).map({ $0 == SourceFile.realPath(dir) }) == true {
                    containsMain = true
                    mainFiles.append((main, dir))
                    continue
                }
                switch readModFile(FilePath.join(useDir, "go.mod")) {
                case .failure(let e): return .failure(e)
                case .success(let m): mainFiles.append((m, useDir))
                }
            }
            if !containsMain {
                list.buildErrors.append("the module folder is not one of the workspace modules listed in \(workPath): the go command stops (\"current directory is contained in a module that is not one of the workspace modules listed in go.work\")")
            }
            list.workspaceModules = mainFiles.compactMap { f in f.file.modulePath.map { ($0, f.directory) } }
        }

        // -mod: explicit, else vendor when vendor/ exists and go >= 1.14 (modload setDefaultBuildMod).
        let vendorRoot = list.mode == .workspace ? FilePath.dirname(list.workFile!.file) : dir
        let hasVendor = SourceFile.isDirectory(FilePath.join(vendorRoot, "vendor"))
        let goForVendor = list.mode == .workspace
            ? (list.workFile?.goVersion.flatMap(GoLanguageVersion.init) ?? .assumedWithoutGoLine) >= GoLanguageVersion("1.22")!
            : main.effectiveGoVersion >= .vendorByDefault
        let vendoring = env.modFlag == "vendor" || (env.modFlag == nil && hasVendor && goForVendor)
        if vendoring {
            list.mode = list.mode == .workspace ? .workspaceVendor : .vendor
            return .success(list.loadVendored(root: vendorRoot))
        }

        guard let cache = env.moduleCache else { return .failure(.noModuleCache) }
        let mainPaths = Set(mainFiles.compactMap { $0.file.modulePath })
        let excluded = Set(mainFiles.flatMap { $0.file.excludes })
        // Replacements: go.work's win over the workspace modules' own (modload `replacementFrom`).
        var replacements: [(ModFile.Replacement, String)] = []
        for f in mainFiles { replacements += f.file.replacements.map { ($0, f.directory) } }
        if let w = list.workFile { replacements += w.replacements.map { ($0, FilePath.dirname(w.file)) } }
        func replacement(for m: ModuleVersion) -> (ModFile.Replacement, String)? {
            replacements.last { $0.0.old == m } ?? replacements.last { $0.0.old.path == m.path && $0.0.old.version.isEmpty }
        }

        var roots: [ModuleVersion] = []
        var workspaceSummaries: [String: ModuleSummary] = [:]
        for f in mainFiles {
            if list.workFile != nil, let p = f.file.modulePath {
                workspaceSummaries[p] = ModuleSummary(goVersion: f.file.goVersion, requirements: f.file.requirements.map(\.module))
            }
            for r in f.file.requirements {
                if excluded.contains(r.module) {
                    list.undecided.append("\(f.file.file):\(r.line): requires \(r.module), which is excluded: the go command replaces it with the next version it can list (a query this program does not make)")
                }
                roots.append(r.module)
            }
        }
        let pruning: ModuleGraph.Pruning = list.workFile != nil ? .workspace : (main.isPruned ? .pruned : .unpruned)
        if list.workFile != nil { roots = mainFiles.compactMap { $0.file.modulePath.map { ModuleVersion(path: $0, version: "") } } }
        let graph = ModuleGraph.build(mainModules: mainPaths, roots: roots, pruning: pruning, workspaceModules: workspaceSummaries) { m in
            if let (r, base) = replacement(for: m) {
                if r.isDirectory {
                    let d = FilePath.join(base, r.new.path)
                    guard SourceFile.isDirectory(d) else {
                        return .failure(MissingModFile(module: m, path: d, reason: "replacement directory does not exist"))
                    }
                    let gomod = FilePath.join(d, "go.mod")
                    if !SourceFile.exists(gomod) { return .success(ModuleSummary(goVersion: nil, requirements: [])) }
                    return ModuleCache.summary(ofModFileAt: gomod, module: m, excluded: excluded)
                }
                return cache.summary(r.new, excluded: excluded).mapError { var e = $0; e.module = m; e.reason += " (replacement \(r.new))"; return e }
            }
            return cache.summary(m, excluded: excluded)
        }
        list.missing = graph.missing
        if graph.truncated { list.undecided.append("the module graph has more than \(Limits.maxGraphModules) modules: the selection was cut short") }

        var requiredGo = main.effectiveGoVersion
        for (m, g) in graph.goVersions where graph.selected[m.path] == m.version {
            if let v = GoLanguageVersion(g), v > requiredGo { requiredGo = v }
        }
        for f in mainFiles { if let v = f.file.goVersion.flatMap(GoLanguageVersion.init), v > requiredGo { requiredGo = v } }
        list.requiredGo = requiredGo.text

        for (path, version) in graph.selected.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            let m = ModuleVersion(path: path, version: version)
            // A root names the workspace module that requires it (the main module when it is the plugin's own).
            let owner = mainFiles.first { $0.file.requirements.contains { $0.module == m } }
            let rootOwner = owner.map { $0.directory == dir ? "main module" : ($0.file.modulePath ?? $0.directory) }
            var s = SelectedModule(path: path, version: version, source: .moduleCache, replacement: nil, directory: nil,
                                   requiredBy: graph.requiredBy[path].map(\.description) ?? rootOwner ?? "main module")
            if let (r, base) = replacement(for: m) {
                s.replacement = r.new
                if r.isDirectory {
                    s.source = .replacementDirectory
                    s.directory = FilePath.join(base, r.new.path)
                } else {
                    s.source = .replacementModule
                }
            }
            list.modules.append(s)
        }
        for w in list.workspaceModules where w.path != main.modulePath {
            list.modules.append(SelectedModule(path: w.path, version: "", source: .workspace, replacement: nil, directory: w.directory, requiredBy: nil))
        }
        list.modules.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        return .success(list)
    }

    /// In vendor mode the versions are vendor/modules.txt's; the go command checks them
    /// against go.mod and stops with "inconsistent vendoring" when they disagree.
    private func loadVendored(root: String) -> BuildList {
        var list = self
        let manifestPath = FilePath.join(root, "vendor/modules.txt")
        let manifest: VendorManifest
        switch SourceFile.read(manifestPath, limit: Limits.maxListFileBytes) {
        case .failure(let e):
            list.buildErrors.append("\(manifestPath): \(e.description): the go command stops (\"inconsistent vendoring\"); run go mod vendor")
            return list
        case .success(let text): manifest = VendorManifest.parse(text)
        }
        let listed = Dictionary(manifest.entries.map { ($0.module.path, $0) }, uniquingKeysWith: { a, _ in a })
        for r in mainModule.requirements {
            guard let e = listed[r.module.path], e.module.version == r.module.version, e.explicit else {
                list.buildErrors.append("\(r.module) is required in go.mod but vendor/modules.txt says \(listed[r.module.path].map { $0.module.version.isEmpty ? "nothing explicit" : $0.module.version + ($0.explicit ? "" : " (not marked explicit)") } ?? "nothing"): the go command stops (\"inconsistent vendoring\"); run go mod vendor")
                continue
            }
        }
        let mainPaths = Set(workspaceModules.map(\.path) + [mainModule.modulePath ?? ""])
        for e in manifest.entries where !e.module.version.isEmpty && !mainPaths.contains(e.module.path) {
            list.modules.append(SelectedModule(path: e.module.path, version: e.module.version, source: .vendor, replacement: e.replacement,
                                               directory: FilePath.join(root, "vendor/" + e.module.path), requiredBy: nil))
        }
        list.requiredGo = mainModule.effectiveGoVersion.text
        list.modules.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        return list
    }
}
