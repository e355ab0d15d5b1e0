import ArgumentParser
import PluginCheckReports

extension RecipeReport.Format: ExpressibleByArgument {}

/// `plugincheck recipe`: the build of a plugin that the given gateway will load.
struct RecipeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recipe",
        abstract: "Print the build of a plugin that this gateway will load: toolchain, environment, go.mod edits, go build line.",
        discussion: """
            Reads what the gateway binary records about its own build (toolchain, GOOS/GOARCH \
            and architecture level, C library, -trimpath, -race, -tags, GOEXPERIMENT, -gcflags, \
            modules and, when it was not trimmed, the directories its packages were compiled \
            from) and writes a runnable shell script (default), a Dockerfile or JSON. With the \
            plugin's module folder, the script also aligns its go.mod with the gateway's modules \
            (as deps --fix does). See docs/recipe.md.

            Exit status: 0 a recipe was written; 1 no plugin can load into this gateway (the \
            recipe says why); 2 the gateway (or module folder) cannot be read; 64 a usage error.
            """
    )

    @Option(help: "The gateway executable to build for.")
    var gateway: String?

    @Option(help: "The gateway's container image (OCI image layout, directory or tar, or a docker-archive tarball): the recipe is for the program its entrypoint starts (or --gateway-path).")
    var image: String?

    @Option(help: "With --image: the gateway's path inside the image.")
    var gatewayPath: String?

    @Argument(help: "The plugin's module folder (optional): adds the go.mod edits that align it.")
    var module: String?

    @Option(help: "The plugin's package, relative to the module folder.")
    var package: String = "."

    @Option(name: .shortAndLong, help: "Output format: sh (a runnable script), dockerfile or json.")
    var format: RecipeReport.Format = .sh

    func validate() throws {
        if (gateway == nil) == (image == nil) { throw ValidationError("Give one of --gateway and --image.") }
        if gatewayPath != nil && image == nil { throw ValidationError("--gateway-path names a program inside --image.") }
    }

    func run() throws {
        let status = image.map {
            RecipeRun.run(image: $0, gatewayPath: gatewayPath, module: module, package: package, format: format,
                          stdout: StandardStreams.out, stderr: StandardStreams.err)
        } ?? RecipeRun.run(gateway: gateway!, module: module, package: package, format: format,
                           stdout: StandardStreams.out, stderr: StandardStreams.err)
        if status != 0 { throw ExitCode(status) }
    }
}
