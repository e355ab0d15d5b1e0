import ArgumentParser
import PluginCheckReports

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Predict what the gateway's plugin.Open does with each plugin.",
        discussion: """
            Give the plugins in the order the gateway loads them, then the gateway binary \
            (or, with --image and --gateway-path or --entrypoint, the plugins only: the \
            gateway is the image's).

            Exit status: 0 every plugin loads (warnings allowed unless --strict); 1 a plugin \
            fails, crashes the gateway or cannot be decided, or with --strict loads with \
            warnings; 2 an input prevents a decision (one line per input on standard error); \
            64 a usage error.
            """
    )

    @OptionGroup var report: ReportOptions

    @Argument(help: "Plugins in load order, then the gateway executable.")
    var paths: [String]

    func validate() throws {
        if report.gatewayInImage {
            if paths.isEmpty { throw ValidationError("Give at least one plugin (the gateway is the image's).") }
        } else if paths.count < 2 {
            throw ValidationError("Give at least one plugin and then the gateway binary.")
        }
    }

    func run() throws {
        if report.gatewayInImage { throw ExitCode(report.run!.compare(plugins: paths, gateway: nil)) }
        throw ExitCode(report.run!.compare(plugins: Array(paths.dropLast()), gateway: paths.last!))
    }
}
