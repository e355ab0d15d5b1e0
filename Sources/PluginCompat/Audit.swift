import GoBinary
import KrakenDConfig

/// What an audit checked: the folder and pattern as KrakenD reads them, the configuration they
/// came from, and the files selected, in load order, as the gateway names them.
public struct AuditScope: Sendable, Codable, Equatable {
    /// As written (on the command line or in `plugin.folder`).
    public var folder: String
    public var pattern: String
    /// The configuration file, when the folder and pattern came from one.
    @Nullable public var configuration: String?
    /// The gateway's working directory, against which a relative folder is resolved.
    public var workdir: String
    /// The paths KrakenD's scan selects, each as `plugin.Open` is given it.
    public var selected: [String]
}

/// What a KrakenD configuration asks of the plugins, and whether the loading plugins provide it.
public struct ConfigurationReport: Sendable, Codable {
    public var path: String
    public var format: KrakenDConfiguration.Format
    @Nullable public var version: Int?
    public var declarations: [Declaration]
    /// `declared-plugins` findings: a kind asked for that no loading plugin provides, a name
    /// KrakenD will not read where it stands.
    public var findings: [Finding]

    public struct Declaration: Sendable, Codable {
        public var namespace: PluginNamespace
        public var key: String
        public var name: String
        public var location: String
        /// Why KrakenD does not read it; nil when it does.
        @Nullable public var ignored: KrakenDConfiguration.IgnoredBecause?
        /// The loading plugins that export the registerer this kind needs.
        public var providedBy: [String]
    }
}

public typealias KrakenDConfiguration = KrakenDConfig.KrakenDConfiguration
public typealias PluginNamespace = KrakenDConfig.PluginNamespace

/// The settings of an audit that the files cannot tell.
public struct AuditOptions: Sendable {
    /// The gateway's working directory: a relative plugin folder is resolved against it.
    public var workdir: String
    /// A folder in which nothing matches is a decision (nothing loads), not an input error.
    public var allowEmpty: Bool
    /// Called before each selected file is read: (files read so far, files in all, path).
    public var progress: (@Sendable (Int, Int, String) -> Void)?
    /// The gateway's root file system (an image unpacked), in which the plugin folder and the
    /// working directory are; nil for this machine's.
    public var root: String?

    public init(workdir: String = ".", allowEmpty: Bool = false, progress: (@Sendable (Int, Int, String) -> Void)? = nil, root: String? = nil) {
        self.workdir = workdir
        self.allowEmpty = allowEmpty
        self.progress = progress
        self.root = root
    }
}

extension Compatibility {
    /// KrakenD's way of finding plugins (lura's `Scan`: the entries of `folder` that are not
    /// directories and whose name contains `pattern`, in name order, each opened as
    /// `filepath.Join(folder, name)`), then the comparison in that order. A folder that cannot
    /// be listed, or in which nothing matches (unless `audit.allowEmpty`), is an input error.
    public static func audit(folder: String, pattern: String = ".so", gateway: String,
                             options: CompareOptions = CompareOptions(), audit: AuditOptions = AuditOptions()) -> CompareReport {
        var types = RegistererTypes()
        var report = run(folder: folder, pattern: pattern, configuration: nil, gateway: gateway, options: options, audit: audit, types: &types)
        // Without a configuration nothing says which registerers are used: as in compare, one
        // the gateway will not register is a warning on its plugin.
        addRegistererFindings(types, &report)
        checkHostExpectations(options, &report)
        return report
    }

    /// The same, with the folder and pattern read from a KrakenD configuration, and what the
    /// configuration asks for checked against the plugins that load.
    public static func audit(configuration path: String, gateway: String,
                             options: CompareOptions = CompareOptions(), audit: AuditOptions = AuditOptions()) -> CompareReport {
        var report = auditConfiguration(path, gateway: gateway, options: options, audit: audit)
        checkHostExpectations(options, &report)
        return report
    }

    private static func auditConfiguration(_ path: String, gateway: String, options: CompareOptions, audit: AuditOptions) -> CompareReport {
        let config: KrakenDConfiguration
        do {
            config = try KrakenDConfiguration.read(path: path)
        } catch {
            return failed(gateway, [.init(path: error.path, reason: error.reason, line: error.line, column: error.column)])
        }
        if let v = config.version, v != 3 {
            return failed(gateway, [.init(path: path, reason: "unsupported version: \(v) (want: 3): KrakenD refuses this configuration")])
        }
        if config.version == nil {
            return failed(gateway, [.init(path: path, reason: "no version: KrakenD refuses a configuration without \"version\": 3")])
        }
        guard let plugin = config.plugin else {
            var report = audit.allowEmpty ? compare(plugins: [String](), gateway: gateway, options: options)
                : failed(gateway, [.init(path: path, reason: "no \"plugin\" section: KrakenD loads no plugins (pass --allow-empty if that is intended)")])
            report.configuration = configurationReport(config, report.plugins)
            return report
        }
        var types = RegistererTypes()
        var report = run(folder: plugin.folder, pattern: plugin.pattern, configuration: path, gateway: gateway, options: options, audit: audit,
                         types: &types)
        report.configuration = configurationReport(config, report.plugins, types: types)
        return report
    }

    private static func run(folder: String, pattern: String, configuration: String?, gateway: String,
                            options: CompareOptions, audit: AuditOptions, types: inout RegistererTypes) -> CompareReport {
        // KrakenD opens the joined names relative to its working directory; read them there.
        let root = audit.root, workdir = audit.workdir
        let location = { @Sendable (path: String) in PluginFolder.location(of: path, workdir: workdir, root: root) }
        let shownFolder = (folder.hasPrefix("/") || audit.workdir == ".") && root == nil ? folder : location(folder)
        var scope = AuditScope(folder: folder, pattern: pattern, configuration: configuration, workdir: audit.workdir, selected: [])
        switch PluginFolder.scan(folder: folder, pattern: pattern, workdir: audit.workdir, root: root) {
        case .failure(let e):
            let what = e.path.isEmpty ? "\"\" (an empty plugin folder)" : e.path
            var report = failed(gateway, [.init(path: what, reason: e.errno.description)])
            report.audit = scope
            return report
        case .success(let paths):
            scope.selected = paths
        }
        let g = Artifact.read(path: gateway, musl: .whenMusl)
        // Each file is read on its own (on all cores); the simulation then opens them in order.
        let selected = scope.selected, progress = audit.progress
        let musl: LoaderFacts.MuslFacts = g.elf?.libc == .musl ? .read : .skip
        var started: (@Sendable (Int) -> Void)?
        if let progress { started = { i in progress(i, selected.count, selected[i]) } }
        let plugins: [Artifact] = ParallelReads.map(selected.count, started: started) { (i: Int) -> Artifact in
            let path = selected[i]
            var a = Artifact.read(path: location(path), musl: musl)
            a.path = path
            return a
        }
        var report = compare(plugins: plugins, gateway: g, options: options, libcSymbols: libcSymbols(of: g, sysroot: options.sysroot),
                             target: targetSystem(of: g, options: options), muslTarget: muslTarget(of: g, options: options))
        checkSysroot(options, &report)
        types = RegistererTypes(gateway: g, plugins: plugins, host: options.hostExpectations, loading: report.loadingPaths)
        if scope.selected.isEmpty && !audit.allowEmpty {
            report.inputErrors.append(.init(path: shownFolder, reason: "no file name contains the pattern \"\(pattern)\": KrakenD would load no plugin (pass --allow-empty if that is intended)"))
        }
        report.audit = scope
        return report
    }

    /// A report with no verdict: the inputs that prevented one.
    private static func failed(_ gateway: String, _ errors: [CompareReport.InputError]) -> CompareReport {
        var report = compare(plugins: [String](), gateway: gateway)
        report.inputErrors = errors + report.inputErrors
        return report
    }

    static func configurationReport(_ config: KrakenDConfiguration, _ verdicts: [PluginVerdict],
                                    types: RegistererTypes = RegistererTypes()) -> ConfigurationReport {
        let loading = verdicts.filter { $0.verdict == .loads }
        // Where the gateway asserts lura's interface for a kind, a plugin provides it only when
        // its registerer passes the assertion; elsewhere, when it exports the symbol (presence).
        func provides(_ v: PluginVerdict, _ symbol: String) -> Bool {
            guard v.registerers.contains(symbol) else { return false }
            guard types.asserted.contains(symbol), let p = types.predictions[v.path]?.first(where: { $0.symbol == symbol }) else { return true }
            return p.outcome != .unknownType
        }
        var declarations: [ConfigurationReport.Declaration] = []
        for d in config.declarations {
            let providers = loading.filter { provides($0, d.namespace.registerer) }.map(\.path)
            declarations.append(.init(namespace: d.namespace, key: d.key, name: d.name, location: d.location, ignored: d.ignored, providedBy: providers))
        }
        var findings: [Finding] = []
        for ns in PluginNamespace.allCases {
            // plugin/middleware counts although KrakenD CE ignores it: on Enterprise it must be there.
            let used = declarations.filter { $0.namespace == ns && ($0.ignored == nil || $0.ignored == .edition) }
            guard !used.isEmpty, used[0].providedBy.isEmpty else { continue }
            let names = used.map { "\($0.name) (\($0.location))" }.joined(separator: ", ")
            findings.append(Finding(
                check: .declaredPlugins, severity: .error,
                plugin: "no loading plugin exports \(ns.registerer)", gateway: "\(ns.rawValue): \(names)",
                explanation: "the configuration asks for \(ns.rawValue) plugins\(ns == .middleware ? " (read by KrakenD Enterprise only)" : ""), but none of the plugins that load exports \(ns.registerer), so KrakenD registers none of them and the endpoints that use them fail",
                fix: "deploy a plugin that exports \(ns.registerer) into the plugin folder, and make sure it loads (see its verdict above)"))
        }
        findings += interfaceFindings(verdicts, types)
        findings += nameFindings(declarations, loading, types)
        for d in declarations {
            guard let why = d.ignored, why != .edition || !d.providedBy.isEmpty else { continue }
            findings.append(Finding(
                check: .declaredPlugins, severity: .warning, plugin: nil, gateway: "\(d.key) at \(d.location): \(d.name)",
                explanation: "KrakenD does not read this: " + ignoredExplanation(why, d.namespace),
                fix: ignoredFix(why, d.namespace)))
        }
        return ConfigurationReport(path: config.path, format: config.format, version: config.version, declarations: declarations, findings: findings)
    }

    /// `registerer-name`: a name the configuration asks for, of a kind some loading plugin
    /// registers (otherwise `declared-plugins` says so), that none registers, when every such
    /// plugin's name is a constant (one that computes its name may register any: then nothing).
    static func nameFindings(_ declarations: [ConfigurationReport.Declaration], _ loading: [PluginVerdict], _ types: RegistererTypes) -> [Finding] {
        var findings: [Finding] = []
        var seen = Set<String>()
        for d in declarations where d.ignored == nil && !d.providedBy.isEmpty && types.asserted.contains(d.namespace.registerer) {
            let symbol = d.namespace.registerer
            let registering = d.providedBy.compactMap { path in types.predictions[path]?.first { $0.symbol == symbol }.map { (path, $0) } }
            guard registering.count == d.providedBy.count else { continue }
            guard registering.allSatisfy({ $0.1.name != nil }) else { continue }
            let names = registering.compactMap { $0.1.name }
            guard !names.contains(d.name), seen.insert("\(d.namespace.rawValue) \(d.name)").inserted else { continue }
            // A plugin that would register it but fails the assertion.
            let failing = loading.compactMap { v -> String? in
                guard let p = types.predictions[v.path]?.first(where: { $0.symbol == symbol }), p.outcome == .unknownType, p.name == d.name else { return nil }
                return v.path
            }
            var explanation = "the configuration asks for \(d.namespace.rawValue) \"\(d.name)\", but no loading plugin registers under that name"
            explanation += failing.isEmpty ? ", so KrakenD cannot use it"
                : "; \(failing.joined(separator: ", ")) would, but its \(symbol) fails the loader's type assertion (registerer-interface)"
            findings.append(Finding(
                check: .registererName, severity: .error,
                plugin: "\(symbol) registered as " + registering.map { "\"\($0.1.name!)\" (\($0.0))" }.joined(separator: ", "),
                gateway: "\(d.namespace.rawValue): \(d.name) (\(d.location))",
                explanation: explanation,
                fix: failing.isEmpty ? "use one of the registered names in the configuration, or deploy the plugin that registers \"\(d.name)\" (its registerer's value is the name)"
                    : "fix the \(symbol) of \(failing.joined(separator: ", ")) (see its registerer-interface finding)"))
        }
        return findings
    }

    static func ignoredExplanation(_ why: KrakenDConfiguration.IgnoredBecause, _ ns: PluginNamespace) -> String {
        switch why {
        case .level: return "\(ns.rawValue) is read only in the extra_config of " + ns.levels.map { "\($0)" }.joined(separator: " and ") + (ns.levels.count == 1 && ns.levels[0] == .service ? " (the top level)" : "s")
        case .nameType: return ns == .httpClient ? "\(ns.rawValue) reads \"name\" only as a string" : ns == .reqRespModifier ? "\(ns.rawValue) reads \"name\" only as a list of strings" : "\"name\" must be a string or a list of strings"
        case .itemType: return "a list item that is not a string"
        case .notAnObject: return "the namespace's value is not an object"
        case .aliasWins: return "the same extra_config also has \(ns.rawValue), which replaces lura's long name"
        case .edition: return "plugin/middleware is read only by KrakenD Enterprise"
        }
    }

    static func ignoredFix(_ why: KrakenDConfiguration.IgnoredBecause, _ ns: PluginNamespace) -> String {
        switch why {
        case .level: return "move it to the extra_config of " + ns.levels.map { $0 == .service ? "the service (top level)" : "each \($0)" }.joined(separator: " or ")
        case .nameType, .itemType: return ns == .httpClient ? "write \"name\": \"<plugin name>\"" : "write \"name\": [\"<plugin name>\"]"
        case .notAnObject: return "write \"\(ns.rawValue)\": {\"name\": ...}"
        case .aliasWins: return "keep one of the two keys"
        case .edition: return "use KrakenD Enterprise, or a plugin kind KrakenD CE loads"
        }
    }
}
