import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One run of a program, with what a hostile input could blow up: wall time, peak memory
/// (the child's `ru_maxrss`, from wait4) and how it ended.
struct Run {
    var stdout: String
    /// stdout as bytes (invalid UTF-8 included), for byte-for-byte comparisons.
    var rawStdout: Data
    var stderr: String
    /// The exit status; nil when killed by a signal.
    var status: Int32?
    var signal: Int32?
    var timedOut: Bool
    var seconds: Double
    var peakRSSKiB: Int

    var stderrLines: [Substring] { stderr.split(separator: "\n", omittingEmptySubsequences: true) }
    var summary: String {
        "status \(status.map(String.init) ?? "none") signal \(signal.map(String.init) ?? "none")\(timedOut ? " TIMED OUT" : "") "
            + "\(String(format: "%.3f", seconds)) s \(peakRSSKiB / 1024) MiB\nstderr: \(stderr.prefix(2000))\nstdout: \(stdout.prefix(600))"
    }

    /// Runs `argv` with stdin from /dev/null and stdout/stderr to files (no pipe can fill up);
    /// kills it after `timeout` seconds. The peak memory is measured by GNU time: the test
    /// process cannot measure it itself, because a child's `ru_maxrss` starts from the RSS
    /// of the process it was spawned from (Linux carries the high-water mark across exec).
    /// Where the children's output and GNU time's figure go.
    static let workDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("plugincheck-run-\(getpid())")

    static func removeWorkDirectory() {
        try? FileManager.default.removeItem(at: workDirectory)
    }

    static func spawn(_ argv: [String], timeout: Double = 20) throws -> Run {
        let rssPath = workDirectory.appendingPathComponent("rss").path
        var run = try spawnDirect(["/usr/bin/time", "-f", "%M", "-o", rssPath] + argv, timeout: timeout)
        let rss = (try? String(contentsOfFile: rssPath, encoding: .utf8)) ?? ""
        // GNU time writes "Command terminated by signal N" before the figure when the child dies.
        if let sig = rss.split(separator: "\n").first(where: { $0.hasPrefix("Command terminated by signal ") }) {
            run.signal = Int32(sig.split(separator: " ").last ?? "")
        }
        run.peakRSSKiB = Int(rss.split(separator: "\n").last ?? "") ?? -1
        return run
    }

    static func spawnDirect(_ argv: [String], timeout: Double) throws -> Run {
        let dir = workDirectory
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let outPath = dir.appendingPathComponent("out").path, errPath = dir.appendingPathComponent("err").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var cargs = argv.map { strdup($0) } + [nil]
        defer { cargs.forEach { free($0) } }
        var env = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { env.forEach { free($0) } }
        var pid: pid_t = 0
        let start = DispatchTime.now().uptimeNanoseconds
        let rc = posix_spawn(&pid, argv[0], &actions, nil, &cargs, &env)
        guard rc == 0 else { throw NSError(domain: "spawn", code: Int(rc), userInfo: [NSLocalizedDescriptionKey: "spawn \(argv[0]): \(String(cString: strerror(rc)))"]) }
        var status: Int32 = 0
        var usage = rusage()
        var timedOut = false
        while true {
            let r = wait4(pid, &status, WNOHANG, &usage)
            if r == pid { break }
            if r < 0 && errno != EINTR { break }
            if Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 > timeout && !timedOut {
                timedOut = true
                kill(pid, SIGKILL)
            }
            usleep(1000)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let exited = status & 0x7f == 0
        let out = (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data()
        let err = (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data()
        return Run(stdout: String(decoding: out, as: UTF8.self), rawStdout: out, stderr: String(decoding: err, as: UTF8.self),
                   status: exited ? (status >> 8) & 0xff : nil, signal: exited ? nil : status & 0x7f,
                   timedOut: timedOut, seconds: seconds, peakRSSKiB: Int(usage.ru_maxrss))
    }
}
