/// How much a finding matters.
public enum Severity: String, Sendable, Codable, Comparable {
    /// The plugin fails to load or crashes the gateway because of it.
    case error
    /// It loads, but something is likely wrong (or may fail on another machine).
    case warning
    /// A difference worth knowing that does not stop loading.
    case info

    var rank: Int { self == .error ? 0 : self == .warning ? 1 : 2 }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// One thing a check found: both sides' values, why it matters, and what to do.
public struct Finding: Sendable, Codable, Equatable {
    /// The check that found it (its page is docs/checks/<check>.md).
    public var check: CheckID
    public var severity: Severity
    /// The plugin's value, as text.
    @Nullable public var plugin: String?
    /// The gateway's value (or the earlier plugin's, for a load-order conflict).
    @Nullable public var gateway: String?
    public var explanation: String
    @Nullable public var fix: String?
    /// The fix as a rebuild of the plugin, when rebuilding the plugin alone is the fix.
    @Nullable public var rebuild: Rebuild?

    public init(check: CheckID, severity: Severity, plugin: String?, gateway: String?, explanation: String, fix: String?,
                rebuild: Rebuild? = nil) {
        self.check = check
        self.severity = severity
        self.plugin = plugin
        self.gateway = gateway
        self.explanation = explanation
        self.fix = fix
        self.rebuild = rebuild
    }
}

/// What `plugin.Open` will do with one plugin.
public enum VerdictKind: String, Sendable, Codable {
    /// Opens, its init runs; the gateway can look its symbols up.
    case loads
    /// `plugin.Open` returns an error; the gateway goes on.
    case fails
    /// The gateway process dies.
    case crashes
    /// The simulation cannot decide (facts missing); the findings say why.
    case unknown
    /// An earlier plugin crashed the gateway, so this one is never opened.
    case notReached = "not-reached"
}

/// The loader step that decided a verdict, in the loader's order.
public enum LoaderStep: String, Sendable, Codable {
    case realpath, hostSupport = "host-support", previousOpen = "previous-open", dlopen
    case runtimeLayout = "runtime-layout", moduleData = "module-data", pluginPath = "plugin-path"
    case fingerprints, symbols, none
}

/// The prediction for one plugin.
public struct PluginVerdict: Sendable, Codable {
    public var path: String
    public var verdict: VerdictKind
    /// The exact text the gateway would get from `plugin.Open` (the error), or the runtime's
    /// fatal line for a crash; nil when it loads.
    @Nullable public var message: String?
    /// For a fingerprint mismatch, the first package whose fingerprint differs.
    @Nullable public var firstMismatchedPackage: String?
    public var step: LoaderStep
    /// Findings, most important first.
    public var findings: [Finding]
    /// The KrakenD registerers the plugin exports (what the gateway will find with Lookup).
    public var registerers: [String]

    /// Whether any finding is a warning or worse.
    public var hasWarnings: Bool { findings.contains { $0.severity <= .warning } }
}
