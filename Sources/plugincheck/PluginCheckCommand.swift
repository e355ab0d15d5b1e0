import ArgumentParser


struct PluginCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugincheck",
        abstract: "Check compiled Go plugins against the binary that will load them.",
        subcommands: [InspectCommand.self, CompareCommand.self, AuditCommand.self]
    )
}
