import GoBinary

/// The `build-path` cause with both directories: without `-trimpath`, a package's fingerprint
/// includes the directory it was compiled from, so two builds of the same source in different
/// directories (another module cache, GOROOT, GOPATH or checkout) cannot share it. The
/// directories come from both files' source file tables, stripped files included.
enum SourceDirectories {
    struct Cause {
        var finding: Finding
        /// What the verdict's one-line fix adds ("GOMODCACHE=/go/pkg/mod").
        var with: [String]
        /// The rebuild that reproduces the other side's directory; nil when only a change
        /// of the gateway (or of where the gateway's files are) can.
        var rebuild: Rebuild?
    }

    static func finding(package pkg: String, plugin: Artifact, definer: Artifact, other: String) -> Cause? {
        let pluginMain = (try? plugin.go?.moduleInfo?.get())?.path ?? ""
        guard let ps = plugin.readSources?([pkg, pluginMain]), let gs = definer.readSources?([pkg]),
              let p = ps.byPackage[pkg], let g = gs.byPackage[pkg], p.directory != g.directory else { return nil }
        // Only where the directories are the whole difference: a vendored or workspace copy
        // against the module cache has its own cause (vendor, workspace).
        guard p.kind == g.kind || (p.kind == .vendor && g.kind == .moduleCache) else { return nil }
        // The same module cache at another version is a version difference, not a directory one.
        guard p.kind == .vendor || p.root != g.root else { return nil }
        let what = "package \(pkg)"
        func finding(_ fix: String) -> Finding {
            Finding(check: .buildPath, severity: .error, plugin: describe(p), gateway: describe(g),
                    explanation: "neither side was built with -trimpath, so the fingerprint of \(what) includes the directory it was compiled from, and the \(other) compiled it from another one",
                    fix: fix)
        }
        let trim = ", or build both with -trimpath"
        if let r = reproduction(of: g, other: other) {
            return Cause(finding: finding(r.fix + trim), with: r.with, rebuild: r.rebuild)
        }
        switch (g.kind, g.root) {
        case (.directory, let root?), (.mainModule, let root?):
            // A replace directive with a relative path (../shared) resolves against the
            // plugin's module folder: building the plugin's module where that path lands in
            // the gateway's directory reproduces it.
            // A replace directive with an absolute folder: the plugin names the same one.
            if let module = g.module, let rep = (try? definer.go?.moduleInfo?.get())?.dependencies.first(where: { $0.path == module })?.replacement,
               rep.path.hasPrefix("/"), rep.version.isEmpty || rep.version == "(devel)" {
                return Cause(finding: finding("replace \(module) with \(rep.path) in the plugin's go.mod too (go mod edit -replace=\(module)=\(rep.path)), the folder the \(other) compiled it from" + trim),
                             with: ["\(module) replaced by \(rep.path) as in the \(other)"], rebuild: Rebuild(replace: ["\(module)=\(rep.path)"]))
            }
            if let main = ps.byPackage[pluginMain]?.root, let mine = p.root, let folder = movedFolder(main: main, dependency: mine, target: root) {
                return Cause(finding: finding("build the plugin in \(folder), where its module's relative replace directive resolves to \(root), the directory the \(other) compiled \(pkg) from (a checkout of the \(other)'s repository has it)" + trim),
                             with: [], rebuild: Rebuild(directory: folder))
            }
            return Cause(finding: finding("build the plugin with \(pkg) in \(root), the \(other)'s directory" + trim), with: [], rebuild: nil)
        case (.vendor, let root?):
            return Cause(finding: finding("the \(other) compiled \(pkg) from \(root)/vendor: only a plugin built inside that checkout with -mod=vendor shares that directory, so no rebuild of the plugin elsewhere can match it" + trim), with: [], rebuild: nil)
        default:
            return Cause(finding: finding("build the plugin in the \(other)'s directories" + trim), with: [], rebuild: nil)
        }
    }

    /// The rebuild that compiles a package from the same directory as `g` did, where a
    /// setting can say it: the module cache, GOROOT, GOPATH.
    static func reproduction(of g: PackageSources.Source, other: String) -> (fix: String, with: [String], rebuild: Rebuild)? {
        switch (g.kind, g.root) {
        case (.moduleCache, let root?):
            return ("rebuild the plugin with GOMODCACHE=\(root), the \(other)'s module cache (go mod download fills it with the versions go.sum names)",
                    ["GOMODCACHE=\(root)"], Rebuild(environment: ["GOMODCACHE": root]))
        case (.goroot, let root?):
            return ("rebuild the plugin with the Go toolchain installed at \(root) (\(root)/bin/go build -buildmode=plugin ...), the \(other)'s GOROOT",
                    ["the toolchain at \(root)"], Rebuild(goroot: root))
        case (.gopath, let root?):
            return ("rebuild the plugin with GOPATH=\(root), the \(other)'s GOPATH", ["GOPATH=\(root)"], Rebuild(environment: ["GOPATH": root]))
        default:
            return nil
        }
    }

    /// For a plugin built with -trimpath against an untrimmed gateway: dropping -trimpath
    /// brings the plugin's own directories back, which must then be the gateway's.
    static func untrimmed(package pkg: String, definer: Artifact, other: String) -> (fix: String, with: [String], rebuild: Rebuild?)? {
        guard let g = definer.readSources?([pkg])?.byPackage[pkg], g.kind != .goroot else { return nil }
        if let r = reproduction(of: g, other: other) { return r }
        return ("build the plugin without -trimpath with \(pkg) in \(g.directory), where the \(other) compiled it from (its module folder placed so that replace directives resolve there), or build both with -trimpath", [], nil)
    }

    static func describe(_ s: PackageSources.Source) -> String {
        let root = s.root.map { r -> String in
            switch s.kind {
            case .moduleCache: return " (module cache \(r))"
            case .goroot: return " (GOROOT \(r))"
            case .gopath: return " (GOPATH \(r))"
            case .vendor: return " (vendor/ of \(r))"
            case .mainModule: return " (main module in \(r))"
            case .directory, .trimmed: return ""
            }
        } ?? ""
        return s.directory + root
    }

    /// Where the plugin's module folder `main` must be so that the path leading from it to
    /// `dependency` leads to `target` instead: with main /a/plugins, dependency /a/shared and
    /// target /b/shared, /b/plugins. Nil when `target` does not end like `dependency`.
    static func movedFolder(main: String, dependency: String, target: String) -> String? {
        let m = main.split(separator: "/"), d = dependency.split(separator: "/"), t = target.split(separator: "/")
        var common = 0
        while common < min(m.count, d.count), m[common] == d[common] { common += 1 }
        let tail = d[common...], up = m[common...]
        guard tail.count <= t.count, Array(t.suffix(tail.count)) == Array(tail) else { return nil }
        let base = t.dropLast(tail.count)
        let folder = "/" + (base + up).joined(separator: "/")
        return folder == main ? nil : folder
    }
}
