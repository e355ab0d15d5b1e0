import DynamicLoading
import GoBinary
import PluginCompat
import XCTest

/// Every step of `LoadSimulation.open`, on artifacts made by hand (`Make`): no file is read.
/// The messages are those the fixture matrix recorded from the real loader (docs/matrix.md);
/// the fixture-based suites stay the judge of the whole.
final class LoadSimulationTests: XCTestCase {
    func run(_ plugins: [Artifact], gateway: Artifact = Make.gateway(), options: CompareOptions = CompareOptions(),
             libc: Result<Set<String>, MuslLibrary.Failure>? = nil) -> [PluginVerdict] {
        var simulation = LoadSimulation(gateway: gateway, options: options, libcSymbols: libc)
        return simulation.run(plugins)
    }

    func testBaselineLoadsAndRegisters() {
        let v = run([Make.plugin("handler.so")])[0]
        XCTAssertEqual(v.verdict, .loads)
        XCTAssertNil(v.message)
        XCTAssertEqual(v.registerers, ["HandlerRegisterer"])
        XCTAssertFalse(v.hasWarnings)
    }

    func testRegistersNothingIsAWarning() {
        let v = run([Make.plugin("none.so", exports: [])])[0]
        XCTAssertEqual(v.verdict, .loads)
        XCTAssertEqual(v.findings.map(\.check), [.registerers])
        XCTAssertEqual(v.findings.first?.severity, .warning)
    }

    // MARK: 1. host support

    func testStaticGatewayHasTheStubPackage() {
        let v = run([Make.plugin("handler.so")], gateway: Make.gateway(interpreter: nil, needed: []))[0]
        XCTAssertEqual(v.verdict, .fails)
        XCTAssertEqual(v.step, .hostSupport)
        XCTAssertEqual(v.message, "plugin: not implemented")
        XCTAssertEqual(v.findings.map(\.check), [.hostPluginSupport])
    }

    func testDynamicGatewayWithoutPackagePluginNeverOpens() {
        let v = run([Make.plugin("handler.so")], gateway: Make.gateway(linksPlugin: false))[0]
        XCTAssertEqual(v.verdict, .fails)
        XCTAssertEqual(v.step, .hostSupport)
        XCTAssertNil(v.message, "a program without package plugin has no plugin.Open to log anything")
    }

    func testAPluginGivenAsTheGatewayCannotBeDecided() {
        let v = run([Make.plugin("handler.so")], gateway: Make.plugin("other.so"))[0]
        XCTAssertEqual(v.verdict, .unknown)
        XCTAssertEqual(v.findings.first?.gateway, "a Go plugin, not an executable")
    }

    // MARK: 2. realpath and Go's cache

    func testMissingFileFailsAtRealpath() {
        var p = Make.plugin("gone.so")
        p.realPath = nil
        let v = run([p])[0]
        XCTAssertEqual(v.step, .realpath)
        XCTAssertEqual(v.message, #"plugin.Open("plugins/gone.so"): realpath failed"#)
    }

    func testSameRealPathReturnsTheLoadedPlugin() {
        let a = Make.plugin("handler.so")
        var link = Make.plugin("link.so", fileID: a.fileID)
        link.realPath = a.realPath
        let v = run([a, link])
        XCTAssertEqual(v[1].verdict, .loads)
        XCTAssertEqual(v[1].step, .previousOpen)
    }

    func testAFailureIsCachedByRealPath() {
        let bad = Make.plugin("old.so", fingerprints: [("internal/goarch", 9), ("runtime", 2)])
        let v = run([bad, bad])
        XCTAssertEqual(v[0].message, #"plugin.Open("plugins/old"): plugin was built with a different version of package internal/goarch"#)
        XCTAssertEqual(v[1].step, .previousOpen)
        XCTAssertEqual(v[1].message, #"plugin.Open("plugins/old.so"): plugin was built with a different version of package internal/goarch (previous failure)"#)
    }

    // MARK: 3. dlopen, glibc

    func dlopen(_ facts: LoaderFacts, options: CompareOptions = CompareOptions()) -> PluginVerdict {
        run([Make.plugin("p.so", loader: facts)], options: options)[0]
    }

    func testGlibcRejectsOtherClassOtherMachineAndPrograms() {
        let table: [(LoaderFacts, String, CheckID, UInt)] = [
            (Make.loader(machine: .i386, elfClass: .elf32), "/srv/plugins/p.so: wrong ELF class: ELFCLASS32", .architecture, #line),
            (Make.loader(machine: .aarch64), "/srv/plugins/p.so: cannot open shared object file: No such file or directory", .architecture, #line),
            (Make.loader(type: .executable), "/srv/plugins/p.so: cannot dynamically load executable", .goPlugin, #line),
            (Make.loader(interpreter: "/lib64/ld-linux-x86-64.so.2"), "/srv/plugins/p.so: cannot dynamically load position-independent executable", .goPlugin, #line),
            (Make.loader(needed: ["libc.so"]), "/lib/x86_64-linux-gnu/libc.so: invalid ELF header", .libc, #line),
        ]
        for (facts, message, check, line) in table {
            let v = dlopen(facts)
            XCTAssertEqual(v.verdict, .fails, line: line)
            XCTAssertEqual(v.step, .dlopen, line: line)
            XCTAssertEqual(v.message, #"plugin.Open("plugins/p.so"): "# + message, line: line)
            XCTAssertEqual(v.findings.first?.check, check, line: line)
        }
    }

    func testTargetGlibcDecidesSymbolVersions() throws {
        let facts = Make.loader(glibc: ["GLIBC_2.2.5", "GLIBC_2.34"])
        XCTAssertEqual(dlopen(facts).verdict, .loads)
        let old = try XCTUnwrap(CompareOptions(targetGlibcVersion: "2.31"))
        let v = dlopen(facts, options: old)
        XCTAssertEqual(v.message, #"plugin.Open("plugins/p.so"): /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.34' not found (required by /srv/plugins/p.so)"#)
        XCTAssertEqual(v.findings.first?.check, .glibcVersion)
    }

    func testUnreadableFilesGetTheLoadersWording() {
        let table: [(Artifact, String, UInt)] = [
            (Make.unreadable("dir.so", .directory), "/srv/plugins/dir.so: cannot read file data: Is a directory", #line),
            (Make.unreadable("secret.so", .cannotOpen("Permission denied")), "/srv/plugins/secret.so: cannot open shared object file: Permission denied", #line),
            (Make.unreadable("empty.so", .notELF, size: 0), "/srv/plugins/empty.so: file too short", #line),
            (Make.unreadable("text.so", .notELF, size: 200), "/srv/plugins/text.so: invalid ELF header", #line),
        ]
        for (artifact, message, line) in table {
            let v = run([artifact])[0]
            XCTAssertEqual(v.step, .dlopen, line: line)
            XCTAssertEqual(v.message, "plugin.Open(\"\(artifact.path)\"): " + message, line: line)
            XCTAssertEqual(v.findings.first?.check, .elfFormat, line: line)
        }
    }

    // MARK: 3. dlopen, musl

    func musl() -> Artifact {
        Make.gateway(interpreter: "/lib/ld-musl-x86_64.so.1", needed: ["libc.so"])
    }

    func testMuslBindsAgainstItsLibraryAndTheScope() {
        let needsChk = Make.loader(relocations: [.init(symbol: "malloc", type: 7, weak: false), .init(symbol: "__fprintf_chk", type: 7, weak: false)])
        let libc: Result<Set<String>, MuslLibrary.Failure> = .success(["malloc", "fprintf"])
        let v = run([Make.plugin("fort.so", loader: needsChk)], gateway: musl(), libc: libc)[0]
        XCTAssertEqual(v.message, #"plugin.Open("plugins/fort.so"): Error relocating /srv/plugins/fort.so: __fprintf_chk: symbol not found"#)
        XCTAssertEqual(v.findings.first?.check, .libc)
        // A weak reference stays unbound without error.
        let weak = Make.loader(relocations: [.init(symbol: "__fprintf_chk", type: 7, weak: true)])
        XCTAssertEqual(run([Make.plugin("weak.so", loader: weak)], gateway: musl(), libc: libc)[0].verdict, .loads)
        // A symbol defined by an earlier plugin is in the global scope.
        let provider = Make.plugin("provider.so", pluginPath: "example.com/provider", loader: Make.loader(defines: ["helper"]))
        let user = Make.plugin("user.so", loader: Make.loader(relocations: [.init(symbol: "helper", type: 6, weak: false)]))
        XCTAssertEqual(run([provider, user], gateway: musl(), libc: libc).map(\.verdict), [.loads, .loads])
    }

    func testMuslFailsOnTheFirstRelocationItDoesNotKnow() {
        let arm = Make.loader(machine: .aarch64, relocations: [.init(symbol: nil, type: 1027, weak: false)])
        let v = run([Make.plugin("arm.so", loader: arm)], gateway: musl(), libc: .success([]))[0]
        XCTAssertEqual(v.message, #"plugin.Open("plugins/arm.so"): Error relocating /srv/plugins/arm.so: unsupported relocation type 1027"#)
        XCTAssertEqual(v.findings.first?.check, .architecture)
    }

    func testMuslWithoutItsLibraryCannotBeDecided() {
        let facts = Make.loader(relocations: [.init(symbol: "free", type: 7, weak: false)])
        let missing = MuslLibrary.Failure.unreadable(path: "/root/lib/ld-musl-x86_64.so.1", reason: "No such file or directory")
        let v = run([Make.plugin("p.so", loader: facts)], gateway: musl(), libc: .failure(missing))[0]
        XCTAssertEqual(v.verdict, .unknown)
        XCTAssertEqual(v.step, .dlopen)
        XCTAssertTrue(v.findings.first?.gateway?.contains("/root/lib/ld-musl-x86_64.so.1") ?? false)
    }

    // MARK: 3b. the same file twice (hard link)

    func testAHardLinkIsTheObjectAlreadyMapped() {
        let a = Make.plugin("handler.so")
        let link = Make.plugin("handler-link.so", fileID: a.fileID)
        let v = run([a, link])
        XCTAssertEqual(v[1].verdict, .fails)
        XCTAssertEqual(v[1].message, #"plugin.Open("plugins/handler-link"): plugin already loaded"#)
        XCTAssertEqual(v[1].findings.first?.check, .pluginPath)
    }

    // MARK: 4. runtime layout

    func testAnotherRuntimeLayoutCrashesTheGatewayAndStopsTheRest() {
        let v = run([Make.plugin("new.so", go: "go1.26.6", layout: Make.layout126), Make.plugin("handler.so")])
        XCTAssertEqual(v[0].verdict, .crashes)
        XCTAssertEqual(v[0].step, .runtimeLayout)
        XCTAssertEqual(v[0].message, "fatal error: runtime: no plugin module data")
        XCTAssertEqual(v[1].verdict, .notReached)
        XCTAssertEqual(v[1].findings.map(\.check), [.loadOrder])
    }

    func testAnotherRuntimeAfterAGoodPluginBreaksTheModuleList() {
        // Folder case go126-after-good: no crash, "plugin already loaded" for it and after it.
        let v = run([Make.plugin("a-handler.so"), Make.plugin("b-handler-go1.26.so", go: "go1.26.6", pluginPath: "example.com/plugins/new", layout: Make.layout126),
                     Make.plugin("c-client.so", pluginPath: "example.com/plugins/client", exports: ["ClientRegisterer"])])
        XCTAssertEqual(v.map(\.verdict), [.loads, .fails, .fails])
        XCTAssertEqual(v[1].message, #"plugin.Open("plugins/b-handler-go1.26"): plugin already loaded"#)
        XCTAssertEqual(v[1].findings.first?.check, .goRuntimeLayout)
        XCTAssertEqual(v[2].message, #"plugin.Open("plugins/c-client"): plugin already loaded"#)
        XCTAssertEqual(v[2].findings.first?.check, .loadOrder)
    }

    func testALoaderRefusalIsNotCachedButAModuleFailureIs() {
        // dlopen is asked again each time; the runtime's refusal is kept with the real path.
        let arm = Make.plugin("arm.so", loader: Make.loader(machine: .aarch64))
        XCTAssertEqual(run([arm, arm]).map(\.step), [.dlopen, .dlopen])
        let link = Make.plugin("link.so", fileID: Make.plugin("handler.so").fileID)
        let v = run([Make.plugin("handler.so"), link, link])
        XCTAssertEqual(v[2].message, #"plugin.Open("plugins/link.so"): plugin already loaded (previous failure)"#)
    }

    // MARK: 5. module data: objects that are not Go plugins

    func testANonPluginFirstCrashesAfterAPluginIsAlreadyLoaded() {
        let clib = Make.plugin("clib.so", role: .notGo)
        XCTAssertEqual(run([clib])[0].verdict, .crashes)
        XCTAssertEqual(run([clib])[0].step, .moduleData)
        let v = run([Make.plugin("handler.so"), clib])
        XCTAssertEqual(v[1].verdict, .fails)
        XCTAssertEqual(v[1].message, #"plugin.Open("plugins/clib"): plugin already loaded"#)
        XCTAssertEqual(v[1].findings.first?.check, .goPlugin)
    }

    func testANonPluginAfterAFailedPluginCrashes() {
        let bad = Make.plugin("old.so", fingerprints: [("internal/goarch", 9)])
        let v = run([bad, Make.plugin("clib.so", role: .notGo)])
        XCTAssertEqual(v.map(\.verdict), [.fails, .crashes])
    }

    // MARK: 6. plugin path

    func testTwoFilesWithOnePluginPath() {
        let v = run([Make.plugin("a.so", pluginPath: "example.com/plugins/handler"),
                     Make.plugin("b.so", pluginPath: "example.com/plugins/handler")])
        XCTAssertEqual(v[1].step, .pluginPath)
        XCTAssertEqual(v[1].message, #"plugin.Open("plugins/b"): plugin already loaded"#)
        XCTAssertEqual(v[1].findings.first?.check, .pluginPath)
    }

    // MARK: 7. fingerprints

    func testTheFirstDifferenceInThePluginsOwnOrderIsNamed() {
        // The gateway's table order does not matter; the plugin's does.
        let p = Make.plugin("p.so", fingerprints: [("runtime", 7), ("example.com/shared", 8), ("internal/goarch", 9)])
        let v = run([p])[0]
        XCTAssertEqual(v.step, .fingerprints)
        XCTAssertEqual(v.firstMismatchedPackage, "runtime")
        XCTAssertEqual(v.message, #"plugin.Open("plugins/p"): plugin was built with a different version of package runtime"#)
        XCTAssertEqual(v.findings.first?.check, .packageFingerprints)
    }

    func testAPackageTheGatewayLacksIsBoundToTheFirstPluginThatBroughtIt() {
        let one = Make.plugin("client.so", pluginPath: "example.com/plugins/client", fingerprints: Make.baseline + [("example.com/pluginlib", 4)])
        let two = Make.plugin("modifier.so", pluginPath: "example.com/plugins/modifier", fingerprints: Make.baseline + [("example.com/pluginlib", 5)])
        let v = run([one, two])
        XCTAssertEqual(v[0].verdict, .loads)
        XCTAssertEqual(v[1].firstMismatchedPackage, "example.com/pluginlib")
        XCTAssertTrue(v[1].findings.first?.gateway?.contains("earlier plugin plugins/client.so") ?? false)
        // In the other order, the other one fails.
        XCTAssertEqual(run([two, one]).map(\.verdict), [.loads, .fails])
    }

    func testAFailedPluginStillDefinesItsSymbolsForLaterOnes() {
        // The first fails on runtime, but its pluginlib hash is already in the global scope.
        let first = Make.plugin("a.so", pluginPath: "example.com/a", fingerprints: [("runtime", 9), ("example.com/pluginlib", 4)])
        let second = Make.plugin("b.so", pluginPath: "example.com/b", fingerprints: [("runtime", 2), ("example.com/pluginlib", 5)])
        let v = run([first, second])
        XCTAssertEqual(v[0].firstMismatchedPackage, "runtime")
        XCTAssertEqual(v[1].firstMismatchedPackage, "example.com/pluginlib")
    }

    func testTheCompareReportAddsInputErrorsAndExitStatus() {
        // A file this process may not read: another user (the gateway's) might.
        let report = Compatibility.compare(plugins: [Make.unreadable("locked.so", .cannotOpen("Permission denied")), Make.plugin("handler.so")], gateway: Make.gateway())
        XCTAssertEqual(report.inputErrors.map(\.path), ["plugins/locked.so"])
        // A directory is rejected by the loader on sight: a decision, not an input error.
        XCTAssertEqual(Compatibility.compare(plugins: [Make.unreadable("dir.so", .directory)], gateway: Make.gateway()).exitStatus(strict: false), 1)
        XCTAssertEqual(report.exitStatus(strict: false), 2)
        XCTAssertEqual(Compatibility.compare(plugins: [Make.plugin("handler.so")], gateway: Make.gateway()).exitStatus(strict: false), 0)
    }
}
