import DynamicLoading
import GoBinary

/// Replays what a gateway's `plugin.Open` does with each plugin, in order, step by step as
/// Go's plugin package, its runtime and the dynamic loader do it (plugin/plugin_dlopen.go,
/// runtime/plugin.go). State carries over between plugins exactly where it does in a real
/// process: the global symbol scope, the module list, and the path cache. It works on the
/// facts it is given and reads nothing.
public struct LoadSimulation {
    public let gateway: Artifact
    public let options: CompareOptions

    /// A Go module the runtime knows of, after the host's own.
    struct Module {
        /// Nil when neither the symbol table nor the exported main function tells it.
        var pluginPath: String?
        var bad = false
        var initialised = false
        var artifactIndex: Int
    }

    private var modules: [Module] = []
    /// `plugin.Open`'s cache by real path: nil error = loaded.
    private var cache: [String: String?] = [:]
    /// Objects dlopen has mapped, by file identity; dlopen returns the same handle for the same file.
    private var mapped: [FileIdentity: Int] = [:]
    /// Plugins in the global scope after the gateway, in dlopen order (failed Go checks included).
    private var scope: [Artifact] = []
    private var crashed = false
    /// A plugin whose runtime lays out its module data differently was registered after a
    /// good module: the gateway's runtime no longer finds new modules, and every later
    /// `plugin.Open` that gets that far says "plugin already loaded" (what the folder cases
    /// of the fixture matrix recorded).
    private var moduleListBrokenBy: String?
    private var loader: DynamicLoader?

    /// `libcSymbols`: for a musl gateway, the symbols its C library defines, or why they
    /// could not be read (plugins whose loading depends on them are then `unknown`).
    /// `glibc`: the gateway as glibc's loader started it on the target root, when known: each
    /// plugin's libraries, versions and symbols are then resolved against it.
    /// `musl`: the same for a musl gateway: the libraries plugins need are found with musl's rules.
    public init(gateway: Artifact, options: CompareOptions = CompareOptions(),
                libcSymbols: Result<Set<String>, MuslLibrary.Failure>? = nil, glibc: GlibcProcess? = nil, musl: MuslProcess? = nil) {
        self.gateway = gateway
        self.options = options
        if let g = gateway.elf {
            loader = DynamicLoader(gateway: g, options: options, libcSymbols: libcSymbols, scopeSymbols: g.definedSymbols, glibc: glibc, musl: musl)
        }
    }

    /// `plugin.Open` in a host linked statically with cgo (the folder of fixture cases
    /// `static-gateway*`): realpath as usual; musl's static dlopen refuses everything;
    /// glibc's applies its checks and maps the file, and then the plugin's runtime registers
    /// with its own copy, not the host's: the host finds no module and dies (a Go c-shared
    /// library faults in its initialisation instead).
    private mutating func openInStaticHost(_ plugin: Artifact, _ kind: HostFacts.StaticCgo, _ host: HostFacts,
                                           _ loader: DynamicLoader, _ v: inout PluginVerdict) -> PluginVerdict {
        v.registerers = []
        guard let real = plugin.realPath else {
            v.verdict = .fails
            v.step = .realpath
            v.message = "plugin.Open(\"\(plugin.path)\"): realpath failed"
            v.findings = [HostSupport.finding(host)]
            return v
        }
        switch kind {
        case .unknown:
            v.verdict = .unknown
            v.step = .hostSupport
            v.findings = [HostSupport.finding(host)]
            return v
        case .musl:
            v.verdict = .fails
            v.step = .dlopen
            v.message = "plugin.Open(\"\(plugin.path)\"): Dynamic loading not supported"
            v.findings = [HostSupport.finding(host)]
            return v
        case .glibc:
            if case .rejects(let rejection) = loader.check(plugin, realPath: real) {
                v.verdict = .fails
                v.step = .dlopen
                v.message = "plugin.Open(\"\(plugin.path)\"): \(rejection.message)"
                // Rebuilding the plugin past this error only reaches the crash below: the
                // gateway's fix comes first, and the loader's finding is no rebuild.
                var loaderFinding = rejection.finding
                loaderFinding.rebuild = nil
                v.findings = [HostSupport.finding(host), loaderFinding]
                return v
            }
            crashed = true
            v.verdict = .crashes
            v.step = .moduleData
            v.message = plugin.go?.role == .sharedLibrary ? "SIGSEGV: segmentation violation" : RuntimeLayoutCheck.fatalMessage
            v.findings = [HostSupport.finding(host)]
            return v
        }
    }

    /// Opens the plugins in order and returns a verdict for each.
    public mutating func run(_ plugins: [Artifact]) -> [PluginVerdict] {
        plugins.map { open($0) }
    }

    /// The symbols the host will find with Lookup: KrakenD's registerers, or those a
    /// host-expectations file names (in its order).
    func registerers(_ p: PluginFacts) -> [String] {
        guard let host = options.hostExpectations else { return p.registerers }
        return host.expectations.map(\.symbol).filter(p.exportedSymbols.contains)
    }

    /// The next `plugin.Open`.
    public mutating func open(_ plugin: Artifact) -> PluginVerdict {
        var v = PluginVerdict(path: plugin.path, verdict: .loads, message: nil, firstMismatchedPackage: nil,
                              step: .none, findings: [], registerers: plugin.go?.plugin.map(registerers) ?? [])
        let name = plugin.path
        func fail(_ step: LoaderStep, _ message: String, _ findings: [Finding]) -> PluginVerdict {
            v.verdict = .fails
            v.step = step
            v.message = message
            v.findings = findings + v.findings
            v.registerers = []
            return v
        }
        // A failure after dlopen is kept by real path (later opens add "(previous failure)");
        // past dlopen the message names the path without its .so suffix.
        func failCached(_ step: LoaderStep, _ real: String, _ error: String, _ findings: [Finding]) -> PluginVerdict {
            cache[real] = .some(error)
            let trimmed = name.hasSuffix(".so") && name.count > 3 ? String(name.dropLast(3)) : name
            return fail(step, "plugin.Open(\"\(trimmed)\"): \(error)", findings)
        }
        func crash(_ step: LoaderStep, _ findings: [Finding]) -> PluginVerdict {
            crashed = true
            v.verdict = .crashes
            v.step = step
            v.message = RuntimeLayoutCheck.fatalMessage
            v.findings = findings
            v.registerers = []
            return v
        }
        if crashed {
            v.verdict = .notReached
            v.registerers = []
            v.findings = [Finding(check: .loadOrder, severity: .error, plugin: nil, gateway: nil,
                                  explanation: "an earlier plugin crashes the gateway, so this one is never opened",
                                  fix: "fix or remove the plugin that crashes the gateway")]
            return v
        }
        // 1. A host without cgo gets the stub implementation; one linked statically with cgo
        // has the real package and the C library's static dlopen.
        if let host = gateway.go?.host, let kind = host.staticCgo, let loader {
            return openInStaticHost(plugin, kind, host, loader, &v)
        }
        if let host = gateway.go?.host, !host.canLoadPlugins {
            // A static build's plugin package is the stub; a dynamic program without package
            // plugin never calls plugin.Open, so there is no message to predict.
            var verdict = fail(.hostSupport, "plugin: not implemented", [HostSupport.finding(host)])
            if host.isDynamic { verdict.message = nil }
            return verdict
        }
        guard let loader, gateway.go?.host != nil else {
            v.verdict = .unknown
            v.step = .hostSupport
            v.findings = [HostSupport.notAGoHost(gateway)]
            v.registerers = []
            return v
        }
        // 2. realpath, then the cache of earlier opens.
        guard let real = plugin.realPath else {
            return fail(.realpath, "plugin.Open(\"\(name)\"): realpath failed", [Finding(
                check: .pluginFile, severity: .error, plugin: "missing", gateway: nil,
                explanation: "the file does not exist (or a directory on its path is not searchable), so realpath fails before dlopen",
                fix: "check the plugin folder and file name in the gateway's configuration")])
        }
        if let cached = cache[real] {
            if let error = cached {
                return fail(.previousOpen, "plugin.Open(\"\(name)\"): \(error) (previous failure)", [Finding(
                    check: .loadOrder, severity: .error, plugin: real, gateway: nil,
                    explanation: "the same file was opened before and failed; Go caches the failure by real path",
                    fix: "remove the duplicate entry")])
            }
            v.step = .previousOpen
            v.findings.append(Finding(check: .loadOrder, severity: .info, plugin: real, gateway: nil,
                                      explanation: "the same file (by real path) is already open; plugin.Open returns the loaded plugin again",
                                      fix: nil))
            return v
        }
        // 3. dlopen: the same file (hard link) gives back the mapped object; otherwise the
        // dynamic loader checks and maps it.
        let index: Int
        if let id = plugin.fileID, let earlier = mapped[id] {
            index = earlier
        } else {
            let objects: DynamicLoader.Mapped
            switch loader.check(plugin, realPath: real) {
            case .rejects(let rejection):
                return fail(.dlopen, "plugin.Open(\"\(name)\"): \(rejection.message)", [rejection.finding])
            case .undecidable(let finding):
                v.verdict = .unknown
                v.step = .dlopen
                v.findings = [finding]
                v.registerers = []
                return v
            case .accepts(let m):
                objects = m
            }
            scope.append(plugin)
            index = scope.count - 1
            if let id = plugin.fileID { mapped[id] = index }
            self.loader?.didLoad(plugin, mapped: objects)
            if plugin.go?.role == .plugin {
                // Its init registers its module data with the gateway's runtime, which must
                // share the struct's layout.
                if let mismatch = RuntimeLayoutCheck.compare(plugin: plugin, gateway: gateway) {
                    if mismatch.severity == .error && moduleListBrokenBy == nil {
                        // With no good module before it the runtime finds none and dies; after
                        // one, it keeps seeing that one.
                        guard modules.contains(where: { $0.initialised && !$0.bad }) else {
                            return crash(.runtimeLayout, [mismatch])
                        }
                        moduleListBrokenBy = plugin.path
                        var finding = mismatch
                        finding.explanation += ". A good plugin was registered before it, so instead of dying the runtime keeps finding that earlier module: this plugin, and every plugin after it, gets \"plugin already loaded\""
                        return failCached(.runtimeLayout, real, "plugin already loaded", [finding])
                    }
                    if mismatch.severity != .error { v.findings.append(mismatch) }
                }
                modules.append(Module(pluginPath: plugin.go?.plugin?.pluginPath, artifactIndex: index))
            }
        }
        // 4. lastmoduleinit: the newest module, unless it failed.
        if let culprit = moduleListBrokenBy {
            return failCached(.moduleData, real, "plugin already loaded", [Finding(
                check: .loadOrder, severity: .error, plugin: nil, gateway: culprit,
                explanation: "an earlier plugin (\(culprit)) was built with another Go runtime and broke the gateway's list of modules: no plugin opened after it can register",
                fix: "rebuild or remove \(culprit)")])
        }
        guard let last = modules.indices.last, !modules[last].bad else {
            return crash(.moduleData, [NotAPlugin.finding(plugin, afterFailure: !modules.isEmpty)])
        }
        if modules[last].initialised {
            v.findings.insert(NotAPlugin.alreadyLoadedFinding(plugin, loaded: scope[modules[last].artifactIndex]), at: 0)
            return failCached(.moduleData, real, "plugin already loaded", [])
        }
        let path = modules[last].pluginPath
        let earlierGood = modules.dropLast().filter { $0.initialised && !$0.bad }
        if !earlierGood.isEmpty && (path == nil || earlierGood.contains { $0.pluginPath == nil }) {
            // One plugin path cannot be read, so whether two are the same cannot be told.
            v.verdict = .unknown
            v.step = .pluginPath
            v.registerers = []
            v.findings = [Finding(check: .pluginPath, severity: .error, plugin: path ?? "unknown", gateway: nil,
                                  explanation: "the plugin path of this or an earlier plugin cannot be read (stripped, and no main package found), so whether the runtime sees the same path twice cannot be told",
                                  fix: "inspect the plugins; build them without stripping the symbol table to make the plugin path readable")]
            return v
        }
        if let path, let twin = earlierGood.first(where: { $0.pluginPath == path }) {
            modules[last].bad = true
            return failCached(.pluginPath, real, "plugin already loaded", [Finding(
                check: .pluginPath, severity: .error, plugin: path, gateway: scope[twin.artifactIndex].path,
                explanation: "a plugin with the same plugin path (\(path)) is already loaded; the runtime allows one module per path, whatever the file",
                fix: "give each plugin its own main package path (module path), and do not deploy copies of the same plugin")])
        }
        // 5. Package fingerprints, in the plugin's own table order, against the first definer.
        let mismatches = FingerprintCheck.mismatches(plugin: plugin, gateway: gateway, earlier: scope[..<index])
        if let mismatch = mismatches.first {
            modules[last].bad = true
            v.firstMismatchedPackage = mismatch.package
            return failCached(.fingerprints, real, "plugin was built with a different version of package \(mismatch.package)",
                              MismatchCauses.findings(for: mismatches, plugin: plugin))
        }
        modules[last].initialised = true
        cache[real] = .some(nil)
        v.step = .none
        v.findings += SettingsComparison.findings(plugin: plugin, gateway: gateway, glibcTarget: options.targetGlibc)
        if let p = plugin.go?.plugin, let host = options.hostExpectations, registerers(p).isEmpty {
            let names = host.expectations.map(\.symbol)
            v.findings.append(Finding(check: .registerers, severity: .warning, plugin: p.exportedSymbols.isEmpty ? "exports nothing" : "exports " + p.exportedSymbols.joined(separator: ", "),
                                      gateway: names.joined(separator: ", ") + " (as \(host.path) describes \(host.host))",
                                      explanation: "the plugin loads but exports none of the symbols \(host.host) looks up, so it registers nothing",
                                      fix: "export \(names.count == 1 ? names[0] : "one of " + names.joined(separator: ", ")) from the plugin's main package"))
        } else if let p = plugin.go?.plugin, options.hostExpectations == nil, p.registerers.isEmpty {
            v.findings.append(Finding(check: .registerers, severity: .warning, plugin: p.exportedSymbols.isEmpty ? "exports nothing" : "exports " + p.exportedSymbols.joined(separator: ", "),
                                      gateway: PluginFacts.krakendRegisterers.joined(separator: ", "),
                                      explanation: "the plugin loads but exports none of the symbols KrakenD looks up, so it registers nothing",
                                      fix: "export a package-level variable named HandlerRegisterer, ClientRegisterer or ModifierRegisterer in the plugin's main package"))
        }
        v.findings.sort { $0.severity < $1.severity }
        return v
    }
}
