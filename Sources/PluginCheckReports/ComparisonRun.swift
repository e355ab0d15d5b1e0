import Foundation
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

    /// `--gateway-path` or `--entrypoint`: the gateway is a program inside `image` (and so are
    /// audit's plugin folder and configuration, relative ones against the image's working
    /// directory), not a file of this machine.
    public enum GatewayInImage: Sendable, Equatable {
        case entrypoint
        case path(String)
    }
    public var gatewayInImage: GatewayInImage?

    /// `gateway`: nil when it is inside the image (`gatewayInImage`).
    public func compare(plugins: [String], gateway: String?) -> Int32 {
        withTarget { options, unpacked in
            gatewayPath(gateway, unpacked, options) { Compatibility.compare(plugins: plugins, gateway: $0, options: options) }
        }
    }

    /// Runs `body` with the options for the target root: with `--image`, the image unpacked
    /// (removed afterwards; `wanted`, paths in the image, written whole), or the image's input
    /// error; with `--host-expectations`, the file read, or its input error; then writes the
    /// report, every path in the unpacked root named as in the image.
    func withTarget(wanted: [String] = [], _ body: (CompareOptions, UnpackedImage?) -> CompareReport) -> Int32 {
        var o = options
        if let hostExpectations {
            do { o.hostExpectations = try HostExpectations.read(path: hostExpectations) } catch { o.hostExpectationsError = error }
        }
        guard let image else { return emit(body(o, nil)) }
        o.image = image
        do {
            let unpacked = try UnpackedImage.unpack(image, wanted: Set(wanted))
            defer { unpacked.remove() }
            o.sysroot = unpacked.root
            return emit(Self.relabel(body(o, unpacked), root: unpacked.root))
        } catch {
            // No root to read: a path that does not exist, so nothing of this machine is read.
            // What could not be read in it (the gateway, the configuration) is the image's one line.
            let none = "/nonexistent/plugincheck-image"
            o.sysroot = none
            let line = CompareReport.InputError(path: error.path, reason: error.reason)
            o.imageError = .init(path: error.path, reason: error.reason)
            var report = body(o, nil)
            report.inputErrors.removeAll { $0.path == none || $0.path.hasPrefix(none + "/") || $0 == line }
            report.inputErrors.insert(line, at: 0)
            return emit(report)
        }
    }

    /// Runs `body` with the path the gateway is read at: the path given, or the program in the
    /// image (its entrypoint's, or `--gateway-path`). An image that names no program is the
    /// report's input error.
    func gatewayPath(_ given: String?, _ unpacked: UnpackedImage?, _ options: CompareOptions, _ body: (String) -> CompareReport) -> CompareReport {
        let root = unpacked?.root ?? options.sysroot
        let inImage: String
        switch gatewayInImage {
        case nil: return body(given ?? "")
        case .path(let p): inImage = p
        case .entrypoint:
            guard let unpacked, let program = unpacked.entrypointProgram() else {
                let missing = root + "/(no entrypoint)"
                var report = body(missing)
                if let unpacked {
                    // The gateway that could not be read is the image's one line; other inputs keep theirs.
                    report.inputErrors.removeAll { $0.path == missing }
                    report.inputErrors.insert(.init(path: unpacked.image, reason: "the image has no entrypoint or command: name the gateway with --gateway-path"), at: 0)
                }
                return report
            }
            inImage = program
        }
        return body(PluginFolder.location(of: inImage, workdir: unpacked?.workingDirectory ?? "/", root: root))
    }

    /// A report of any kind with every path of the unpacked root written as the image names
    /// it: the encoded report, the root's prefix replaced (the root is a fresh mkdtemp path, so
    /// it stands for nothing else), decoded again.
    static func relabel<Report: Codable>(_ report: Report, root: String) -> Report {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        guard let data = try? encoder.encode(report) else { return report }
        let text = String(decoding: data, as: UTF8.self)
            .replacingOccurrences(of: root + "/", with: "/").replacingOccurrences(of: root, with: "/")
        return (try? JSONDecoder().decode(Report.self, from: Data(text.utf8))) ?? report
    }

    /// `workdir`: the gateway's working directory; `allowEmpty`: a folder in which nothing
    /// matches is not an input error.
    public func audit(folder: String, pattern: String, gateway: String?, workdir: String = ".", allowEmpty: Bool = false) -> Int32 {
        withTarget { options, unpacked in
            let report = gatewayPath(gateway, unpacked, options) {
                Compatibility.audit(folder: folder, pattern: pattern, gateway: $0, options: options,
                                    audit: auditOptions(workdir, allowEmpty, unpacked, options))
            }
            Self.endProgress()
            return report
        }
    }

    public func audit(configuration: String, gateway: String?, workdir: String = ".", allowEmpty: Bool = false) -> Int32 {
        // In the image, a relative configuration is --workdir's when given, else the image's
        // working directory's (which the unpacking resolves).
        let inImage = workdir == "." || configuration.hasPrefix("/") ? configuration : workdir + "/" + configuration
        return withTarget(wanted: gatewayInImage == nil ? [] : [inImage]) { options, unpacked in
            let audit = auditOptions(workdir, allowEmpty, unpacked, options)
            let path = gatewayInImage == nil ? configuration : PluginFolder.location(of: configuration, workdir: audit.workdir, root: audit.root)
            let report = gatewayPath(gateway, unpacked, options) { Compatibility.audit(configuration: path, gateway: $0, options: options, audit: audit) }
            Self.endProgress()
            return report
        }
    }

    /// With the gateway in the image, the folder is read in the image's root, from its working
    /// directory unless `--workdir` names another.
    func auditOptions(_ workdir: String, _ allowEmpty: Bool, _ unpacked: UnpackedImage?, _ options: CompareOptions) -> AuditOptions {
        guard gatewayInImage != nil else { return AuditOptions(workdir: workdir, allowEmpty: allowEmpty, progress: Self.progress) }
        let inImage = workdir == "." ? (unpacked?.workingDirectory ?? "/") : workdir
        return AuditOptions(workdir: inImage, allowEmpty: allowEmpty, progress: Self.progress, root: unpacked?.root ?? options.sysroot)
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
