import ArgumentParser
import PluginCheckReports

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check a plugin folder the way KrakenD loads it.",
        usage: """
            plugincheck audit [<options>] <folder> <gateway>
            plugincheck audit [<options>] --config <krakend.json|yaml|toml> <gateway>
            plugincheck audit --image <image> --entrypoint [<options>] --config <path in the image>
            """,
        discussion: """
            Takes the entries of the folder that are not directories and whose name contains \
            the pattern, in name order, each as the folder joined with the name (lura's Scan, \
            as KrakenD's plugin.folder and plugin.pattern), and predicts each plugin.Open in \
            that order. With --config, the folder and pattern come from the configuration, a \
            relative folder is resolved against --workdir (the gateway's working directory), \
            and every plugin kind the configuration uses must be provided by a plugin that \
            loads. A folder that cannot be read, a folder where nothing matches (unless \
            --allow-empty) and a configuration that cannot be used are input errors. Output \
            as for `compare`.

            Exit status: 0 every plugin loads and every plugin kind the configuration uses is \
            provided; 1 a plugin fails, crashes or cannot be decided, or the configuration \
            asks for what no loading plugin provides (with --strict, also warnings); 2 an \
            input prevents a decision; 64 a usage error.
            """
    )

    @OptionGroup var report: ReportOptions

    @Option(help: "Load files whose name contains this (KrakenD's plugin.pattern); not with --config.")
    var pattern: String?

    @Option(name: .customLong("config"), help: "KrakenD's configuration (JSON, YAML or TOML): plugin.folder, plugin.pattern and the plugins it asks for.")
    var configuration: String?

    @Option(help: "The gateway's working directory, against which a relative plugin folder is resolved.")
    var workdir: String = "."

    @Flag(help: "A folder in which nothing matches is not an error (the gateway really loads no plugin).")
    var allowEmpty = false

    @Argument(help: "The plugin folder (not with --config), then the gateway executable.")
    var paths: [String] = []

    func validate() throws {
        // With the gateway in the image, there is no gateway argument.
        let gateway = report.gatewayInImage ? 0 : 1
        if configuration != nil {
            if pattern != nil { throw ValidationError("--pattern comes from the configuration: give one of --config and --pattern.") }
            if paths.count != gateway { throw ValidationError(gateway == 1 ? "With --config, give the gateway executable only." : "With --config and the gateway in the image, give no path.") }
        } else if paths.count != 1 + gateway {
            throw ValidationError(gateway == 1 ? "Give the plugin folder and then the gateway executable (or --config and the gateway)."
                                               : "Give the plugin folder in the image (or --config).")
        }
    }

    func run() throws {
        let run = report.run!
        let gateway = report.gatewayInImage ? nil : paths.last
        if let configuration {
            throw ExitCode(run.audit(configuration: configuration, gateway: gateway, workdir: workdir, allowEmpty: allowEmpty))
        }
        throw ExitCode(run.audit(folder: paths[0], pattern: pattern ?? ".so", gateway: gateway, workdir: workdir, allowEmpty: allowEmpty))
    }
}
