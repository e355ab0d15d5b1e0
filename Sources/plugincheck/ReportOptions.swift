import ArgumentParser
import PluginCheckReports

extension ComparisonRun.Format: ExpressibleByArgument {}
extension TerminalStyle.Mode: ExpressibleByArgument {}

/// The options `compare` and `audit` share: how to report, and what the files cannot tell.
struct ReportOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Output format: text, json, sarif, junit (JUnit XML) or gitlab (GitLab Code Quality).")
    var format: ComparisonRun.Format = .text

    @Option(help: "Colour in the text report: auto (when standard output is a terminal and NO_COLOR is not set), always or never.")
    var color: TerminalStyle.Mode = .auto

    @Option(help: "Where SARIF's helpUri links point: the URL of a copy of docs/.")
    var docsURL: String = SARIFReport.installedDocs

    @Flag(help: "Exit with status 1 when a plugin loads with warnings.")
    var strict = false

    @Flag(name: .shortAndLong, help: "Also show informational findings (differences that do not stop loading).")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Print only the plugins with a problem, and the summary.")
    var quiet = false

    @Option(help: "The target system's glibc version (e.g. 2.31), to decide GLIBC_x.y requirements.")
    var targetGlibc: String?

    @Option(help: "The gateway system's root file system (its image unpacked), under which a musl gateway's C library is looked up; / is this machine.")
    var sysroot: String = "/"

    @Option(help: "The gateway's container image (an OCI image layout, directory or tar, or a docker-archive tarball as docker save and skopeo write): its layers are unpacked into a private temporary folder and read as --sysroot.")
    var image: String?

    @Option(help: "With --image: the gateway's path inside the image. Every path argument is then a plugin, and audit's folder and --config are read inside the image (relative ones from its working directory, or --workdir).")
    var gatewayPath: String?

    @Flag(help: "With --image: the gateway is the program the image's entrypoint (or command) starts; otherwise as --gateway-path.")
    var entrypoint = false

    /// Whether the gateway is inside the image (no gateway argument).
    var gatewayInImage: Bool { gatewayPath != nil || entrypoint }
    @Option(help: ArgumentHelp("What the host type-asserts each plugin symbol to, instead of KrakenD's (lura v2's) registerer interfaces: a JSON file (docs/checks/registerer-interface.md).", valueName: "file"))
    var hostExpectations: String?

    func validate() throws {
        if image != nil && sysroot != "/" { throw ValidationError("Give one of --image and --sysroot.") }
        if gatewayInImage && image == nil { throw ValidationError("--gateway-path and --entrypoint name a program inside --image.") }
        if gatewayPath != nil && entrypoint { throw ValidationError("Give one of --gateway-path and --entrypoint.") }
        if run == nil { throw ValidationError("--target-glibc takes a version such as 2.31.") }
    }

    var run: ComparisonRun? {
        var run = ComparisonRun(format: format, strict: strict, verbose: verbose, targetGlibc: targetGlibc, sysroot: sysroot)
        run?.quiet = quiet
        run?.color = color
        run?.docsURL = docsURL
        run?.image = image
        if let gatewayPath { run?.gatewayInImage = .path(gatewayPath) } else if entrypoint { run?.gatewayInImage = .entrypoint }
        run?.hostExpectations = hostExpectations
        return run
    }
}
