import DynamicLoading
import GoBinary

/// The library's entry point: predict what a gateway does with plugins, from the files.
public enum Compatibility {
    /// Compares plugins (in load order) with the gateway that will load them, reading each
    /// file once (and, for a musl gateway, its C library under `options.sysroot`).
    public static func compare(plugins: [String], gateway: String, options: CompareOptions = CompareOptions()) -> CompareReport {
        let g = Artifact.read(path: gateway)
        return compare(plugins: plugins.map(Artifact.read(path:)), gateway: g, options: options,
                       libcSymbols: libcSymbols(of: g, sysroot: options.sysroot))
    }

    /// The symbols of a musl gateway's C library, or why they cannot be read; nil for any
    /// other gateway.
    public static func libcSymbols(of gateway: Artifact, sysroot: String) -> Result<Set<String>, MuslLibrary.Failure>? {
        guard let g = gateway.elf, g.libc == .musl else { return nil }
        return MuslLibrary.symbols(interpreter: g.interpreter, machine: g.machine, sysroot: sysroot)
    }

    /// The same, on facts already read (or assembled by hand); reads nothing.
    public static func compare(plugins: [Artifact], gateway: Artifact, options: CompareOptions = CompareOptions(),
                               libcSymbols: Result<Set<String>, MuslLibrary.Failure>? = nil) -> CompareReport {
        var simulation = LoadSimulation(gateway: gateway, options: options, libcSymbols: libcSymbols)
        let verdicts = simulation.run(plugins)
        var unreadable: [CompareReport.InputError] = []
        if let e = gateway.readError {
            unreadable.append(.init(path: gateway.path, reason: e.description))
        }
        for p in plugins {
            switch p.readError?.kind {
            case .cannotOpen?, .notRegularFile?, .directory?, .damaged?: unreadable.append(.init(path: p.path, reason: p.readError!.description))
            case .notELF?, nil: break
            }
        }
        if case .failure(let why)? = libcSymbols, verdicts.contains(where: { $0.verdict == .unknown }) {
            unreadable.append(.init(path: gateway.path, reason: why.description))
        }
        var report = CompareReport(gateway: .init(gateway), plugins: verdicts, inputErrors: unreadable)
        if let target = options.targetGlibc, let need = gateway.elf?.glibcRequirements.first(where: { $0 > target }) {
            report.gatewayFindings.append(Finding(
                check: .glibcVersion, severity: .error, plugin: nil, gateway: "needs \(need), target system has \(target)",
                explanation: "the gateway itself needs a newer glibc than the target system has: it would not start there, whatever the plugins",
                fix: "build the gateway and its plugins on (or against a sysroot of) the target system's glibc"))
        }
        return report
    }

    /// KrakenD's way of finding plugins: the files directly in `folder` whose name contains
    /// `pattern`, in file-name order; then compares them, in that order, with the gateway.
    public static func audit(folder: String, pattern: String = ".so", gateway: String, options: CompareOptions = CompareOptions()) -> CompareReport {
        let paths = (try? PluginFolder.scan(folder: folder, pattern: pattern).get()) ?? []
        return compare(plugins: paths, gateway: gateway, options: options)
    }
}

/// The result of a comparison; its JSON form is documented in docs/json-schema.md.
public struct CompareReport: Sendable, Codable {
    public static let currentSchemaVersion = 1
    public var schemaVersion = CompareReport.currentSchemaVersion
    public var gateway: GatewaySummary
    public var plugins: [PluginVerdict]
    /// Inputs the tool could not read (exit status 2).
    public var inputErrors: [InputError]
    /// About the gateway itself (it would not start on the target system, say).
    public var gatewayFindings: [Finding] = []

    public struct InputError: Sendable, Codable {
        public var path: String
        public var reason: String
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

    /// 0: every plugin loads without warnings; 1: a plugin fails, crashes, cannot be decided,
    /// or (with `strict`) loads with warnings; 2: an input could not be read.
    public func exitStatus(strict: Bool) -> Int32 {
        if !inputErrors.isEmpty { return 2 }
        if plugins.contains(where: { $0.verdict != .loads }) || gatewayFindings.contains(where: { $0.severity == .error }) { return 1 }
        if strict && plugins.contains(where: \.hasWarnings) { return 1 }
        return 0
    }
}
