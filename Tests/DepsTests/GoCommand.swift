import Foundation
import TestSupport

/// Runs the real go command of one of the fixture toolchains (.toolchains/go<ver>/go/bin/go),
/// offline: GOPROXY is a file:// proxy or off, telemetry off, the toolchain local.
enum GoCommand {
    static let version = "1.25.5"
    static var binary: String { Paths.root.appendingPathComponent(".toolchains/go\(version)/go/bin/go").path }

    struct Result { var status: Int32; var stdout: String; var stderr: String }

    static func run(_ args: [String], in dir: String, environment extra: [String: String]) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        var env = ProcessInfo.processInfo.environment
        env["GOTOOLCHAIN"] = "local"
        env["GOTELEMETRY"] = "off"
        env["GOSUMDB"] = "off"
        env["GOENV"] = "off"
        for (k, v) in extra { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}

/// A temporary folder removed when the test ends (module caches are read-only: made writable first).
final class TemporaryFolder {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("plugincheck-deps-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit {
        if let e = FileManager.default.enumerator(atPath: path) {
            while let rel = e.nextObject() as? String { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path + "/" + rel) }
        }
        try? FileManager.default.removeItem(atPath: path)
    }
}
