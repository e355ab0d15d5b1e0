#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import PluginCheckReports

// `inspect --format goversion FILE` stands in for `go version -m`, which answers in a few
// milliseconds; argument parsing through reflection costs more than reading the file, so this
// one exact shape of command line skips it. Anything else (help, other options) goes through
// swift-argument-parser as usual.
if let paths = GoVersionFastPath.paths(in: Array(CommandLine.arguments.dropFirst())) {
    let command = GoVersionCommand(stdout: StandardStreams.out, stderr: StandardStreams.err)
    exit(command.run(paths))
}
// The same for `compare P... G` and `audit FOLDER G` without options (see ComparisonFastPath).
if let status = ComparisonFastPath.run(Array(CommandLine.arguments.dropFirst())) {
    exit(status)
}
PluginCheckCommand.main()
