import GoBinary

/// Why a package's fingerprint differs, as far as the two build infos can tell: each cause
/// is a finding with both values side by side and the fix.
enum MismatchCauses {
    /// Settings that change fingerprints, with how to name them.
    static let fingerprintSettings: [(key: String, check: CheckID, what: String)] = [
        ("-trimpath", .trimpath, "-trimpath"),
        ("-race", .race, "-race"),
        ("-msan", .race, "-msan"),
        ("-asan", .race, "-asan"),
        ("GOEXPERIMENT", .goexperiment, "GOEXPERIMENT"),
        ("-gcflags", .gcflags, "-gcflags"),
        ("-tags", .buildTags, "build tags (-tags)"),
    ]

    /// `all` are the differing packages in check order; the first is the one the runtime names.
    static func findings(for all: [FingerprintCheck.Mismatch], plugin: Artifact) -> [Finding] {
        let m = all[0]
        let other = m.definerIsGateway ? "gateway" : "earlier plugin \(m.definer.path)"
        let p = BuildDescription(plugin), g = BuildDescription(m.definer)
        var out: [Finding] = [Finding(
            check: .packageFingerprints, severity: .error,
            plugin: "\(m.package) \(m.pluginHash.hex)", gateway: "\(m.package) \(m.boundHash.hex) (\(other))",
            explanation: "the plugin and the \(other) were compiled from different versions of package \(m.package) (or with settings that change it); the runtime compares link-time fingerprints and refuses the plugin at the first difference"
                + (m.definerIsGateway ? "" : ". The gateway does not link this package itself: the first plugin that brought it in decides its fingerprint for all later plugins, so load order matters")
                + (m.orderKnown ? "" : ". (The plugin's own check order could not be recovered; another package may be named first.)"),
            fix: nil)]
        var causes: [Finding] = []
        // What to rebuild the plugin with (and without), gathered into one fix for the verdict.
        var with: [String] = [], without: [String] = []
        // The same fix as data; nil once a cause needs more than a rebuild of the plugin.
        var rebuild: Rebuild? = Rebuild()
        // A cause whose fix no rebuild of the plugin alone can follow names the verdict's fix.
        var verdictFix: String?
        if let pt = p.toolchain, let gt = g.toolchain, pt != gt {
            with.append("Go \(gt.dropFirst(2))")
            rebuild?.toolchain = gt
            causes.append(Finding(check: .goToolchain, severity: .error, plugin: pt, gateway: gt,
                                  explanation: "different Go toolchains compile even unchanged packages to different fingerprints (the standard library's first)",
                                  fix: "rebuild the plugin with Go \(gt.dropFirst(2)) (the \(other)'s toolchain)"))
        }
        for s in fingerprintSettings {
            let pv = p.settings[s.key] ?? "", gv = g.settings[s.key] ?? ""
            guard pv != gv, p.hasBuildInfo, g.hasBuildInfo else { continue }
            let show = { (v: String) in v.isEmpty ? "not set" : "\(s.key)=\(v)" }
            let flag = s.key == "-trimpath" || s.key == "-race" ? s.key : "\(s.key)=\(gv)"
            if gv.isEmpty { without.append(s.key) } else { with.append(flag) }
            if s.key == "GOEXPERIMENT" {
                rebuild?.environment["GOEXPERIMENT"] = gv
            } else if gv.isEmpty || gv == "false" {
                rebuild?.removeFlags.append(s.key)
            } else {
                rebuild?.addFlags.append(flag)
            }
            var fix = gv.isEmpty ? "rebuild the plugin without \(s.key)" : "rebuild the plugin with \(flag)"
            if s.key == "-gcflags" && gv.contains("-trimpath=") {
                // The old -gcflags=all=-trimpath=$PWD idiom: the real loader refuses a plugin
                // built with the gateway's very value (runtime/cgo differs), so only
                // -trimpath on both sides helps.
                rebuild = nil
                fix = "build both the gateway and the plugin with -trimpath instead of -gcflags=all=-trimpath=DIR (a plugin built with the gateway's very value still differs in runtime/cgo)"
                verdictFix = verdictFix ?? fix
            }
            // The standard library's fingerprints do not depend on GOROOT's path: the first
            // package of a module is the one whose directory must match once untrimmed.
            let firstModulePackage = all.first { !BuildDescription.isStandardLibrary($0.package) && $0.definer.path == m.definer.path }?.package
            if s.key == "-trimpath" && gv.isEmpty, let pkg = firstModulePackage,
               let u = SourceDirectories.untrimmed(package: pkg, definer: m.definer, other: other) {
                with += u.with
                fix += " and " + u.fix.replacingPrefix("rebuild the plugin ", with: "")
                if let r = u.rebuild { rebuild = rebuild?.merged(with: r) } else {
                    rebuild = nil
                    verdictFix = verdictFix ?? fix
                }
            }
            causes.append(Finding(check: s.check, severity: .error, plugin: show(pv), gateway: show(gv),
                                  explanation: "\(s.what) differs between the two builds, and it changes the compiled packages",
                                  fix: fix))
        }
        // Module causes for every differing package of another module, each module once.
        var seenModules: Set<String> = []
        for later in all where !BuildDescription.isStandardLibrary(later.package) {
            let g = later.package == m.package ? g : BuildDescription(later.definer)
            let pm = p.module(providing: later.package), gm = g.module(providing: later.package)
            let path = pm?.path ?? gm?.path ?? later.package
            guard seenModules.insert(path).inserted else { continue }
            if let pm, let gm {
                if pm.version == "(devel)" && pm.replacement == nil && gm.version != "(devel)" {
                    // A dependency at (devel) without a replacement is a workspace module (a
                    // go.work `use`): its files come from that checkout, whatever go.mod requires.
                    with.append("GOWORK=off")
                    rebuild?.environment["GOWORK"] = "off"
                    causes.append(Finding(check: .workspace, severity: .error, plugin: p.describe(pm), gateway: g.describe(gm),
                                          explanation: "the plugin was built in a go.work workspace that uses a local checkout of \(path): it is compiled from that directory (hence (devel)), not from \(path) \(gm.version); go get changes nothing while the workspace is in force",
                                          fix: "rebuild the plugin outside the workspace, GOWORK=off go build -buildmode=plugin ..., with \(path) \(gm.version) required in its go.mod (or drop the module from go.work: go work edit -dropuse=<dir>)"))
                } else if pm.version != gm.version {
                    with.append("\(path) \(gm.version)")
                    rebuild?.require.append("\(path)@\(gm.version)")
                    // A go.work workspace can raise a version past go.mod's (golang/go#58639),
                    // and go get does not lower it: build outside any workspace.
                    rebuild?.environment["GOWORK"] = "off"
                    causes.append(Finding(check: .moduleVersion, severity: .error, plugin: p.describe(pm), gateway: g.describe(gm),
                                          explanation: "module \(path) is at different versions",
                                          fix: "require \(path) \(gm.version) in the plugin's go.mod (GOWORK=off go get \(path)@\(gm.version)), the \(other)'s version, and rebuild with GOWORK=off (a go.work workspace can raise the version again)"))
                } else if pm.replacement != nil && pm.replacement == gm.replacement {
                    // The same replace directive on both sides: the same source, unless the
                    // directories differ, which the source directories below show.
                    continue
                } else if pm.replacement != nil || gm.replacement != nil {
                    var fix = "build both from the same source: drop the replace directive, or use the same replacement on both sides with -trimpath"
                    if pm.replacement != nil && gm.replacement == nil {
                        with.append("no replace directive for \(path)")
                        rebuild?.dropReplace.append(path)
                    } else if let target = gm.replacement.flatMap({ Self.replaceTarget($0) }) {
                        // The gateway's own replacement, when its build info names it absolutely.
                        with.append("\(path) replaced by \(target) as in the \(other)")
                        rebuild?.replace.append("\(path)=\(target)")
                        fix = "use the \(other)'s replacement in the plugin's go.mod (go mod edit -replace=\(path)=\(target)) and rebuild, or build both from the same source"
                    } else {
                        rebuild = nil
                        fix = "build both from the same source: the \(other)'s replacement (\(gm.replacement.map { $0.path } ?? "none")) is relative to its own module, so no rebuild of the plugin alone can name it; drop the replace directive on both sides, or use the same folder on both sides with -trimpath"
                        verdictFix = verdictFix ?? fix
                    }
                    causes.append(Finding(check: .replace, severity: .error, plugin: p.describe(pm), gateway: g.describe(gm),
                                          explanation: "a replace directive builds \(path) from other source than the module version it names" + (pm.replacement != nil && gm.replacement != nil ? " on both sides" : pm.replacement != nil ? " in the plugin" : " in the \(other)"),
                                          fix: fix))
                } else if pm.sum.isEmpty != gm.sum.isEmpty {
                    // Go records no h1: sum for a vendored module: the sums agree, the
                    // directory the package was compiled from (vendor/ or the module cache) does not.
                    let vendored = pm.sum.isEmpty ? "the plugin" : "the \(other)"
                    if pm.sum.isEmpty {
                        with.append("-mod=mod")
                        rebuild?.addFlags.append("-mod=mod")
                    } else {
                        rebuild = nil
                    }
                    causes.append(Finding(check: .vendor, severity: .error, plugin: p.describe(pm) + (pm.sum.isEmpty ? " (vendored: no h1: sum)" : ""),
                                          gateway: g.describe(gm) + (gm.sum.isEmpty ? " (vendored: no h1: sum)" : ""),
                                          explanation: "\(vendored) was built with -mod=vendor, so \(path) was compiled from vendor/ while the other side compiled it from the module cache; the version and its go.sum entry are the same, the directory in the fingerprint is not",
                                          fix: pm.sum.isEmpty
                                              ? "rebuild the plugin from the module cache, go build -buildmode=plugin -mod=mod ... (with the gateway's GOMODCACHE when the gateway was built without -trimpath), or build both with -trimpath"
                                              : "the \(other) was built with -mod=vendor: only a plugin built inside the \(other)'s own checkout with -mod=vendor compiles \(path) from the same vendor/ directory, so no rebuild of the plugin elsewhere can match it; or build both from the module cache with -trimpath"))
                } else if pm.sum != gm.sum {
                    rebuild = nil
                    causes.append(Finding(check: .moduleContent, severity: .error, plugin: p.describe(pm), gateway: g.describe(gm),
                                          explanation: "the same version of \(path) has different content (different h1: sums)",
                                          fix: "build both sides from the same go.sum"))
                }
            } else if p.hasBuildInfo && g.hasBuildInfo {
                rebuild = nil
                causes.append(Finding(check: .moduleVersion, severity: .error, plugin: p.describe(pm), gateway: g.describe(gm),
                                      explanation: "only one side records module \(path) in its build info",
                                      fix: "build both with the same go.mod"))
            }
        }
        if all.count > 1 {
            // Packages outside the standard library first: they point at modules to align.
            let rest = all.dropFirst().map(\.package)
            let ordered = rest.filter { !BuildDescription.isStandardLibrary($0) } + rest.filter(BuildDescription.isStandardLibrary)
            let std = all.filter { BuildDescription.isStandardLibrary($0.package) }.count
            let shown = ordered.prefix(6).joined(separator: ", ") + (ordered.count > 6 ? " and \(ordered.count - 6) more" : "")
            out.append(Finding(check: .packageFingerprints, severity: .error, plugin: "\(all.count) packages differ (\(std) in the standard library)", gateway: nil,
                               explanation: "the runtime names only the first difference; once it is fixed these fail next: \(shown)",
                               fix: nil))
        }
        // Without -trimpath on either side, the directories the named package was compiled
        // from are in its fingerprint: read them from both files' source file tables.
        if !p.trimpath && !g.trimpath && p.settings["-trimpath"] == g.settings["-trimpath"],
           let path = SourceDirectories.finding(package: m.package, plugin: plugin, definer: m.definer, other: other) {
            causes.removeAll { $0.check == .buildPath }
            causes.append(path.finding)
            with += path.with
            if let r = path.rebuild { rebuild = rebuild?.merged(with: r) } else { rebuild = nil }
        }
        if causes.isEmpty && (!p.trimpath || !g.trimpath) && p.hasBuildInfo && g.hasBuildInfo {
            rebuild = nil
            causes.append(Finding(check: .buildPath, severity: .error, plugin: p.describeTrim(), gateway: g.describeTrim(),
                                  explanation: "everything the build info records agrees, but without -trimpath a package's fingerprint includes the directories it was compiled from (module cache path, build directory), and those differ",
                                  fix: "build both the gateway and the plugin with -trimpath (or in identical paths)"))
        }
        if causes.isEmpty {
            rebuild = nil
            causes.append(Finding(check: .packageFingerprints, severity: .error, plugin: p.goVersion ?? "no build info", gateway: g.goVersion ?? "no build info",
                                  explanation: p.hasBuildInfo && g.hasBuildInfo ? "the build infos agree on toolchain, settings and module versions, so the source of \(m.package) itself differs" : "one side has no build info (Go 1.19/1.20 plugins record none), so the cause cannot be narrowed down",
                                  fix: "rebuild the plugin with the gateway's exact toolchain, go.mod/go.sum and flags"))
        }
        let folder = rebuild?.directory
        out[0].fix = verdictFix ?? (with.isEmpty && without.isEmpty ? causes.first?.fix : recipe(with: with, without: without, in: folder))
        out[0].rebuild = rebuild == Rebuild() ? nil : rebuild
        return out + causes
    }

    /// A replacement a plugin's go.mod can name as it is: an absolute folder, or a module version.
    static func replaceTarget(_ r: Module.Replacement) -> String? {
        if r.version.isEmpty || r.version == "(devel)" { return r.path.hasPrefix("/") ? r.path : nil }
        return "\(r.path)@\(r.version)"
    }

    /// "rebuild the plugin with Go 1.25.5 and -trimpath, without -race".
    static func recipe(with: [String], without: [String], in folder: String? = nil) -> String {
        let with = with.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        func list(_ items: [String]) -> String {
            items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items.last!
        }
        var s = "rebuild the plugin" + (folder.map { " in \($0)" } ?? "")
        if !with.isEmpty { s += " with " + list(with) }
        if !without.isEmpty { s += (with.isEmpty ? " without " : ", without ") + list(without) }
        return s
    }
}

extension String {
    func replacingPrefix(_ prefix: String, with other: String) -> String {
        hasPrefix(prefix) ? other + dropFirst(prefix.count) : self
    }
}
