import ArgumentParser
import PluginCheckReports

extension DepsRun.Output: ExpressibleByArgument {}

/// `plugincheck deps`: KrakenD's `check-plugin`, from the module folder and the gateway binary.
struct DepsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deps",
        abstract: "Before building: will the plugin module's dependencies, toolchain and flags match the gateway?",
        discussion: """
            Works out what `go build` in the module folder will select (go.mod, go.work, \
            vendor/modules.txt, minimum version selection over the module cache; never the \
            network) and compares it with the gateway binary's build info. Accepts \
            `krakend check-plugin`'s flags (-s, -g, -l, -f). See docs/deps.md.

            Exit status: 0 aligned (or only undecidable differences, unless --strict); 1 \
            differences; 2 an input prevents a decision (an unreadable or unparsable file, \
            a go.mod missing from the module cache); 64 a usage error.
            """
    )

    @Option(help: "The gateway executable whose build info is the reference.")
    var gateway: String

    @Argument(help: "The plugin's module folder, its go.mod or its go.sum (default: the current folder).")
    var path: String = "."

    @Option(name: [.customShort("s"), .long], help: "check-plugin's go.sum path: its folder is the module folder.")
    var sum: String?

    @Option(name: [.customShort("g"), .customLong("go")], help: "The Go version that will build the plugin (default: predicted from go.mod, GOTOOLCHAIN and the go on PATH).")
    var goVersion: String?

    @Option(name: [.customShort("l"), .long], help: "The C library the plugin is built against: glibc or musl (default: not compared).")
    var libc: String?

    @Flag(name: [.customShort("f"), .customLong("print-fixes")], help: "check-plugin's -f: also print the fix commands.")
    var printFixes = false

    @Option(help: "The build flags the plugin is built with, e.g. \"-trimpath -tags=x\" (GOFLAGS is read too).")
    var flags: String = ""

    @Flag(help: "Print a shell script that aligns the module (go get, go mod edit, go mod vendor) instead of the report.")
    var fix = false

    @Option(name: .customLong("format"), help: "Output format: text or json.")
    var output: DepsRun.Output = .text

    @Option(help: "Colour in the text report: auto, always or never.")
    var color: TerminalStyle.Mode = .auto

    @Flag(help: "Exit with status 1 when only undecidable differences are found.")
    var strict = false

    @Flag(name: .shortAndLong, help: "Also list every shared module and informational findings.")
    var verbose = false

    func run() throws {
        var run = DepsRun(path: path, gateway: gateway, sumFile: sum, goVersion: goVersion, libc: libc, flags: flags)
        run.output = output
        run.printFixes = printFixes
        run.fixScript = fix
        run.strict = strict
        run.verbose = verbose
        run.color = color
        throw ExitCode(run.run())
    }
}
