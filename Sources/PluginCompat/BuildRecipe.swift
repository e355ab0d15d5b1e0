import GoBinary

/// `plugincheck recipe`: the build of a plugin that a given gateway will load, read from what
/// the gateway binary records about its own build (build info, ELF header and C library, the
/// source file table). Rendered as a shell script, a Dockerfile or JSON by the report layer.
public struct BuildRecipe: Sendable, Codable {
    public var gateway: String
    /// The Go release, `go1.25.5` (without GOEXPERIMENT's ` X:...` suffix).
    public var toolchain: String
    /// The command name under which `golang.org/dl` installs that release (`go1.25.5`).
    public var goCommand: String
    public var goos: String
    public var goarch: String
    public var libc: String
    @Nullable public var highestGlibc: String?
    /// Environment of the build, in the order the script exports it.
    public var environment: [Variable]
    /// `go build` flags that must match the gateway's.
    public var flags: [String]
    /// Commands that align the plugin's module before the build (`go get`, `go mod edit`).
    public var moduleEdits: [String]
    /// The gateway's directories the build reproduces (untrimmed gateways), each explained.
    public var directories: [Directory]
    /// What cannot be matched from the binary alone, in sentences; an entry that starts with
    /// "cannot" says why no recipe can be given (`canLoad` false).
    public var limits: [String]
    /// False when this recipe cannot give a build that loads: no plugin can load into the
    /// gateway (a static or pluginless build), or what must match is not in the binary.
    public var canLoad: Bool
    /// A builder image with the gateway's toolchain and C library, when one is known.
    public var builderImage: String
    /// The plugin's package to build, relative to the module folder.
    public var package: String
    /// The module folder given, if any.
    @Nullable public var moduleDirectory: String?

    public struct Variable: Sendable, Codable, Equatable {
        public var name: String
        public var value: String
        /// Why it is set, for the script's comment.
        public var why: String
    }

    public struct Directory: Sendable, Codable, Equatable {
        public var kind: PackageSources.Kind
        public var path: String
        /// The module compiled from it, for a folder of one module (replace target, workspace).
        @Nullable public var module: String?
        /// Whether the directory can be reproduced on another machine as-is.
        public var reproducible: Bool
        public var note: String
    }

    /// The `go build` line.
    public var buildCommand: String {
        ([goCommand, "build", "-buildmode=plugin"] + flags.map(BuildRecipe.quote) + ["-o", "plugin.so", package]).joined(separator: " ")
    }

    /// A word for a POSIX shell, as `deps --fix` quotes one.
    public static func quote(_ s: String) -> String { DependencyFix.shellQuote(s) }

    /// Debian's C compilers by GOARCH, for a glibc gateway of another architecture than the build machine.
    static let glibcCompilers = DynamicLoader.crossCompilers

    /// The settings of the gateway's build that are recorded as GOAMD64=v3 and the like.
    static let architectureLevels = ["GOAMD64", "GOARM64", "GOARM", "GO386", "GOMIPS", "GOMIPS64", "GOPPC64", "GORISCV64", "GOWASM"]

    /// Reads the gateway (and, with `module`, aligns that plugin module with it as `deps --fix` does).
    public static func make(gateway path: String, module: String? = nil, package: String = ".",
                            environment env: [String: String] = [:]) -> Result<BuildRecipe, RecipeError> {
        let g = Artifact.read(path: path)
        if let e = g.readError { return .failure(RecipeError(path: path, reason: e.description)) }
        guard let go = g.go, let elf = g.elf, go.role != .notGo else { return .failure(RecipeError(path: path, reason: "not a Go binary")) }
        guard go.role == .executable else { return .failure(RecipeError(path: path, reason: "not a gateway executable (it is a \(go.role.rawValue)): pass the binary that calls plugin.Open")) }
        guard let version = go.goVersion?.raw else {
            return .failure(RecipeError(path: path, reason: "its Go version cannot be read (\(go.goVersionUnknownReason ?? "no build info")), so no recipe can pin the toolchain"))
        }
        let info = try? go.moduleInfo?.get()
        let settings = Dictionary((info?.settings ?? []).map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        // The release without GOEXPERIMENT's " X:..." and without a vendor suffix such as
        // "-custom" (a toolchain built from patched sources, or -X runtime.buildVersion).
        let recorded = String(version.prefix { $0 != " " })
        let toolchain = go.goVersion.map { v in "go" + v.number + (v.prerelease ?? "") } ?? recorded
        var r = BuildRecipe(gateway: path, toolchain: toolchain, goCommand: toolchain, goos: settings["GOOS"] ?? "linux",
                            goarch: settings["GOARCH"] ?? elf.goarch ?? "unknown", libc: elf.libc.rawValue,
                            highestGlibc: elf.highestGlibc?.description, environment: [], flags: [], moduleEdits: [],
                            directories: [], limits: [], canLoad: true, builderImage: "", package: package, moduleDirectory: module)
        if recorded != toolchain {
            r.limits.append("the gateway reports \(recorded): the recipe uses the release \(toolchain); if that toolchain was built from patched sources, build the plugin with the same one")
        }
        if let host = go.host, !host.canLoadPlugins {
            r.canLoad = false
            r.limits.append("cannot load plugins: \(host.cannotLoadReason ?? "the gateway cannot load plugins"); no plugin build can change that, the gateway must be rebuilt (see docs/checks/host-plugin-support.md)")
        }
        if info == nil {
            r.limits.append("the gateway has no build info (Go 1.19/1.20 plugins and Go 1.12 binaries write none): its flags, modules and C compiler settings are unknown; only the toolchain, architecture and C library below are read from the file")
        }
        func set(_ name: String, _ value: String, _ why: String) { r.environment.append(Variable(name: name, value: value, why: why)) }
        set("GOTOOLCHAIN", "local", "use exactly \(r.goCommand), never a toolchain switch")
        set("GOOS", r.goos, "the gateway's")
        set("GOARCH", r.goarch, "the gateway's")
        for key in architectureLevels { if let v = settings[key] { set(key, v, "the gateway's architecture level") } }
        set("CGO_ENABLED", "1", "plugins need cgo (the gateway was built with CGO_ENABLED=\(settings["CGO_ENABLED"] ?? "?"))")
        let cc: String
        if elf.libc == .musl {
            cc = "musl-gcc"
        } else if r.goarch == "amd64" {
            cc = "gcc"
        } else {
            cc = glibcCompilers[r.goarch] ?? "gcc"
        }
        set("CC", cc, elf.libc == .musl ? "the gateway links musl: the plugin must too (or build on Alpine)" : "a C compiler for glibc on \(r.goarch)" + (elf.highestGlibc.map { "; the gateway needs up to \($0): build on that glibc or older" } ?? ""))
        if let e = settings["GOEXPERIMENT"] { set("GOEXPERIMENT", e, "the gateway's experiments change the compiled packages") }
        set("GOWORK", "off", "a go.work workspace changes module versions and directories")
        set("GOFLAGS", settings["-mod"] == "vendor" ? "-mod=vendor" : "-mod=mod", settings["-mod"] == "vendor" ? "the gateway was built from vendor/" : "build from the module cache, as the gateway did (a vendor/ folder changes the directories)")
        if settings["-trimpath"] == "true" { r.flags.append("-trimpath") }
        if settings["-race"] == "true" { r.flags.append("-race") }
        if settings["-msan"] == "true" { r.flags.append("-msan") }
        if settings["-asan"] == "true" { r.flags.append("-asan") }
        if let t = settings["-tags"], !t.isEmpty { r.flags.append("-tags=\(t)") }
        if let f = settings["-gcflags"], !f.isEmpty {
            r.flags.append("-gcflags=\(f)")
            if f.contains("-trimpath=") {
                r.limits.append("cannot be matched: the gateway was built with -gcflags=\(f), and a plugin built with the same value still differs in runtime/cgo (the fixture matrix's gcflags-trimpath-pwd-both case); rebuild the gateway with -trimpath")
                r.canLoad = false
            }
        }
        // A dependency at (devel) without a replace directive comes from a go.work workspace:
        // its folder is the gateway's checkout, which the binary does not name when trimmed.
        for d in info?.dependencies ?? [] where d.version == "(devel)" && d.replacement == nil && settings["-trimpath"] == "true" {
            r.limits.append("cannot be matched from the binary alone: the gateway was built in a go.work workspace that uses its own checkout of \(d.path), and -trimpath hides where; build the plugin with -trimpath in a workspace that uses the same checkout (go work init . <that folder>)")
            r.canLoad = false
        }
        for d in info?.dependencies ?? [] {
            guard let rep = d.replacement, rep.version.isEmpty || rep.version == "(devel)", rep.path.hasPrefix("./") || rep.path.hasPrefix("../"), settings["-trimpath"] == "true" else { continue }
            r.limits.append("cannot be matched from the binary alone: the gateway replaces \(d.path) with \(rep.path), a folder relative to its own module, and -trimpath hides where that was; point the plugin's replace directive at a copy of that folder (go mod edit -replace=\(d.path)=<folder>) and build with -trimpath")
            r.canLoad = false
        }
        if settings["-buildmode"] == "pie" { r.limits.append("the gateway is a PIE; the plugin's -buildmode=plugin is position-independent anyway, nothing to match") }
        if settings["-ldflags"] != nil { r.limits.append("-ldflags of the gateway (\(settings["-ldflags"]!)) do not change package fingerprints and are not repeated") }
        // Untrimmed: the gateway's directories are in its fingerprints.
        if settings["-trimpath"] != "true", info != nil, let sources = g.readSources?(Set((info?.dependencies ?? []).map(\.path))) {
            r.directories(from: sources, info: info!)
        }
        // Module versions.
        if let module {
            var env = env
            // The graph is read from the module cache the build will use.
            if env["GOMODCACHE"] == nil, let cache = r.environment.first(where: { $0.name == "GOMODCACHE" }) { env["GOMODCACHE"] = cache.value }
            let report = DependencyCheck.run(DependencyOptions(path: module, gateway: path, goVersion: toolchain,
                                                               flags: r.flags, environment: env))
            if let e = report.inputErrors.first { return .failure(RecipeError(path: e.path, reason: e.reason)) }
            // The gateway's own folders (untrimmed) replace what its build info says, which for a
            // relative replace directive is relative to the gateway's module.
            let placed = r.directories.compactMap { $0.module }
            for f in report.findings where f.severity != .info {
                for line in f.script where (line.hasPrefix("go get") || line.hasPrefix("go mod edit")) && !r.moduleEdits.contains(line) && !line.contains("-toolchain=")
                    && !placed.contains(where: { line.hasPrefix("go mod edit -replace=" + BuildRecipe.quote($0 + "=")) || line.hasPrefix("go mod edit -replace=" + $0 + "=") || line.hasPrefix("go mod edit -dropreplace=" + $0) }) {
                    r.moduleEdits.append(line)
                }
            }
            if !report.missing.isEmpty {
                r.limits.append("the module cache lacks go.mod files the build graph needs (\(report.missing.map { $0.module.path + "@" + $0.module.version }.joined(separator: ", "))): run go mod download first, then rerun the recipe")
            }
        } else if let deps = info?.dependencies, !deps.isEmpty {
            r.limits.append("no module folder given: require the gateway's version of every module your plugin shares with it (" + deps.prefix(8).map { "\($0.path) \($0.version)" }.joined(separator: ", ") + (deps.count > 8 ? " and \(deps.count - 8) more" : "") + "); rerun with the plugin's module folder to get the go.mod edits")
        }
        r.builderImage = builderImage(info: info, libc: elf.libc, toolchain: toolchain)
        return .success(r)
    }

    /// KrakenD CE publishes krakend/builder:<version> (Alpine, musl) and
    /// krakend/builder:<version>-linux-generic (glibc) per release; other gateways get the
    /// official Go image of the toolchain.
    static func builderImage(info: ModuleInfo?, libc: LibcFlavour, toolchain: String) -> String {
        if let main = info?.main, main.path.hasPrefix("github.com/krakendio/krakend-ce") || main.path.hasPrefix("github.com/devopsfaith/krakend-ce"),
           main.version.hasPrefix("v"), main.version != "(devel)" {
            let v = String(main.version.dropFirst())
            return "krakend/builder:\(v)" + (libc == .musl ? "" : "-linux-generic")
        }
        let v = toolchain.dropFirst(2)
        return libc == .musl ? "golang:\(v)-alpine" : "golang:\(v)-bookworm"
    }

    mutating func directories(from sources: PackageSources, info: ModuleInfo) {
        var seen: Set<String> = []
        for s in sources.byPackage.values.sorted(by: { $0.package < $1.package }) {
            guard let root = s.root, let module = s.module, module != info.main?.path else { continue }
            switch s.kind {
            case .moduleCache:
                guard seen.insert("cache").inserted else { continue }
                let home = root.hasPrefix("/home/") || root.hasPrefix("/Users/")
                environment.append(Variable(name: "GOMODCACHE", value: root, why: "the gateway was built without -trimpath from this module cache; its path is in every module package's fingerprint"))
                directories.append(Directory(kind: .moduleCache, path: root, module: nil, reproducible: !home,
                                             note: home ? "inside a user's home on the build machine: create the same path here (and go mod download into it), or rebuild both with -trimpath" : "the build fills it (go mod download)"))
            case .directory, .mainModule:
                guard seen.insert(module).inserted else { continue }
                moduleEdits.append("go mod edit -replace=\(BuildRecipe.quote(module + "=" + s.directory))")
                directories.append(Directory(kind: s.kind, path: s.directory, module: module, reproducible: true,
                                             note: "the gateway compiled \(module) from this folder (a replace directive or a workspace): the plugin must use the same folder, which must exist with the same files where the plugin is built"))
            case .vendor:
                guard seen.insert("vendor").inserted else { continue }
                directories.append(Directory(kind: .vendor, path: root, module: nil, reproducible: false,
                                             note: "the gateway compiled its modules from \(root)/vendor: only a plugin built inside that module folder with -mod=vendor can match it"))
                limits.append("cannot be matched from the binary alone: the gateway was built from \(root)/vendor, so only a plugin built inside that checkout with -mod=vendor shares its directories; rebuild both with -trimpath otherwise")
                canLoad = false
            case .gopath:
                guard seen.insert("gopath").inserted else { continue }
                environment.append(Variable(name: "GOPATH", value: root, why: "the gateway's packages came from this GOPATH"))
                directories.append(Directory(kind: .gopath, path: root, module: nil, reproducible: true, note: "GOPATH mode"))
            case .goroot, .trimmed:
                continue
            }
        }
    }
}

/// Why a recipe cannot be made: one line naming the path (exit status 2).
public struct RecipeError: Error, Sendable, Codable, Equatable {
    public var path: String
    public var reason: String
    public var line: String { "\(path): \(reason)" }
}
