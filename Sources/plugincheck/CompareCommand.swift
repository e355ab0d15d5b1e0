import ArgumentParser
import PluginCheckReports
import PluginCompat

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Predict what the gateway's plugin.Open does with each plugin.",
        discussion: """
            Give the plugins in the order the gateway loads them, then the gateway binary.
            Exit status: 0 every plugin loads (warnings allowed unless --strict); 1 a plugin
            fails, crashes the gateway or cannot be decided, or with --strict loads with
            warnings; 2 an input could not be read.
            """
    )

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

    @Argument(help: "Plugins in load order, then the gateway executable.")
    var paths: [String]

    func validate() throws {
        if paths.count < 2 { throw ValidationError("Give at least one plugin and then the gateway binary.") }
        if CompareOptions(targetGlibcVersion: targetGlibc, sysroot: sysroot) == nil {
            throw ValidationError("--target-glibc takes a version such as 2.31.")
        }
    }

    func run() throws {
        let options = CompareOptions(targetGlibcVersion: targetGlibc, sysroot: sysroot) ?? CompareOptions()
        let report = Compatibility.compare(plugins: Array(paths.dropLast()), gateway: paths.last!, options: options)
        throw Self.emit(report, format: format, strict: strict, verbose: verbose)
    }

    /// Writes the report and the input-error lines; returns the exit code to end with.
    static func emit(_ report: CompareReport, format: Format, strict: Bool, verbose: Bool) -> ExitCode {
        for e in report.inputErrors { StandardStreams.err("\(e.path): \(e.reason)\n") }
        switch format {
        case .text: StandardStreams.out(CompareTextReport.render(report, verbose: verbose))
        case .json: StandardStreams.out(CompareJSONReport.render(report) + "\n")
        case .sarif: StandardStreams.out(SARIFReport.render(report) + "\n")
        }
        return ExitCode(report.exitStatus(strict: strict))
    }
}
