import ArgumentParser
import PluginCheckReports

struct PluginCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugincheck",
        abstract: "Check compiled Go plugins against the binary that will load them.",
        discussion: """
            Exit status: 0 the files were read and every plugin loads; 1 a plugin fails, \
            crashes the gateway or cannot be decided (and with --strict, loads with a \
            warning); 2 an input prevents a decision (a file, folder or configuration that \
            cannot be read); 64 a usage error. With `inspect --format goversion`, the exit \
            status is that of `go version -m`.

            Shell completions: `plugincheck --generate-completion-script bash` (or zsh, fish).
            """,
        version: ToolVersion.current,
        subcommands: [InspectCommand.self, CompareCommand.self, AuditCommand.self, ExplainCommand.self, DepsCommand.self, RecipeCommand.self]
    )
}
