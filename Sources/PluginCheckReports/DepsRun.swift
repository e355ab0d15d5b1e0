#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import PluginCompat

/// `deps` as a library call: check, write the chosen output on standard output and one
/// line per unreadable input on standard error, return the exit status.
public struct DepsRun {
    public enum Output: String, CaseIterable, Sendable {
        case text, json
    }

    public var output: Output = .text
    /// check-plugin's `-f`: print the fix commands after the report.
    public var printFixes = false
    /// `--fix`: print only the shell script that aligns the module.
    public var fixScript = false
    public var strict = false
    public var verbose = false
    public var color = TerminalStyle.Mode.auto
    public var options: DependencyOptions

    public init(options: DependencyOptions) { self.options = options }

    /// The command line's values; `flags` is split as a shell would, the environment is this process's.
    public init(path: String, gateway: String, sumFile: String?, goVersion: String?, libc: String?, flags: String) {
        options = DependencyOptions(path: path, gateway: gateway, sumFile: sumFile, goVersion: goVersion, libc: libc,
                                    flags: DependencyBuildFlags.words(flags), environment: Self.processEnvironment())
    }

    /// The variables the go command would read, from this process's environment.
    public static let environmentKeys = ["GOFLAGS", "GOWORK", "GOTOOLCHAIN", "GOMODCACHE", "GOPATH", "HOME", "GOEXPERIMENT", "GOARCH", "CC", "PATH", "PWD"]

    public static func processEnvironment() -> [String: String] {
        var env: [String: String] = [:]
        for k in environmentKeys { if let v = getenv(k) { env[k] = String(cString: v) } }
        return env
    }

    public func run() -> Int32 {
        let report = DependencyCheck.run(options)
        emit(report)
        return report.exitStatus(strict: strict)
    }

    public func emit(_ report: DependencyReport) {
        for e in report.inputErrors { StandardStreams.err(e.line1 + "\n") }
        for m in report.missing { StandardStreams.err("\(m.path): go.mod of \(m.module) \(m.reason)\n") }
        if fixScript {
            StandardStreams.out(report.fixScript)
            return
        }
        switch output {
        case .text:
            StandardStreams.out(DepsTextReport.render(report, verbose: verbose, style: .resolve(color)))
            if printFixes { StandardStreams.out(DepsTextReport.fixes(report)) }
        case .json:
            StandardStreams.out(DepsJSONReport.render(report) + "\n")
        }
    }
}
