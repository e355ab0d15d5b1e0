/// What a gateway's log says about its plugins, explained: `plugincheck explain`'s model.
///
/// `ExplanationReport(log:)` finds, among the lines of a pasted log (KrakenD, Tyk, any Go
/// program that calls `plugin.Open`), the messages of the plugin loading path: Go's
/// `plugin.Open` and `Lookup` errors, the dynamic loader's (glibc's and musl's) `dlopen`
/// errors, the runtime's fatal errors, lura's wrappers and summaries. Each distinct message
/// becomes one `LogExplanation`: what happened, the check that covers it, the likely causes
/// ranked, what to do, and the values pulled from the line. `comparing(with:)` adds what
/// `plugincheck compare` predicts for the files. Values in, values out: nothing here reads a
/// file (the log is a string; the comparison is a `CompareReport` made by the caller).
public struct ExplanationReport: Sendable, Codable {
    public static let currentSchemaVersion = 1
    public var schemaVersion = ExplanationReport.currentSchemaVersion
    /// The version of plugincheck that wrote the report (set by the report writers).
    @Nullable public var toolVersion: String?
    /// Lines of input read.
    public var linesRead: Int
    /// Lines that hold a recognised message, a lura summary or a part of a crash's dump.
    public var linesRecognised: Int
    /// One per distinct message, in the order of first appearance.
    public var explanations: [LogExplanation]
    /// lura's `plugin loader found N error(s):` summaries, with how many of their items follow.
    public var loaderSummaries: [LoaderSummary]
    /// The files compared (`--plugin`, `--gateway`), when a comparison was asked for.
    @Nullable public var comparison: Comparison?
    /// Inputs that could not be read (exit status 2).
    public var inputErrors: [CompareReport.InputError]

    /// Explains every plugin-loading message of `log`.
    public init(log: String) {
        var scan = LogScan()
        scan.read(log)
        linesRead = scan.lineCount
        linesRecognised = scan.recognisedLines.count
        explanations = scan.explanations()
        loaderSummaries = scan.summaries
        comparison = nil
        inputErrors = []
    }

    /// 0: at least one message was explained; 1: none was recognised; 2: a file given for the
    /// comparison could not be read.
    public var exitStatus: Int32 {
        if !inputErrors.isEmpty { return 2 }
        return explanations.isEmpty ? 1 : 0
    }

    /// The files `comparing(with:)` was given, and what `compare` predicts for each plugin.
    public struct Comparison: Sendable, Codable {
        public var gateway: CompareReport.GatewaySummary
        public var plugins: [PluginVerdict]
    }
}

/// One distinct message of the log, explained.
public struct LogExplanation: Sendable, Codable {
    public var kind: LogMessageKind
    /// The check that covers it (its page is `documentation`).
    public var check: CheckID
    /// The message as the gateway logged it, without the log's own prefix (time, level, tag).
    public var message: String
    /// Where it appears in the input (the same message logged by several loaders is one
    /// explanation with several occurrences).
    public var occurrences: [Occurrence]
    /// Go's ` (previous failure)`: the same file failed before and the error is repeated.
    public var previousFailure: Bool
    /// What happened, in plain words.
    public var happened: String
    /// The values taken from the message.
    public var values: ExplainedValues
    /// The likely causes, most likely first.
    public var causes: [RankedCause]
    /// What to do.
    public var fix: String
    /// The check's page, relative to the repository root.
    public var documentation: String
    /// What `plugincheck compare` says about the files, with `--plugin` and `--gateway`.
    @Nullable public var prediction: PredictionMatch?

    /// The check and every cause's check.
    public var checks: [CheckID] {
        var out = [check]
        for c in causes where !out.contains(c.check) { out.append(c.check) }
        return out
    }

    /// Explains one message (a single line, without a log's context); nil when it is not one
    /// this program recognises.
    public static func explain(message: String) -> LogExplanation? {
        var scan = LogScan()
        scan.read(message)
        return scan.explanations().first
    }
}

/// Where a message appears.
public struct Occurrence: Sendable, Codable, Equatable {
    /// 1-based line number in the input.
    public var line: Int
    /// The KrakenD loader that logged it (`[SERVICE: Handler Plugin]`), when the line says.
    @Nullable public var loader: String?

    public init(line: Int, loader: String?) {
        self.line = line
        self.loader = loader
    }
}

/// A likely cause, with the check that covers it and its fix.
public struct RankedCause: Sendable, Codable, Equatable {
    /// 1 is the most likely.
    public var rank: Int
    public var check: CheckID
    public var cause: String
    public var fix: String
    /// With a comparison: whether the verdict for the plugin has a finding of this check
    /// (this cause applies here); null without one.
    @Nullable public var confirmed: Bool?

    public init(rank: Int, check: CheckID, cause: String, fix: String, confirmed: Bool? = nil) {
        self.rank = rank
        self.check = check
        self.cause = cause
        self.fix = fix
        self.confirmed = confirmed
    }
}

/// lura's summary of one loader's failures.
public struct LoaderSummary: Sendable, Codable, Equatable {
    public var line: Int
    @Nullable public var loader: String?
    /// The N of `plugin loader found N error(s):`.
    public var errors: Int
    /// How many of its items (`plugin #k (path): ...`) follow it in the input.
    public var listed: Int

    public init(line: Int, loader: String?, errors: Int, listed: Int) {
        self.line = line
        self.loader = loader
        self.errors = errors
        self.listed = listed
    }
}

/// The values a message carries; null when it does not carry one.
public struct ExplainedValues: Sendable, Codable, Equatable {
    /// The file as the gateway's loader named it: lura's `plugin #N (FILE)`, else the argument
    /// of `plugin.Open`.
    @Nullable public var plugin: String? = nil
    /// The argument of `plugin.Open("...")` (Go drops a trailing `.so` on a first open).
    @Nullable public var openedAs: String? = nil
    /// The file the dynamic loader names (the real path, or a library the plugin needs).
    @Nullable public var object: String? = nil
    /// The package whose fingerprint differs.
    @Nullable public var `package`: String? = nil
    /// Whether `package` is in Go's standard library.
    @Nullable public var standardLibrary: Bool? = nil
    /// A symbol: looked up, undefined, or not found by musl.
    @Nullable public var symbol: String? = nil
    /// The plugin's Go plugin path (its main package path), from a `Lookup` error.
    @Nullable public var goPluginPath: String? = nil
    /// A required symbol version (`GLIBC_2.34`).
    @Nullable public var requiredVersion: String? = nil
    /// The library that lacks it, or a library that could not be found.
    @Nullable public var library: String? = nil
    /// The object that requires it.
    @Nullable public var requiredBy: String? = nil
    @Nullable public var relocationType: Int? = nil
    /// `ELFCLASS32` or `ELFCLASS64`.
    @Nullable public var elfClass: String? = nil
    /// The system's reason (`Permission denied`, `No such file or directory`).
    @Nullable public var reason: String? = nil
    /// lura's loader, from its `unknown type` error (`http-server-handler`).
    @Nullable public var loaderKind: String? = nil
    /// lura's index of the file in its Scan result (`plugin #N`).
    @Nullable public var index: Int? = nil
    /// The plugin folder lura could not list.
    @Nullable public var folder: String? = nil
    /// The function that called `plugin.Open`, from a crash's goroutine dump.
    @Nullable public var calledFrom: String? = nil

    public init() {}

    /// Names of the plugin file this message is about, as written in it.
    var fileNames: [String] { [plugin, openedAs, requiredBy].compactMap { $0 } }
}

/// The messages recognised, one case per distinct wording.
public enum LogMessageKind: String, Sendable, Codable, CaseIterable {
    // Go's plugin package and runtime (plugin.Open's errors)
    case fingerprintMismatch = "fingerprint-mismatch"
    case alreadyLoaded = "already-loaded"
    case notImplemented = "not-implemented"
    case realpathFailed = "realpath-failed"
    case couldNotFindSymbol = "could-not-find-symbol"
    // Lookup and lura's loaders
    case symbolNotFound = "symbol-not-found"
    case unknownType = "unknown-type"
    case registererError = "registerer-error"
    case folderUnreadable = "folder-unreadable"
    // glibc's dlopen
    case otherCPU = "other-cpu"
    case missingLibrary = "missing-library"
    case permissionDenied = "permission-denied"
    case cannotOpen = "cannot-open"
    case wrongELFClass = "wrong-elf-class"
    case byteOrder = "byte-order"
    case osABI = "os-abi"
    case invalidELFHeader = "invalid-elf-header"
    case muslPluginOnGlibc = "musl-plugin-on-glibc"
    case fileTooShort = "file-too-short"
    case isADirectory = "is-a-directory"
    case cannotReadFile = "cannot-read-file"
    case executable
    case positionIndependentExecutable = "position-independent-executable"
    case notSharedObject = "not-shared-object"
    case executableStack = "executable-stack"
    case symbolVersionNotFound = "symbol-version-not-found"
    case undefinedSymbol = "undefined-symbol"
    // musl's dlopen
    case muslSymbolNotFound = "musl-symbol-not-found"
    case unsupportedRelocation = "unsupported-relocation"
    case execFormatError = "exec-format-error"
    case dynamicLoadingNotSupported = "dynamic-loading-not-supported"
    // the process dies
    case noPluginModuleData = "no-plugin-module-data"
    case emptyPluginPath = "empty-pluginpath"
    case moduleDataOverlap = "module-data-overlap"
    case crashInPluginOpen = "crash-in-plugin-open"
    case crashInDlopen = "crash-in-dlopen"
    case illegalInstruction = "illegal-instruction"

    /// The check that covers messages of this kind.
    public var check: CheckID {
        switch self {
        case .fingerprintMismatch: return .packageFingerprints
        case .alreadyLoaded: return .pluginPath
        case .notImplemented, .dynamicLoadingNotSupported, .crashInDlopen: return .hostPluginSupport
        case .realpathFailed, .permissionDenied, .cannotOpen, .folderUnreadable: return .pluginFile
        case .couldNotFindSymbol, .executable, .positionIndependentExecutable, .notSharedObject, .emptyPluginPath: return .goPlugin
        case .symbolNotFound, .unknownType, .registererError: return .registerers
        case .otherCPU, .wrongELFClass, .byteOrder, .osABI, .unsupportedRelocation: return .architecture
        case .missingLibrary, .muslPluginOnGlibc, .undefinedSymbol, .muslSymbolNotFound: return .libc
        case .invalidELFHeader, .fileTooShort, .isADirectory, .cannotReadFile, .executableStack, .execFormatError: return .elfFormat
        case .symbolVersionNotFound: return .glibcVersion
        case .noPluginModuleData, .moduleDataOverlap, .crashInPluginOpen: return .goRuntimeLayout
        case .illegalInstruction: return .cpuLevel
        }
    }

    /// The gateway process dies of it (rather than plugin.Open returning an error).
    public var isCrash: Bool {
        switch self {
        case .noPluginModuleData, .emptyPluginPath, .moduleDataOverlap, .crashInPluginOpen, .crashInDlopen, .illegalInstruction: return true
        default: return false
        }
    }

    /// After a successful plugin.Open: the gateway's look-up or registration failed.
    var isAfterOpen: Bool { self == .symbolNotFound || self == .unknownType || self == .registererError }
}
