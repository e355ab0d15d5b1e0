import DynamicLoading
import GoBinary

/// The library's entry point: predict what a gateway does with plugins, from the files.
public enum Compatibility {
    /// Compares plugins (in load order) with the gateway that will load them, reading each
    /// file once (and the target root's libraries under `options.sysroot`, as the gateway's
    /// loader finds them).
    public static func compare(plugins: [String], gateway: String, options: CompareOptions = CompareOptions()) -> CompareReport {
        let g = Artifact.read(path: gateway, musl: .whenMusl)
        let musl: LoaderFacts.MuslFacts = g.elf?.libc == .musl ? .read : .skip
        let target = targetSystem(of: g, options: options)
        let artifacts = plugins.map { Artifact.read(path: $0, musl: musl) }
        var report = compare(plugins: artifacts, gateway: g, options: options,
                             libcSymbols: libcSymbols(of: g, sysroot: options.sysroot), target: target, muslTarget: muslTarget(of: g, options: options))
        checkSysroot(options, &report)
        // A plugin that loads may still never be registered: its registerer's warnings.
        addRegistererFindings(RegistererTypes(gateway: g, plugins: artifacts, host: options.hostExpectations,
                                              loading: report.loadingPaths), &report)
        checkHostExpectations(options, &report)
        return report
    }

    /// A glibc gateway as glibc's loader starts it on the target root (`options.sysroot`; "/" is
    /// this machine), or why it cannot start there; nil when the gateway is not a dynamic glibc
    /// program, or when on this machine its libraries are not found (a gateway for another CPU).
    public static func targetSystem(of gateway: Artifact, options: CompareOptions) -> Result<GlibcProcess, GlibcLoadError>? {
        guard let g = gateway.elf, g.libc == .glibc, g.interpreter != nil, let path = gateway.realPath else { return nil }
        guard case .success(let root) = Sysroot.open(options.sysroot) else { return nil }
        let search = LibrarySearch(root: root, machine: g.machine, triplet: g.debianTriplet)
        let started = GlibcProcess.start(gateway: path, name: gateway.path, search: search)
        if root.isHost, let started, case .failure = started { return nil }
        return started
    }

    /// A musl gateway as musl's loader starts it on the target root, or why it cannot start
    /// there; nil for any other gateway, or when the root cannot be opened.
    public static func muslTarget(of gateway: Artifact, options: CompareOptions) -> Result<MuslProcess, MuslLoadError>? {
        guard let g = gateway.elf, g.libc == .musl, let interpreter = g.interpreter, let path = gateway.realPath else { return nil }
        guard case .success(let root) = Sysroot.open(options.sysroot) else { return nil }
        return MuslProcess.start(gateway: path, name: gateway.path, search: MuslSearch(root: root, interpreter: interpreter))
    }

    /// A `--sysroot` that is not a directory is an input error, whether or not this gateway
    /// needs it: the user asked for a check against the target system that cannot be made,
    /// so no plugin is said to load.
    static func checkSysroot(_ options: CompareOptions, _ report: inout CompareReport) {
        let path: String, reason: String, fix: String
        if let e = options.imageError {
            // The image could not be read: its own line, instead of what the root lacks.
            report.inputErrors.removeAll { $0.path == options.sysroot || $0.path.hasPrefix(options.sysroot + "/") || $0.path == options.rootName || $0.reason.contains(options.sysroot) }
            (path, reason, fix) = (e.path, e.reason, "pass --image an OCI image layout (directory or tar) or a docker-archive tarball of the gateway's image")
        } else {
            guard options.sysroot != "/", case .failure(let e) = Sysroot.open(options.sysroot) else { return }
            (path, reason, fix) = (options.sysroot, e.description, "pass --sysroot the gateway's root file system (its image unpacked)")
        }
        report.inputErrors.append(.init(path: path, reason: reason))
        for i in report.plugins.indices where report.plugins[i].verdict == .loads || options.imageError != nil && report.plugins[i].verdict != .fails {
            report.plugins[i].verdict = .unknown
            report.plugins[i].findings.insert(Finding(
                check: .libc, severity: .error, plugin: nil, gateway: "\(options.imageError == nil ? "sysroot" : "image") \(path): \(reason)",
                explanation: "the target system's root could not be read, so whether its loader accepts the plugin is not known",
                fix: fix), at: 0)
        }
        report.summary = CompareReport.Summary(report.plugins)
    }

    /// The symbols of a musl gateway's C library, or why they cannot be read; nil for any
    /// other gateway.
    public static func libcSymbols(of gateway: Artifact, sysroot: String) -> Result<Set<String>, MuslLibrary.Failure>? {
        guard let g = gateway.elf, g.libc == .musl else { return nil }
        return MuslLibrary.symbols(interpreter: g.interpreter, machine: g.machine, sysroot: sysroot)
    }

    /// The same, on facts already read (or assembled by hand); reads nothing.
    /// `target`: the gateway started on the target root (`targetSystem(of:options:)`); a failure
    /// to start is an input error.
    public static func compare(plugins: [Artifact], gateway: Artifact, options: CompareOptions = CompareOptions(),
                               libcSymbols: Result<Set<String>, MuslLibrary.Failure>? = nil,
                               target: Result<GlibcProcess, GlibcLoadError>? = nil,
                               muslTarget: Result<MuslProcess, MuslLoadError>? = nil) -> CompareReport {
        var process: GlibcProcess?
        if case .success(let p)? = target { process = p }
        var muslProcess: MuslProcess?
        if case .success(let p)? = muslTarget { muslProcess = p }
        var simulation = LoadSimulation(gateway: gateway, options: options, libcSymbols: libcSymbols, glibc: process, musl: muslProcess)
        let verdicts = simulation.run(plugins)
        var unreadable: [CompareReport.InputError] = []
        if let e = gateway.readError {
            unreadable.append(.init(path: gateway.path, reason: e.description))
        } else if gateway.go?.host == nil {
            // Only a Go executable opens Go plugins: any other file is the wrong input.
            unreadable.append(.init(path: gateway.path, reason: "not a gateway executable: " + (HostSupport.notAGoHost(gateway).gateway ?? "not a Go program")))
        }
        for p in plugins {
            switch p.readError?.kind {
            // What the loader would do with these cannot be told from here: another user
            // may read the file, a FIFO blocks, a damaged header is read differently.
            case .cannotOpen?, .notRegularFile?, .damaged?: unreadable.append(.init(path: p.path, reason: p.readError!.description))
            // The loader rejects these on sight, with a message the simulation predicts.
            case .directory?, .notELF?, nil: break
            }
        }
        if case .failure(let why)? = libcSymbols, verdicts.contains(where: { $0.verdict == .unknown }) {
            unreadable.append(.init(path: gateway.path, reason: why.description))
        }
        if case .failure(let why)? = target {
            // The gateway itself does not start there: no plugin is said to load.
            unreadable.append(.init(path: options.rootName, reason: "the gateway does not start on this root: \(why)"))
        }
        if case .failure(let why)? = muslTarget {
            unreadable.append(.init(path: options.rootName, reason: "the gateway does not start on this root: \(why)"))
        }
        var report = CompareReport(gateway: .init(gateway), plugins: verdicts, inputErrors: unreadable)
        let notStarted: Finding?
        switch (target, muslTarget) {
        case (.failure(let why)?, _): notStarted = DynamicLoader.finding(why, root: options.rootName)
        case (_, .failure(let why)?): notStarted = DynamicLoader.finding(why, root: options.rootName)
        default: notStarted = nil
        }
        if let notStarted {
            for i in report.plugins.indices where report.plugins[i].verdict == .loads {
                report.plugins[i].verdict = .unknown
                report.plugins[i].findings.insert(notStarted, at: 0)
            }
            report.summary = CompareReport.Summary(report.plugins)
        }
        if process != nil, options.sysroot == "/" {
            report.gatewayFindings.append(Finding(
                check: .sharedLibrary, severity: .info, plugin: nil, gateway: "libraries resolved on this machine",
                explanation: "the plugins' libraries, symbol versions and C symbols were resolved against this machine's libraries; the target system's were not checked",
                fix: "pass --sysroot DIR with the gateway's root file system (its image unpacked, e.g. docker export | tar -x -C DIR) to check them"))
        }
        if options.sysroot != "/", options.imageError == nil, gateway.readError == nil, gateway.elf?.libc != .musl, target == nil {
            report.gatewayFindings.append(Finding(
                check: .glibcVersion, severity: .warning, plugin: nil, gateway: "\(options.image == nil ? "sysroot" : "image") \(options.rootName): \(gateway.elf?.libc.rawValue ?? "no ELF facts")",
                explanation: "--sysroot is read by the loader of a dynamically linked glibc or musl gateway; this gateway has none that plugincheck follows (it is static, or its C library is not known), so the libraries under it were not checked",
                fix: "pass --target-glibc with the glibc version of the target system to decide GLIBC_x.y needs"))
        }
        if let target = options.targetGlibc, let need = gateway.elf?.glibcRequirements.first(where: { $0 > target }) {
            report.gatewayFindings.append(Finding(
                check: .glibcVersion, severity: .error, plugin: nil, gateway: "needs \(need), target system has \(target)",
                explanation: "the gateway itself needs a newer glibc than the target system has: it would not start there, whatever the plugins",
                fix: "build the gateway and its plugins on (or against a sysroot of) the target system's glibc"))
        }
        return report
    }

}

/// The result of a comparison; its JSON form is documented in docs/json-schema.md.
public struct CompareReport: Sendable, Codable {
    public static let currentSchemaVersion = 1
    public var schemaVersion = CompareReport.currentSchemaVersion
    /// The version of plugincheck that wrote the report (set by the report writers).
    @Nullable public var toolVersion: String?
    public var gateway: GatewaySummary
    public var plugins: [PluginVerdict]
    /// Inputs that prevent a decision (exit status 2): unreadable files and folders, a
    /// folder where nothing matches, a configuration that does not parse, a C library that
    /// cannot be found.
    public var inputErrors: [InputError]
    /// About the gateway itself (it would not start on the target system, say).
    public var gatewayFindings: [Finding] = []
    /// For `audit`: the folder, pattern and configuration, and what was selected.
    @Nullable public var audit: AuditScope?
    /// For `audit --config`: what the configuration asks for, and whether it is provided.
    @Nullable public var configuration: ConfigurationReport?
    /// How many plugins load, fail, crash...
    public var summary: Summary

    public init(gateway: GatewaySummary, plugins: [PluginVerdict], inputErrors: [InputError], gatewayFindings: [Finding] = [],
                audit: AuditScope? = nil, configuration: ConfigurationReport? = nil) {
        self.gateway = gateway
        self.plugins = plugins
        self.inputErrors = inputErrors
        self.gatewayFindings = gatewayFindings
        self.audit = audit
        self.configuration = configuration
        self.summary = Summary(plugins)
    }

    public struct InputError: Sendable, Codable, Equatable {
        public var path: String
        public var reason: String
        /// Where in the file, for a configuration that does not parse.
        @Nullable public var line: Int?
        @Nullable public var column: Int?

        public init(path: String, reason: String, line: Int? = nil, column: Int? = nil) {
            self.path = path
            self.reason = reason
            self.line = line
            self.column = column
        }

        /// `path: reason`, or `path:line:column: reason`: the one line written on stderr.
        public var line1: String {
            var s = path
            if let line { s += ":\(line)" }
            if let column { s += ":\(column)" }
            return s + ": " + reason
        }
    }

    public struct GatewaySummary: Sendable, Codable {
        public var path: String
        @Nullable public var goVersion: String?
        @Nullable public var machine: String?
        @Nullable public var libc: String?
        public var canLoadPlugins: Bool
        init(_ a: Artifact) {
            path = a.path
            goVersion = a.go?.goVersion?.raw
            machine = a.elf?.machine.name
            libc = a.elf?.libc.rawValue
            canLoadPlugins = a.go?.host?.canLoadPlugins ?? false
        }
    }

    /// The counts the summary line states.
    public struct Summary: Sendable, Codable, Equatable {
        public var plugins: Int
        public var load: Int
        public var fail: Int
        public var crash: Int
        public var unknown: Int
        public var notReached: Int

        public init(_ verdicts: [PluginVerdict]) {
            func count(_ k: VerdictKind) -> Int { verdicts.filter { $0.verdict == k }.count }
            plugins = verdicts.count
            load = count(.loads)
            fail = count(.fails)
            crash = count(.crashes)
            unknown = count(.unknown)
            notReached = count(.notReached)
        }
    }

    /// 0: every plugin loads without warnings; 1: a plugin fails, crashes, cannot be decided,
    /// a finding about the gateway or the configuration is an error, or (with `strict`)
    /// something loads with warnings; 2: an input prevents a decision.
    public func exitStatus(strict: Bool) -> Int32 {
        if !inputErrors.isEmpty { return 2 }
        let otherFindings = gatewayFindings + (configuration?.findings ?? [])
        if plugins.contains(where: { $0.verdict != .loads }) || otherFindings.contains(where: { $0.severity == .error }) { return 1 }
        if strict && (plugins.contains(where: \.hasWarnings) || otherFindings.contains(where: { $0.severity == .warning })) { return 1 }
        return 0
    }
}
