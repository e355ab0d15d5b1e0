import ArgumentParser
import PluginCheckReports
import PluginCompat

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check a plugin folder the way KrakenD loads it.",
        discussion: """
            Takes the files directly in FOLDER whose name contains --pattern, in file-name order
            (as KrakenD's plugin.folder and plugin.pattern), and predicts each plugin.Open in
            that order. Output and exit status as for `compare`.
            """
    )

    @Option(name: .shortAndLong, help: "Output format: text, json or sarif.")
    var format: CompareCommand.Format = .text

    @Option(help: "Load files whose name contains this (KrakenD's plugin.pattern).")
    var pattern: String = ".so"

    @Flag(help: "Exit with status 1 when a plugin loads with warnings.")
    var strict = false

    @Flag(name: .shortAndLong, help: "Also show informational findings (differences that do not stop loading).")
    var verbose = false

    @Option(help: "The target system's glibc version (e.g. 2.31), to decide GLIBC_x.y requirements.")
    var targetGlibc: String?

    @Option(help: "Root under which a musl gateway's C library is looked up (default: this machine, /).")
    var sysroot: String = "/"

    @Argument(help: "The plugin folder.")
    var folder: String

    @Argument(help: "The gateway executable.")
    var gateway: String

    func validate() throws {
        if CompareOptions(targetGlibcVersion: targetGlibc, sysroot: sysroot) == nil {
            throw ValidationError("--target-glibc takes a version such as 2.31.")
        }
    }

    func run() throws {
        let options = CompareOptions(targetGlibcVersion: targetGlibc, sysroot: sysroot) ?? CompareOptions()
        let report = Compatibility.audit(folder: folder, pattern: pattern, gateway: gateway, options: options)
        throw CompareCommand.emit(report, format: format, strict: strict, verbose: verbose)
    }
}
