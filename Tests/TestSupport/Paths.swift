import Foundation

/// Where the tests find the repository, the generated fixtures and the shared corpus.
public enum Paths {
    /// The repository root (this file is Tests/TestSupport/Paths.swift).
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Fixtures built by scripts/fixtures from TestBinaries/ sources.
    public static let fixtures = root.appendingPathComponent("TestBinaries/out")

    /// The real-world corpus (shared/corpus beside the checkout), or $PLUGINCHECK_CORPUS.
    public static let corpus: URL = {
        if let env = ProcessInfo.processInfo.environment["PLUGINCHECK_CORPUS"] { return URL(fileURLWithPath: env) }
        return root.deletingLastPathComponent().appendingPathComponent("shared/corpus")
    }()

    /// A fixture under TestBinaries/out/bin; throws (failing the test) with a hint when it was not built.
    public static func fixture(_ name: String) throws -> String {
        let path = fixtures.appendingPathComponent("bin/\(name)").path
        guard FileManager.default.fileExists(atPath: path) else { throw MissingFixture(path: path) }
        return path
    }

    public struct MissingFixture: Error, CustomStringConvertible {
        public var path: String
        public init(path: String) { self.path = path }
        public var description: String { "missing fixture \(path): run scripts/fixtures (the README's test command does)" }
    }

    /// Every file F under `dir` that has a reference file `F<suffix>` beside it.
    public static func filesWithReference(under dir: URL, suffix: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: dir.path) else { return [] }
        var out: [String] = []
        while let rel = e.nextObject() as? String {
            if rel.hasSuffix(suffix) { out.append(String(rel.dropLast(suffix.count))) }
        }
        return out.sorted()
    }

    /// The built `plugincheck` executable beside the test bundle.
    public static var executable: String {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("plugincheck"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("plugincheck"),
            root.appendingPathComponent(".build/debug/plugincheck"),
        ]
        return (candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[2]).path
    }
}

/// Runs a program and captures its whole output.
public struct ProcessResult {
    public var stdout: String
    public var stderr: String
    public var status: Int32

    public static func run(_ executable: String, _ arguments: [String], cwd: URL? = nil) throws -> ProcessResult {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        if let cwd { p.currentDirectoryURL = cwd }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read both pipes before waiting, so a large output cannot block the child.
        final class Box: @unchecked Sendable { var data = Data() }
        let errBox = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errBox.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let errData = errBox.data
        p.waitUntilExit()
        return ProcessResult(stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self), status: p.terminationStatus)
    }
}
