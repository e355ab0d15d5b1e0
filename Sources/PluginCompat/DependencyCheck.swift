import GoBinary
import GoModules

/// What `deps` is given: the plugin's module (folder, go.mod or go.sum), the gateway, the
/// overrides check-plugin users know, and the environment the build will run in.
public struct DependencyOptions: Sendable {
    public var path: String
    public var gateway: String
    /// `-s/--sum`: check-plugin's go.sum; its folder is the module folder.
    public var sumFile: String?
    /// `-g/--go`: the Go that will build the plugin (overrides the prediction).
    public var goVersion: String?
    /// `-l/--libc`: the C library the plugin is built against (`glibc`, `musl`, `GLIBC-2.36`...).
    public var libc: String?
    /// The words of `--flags`.
    public var flags: [String]
    /// GOFLAGS, GOWORK, GOTOOLCHAIN, GOMODCACHE, GOPATH, HOME, GOEXPERIMENT, GOARCH, CC, PATH, PWD.
    public var environment: [String: String]

    public init(path: String, gateway: String, sumFile: String? = nil, goVersion: String? = nil, libc: String? = nil,
                flags: [String] = [], environment: [String: String] = [:]) {
        self.path = path; self.gateway = gateway; self.sumFile = sumFile; self.goVersion = goVersion
        self.libc = libc; self.flags = flags; self.environment = environment
    }
}

/// A sentence saying why an input cannot be used.
struct Reason: Error {
    var text: String
    init(_ t: String) { text = t }
}

/// `plugincheck deps`: works out what the plugin's build will select (GoModules) and
/// compares it with the gateway's build info, before anything is built.
public enum DependencyCheck {
    public static func run(_ o: DependencyOptions) -> DependencyReport {
        var report = DependencyReport(verdict: .aligned, plugin: nil, gateway: nil, findings: [], shared: [], selected: [],
                                      missing: [], undecided: [], inputErrors: [], checkPlugin: [])
        let cwd = o.environment["PWD"] ?? SourceFile.realPath(".") ?? "."
        func absolute(_ p: String) -> String { FilePath.join(cwd, p) }

        // The module folder: PATH as a folder, or the folder of a go.mod / go.sum.
        var dir = absolute(o.sumFile.map { FilePath.dirname($0) } ?? o.path)
        if !SourceFile.isDirectory(dir) {
            let base = FilePath.basename(dir)
            if SourceFile.exists(dir) && (base == "go.mod" || base == "go.sum" || base.hasSuffix(".sum")) {
                dir = FilePath.dirname(dir)
            } else {
                report.inputErrors.append(.init(path: o.sumFile ?? o.path, reason: SourceFile.exists(dir) ? "not a module folder, go.mod or go.sum" : "no such file or directory"))
            }
        }
        let gateway = Artifact.read(path: o.gateway)
        let gatewayInfo = gatewayBuildInfo(gateway)
        if case .failure(let why) = gatewayInfo { report.inputErrors.append(.init(path: o.gateway, reason: why.text)) }
        guard report.inputErrors.isEmpty, case .success(let gw) = gatewayInfo else { return finish(report) }

        let flags = DependencyBuildFlags(goflags: o.environment["GOFLAGS"], flags: o.flags)
        let cache = ModuleCache.locate(environment: o.environment)
        let env = BuildEnvironment(gowork: o.environment["GOWORK"], modFlag: flags.mod, moduleCache: cache)
        let list: BuildList
        switch BuildList.load(directory: dir, environment: env) {
        case .failure(let e):
            if case .syntax(let s) = e { report.inputErrors.append(.init(path: s.file, reason: "\(s.line):\(s.column): \(s.message)")) }
            else { report.inputErrors.append(.init(path: dir, reason: e.description)) }
            return finish(report)
        case .success(let l): list = l
        }
        report.selected = list.modules
        report.missing = list.missing
        report.undecided = list.undecided

        let gwSide = gatewaySide(gateway, gw, path: o.gateway)
        report.gateway = gwSide
        let (toolchain, source) = predictToolchain(o, list)
        let pluginLibc = o.libc ?? (o.environment["CC"].map { $0.contains("musl") ? "musl" : nil } ?? nil)
        let pluginArch = o.environment["GOARCH"].flatMap { $0.isEmpty ? nil : $0 }
        report.plugin = .init(directory: dir, modulePath: list.mainModule.modulePath, goLine: list.mainModule.goVersion,
                              toolchainLine: list.mainModule.toolchain, requiredGo: list.requiredGo, toolchain: toolchain,
                              toolchainSource: source, mode: list.mode.rawValue, workFile: list.workFile?.file, flags: flags,
                              goarch: pluginArch, libc: pluginLibc)
        var findings: [DependencyFinding] = []
        if let host = gateway.go?.host, !host.canLoadPlugins {
            let f = HostSupport.finding(host)
            findings.append(DependencyFinding(check: f.check, severity: .error, module: nil, have: "-", want: f.gateway ?? "-",
                                              explanation: f.explanation, decided: true, fix: f.fix,
                                              script: [DependencyFix.gatewayMustChange(f.fix ?? "rebuild the gateway with cgo, dynamically linked")]))
        }
        for e in list.buildErrors {
            findings.append(DependencyFinding(check: list.mode == .workspace ? .workspace : .vendor, severity: .error, module: nil,
                                              have: list.mode.rawValue, want: "a build that starts", explanation: e, decided: true,
                                              fix: list.mode == .workspace ? "build with GOWORK=off" : "go mod vendor", script: list.mode == .workspace ? ["export GOWORK=off"] : ["go mod vendor"]))
        }
        findings += toolchainFindings(toolchain: toolchain, source: source, list: list, gateway: gwSide)
        findings += flagFindings(flags, gateway: gwSide, gw: gw, environment: o.environment)
        findings += platformFindings(arch: pluginArch, libc: pluginLibc, cc: o.environment["CC"], gateway: gwSide)
        let trimBoth = flags.trimpath && gwSide.trimpath
        for dep in gw.moduleInfo.dependencies {
            guard let mine = list.module(dep.path) else { continue }
            let (fs, aligned) = moduleFindings(mine, dep, list: list, trimBoth: trimBoth)
            findings += fs
            report.shared.append(ModulePair(path: dep.path, plugin: mine, gatewayVersion: dep.version,
                                            gatewayReplacement: dep.replacement.map { $0.version.isEmpty ? $0.path : $0.path + " " + $0.version },
                                            aligned: aligned))
        }
        if let f = moduleCacheFinding(gateway: gateway, gw: gw, gatewaySide: gwSide, cache: cache, list: list) { findings.append(f) }
        report.checkPlugin = checkPluginView(dir: dir, sumFile: o.sumFile.map(absolute), list: list, gateway: gw)
        // check-plugin's report is false wherever deps finds the module aligned (a replace it ignores included).
        let alignedShared = Set(report.shared.filter(\.aligned).map(\.path))
        for i in report.checkPlugin.indices { report.checkPlugin[i].falseReport = alignedShared.contains(report.checkPlugin[i].module) }
        report.findings = findings
        return finish(report)
    }

    private static func finish(_ r: DependencyReport) -> DependencyReport {
        var r = r
        if r.findings.contains(where: { $0.severity == .error && $0.decided }) { r.verdict = .misaligned }
        else if r.findings.contains(where: { $0.severity <= .warning }) { r.verdict = .uncertain }
        else { r.verdict = .aligned }
        return r
    }

    private static func gatewayBuildInfo(_ a: Artifact) -> Result<(goVersion: String, moduleInfo: ModuleInfo), Reason> {
        if let e = a.readError { return .failure(Reason(e.description)) }
        guard let go = a.go, go.role != .notGo else { return .failure(Reason("not a Go program: no build info to compare with")) }
        guard go.role != .plugin else { return .failure(Reason("a Go plugin, not the gateway executable")) }
        switch go.moduleInfo {
        case .success(let m)?:
            guard let v = go.goVersion?.raw else { return .failure(Reason("its Go version cannot be read")) }
            return .success((v, m))
        case .failure(let e)?: return .failure(Reason("its build info cannot be read: \(e)"))
        case nil: return .failure(Reason("it carries no module information (built outside module mode?)"))
        }
    }

    private static func gatewaySide(_ a: Artifact, _ gw: (goVersion: String, moduleInfo: ModuleInfo), path: String) -> DependencyReport.GatewaySide {
        let m = gw.moduleInfo
        return .init(path: path, goVersion: gw.goVersion, modulePath: m.main?.path ?? (m.path.isEmpty ? nil : m.path),
                     goarch: m.setting("GOARCH") ?? a.elf?.goarch, libc: a.elf.map { $0.libc.rawValue },
                     highestGlibc: a.elf?.highestGlibc?.description, trimpath: m.setting("-trimpath") == "true",
                     race: m.setting("-race") == "true",
                     tags: (m.setting("-tags") ?? "").split(separator: ",").map(String.init).sorted(),
                     goexperiment: m.setting("GOEXPERIMENT"))
    }

    // MARK: toolchain

    /// The Go that will build the plugin: `-g`; else GOTOOLCHAIN's rule (cmd/go/internal/
    /// toolchain `Select`): `local` is the go on PATH, `goX.Y.Z` that release, and `auto`
    /// (the default) the newest of the go on PATH, the `go` line and the `toolchain` line.
    static func predictToolchain(_ o: DependencyOptions, _ list: BuildList) -> (String?, String) {
        if let g = o.goVersion { return (g.hasPrefix("go") ? g : "go" + g, "-g/--go") }
        let gt = o.environment["GOTOOLCHAIN"] ?? ""
        let local = localGo(o.environment["PATH"])
        if gt == "local" { return (local, local == nil ? "GOTOOLCHAIN=local, but no go on PATH could be read" : "GOTOOLCHAIN=local: the go on PATH") }
        let base = gt.hasSuffix("+auto") ? String(gt.dropLast(5)) : (gt.hasSuffix("+path") ? String(gt.dropLast(5)) : gt)
        if base.hasPrefix("go"), !gt.contains("+") { return (base, "GOTOOLCHAIN=\(gt)") }
        var best: (GoLanguageVersion, String)?
        func consider(_ s: String?, _ why: String) {
            guard let s, let v = GoLanguageVersion(s) else { return }
            if best == nil || v > best!.0 { best = (v, why) }
        }
        guard local != nil || base.hasPrefix("go") else {
            return (nil, "no go command on PATH could be read, so GOTOOLCHAIN=auto's choice is unknown: pass -g")
        }
        consider(local, "the go on PATH")
        if base.hasPrefix("go") { consider(base, "GOTOOLCHAIN=\(gt)") }
        let goLine = list.mainModule.goVersion.map { $0.split(separator: ".").count >= 3 ? "go" + $0 : "go" + $0 + " (latest patch: looked up online)" }
        consider(goLine.map { String($0.prefix { $0 != " " }) }, "go.mod's go line (GOTOOLCHAIN=auto)")
        if let t = list.mainModule.toolchain, t != "default" { consider(t, "go.mod's toolchain line (GOTOOLCHAIN=auto)") }
        guard let (v, why) = best else { return (nil, "no go on PATH and no go or toolchain line: pass -g") }
        return ("go" + v.text, why)
    }

    /// The version of the go command on PATH, read from its build info (never run).
    static func localGo(_ path: String?) -> String? {
        for dir in (path ?? "").split(separator: ":") where !dir.isEmpty {
            let candidate = String(dir) + "/go"
            guard SourceFile.exists(candidate), !SourceFile.isDirectory(candidate) else { continue }
            if let info = try? GoBuildInfo.read(path: String(candidate)) { return info.goVersion }
            return nil
        }
        return nil
    }

    static func toolchainFindings(toolchain: String?, source: String, list: BuildList, gateway: DependencyReport.GatewaySide) -> [DependencyFinding] {
        guard let want = gateway.goVersion, let wantV = GoLanguageVersion(want) else { return [] }
        var out: [DependencyFinding] = []
        let pin = ["export GOTOOLCHAIN=\(want)"]
        if let req = list.requiredGo, let reqV = GoLanguageVersion(req), reqV > wantV {
            out.append(DependencyFinding(check: .goToolchain, severity: .error, module: nil, have: "go \(req) (go lines of the module graph)", want: want,
                                         explanation: "the plugin's module graph needs Go \(req) or newer, newer than the gateway's \(want): no build of it can match the gateway's runtime",
                                         decided: true, fix: "lower the go line and the modules that require Go \(req) (go mod edit -go=\(wantV.languageVersion)), or use a gateway built with Go \(req)", script: ["go mod edit -go=\(wantV.languageVersion)"]))
        }
        guard let have = toolchain, let haveV = GoLanguageVersion(have) else {
            out.append(DependencyFinding(check: .goToolchain, severity: .warning, module: nil, have: "unknown (\(source))", want: want,
                                         explanation: "which Go will build the plugin could not be told", decided: false,
                                         fix: "build with GOTOOLCHAIN=\(want) or pass -g", script: pin))
            return out
        }
        if haveV == wantV { return out }
        // The toolchain line, and GOTOOLCHAIN, are Go 1.21's: an older go rejects the line
        // (`unknown directive: toolchain`) and ignores the variable.
        let go121 = GoLanguageVersion("1.21")!
        var toolchainLine: [String] = (list.mainModule.effectiveGoVersion <= wantV && wantV >= go121 && haveV >= go121) ? [DependencyFix.toolchain(want)] : []
        if haveV < go121 { toolchainLine.append("# build with \(want): \(have) does not switch toolchains (GOTOOLCHAIN needs Go 1.21)") }
        if haveV.languageVersion != wantV.languageVersion {
            out.append(DependencyFinding(check: .goToolchain, severity: .error, module: nil, have: "\(have) (\(source))", want: want,
                                         explanation: "another Go minor release compiles every package, the runtime included, differently: plugin.Open fails or the gateway dies",
                                         decided: true, fix: "build the plugin with \(want): GOTOOLCHAIN=\(want) go build -buildmode=plugin", script: toolchainLine + pin))
        } else {
            out.append(DependencyFinding(check: .goToolchain, severity: .warning, module: nil, have: "\(have) (\(source))", want: want,
                                         explanation: "another patch release of the same Go: it loads unless a package both link changed between the two patches (larger ones such as crypto/x509 do)",
                                         decided: false, fix: "build the plugin with \(want): GOTOOLCHAIN=\(want) go build -buildmode=plugin", script: toolchainLine + pin))
        }
        return out
    }

    // MARK: flags, platform

    static func flagFindings(_ f: DependencyBuildFlags, gateway g: DependencyReport.GatewaySide, gw: (goVersion: String, moduleInfo: ModuleInfo), environment: [String: String]) -> [DependencyFinding] {
        var out: [DependencyFinding] = []
        func onOff(_ b: Bool) -> String { b ? "on" : "off" }
        if f.trimpath != g.trimpath {
            out.append(DependencyFinding(check: .trimpath, severity: .error, module: nil, have: "-trimpath " + onOff(f.trimpath), want: "-trimpath " + onOff(g.trimpath),
                                         explanation: "-trimpath changes the file names compiled into every package, so every fingerprint differs",
                                         decided: true, fix: g.trimpath ? "build the plugin with -trimpath" : "build the plugin without -trimpath", script: ["# build with\(g.trimpath ? "" : "out") -trimpath, as the gateway was"]))
        }
        if f.race != g.race {
            out.append(DependencyFinding(check: .race, severity: .error, module: nil, have: "-race " + onOff(f.race), want: "-race " + onOff(g.race),
                                         explanation: "-race instruments the runtime and every package", decided: true,
                                         fix: g.race ? "build the plugin with -race" : "build the plugin without -race", script: ["# build with\(g.race ? "" : "out") -race, as the gateway was"]))
        }
        if f.tags != g.tags {
            out.append(DependencyFinding(check: .buildTags, severity: .warning, module: nil, have: f.tags.isEmpty ? "no tags" : f.tags.joined(separator: ","),
                                         want: g.tags.isEmpty ? "no tags" : g.tags.joined(separator: ","),
                                         explanation: "different build tags change a shared package only if it has files built under them", decided: false,
                                         fix: "build the plugin with the gateway's tags" + (g.tags.isEmpty ? " (none)" : ": -tags=" + g.tags.joined(separator: ",")), script: []))
        }
        let gwGc = gw.moduleInfo.setting("-gcflags")
        let mineReach = DependencyBuildFlags.gcflagsReachDependencies(f.gcflags), theirsReach = DependencyBuildFlags.gcflagsReachDependencies(gwGc)
        if (mineReach || theirsReach) && (mineReach ? f.gcflags : nil) != (theirsReach ? gwGc : nil) {
            out.append(DependencyFinding(check: .gcflags, severity: .error, module: nil, have: f.gcflags ?? "none", want: gwGc ?? "none",
                                         explanation: "-gcflags with a package pattern recompiles the packages it matches, runtime or shared modules included", decided: true,
                                         fix: "build the plugin with the gateway's -gcflags (or none)", script: [gcflagsScript(theirsReach ? gwGc : nil)]))
        }
        let exp = environment["GOEXPERIMENT"].flatMap { $0.isEmpty ? nil : $0 }
        if exp != g.goexperiment {
            out.append(DependencyFinding(check: .goexperiment, severity: .error, module: nil, have: exp ?? "none", want: g.goexperiment ?? "none",
                                         explanation: "GOEXPERIMENT changes internal/goexperiment and the runtime", decided: true,
                                         fix: "build the plugin with GOEXPERIMENT=\(g.goexperiment ?? "")", script: ["export GOEXPERIMENT=\(g.goexperiment ?? "")"]))
        }
        return out
    }

    /// `-gcflags=all=-trimpath=DIR` is the one value a plugin cannot repeat: even with the
    /// gateway's very folder its runtime/cgo differs (TestBinaries/followfix.json), so only
    /// `-trimpath` on both sides aligns them.
    static func gcflagsScript(_ gateway: String?) -> String {
        guard let g = gateway else { return "# build without -gcflags, as the gateway was" }
        if g.contains("-trimpath=") { return DependencyFix.gatewayMustChange("build both the gateway and the plugin with -trimpath instead of -gcflags=\(g)") }
        return "# build with -gcflags=\(g), as the gateway was"
    }

    /// The C compiler for GOARCH=`arch` (Debian's cross compilers' names) from this machine.
    static func compiler(for arch: String, current cc: String?) -> [String] {
        #if arch(x86_64)
        let host = "amd64"
        #elseif arch(arm64)
        let host = "arm64"
        #else
        let host = ""
        #endif
        let triplets = ["amd64": "x86_64-linux-gnu", "arm64": "aarch64-linux-gnu", "386": "i686-linux-gnu", "arm": "arm-linux-gnueabihf",
                        "riscv64": "riscv64-linux-gnu", "ppc64le": "powerpc64le-linux-gnu", "s390x": "s390x-linux-gnu"]
        if arch == host {
            // A cross compiler set for the old GOARCH would compile for the wrong CPU.
            if let cc, triplets.values.contains(where: { cc.contains($0) }) { return ["export CC=gcc"] }
            return []
        }
        guard let t = triplets[arch] else { return ["export CGO_ENABLED=1"] }
        return ["export CC=\(t)-gcc", "export CGO_ENABLED=1"]   // cgo is off by default when cross-compiling
    }

    static func platformFindings(arch: String?, libc: String?, cc: String? = nil, gateway g: DependencyReport.GatewaySide) -> [DependencyFinding] {
        var out: [DependencyFinding] = []
        if let want = g.goarch {
            if let have = arch, have != want {
                out.append(DependencyFinding(check: .architecture, severity: .error, module: nil, have: "GOARCH=\(have)", want: "GOARCH=\(want)",
                                             explanation: "the dynamic loader refuses a shared object for another CPU", decided: true,
                                             fix: "build the plugin with GOARCH=\(want)", script: ["export GOARCH=\(want)"] + compiler(for: want, current: cc)))
            }
        }
        guard let gl = g.libc, gl == "glibc" || gl == "musl" else { return out }
        let want = gl == "glibc" ? "glibc" + (g.highestGlibc.map { " (needs up to \($0))" } ?? "") : "musl"
        guard let l = libc?.lowercased() else {
            // check-plugin reports a libc mismatch whenever -l is missing; not knowing is not a difference.
            return out
        }
        let have = l.contains("musl") ? "musl" : (l.contains("glibc") || l.contains("gnu") ? "glibc" : l)
        if have == gl { return out }
        if have == "musl" && gl == "glibc" {
            out.append(DependencyFinding(check: .libc, severity: .error, module: nil, have: libc!, want: want,
                                         explanation: "a musl-built plugin names libc.so, which glibc's loader cannot use: dlopen fails", decided: true,
                                         fix: "build the plugin against glibc, as the gateway (gcc, not musl-gcc)", script: ["export CC=gcc"]))
        } else if have == "glibc" && gl == "musl" {
            out.append(DependencyFinding(check: .libc, severity: .warning, module: nil, have: libc!, want: want,
                                         explanation: "a glibc-built plugin loads into a musl gateway only if it needs no symbol musl lacks (fortified __*_chk functions fail)", decided: false,
                                         fix: "build the plugin against musl (CC=musl-gcc, or in the gateway's Alpine builder image)", script: ["export CC=musl-gcc"]))
        } else {
            out.append(DependencyFinding(check: .libc, severity: .warning, module: nil, have: libc!, want: want,
                                         explanation: "the C library named with -l is not one this program knows", decided: false, fix: nil, script: []))
        }
        return out
    }

    // MARK: modules

    /// Without -trimpath the gateway's module cache folder is in the fingerprint of every
    /// module package it compiled from there; build info does not record it, the source file
    /// table does. A plugin that takes a shared module from another cache cannot match (its
    /// own -trimpath is reported apart: the fix drops it, and then the cache counts).
    static func moduleCacheFinding(gateway: Artifact, gw: (goVersion: String, moduleInfo: ModuleInfo), gatewaySide: DependencyReport.GatewaySide,
                                   cache: ModuleCache?, list: BuildList) -> DependencyFinding? {
        guard !gatewaySide.trimpath, let cache else { return nil }
        let shared = gw.moduleInfo.dependencies.filter { list.module($0.path)?.source == .moduleCache && list.module($0.path)?.version == $0.version }
        guard !shared.isEmpty, let sources = gateway.readSources?(Set(shared.map(\.path))) else { return nil }
        guard let g = sources.byPackage.values.sorted(by: { $0.package < $1.package })
            .first(where: { s in s.kind == .moduleCache && s.root != nil && shared.contains { d in s.module == d.path } }), let root = g.root else { return nil }
        let mine = SourceFile.realPath(cache.root) ?? FilePath.clean(cache.root)
        if mine == FilePath.clean(root) || SourceFile.realPath(root) == mine { return nil }
        return DependencyFinding(check: .buildPath, severity: .error, module: g.module, have: "GOMODCACHE=\(cache.root)", want: "GOMODCACHE=\(root)",
                                 explanation: "the gateway was built without -trimpath from the module cache \(root) (its source file table says so: \(g.directory)); that folder is in the fingerprint of every package compiled from it, and the plugin's build reads another cache",
                                 decided: true, fix: "build with GOMODCACHE=\(root) (go mod download fills it), or both with -trimpath",
                                 script: ["export GOMODCACHE=" + DependencyFix.shellQuote(root)])
    }

    static func moduleFindings(_ mine: SelectedModule, _ dep: Module, list: BuildList, trimBoth: Bool) -> ([DependencyFinding], Bool) {
        let path = dep.path
        // A directory replacement reads `=> ../dir (devel)` in build info.
        var dep = dep
        if let r = dep.replacement, r.version == "(devel)" { dep.replacement?.version = "" }
        let want = dep.version + (dep.replacement.map { " => " + $0.path + ($0.version.isEmpty ? "" : " " + $0.version) } ?? "")
        var have = mine.version.isEmpty ? "(workspace module)" : mine.version
        if let r = mine.replacement { have += " => " + r.path + (r.version.isEmpty ? "" : " " + r.version) }
        if let by = mine.requiredBy { have += " (required by \(by))" }
        func finding(_ check: CheckID, _ sev: Severity, _ why: String, decided: Bool = true, fix: String?, script: [String]) -> DependencyFinding {
            DependencyFinding(check: check, severity: sev, module: path, have: have, want: want, explanation: why, decided: decided, fix: fix, script: script)
        }
        let goGet = DependencyFix.goGet(path, dep.version)
        let gatewayIsWorkspace = dep.version == "(devel)" && dep.replacement == nil
        switch mine.source {
        case .workspace:
            if gatewayIsWorkspace && trimBoth { return ([], true) }
            return ([finding(.workspace, .error, "go.work puts the workspace folder \(mine.directory ?? "") in place of the module the gateway was built with: its packages compile to other fingerprints",
                             fix: "build with GOWORK=off (or go work edit -dropuse=\(mine.directory ?? ""))", script: ["export GOWORK=off"])], false)
        case .vendor, .moduleCache:
            if let r = dep.replacement {
                if r.version.isEmpty && trimBoth {
                    return ([finding(.replace, .warning, "the gateway replaces \(path) with the folder \(r.path); with -trimpath on both sides it loads only if that folder holds exactly the module's content", decided: false,
                                     fix: "replace it the same way: go mod edit -replace=\(path)=\(r.path)", script: [DependencyFix.replace(path, with: r.path)])], false)
                }
                return ([finding(.replace, .error, "the gateway was built with \(path) replaced by \(r.path)\(r.version.isEmpty ? "" : " " + r.version); the plugin takes it from the module cache",
                                 fix: "replace it the same way: go mod edit -replace=\(path)=\(r.path)\(r.version.isEmpty ? "" : "@" + r.version)", script: [DependencyFix.replace(path, with: r.path + (r.version.isEmpty ? "" : "@" + r.version))])], false)
            }
            if gatewayIsWorkspace {
                return ([finding(.workspace, .error, "the gateway was built with \(path) from a go.work workspace folder; the plugin takes it from the module cache",
                                 fix: "build the plugin in the gateway's workspace, both with -trimpath", script: [DependencyFix.byHand("build the plugin in the gateway's workspace, both with -trimpath")])], false)
            }
            // A vendored gateway's build info carries no h1: sums (cmd/go leaves them out for vendor/).
            let gatewayVendored = dep.sum.isEmpty && dep.replacement == nil && SemanticVersion.isValid(dep.version)
            if gatewayVendored && mine.version == dep.version && !trimBoth && mine.source != .vendor {
                return ([finding(.vendor, .error, "the gateway compiled \(path) from its vendor/ folder (its build info has no h1: sum), so file names and fingerprints differ from the plugin's module-cache build unless both use -trimpath",
                                 fix: "build both with -trimpath, or the gateway with -mod=mod", script: [DependencyFix.gatewayMustChange("build the plugin and the gateway with -trimpath (or the gateway with -mod=mod)")])], false)
            }
            if mine.version != dep.version {
                // In a workspace the other modules' requirements count too (golang/go#58639):
                // go get in the plugin's module cannot lower what they raise.
                let ws = list.mode == .workspace
                return ([finding(.moduleVersion, .error, "the plugin's build selects \(path) \(mine.version), the gateway was built with \(dep.version): every package of it differs",
                                 fix: ws ? "build with GOWORK=off and " + goGet : goGet, script: ws ? ["export GOWORK=off", goGet] : [goGet])], false)
            }
            if mine.source == .vendor && !trimBoth && gatewayVendored {
                return ([finding(.vendor, .error, "both compiled \(path) from a vendor/ folder, each its own, so their file names (and fingerprints) differ unless both use -trimpath",
                                 fix: "build both the plugin and the gateway with -trimpath", script: [DependencyFix.gatewayMustChange("build both the plugin and the gateway with -trimpath (each vendor/ folder is its own)")])], false)
            }
            if mine.source == .vendor && !trimBoth {
                return ([finding(.vendor, .error, "the plugin compiles \(path) from vendor/, so its file names (and fingerprints) differ from the gateway's module-cache build unless both use -trimpath",
                                 fix: "build with -mod=mod, or with -trimpath on both sides", script: ["# build with -mod=mod (or -trimpath on both sides)"])], false)
            }
            return ([], true)
        case .replacementDirectory:
            let mineDir = mine.directory ?? ""
            if let r = dep.replacement, r.version.isEmpty {
                if r.path.hasPrefix("/") {
                    if FilePath.clean(r.path) == mineDir || SourceFile.realPath(r.path).map({ $0 == SourceFile.realPath(mineDir) }) == true { return ([], true) }
                    if trimBoth {
                        return ([finding(.replace, .warning, "both replace \(path) with folders (\(mineDir), \(r.path)); with -trimpath on both it loads only if they hold the same exported content", decided: false,
                                         fix: "replace it with the gateway's folder: go mod edit -replace=\(path)=\(r.path)", script: [DependencyFix.replace(path, with: r.path)])], false)
                    }
                    return ([finding(.replace, .error, "the plugin replaces \(path) with \(mineDir), the gateway with \(r.path): without -trimpath the folder is compiled into every package",
                                     fix: "replace it with the gateway's folder: go mod edit -replace=\(path)=\(r.path)", script: [DependencyFix.replace(path, with: r.path)])], false)
                }
                return ([finding(.replace, .warning, "the gateway replaces \(path) with the relative folder \(r.path), relative to where it was built, which its build info does not record: it loads only if that is \(mineDir)" + (trimBoth ? " or holds the same content" : ""), decided: false,
                                 fix: "build the plugin in the gateway's checkout, so that \(r.path) names the same folder", script: [DependencyFix.byHand("build the plugin in the gateway's checkout, so that \(r.path) names the same folder")])], false)
            }
            if dep.replacement == nil && !gatewayIsWorkspace && trimBoth {
                return ([finding(.replace, .warning, "the plugin replaces \(path) with the folder \(mineDir); with -trimpath on both it loads only if the folder holds exactly \(dep.version)'s content", decided: false,
                                 fix: DependencyFix.dropReplace(path) + " && " + goGet, script: [DependencyFix.dropReplace(path), goGet])], false)
            }
            return ([finding(.replace, .error, "the plugin replaces \(path) with the folder \(mineDir); the gateway was built with \(want)",
                             fix: dep.replacement == nil ? DependencyFix.dropReplace(path) + " && " + goGet : "replace it as the gateway does",
                             script: dep.replacement == nil ? [DependencyFix.dropReplace(path), goGet] : [DependencyFix.byHand("replace \(path) as the gateway does (\(want))")])], false)
        case .replacementModule:
            if let r = dep.replacement, let mr = mine.replacement, r.path == mr.path, r.version == mr.version { return ([], true) }
            // `replace m => m vX` is m vX from the module cache: the same folder and files as
            // the gateway's m vX, so the same fingerprints (check-plugin ignores the replace).
            if dep.replacement == nil, let mr = mine.replacement, mr.path == path, mr.version == dep.version { return ([], true) }
            return ([finding(.replace, .error, "the plugin replaces \(path) with \(mine.replacement?.description ?? "another module"); the gateway was built with \(want)",
                             fix: dep.replacement == nil ? DependencyFix.dropReplace(path) + " && " + goGet : "replace it as the gateway does",
                             script: dep.replacement == nil ? [DependencyFix.dropReplace(path), goGet] : [DependencyFix.byHand("replace \(path) as the gateway does (\(want))")])], false)
        }
    }

    /// check-plugin's view: the highest go.sum version of each module the gateway has.
    static func checkPluginView(dir: String, sumFile: String?, list: BuildList, gateway gw: (goVersion: String, moduleInfo: ModuleInfo)) -> [CheckPluginDifference] {
        guard case .success(let text) = SourceFile.read(sumFile ?? FilePath.join(dir, "go.sum"), limit: GoModules.Limits.maxListFileBytes) else { return [] }
        let highest = GoSum.parse(text).highestVersions
        var out: [CheckPluginDifference] = []
        for dep in gw.moduleInfo.dependencies {
            guard let h = highest[dep.path], h != dep.version else { continue }
            let selected = list.module(dep.path).map { m in m.version + (m.replacement.map { " => " + $0.description } ?? "") } ?? "not selected"
            // falseReport is set by run() from the shared modules' alignment.
            out.append(CheckPluginDifference(module: dep.path, goSumHighest: h, selected: selected, gateway: dep.version, falseReport: false))
        }
        return out
    }
}
