import ArgumentParser
import PluginCheckReports

extension ExplainRun.Format: ExpressibleByArgument {}

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain what a gateway logged about a plugin: what happened, the check, the likely causes and the fix.",
        discussion: """
            Give the logged text as arguments (each argument is a line) or on standard input. A \
            whole log is fine (KrakenD, Tyk, any Go program): the lines of the plugin loading \
            path are found among the others, and a message logged several times is explained \
            once. With --plugin and --gateway, the files are also compared as `compare` does, \
            and each explanation says which cause applies and whether the prediction is what \
            was logged. docs/explain.md lists the messages recognised.

            Exit status: 0 at least one message was recognised; 1 none was; 2 a file given \
            with --plugin or --gateway could not be read; 64 a usage error.
            """
    )

    @Option(name: .shortAndLong, help: "Output format: text or json.")
    var format: ExplainRun.Format = .text

    @Option(help: "A plugin file to compare with the gateway (repeat it for several, in load order).")
    var plugin: [String] = []

    @Option(help: "The gateway executable that logged the text, to compare the plugins with.")
    var gateway: String?

    @Argument(help: "The logged text, one argument per line (read from standard input when none is given).")
    var text: [String] = []

    func validate() throws {
        if plugin.isEmpty != (gateway == nil) { throw ValidationError("Give --plugin and --gateway together.") }
        if text.isEmpty && ExplainRun.standardInputIsTerminal {
            throw ValidationError("Give the logged text as arguments, or pipe the log to standard input.")
        }
    }

    func run() throws {
        let log = text.isEmpty ? ExplainRun.readStandardInput() : text.joined(separator: "\n")
        throw ExitCode(ExplainRun(format: format).run(log: log, plugins: plugin, gateway: gateway))
    }
}
