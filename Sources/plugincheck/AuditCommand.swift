import ArgumentParser
import PluginCheckReports

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

    @OptionGroup var report: ReportOptions

    @Option(help: "Load files whose name contains this (KrakenD's plugin.pattern).")
    var pattern: String = ".so"

    @Argument(help: "The plugin folder.")
    var folder: String

    @Argument(help: "The gateway executable.")
    var gateway: String

    func run() throws {
        throw ExitCode(report.run!.audit(folder: folder, pattern: pattern, gateway: gateway))
    }
}
