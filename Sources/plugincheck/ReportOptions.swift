import ArgumentParser
import PluginCheckReports
import PluginCompat

/// The options `compare` and `audit` share: how to report, and what the files cannot tell.
struct ReportOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, sarif
    }

    @Option(name: .shortAndLong, help: "Output format: text, json or sarif.")
    var format: Format = .text

    @Flag(help: "Exit with status 1 when a plugin loads with warnings.")
    var strict = false

    @Flag(name: .shortAndLong, help: "Also show informational findings (differences that do not stop loading).")
    var verbose = false

    @Option(help: "The target system's glibc version (e.g. 2.31), to decide GLIBC_x.y requirements.")
    var targetGlibc: String?

    @Option(help: "Root under which a musl gateway's C library is looked up (default: this machine, /).")
    var sysroot: String = "/"

    func validate() throws {
        if CompareOptions(targetGlibcVersion: targetGlibc, sysroot: sysroot) == nil {
            throw ValidationError("--target-glibc takes a version such as 2.31.")
        }
    }

    var compareOptions: CompareOptions {
        CompareOptions(targetGlibcVersion: targetGlibc, sysroot: sysroot) ?? CompareOptions()
    }

    /// Writes the report and the input-error lines; returns the exit code to end with.
    func emit(_ report: CompareReport) -> ExitCode {
        for e in report.inputErrors { StandardStreams.err("\(e.path): \(e.reason)\n") }
        switch format {
        case .text: StandardStreams.out(CompareTextReport.render(report, verbose: verbose))
        case .json: StandardStreams.out(CompareJSONReport.render(report) + "\n")
        case .sarif: StandardStreams.out(SARIFReport.render(report) + "\n")
        }
        return ExitCode(report.exitStatus(strict: strict))
    }
}
