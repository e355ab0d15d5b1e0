import PluginCompat

/// `compare` and `audit` as library calls: run the comparison, write the report in the
/// chosen format on standard output and one line per unreadable input on standard error,
/// and return the exit status.
public struct ComparisonRun {
    public enum Format: String, CaseIterable, Sendable {
        case text, json, sarif
    }

    public var format: Format
    /// Exit with status 1 when a plugin loads with warnings.
    public var strict: Bool
    /// Also show informational findings (text only).
    public var verbose: Bool
    /// Only the plugins with a problem, and the summary (text only).
    public var quiet = false
    public var options: CompareOptions

    /// Nil when `targetGlibc` is not a version such as `2.31`.
    public init?(format: Format = .text, strict: Bool = false, verbose: Bool = false, targetGlibc: String? = nil, sysroot: String = "/") {
        guard let options = CompareOptions(targetGlibcVersion: targetGlibc, sysroot: sysroot) else { return nil }
        self.format = format
        self.strict = strict
        self.verbose = verbose
        self.options = options
    }

    public func compare(plugins: [String], gateway: String) -> Int32 {
        emit(Compatibility.compare(plugins: plugins, gateway: gateway, options: options))
    }

    /// `workdir`: the gateway's working directory; `allowEmpty`: a folder in which nothing
    /// matches is not an input error.
    public func audit(folder: String, pattern: String, gateway: String, workdir: String = ".", allowEmpty: Bool = false) -> Int32 {
        emit(Compatibility.audit(folder: folder, pattern: pattern, gateway: gateway, options: options,
                                 audit: AuditOptions(workdir: workdir, allowEmpty: allowEmpty)))
    }

    public func audit(configuration: String, gateway: String, workdir: String = ".", allowEmpty: Bool = false) -> Int32 {
        emit(Compatibility.audit(configuration: configuration, gateway: gateway, options: options,
                                 audit: AuditOptions(workdir: workdir, allowEmpty: allowEmpty)))
    }

    /// Writes the report and the input-error lines; returns the exit status.
    public func emit(_ report: CompareReport) -> Int32 {
        for e in report.inputErrors { StandardStreams.err(e.line1 + "\n") }
        switch format {
        case .text: StandardStreams.out(CompareTextReport.render(report, verbose: verbose, quiet: quiet))
        case .json: StandardStreams.out(CompareJSONReport.render(report) + "\n")
        case .sarif: StandardStreams.out(SARIFReport.render(report) + "\n")
        }
        return report.exitStatus(strict: strict)
    }
}
