import PluginCompat

/// `compare` and `audit` as library calls: run the comparison, write the report in the
/// chosen format on standard output and one line per unreadable input on standard error,
/// and return the exit status.
public struct ComparisonRun {
    public enum Format: String, CaseIterable, Sendable {
        case text, json, sarif, junit, gitlab
    }

    public var format: Format
    /// Exit with status 1 when a plugin loads with warnings.
    public var strict: Bool
    /// Also show informational findings (text only).
    public var verbose: Bool
    /// Only the plugins with a problem, and the summary (text only).
    public var quiet = false
    /// Where SARIF's `helpUri`s point: a copy of docs/ (the installed one by default).
    public var docsURL = SARIFReport.installedDocs
    /// Colour in the text report.
    public var color = TerminalStyle.Mode.auto
    public var options: CompareOptions
    /// `--image`: a container image (OCI image layout, directory or tar, or a docker-archive
    /// tarball) whose root, unpacked into a private temporary folder, is the sysroot.
    public var image: String?
    /// `--host-expectations`: a file of what the host asserts each registerer to
    /// (HostExpectations), instead of lura's interfaces.
    public var hostExpectations: String?

    /// Nil when `targetGlibc` is not a version such as `2.31`.
    public init?(format: Format = .text, strict: Bool = false, verbose: Bool = false, targetGlibc: String? = nil, sysroot: String = "/") {
        guard let options = CompareOptions(targetGlibcVersion: targetGlibc, sysroot: sysroot) else { return nil }
        self.format = format
        self.strict = strict
        self.verbose = verbose
        self.options = options
    }

    public func compare(plugins: [String], gateway: String) -> Int32 {
        withTarget { emit(Compatibility.compare(plugins: plugins, gateway: gateway, options: $0)) }
    }

    /// Runs `body` with the options for the target root: with `--image`, the image unpacked
    /// (removed afterwards), or the image's input error; with `--host-expectations`, the file
    /// read, or its input error.
    func withTarget(_ body: (CompareOptions) -> Int32) -> Int32 {
        var o = options
        if let hostExpectations {
            do { o.hostExpectations = try HostExpectations.read(path: hostExpectations) } catch { o.hostExpectationsError = error }
        }
        guard let image else { return body(o) }
        o.image = image
        do {
            let unpacked = try UnpackedImage.unpack(image)
            defer { unpacked.remove() }
            o.sysroot = unpacked.root
            return body(o)
        } catch {
            // No root to read: a path that does not exist, so nothing of this machine is read.
            o.sysroot = "/nonexistent/plugincheck-image"
            o.imageError = .init(path: error.path, reason: error.reason)
            return body(o)
        }
    }

    /// `workdir`: the gateway's working directory; `allowEmpty`: a folder in which nothing
    /// matches is not an input error.
    public func audit(folder: String, pattern: String, gateway: String, workdir: String = ".", allowEmpty: Bool = false) -> Int32 {
        withTarget { options in
            let report = Compatibility.audit(folder: folder, pattern: pattern, gateway: gateway, options: options,
                                             audit: AuditOptions(workdir: workdir, allowEmpty: allowEmpty, progress: Self.progress))
            Self.endProgress()
            return emit(report)
        }
    }

    public func audit(configuration: String, gateway: String, workdir: String = ".", allowEmpty: Bool = false) -> Int32 {
        withTarget { options in
            let report = Compatibility.audit(configuration: configuration, gateway: gateway, options: options,
                                             audit: AuditOptions(workdir: workdir, allowEmpty: allowEmpty, progress: Self.progress))
            Self.endProgress()
            return emit(report)
        }
    }

    /// Progress goes to standard error, only when it is a terminal, and only for folders of
    /// more than a handful of files: one line, rewritten in place.
    static let progressThreshold = 5
    static let progress: (@Sendable (Int, Int, String) -> Void)? = {
        guard StandardStreams.isTerminal(2) else { return nil }
        return { (done: Int, total: Int, path: String) in
            guard total > progressThreshold else { return }
            StandardStreams.err("\r\u{1b}[Kchecking \(done + 1)/\(total) \(path)")
        }
    }()

    static func endProgress() {
        if progress != nil { StandardStreams.err("\r\u{1b}[K") }
    }

    /// Writes the report and the input-error lines; returns the exit status.
    public func emit(_ report: CompareReport) -> Int32 {
        for e in report.inputErrors { StandardStreams.err(e.line1 + "\n") }
        switch format {
        case .text: StandardStreams.out(CompareTextReport.render(report, verbose: verbose, quiet: quiet, style: .resolve(color)))
        case .json: StandardStreams.out(CompareJSONReport.render(report) + "\n")
        case .sarif: StandardStreams.out(SARIFReport.render(report, docsURL: docsURL) + "\n")
        case .junit: StandardStreams.out(JUnitReport.render(report, command: report.audit == nil ? "compare" : "audit") + "\n")
        case .gitlab: StandardStreams.out(GitLabReport.render(report) + "\n")
        }
        return report.exitStatus(strict: strict)
    }
}
