import ArgumentParser
import PluginCheckReports

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show what a Go plugin or gateway binary is made of.",
        discussion: """
            Exit status: 0 when every file was read, 2 when a file could not be read, 64 a \
            usage error. With --format goversion, output and exit status are those of \
            `go version -m`.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, goversion
    }

    @Option(name: .shortAndLong, help: "Output format: text, json, or goversion (byte-identical to `go version -m`).")
    var format: Format = .text

    @Argument(help: "ELF files (or, with --format goversion, directories) to inspect.")
    var paths: [String]

    func validate() throws {
        if paths.isEmpty { throw ValidationError("Name at least one file to inspect.") }
    }

    func run() throws {
        let status: Int32
        switch format {
        case .goversion:
            let command = GoVersionCommand(stdout: StandardStreams.out, stderr: StandardStreams.err)
            status = command.run(paths)
        case .text, .json:
            status = Inspection.run(paths: paths, json: format == .json,
                                    stdout: StandardStreams.out, stderr: StandardStreams.err)
        }
        if status != 0 { throw ExitCode(status) }
    }
}
