import Foundation
import GoModules
import TestSupport
import XCTest

/// GoModules' selection against `go list -m all` of the real go command, on the module
/// graphs of Tests/Fixtures/deps (README there): the same module cache, no network.
final class ModuleGraphAgreementTests: XCTestCase {
    static let fixtures = Paths.root.appendingPathComponent("Tests/Fixtures/deps").path

    /// Copies the case and the proxy, lets the go command list the build list (filling the
    /// module cache from the file:// proxy), then loads the same folder with GoModules.
    func check(_ name: String, subfolder: String = "", workspace: Bool = false, file: StaticString = #filePath, line: UInt = #line) throws {
        let tmp = try TemporaryFolder()
        let fm = FileManager.default
        try fm.copyItem(atPath: Self.fixtures + "/cache", toPath: tmp.path + "/proxy")
        try fm.copyItem(atPath: Self.fixtures + "/modules/" + name, toPath: tmp.path + "/case")
        // The go command may rewrite go.mod (-mod=mod raises the go line to its dependencies'):
        // GoModules reads an untouched copy.
        try fm.copyItem(atPath: Self.fixtures + "/modules/" + name, toPath: tmp.path + "/pristine")
        let dir = tmp.path + "/case" + subfolder
        let cache = tmp.path + "/gomodcache"
        let env = ["GOPROXY": "file://" + tmp.path + "/proxy", "GOMODCACHE": cache,
                   "GOFLAGS": workspace ? "" : "-mod=mod", "GOWORK": workspace ? "" : "off"]
        let go = try GoCommand.run(["list", "-m", "all"], in: dir, environment: env)
        XCTAssertEqual(go.status, 0, go.stderr, file: file, line: line)
        var want: [String: String] = [:]
        var mains: [String] = []
        for l in go.stdout.split(separator: "\n") {
            let f = l.split(separator: " ")
            if f.count == 1 { mains.append(String(f[0])) } else { want[String(f[0])] = String(f[1]) }
        }
        let list = try BuildList.load(directory: tmp.path + "/pristine" + subfolder, environment: BuildEnvironment(gowork: workspace ? nil : "off", modFlag: nil,
                                                                                   moduleCache: ModuleCache(root: cache))).get()
        var got: [String: String] = [:]
        for m in list.modules where m.source != .workspace { got[m.path] = m.version }
        XCTAssertEqual(got, want, "selected versions differ from go list -m all", file: file, line: line)
        XCTAssertEqual(Set(list.workspaceModules.map(\.path)).union([list.mainModule.modulePath!]), Set(mains), file: file, line: line)
        XCTAssertEqual(list.missing, [], file: file, line: line)
    }

    func testIndirectModuleSelectedAboveGoSumsLowest() throws { try check("mvs-indirect") }
    func testPrunedGraphStopsBelowAPrunedDependency() throws { try check("pruned") }
    func testUnprunedMainModuleLoadsEverything() throws { try check("unpruned-main") }
    func testUnprunedDependencyIsLoadedTransitively() throws { try check("unpruned-dep") }
    func testExcludeDropsRequirementsOnTheExcludedVersion() throws { try check("exclude") }
    func testReplaceByModuleUsesTheReplacementsRequirements() throws { try check("replace-module") }
    func testReplaceByFolderReadsItsGoModAndEscapesUpperCase() throws { try check("replace-dir") }
    func testRootBelowItsSelectedVersionIsRaised() throws { try check("root-raise") }
    func testWorkspaceSelectsOverEveryWorkspaceModule() throws { try check("workspace", subfolder: "/m1", workspace: true) }

    /// A go.mod missing from the cache is reported with who needed it, not guessed.
    func testMissingModFileIsReported() throws {
        let tmp = try TemporaryFolder()
        let fm = FileManager.default
        try fm.copyItem(atPath: Self.fixtures + "/modules/mvs-indirect", toPath: tmp.path + "/case")
        try fm.createDirectory(atPath: tmp.path + "/gomodcache/cache", withIntermediateDirectories: true)
        try fm.copyItem(atPath: Self.fixtures + "/cache", toPath: tmp.path + "/gomodcache/cache/download")
        try fm.removeItem(atPath: tmp.path + "/gomodcache/cache/download/example.com/b/@v/v1.0.0.mod")
        let list = try BuildList.load(directory: tmp.path + "/case", environment: BuildEnvironment(gowork: "off", moduleCache: ModuleCache(root: tmp.path + "/gomodcache"))).get()
        XCTAssertEqual(list.missing.map(\.module), [ModuleVersion(path: "example.com/b", version: "v1.0.0")])
        XCTAssertEqual(list.missing.first?.requiredBy, ["main module"])
    }
}
