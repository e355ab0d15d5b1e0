import Foundation
import PluginCheck
import TestSupport
import XCTest

/// `plugincheck explain`: every message the real loader gave in the fixture matrix and the
/// fixture folders is explained by the check its case was built for; whole logs give exactly
/// the relevant explanations; a comparison names the cause.
final class ExplainTests: XCTestCase {
    // MARK: the recorded messages of the fixture matrix

    /// The check each matrix case was built for (TestBinaries/cases.tsv, its `varies` column),
    /// one entry per plugin of the case that failed or crashed, in load order. Every case of
    /// TestBinaries/oracle.json with such a result must have its row.
    static let matrixChecks: [String: [CheckID]] = [
        // "plugin Go 1.24.11, gateway Go 1.25.5 (minor, same moduledata layout)" and the reverse:
        // the standard library's fingerprints differ.
        "minor-plugin-1.24": [.goToolchain], "minor-gateway-1.24": [.goToolchain],
        // Go minor versions with other moduledata layouts (1.19, 1.21, 1.26 against 1.24/1.25): the gateway dies.
        "minor-plugin-1.21": [.goRuntimeLayout], "minor-gateway-1.21": [.goRuntimeLayout], "minor-plugin-1.21-gw-1.24": [.goRuntimeLayout],
        "minor-plugin-1.26": [.goRuntimeLayout], "minor-gateway-1.26": [.goRuntimeLayout],
        "go119-plugin": [.goRuntimeLayout], "go119-gateway": [.goRuntimeLayout], "go119-gateway-plugin-1.21": [.goRuntimeLayout],
        "crash-then-not-reached": [.goRuntimeLayout],
        // "shared module v1.1.0" on one side; "plugin-only module v1.0.0 then v1.1.0" (against an earlier plugin).
        "shared-newer-plugin": [.moduleVersion], "shared-newer-gateway": [.moduleVersion],
        "pluginlib-old-then-new": [.moduleVersion], "pluginlib-new-then-old": [.moduleVersion],
        // "plugin replaces shared v1.0.0 with a directory" (identical, body, comment, comment line changed).
        "replace-same-plugin": [.replace], "replace-body-plugin": [.replace], "replace-body-both": [.replace],
        "replace-comment-plugin": [.replace], "replace-comment-both": [.replace],
        "replace-commentline-plugin": [.replace], "replace-commentline-both": [.replace], "replace-commentline-both-trimpath": [.replace],
        // One build setting on one side only.
        "trimpath-plugin": [.trimpath], "trimpath-gateway": [.trimpath],
        "race-plugin": [.race], "race-gateway": [.race],
        "tags-shared-plugin": [.buildTags], "tags-shared-gateway": [.buildTags],
        "goexperiment-plugin": [.goexperiment],
        "goexperiment-gateway": [.goexperiment],
        "gcflags-shared-plugin": [.gcflags],
        "modcache-alt-plugin": [.buildPath],
        // "gateway built with CGO_ENABLED=0".
        "nocgo-gateway": [.hostPluginSupport], "nocgo-gateway-two": [.hostPluginSupport, .hostPluginSupport],
        // Another CPU or ELF class: arm64/386 plugin, amd64 plugin in an arm64 gateway, arm64 plugin in a musl gateway.
        "arm64-plugin": [.architecture], "386-plugin": [.architecture], "amd64-plugin-arm64-gateway": [.architecture],
        "musl-gateway-arm64-plugin": [.architecture], "dlopen-failed-then-good": [.architecture],
        // musl plugin in a glibc gateway; glibc plugin with fortified C code in a musl gateway.
        "glibc-gateway-musl-plugin": [.libc], "musl-gateway-fortified-plugin": [.libc],
        // Text or empty files named .so.
        "musl-gateway-text": [.elfFormat], "text-first": [.elfFormat], "text-after-good": [.elfFormat],
        "empty-first": [.elfFormat], "empty-after-good": [.elfFormat],
        // A copy, a hard link, or another file with the same plugin path after the original.
        "copy-after-original": [.pluginPath], "hardlink-after-original": [.pluginPath], "same-plugin-path": [.pluginPath],
        // A plugin failing the fingerprint check (Go 1.24), then: a good one; itself again (previous failure).
        "failed-then-good": [.goToolchain], "failed-twice": [.goToolchain, .loadOrder],
        "missing-file": [.pluginFile],
        // A C library or a Go c-shared library: first (crash), after a good plugin (already loaded),
        // after a failed plugin (crash).
        "clib-first": [.goPlugin], "cshared-first": [.goPlugin],
        "clib-after-good": [.goPlugin], "cshared-after-good": [.goPlugin],
        "clib-after-failed": [.goToolchain, .goPlugin], "cshared-after-failed": [.goToolchain, .goPlugin],
        // "gateway built with cgo and linked statically": every plugin crashes it (or, in dlopen,
        // a c-shared library); a dlopen failure comes first for a 386, musl or text file.
        "static-gateway": [.hostPluginSupport], "static-gateway-stripped": [.hostPluginSupport], "static-pie-gateway": [.hostPluginSupport],
        "static-gateway-none": [.hostPluginSupport], "static-gateway-trimpath-plugin": [.hostPluginSupport],
        "static-gateway-clib": [.hostPluginSupport], "static-gateway-cshared": [.hostPluginSupport],
        "static-gateway-dlopen-error-then-plugin": [.architecture, .hostPluginSupport],
        "static-gateway-musl-plugin": [.libc], "static-gateway-text": [.elfFormat],
        // "gateway built with cgo against musl and linked statically": musl's dlopen stub.
        "musl-static-gateway": [.hostPluginSupport], "musl-static-gateway-musl-plugin": [.hostPluginSupport],
        // Build practices, by what they change in the build info: vendoring drops the h1: sums
        // (module-content), a vendored gateway in its own checkout differs by path (build-path),
        // a go.work module is recorded as another version (module-version), another GOPATH moves
        // the module cache (build-path), a monorepo's relative replace is a replace; each
        // "-trimpath-only" attempt adds a -trimpath difference; the -gcflags=all=-trimpath=$PWD
        // idiom is gcflags.
        "vendor-plugin": [.moduleContent], "vendor-gateway": [.moduleContent], "vendor-both": [.buildPath],
        "gowork-plugin": [.moduleVersion], "gowork-plugin-goget": [.moduleVersion], "gowork-plugin-trimpath-both": [.moduleVersion],
        "gowork-mvs-plugin": [.moduleVersion],
        "gopath-alt-plugin": [.buildPath], "mono-other-plugin": [.replace],
        "vendor-plugin-trimpath-only": [.trimpath], "modcache-alt-trimpath-only": [.trimpath], "mono-other-trimpath-only": [.trimpath],
        "gcflags-trimpath-pwd-plugin": [.gcflags], "gcflags-trimpath-pwd-both": [.gcflags],
    ]

    struct Oracle: Decodable {
        var placeholder: String
        var cases: [Case]
        struct Case: Decodable {
            var id: String
            var results: [Result]
        }
        struct Result: Decodable {
            var plugin: String
            var error: String?
            var fatal: String?
        }
    }

    func testEveryRecordedMatrixMessageIsExplainedByTheCheckItsCaseWasBuiltFor() throws {
        let data = try Data(contentsOf: Paths.root.appendingPathComponent("TestBinaries/oracle.json"))
        let oracle = try JSONDecoder().decode(Oracle.self, from: data)
        var run = 0, recognised = 0, covered = 0
        var seenCases: Set<String> = []
        for c in oracle.cases {
            let messages = c.results.compactMap { $0.error ?? $0.fatal }
            guard !messages.isEmpty else { continue }
            seenCases.insert(c.id)
            guard let expected = Self.matrixChecks[c.id] else {
                XCTFail("\(c.id): no row in matrixChecks for its messages \(messages)")
                continue
            }
            XCTAssertEqual(expected.count, messages.count, "\(c.id): one check per failing plugin")
            for (message, check) in zip(messages, expected) {
                let text = message.replacingOccurrences(of: oracle.placeholder, with: "TestBinaries/out")
                run += 1
                guard let e = LogExplanation.explain(message: text) else {
                    XCTFail("\(c.id): not recognised: \(text)")
                    continue
                }
                recognised += 1
                XCTAssertEqual(e.message, text, "\(c.id): the whole message is the explanation's")
                if e.checks.contains(check) { covered += 1 }
                XCTAssertTrue(e.checks.contains(check), "\(c.id): \(text) is explained by \(e.checks), not \(check)")
                if let r = text.range(of: "different version of package ") {
                    let package = text[r.upperBound...].replacingOccurrences(of: " (previous failure)", with: "")
                    XCTAssertEqual(e.values.package, package, c.id)
                }
            }
        }
        XCTAssertEqual(Set(Self.matrixChecks.keys).subtracting(seenCases).sorted(), [], "rows for cases without a failing plugin")
        print("explain: matrix messages run \(run), recognised \(recognised), explained by their case's check \(covered)")
        XCTAssertGreaterThanOrEqual(run, 60)
    }

    // MARK: the recorded messages of the fixture folders

    /// The check each failing file of the fixture folders (TestBinaries/folders.json, its
    /// `layout`) was built for, by file name: text and empty files, links to directories
    /// (elf-format); a 386 build (architecture); Go 1.24 builds (go-toolchain); a Go 1.26 build
    /// after a good plugin (go-runtime-layout); every plugin after it (load-order); a dangling
    /// link (plugin-file); copies of a loaded plugin (plugin-path).
    static let folderChecks: [String: CheckID] = [
        "README.md": .elfFormat, "empty": .elfFormat, "empty.so": .elfFormat, "notes.so.txt": .elfFormat, "readme.so.md": .elfFormat,
        "linkdir.so": .elfFormat, "dir.so": .elfFormat,
        "a-386.so": .architecture,
        "a-legacy-go1.24.so": .goToolchain, "a-old-handler.so": .goToolchain,
        "b-handler-go1.26.so": .goRuntimeLayout, "c-client.so": .loadOrder,
        "dangling.so": .pluginFile,
        "handler.so.bak": .pluginPath, "handler.so.1": .pluginPath, "my-handler.so": .pluginPath, "modifier-prod.so.old": .pluginPath,
        // registerers-* cases: the type assertion fails (lura's "unknown type")
        "missingmethod.so": .registerers, "pointervar.so": .registerers, "wrongparam.so": .registerers,
    ]
    /// Files whose name is used in several cases for different things, by case.
    static let folderCaseChecks: [String: CheckID] = [
        // "a plugin failing the fingerprint check, then a good build of the same plugin path":
        // the failed build's packages stay bound.
        "failed-poisons-same-path/handler.so": .loadOrder,
        // "handler.so mode 000, gateway run as nobody".
        "unreadable-file-nonroot/handler.so": .pluginFile,
    ]
    /// A lura Scan error (the folder missing, empty, unreadable, not searchable, a file) is
    /// plugin-file's; a failed Lookup is registerers'; a repeat is also load-order's.
    static func folderCheck(case id: String, file: String) -> CheckID? {
        let name = String(file.split(separator: "/").last ?? "")
        return folderCaseChecks["\(id)/\(name)"] ?? folderChecks[name]
    }

    struct Folders: Decodable {
        var cases: [Case]
        struct Case: Decodable {
            var id: String
            var lines: [[String]]
        }
    }

    func testEveryRecordedFolderMessageIsExplainedByTheCheckItsFileWasBuiltFor() throws {
        let data = try Data(contentsOf: Paths.root.appendingPathComponent("TestBinaries/folders-oracle.json"))
        let folders = try JSONDecoder().decode(Folders.self, from: data)
        var run = 0, recognised = 0, summaries = 0, quiet = 0
        func check(_ text: String, _ expected: [CheckID], _ what: String) {
            run += 1
            guard let e = LogExplanation.explain(message: text) else { return XCTFail("\(what): not recognised: \(text)") }
            recognised += 1
            for c in expected { XCTAssertTrue(e.checks.contains(c), "\(what): \(text) is explained by \(e.checks), not \(c)") }
        }
        for c in folders.cases {
            let place = "TestBinaries/out/folders/\(c.id)"
            for line in c.lines {
                let last = line.last!.replacingOccurrences(of: "<CASE>", with: place)
                let what = "\(c.id) \(line.prefix(3).joined(separator: " "))"
                let repeatCheck: [CheckID] = last.hasSuffix("(previous failure)") ? [.loadOrder] : []
                switch line[0] {
                case "OPEN" where line[3] == "error":
                    guard let expected = Self.folderCheck(case: c.id, file: line[2]) else { XCTFail("\(what): no row in folderChecks"); continue }
                    check(last, [expected] + repeatCheck, what)
                case "LOOKUP" where line[3] == "error":
                    check(last, [.registerers], what)
                case "SCANERR":
                    check(last, [.pluginFile], what)
                case "SUMMARY" where last != "-":
                    summaries += 1
                    let report = ExplanationReport(log: last)
                    let items = last.split(separator: "\n").dropFirst()
                    if items.isEmpty {
                        check(last, [.pluginFile], what)
                        continue
                    }
                    run += items.count
                    XCTAssertEqual(report.loaderSummaries.map(\.errors), [items.count], what)
                    XCTAssertEqual(report.loaderSummaries.map(\.listed), [items.count], what)
                    XCTAssertEqual(report.explanations.count, items.count, "\(what): one explanation per item")
                    for item in items {
                        guard let e = report.explanations.first(where: { $0.message == String(item) }) else {
                            XCTFail("\(what): item not explained: \(item)")
                            continue
                        }
                        recognised += 1
                        let file = e.values.plugin ?? ""
                        let expected = e.kind == .symbolNotFound ? .registerers : Self.folderCheck(case: c.id, file: file)
                        XCTAssertNotNil(expected, "\(what): no row in folderChecks for \(file)")
                        let repeatCheck: [CheckID] = item.hasSuffix("(previous failure)") ? [.loadOrder] : []
                        for x in [expected].compactMap({ $0 }) + repeatCheck {
                            XCTAssertTrue(e.checks.contains(x), "\(what): \(item) is explained by \(e.checks), not \(x)")
                        }
                    }
                case "LOG":
                    // KrakenD's own lines: each error as its DEBUG line; the others are not about a failure.
                    let isError = last.contains("plugin #") || last.contains("permission denied") || last.contains("no such file")
                    let report = ExplanationReport(log: "[KRAKEND] 2025/01/02 - 03:04:05.678 ▶ \(line[1]) \(last)\n[KRAKEND] 2025/01/02 - 03:04:05.679 ▶ INFO next line")
                    if isError {
                        XCTAssertEqual(report.explanations.count, 1, "\(what): \(last)")
                    } else {
                        quiet += 1
                        XCTAssertEqual(report.explanations.count, 0, "\(what): \(last) is not a failure")
                    }
                default:
                    break
                }
            }
        }
        print("explain: folder messages run \(run), recognised \(recognised) (\(summaries) summaries); \(quiet) other KrakenD lines left alone")
        XCTAssertEqual(run, recognised)
        XCTAssertGreaterThan(summaries, 30)
    }

    /// lura's `unknown type` is explained by what the lura-asserting fixture gateway refused, and
    /// by nothing it registered (the registerers-* folder cases, TestBinaries/src/registerers): a
    /// wrong signature, a misspelled method and a pointer variable are causes; a pointer receiver
    /// and a struct registerer are not, since the gateway registered both.
    func testTheUnknownTypeCausesAreWhatTheGatewayRefused() throws {
        let data = try Data(contentsOf: Paths.root.appendingPathComponent("TestBinaries/folders-oracle.json"))
        let folders = try JSONDecoder().decode(Folders.self, from: data)
        // Each fixture's difference from `good`, as a cause would word it.
        let variants = ["wrongparam.so": "method signature", "missingmethod.so": "misspelled", "pointervar.so": "itself a pointer",
                        "ptrreceiver.so": "pointer receiver", "structreg.so": "struct"]
        var judged = 0
        for c in folders.cases where c.id.hasPrefix("registerers-") {
            let logged = c.lines.filter { $0[0] == "LOG" && $0[2].hasSuffix("unknown type") }.map { $0[2] }
            XCTAssertEqual(logged.count, 3, c.id)
            for text in logged {
                let e = try XCTUnwrap(LogExplanation.explain(message: text), text)
                let causes = e.causes.map(\.cause)
                for line in c.lines where line[0] == "LOOKUP" && line[1] == "handler" {
                    guard let v = variants[String(line[2].split(separator: "/").last ?? "")] else { continue }
                    XCTAssertTrue(["found", "unknown-type"].contains(line[3]), "\(c.id) \(line)")
                    XCTAssertEqual(causes.contains { $0.contains(v) }, line[3] == "unknown-type",
                                   "\(c.id): the gateway's \(line[3]) for \(line[2]), and the causes \(causes)")
                    judged += 1
                }
                XCTAssertTrue(e.causes.contains { $0.fix.contains("pointer receiver") }, "a pointer receiver is named as working")
            }
        }
        XCTAssertEqual(judged, 3 * 3 * variants.count)
    }

    // MARK: whole logs

    /// KrakenD CE's log of the `mixed` fixture folder (its DEBUG lines as the real gateway
    /// logged them, in KrakenD's log format), among lines that are not about plugins.
    func testAKrakenDLogGivesOneExplanationPerDistinctFailure() throws {
        let data = try Data(contentsOf: Paths.root.appendingPathComponent("TestBinaries/folders-oracle.json"))
        let folders = try JSONDecoder().decode(Folders.self, from: data)
        let mixed = try XCTUnwrap(folders.cases.first { $0.id == "mixed" })
        let place = "/etc/krakend"
        var log = [
            "Parsing configuration file: /etc/krakend/krakend.json",
            "[KRAKEND] 2025/01/02 - 03:04:05.001 ▶ INFO Starting KrakenD v2.9.0",
            "[KRAKEND] 2025/01/02 - 03:04:05.002 ▶ WARNING open /etc/krakend/settings/extra.json: no such file or directory",
        ]
        var failures: [String] = []
        for line in mixed.lines where line[0] == "LOG" {
            let text = line[2].replacingOccurrences(of: "<CASE>", with: place)
            log.append("[KRAKEND] 2025/01/02 - 03:04:05.100 ▶ \(line[1]) \(text)")
            if let r = text.range(of: "] ") , text.contains("plugin #") {
                let message = String(text[r.upperBound...])
                if !failures.contains(message) { failures.append(message) }
            }
        }
        log += [
            "[KRAKEND] 2025/01/02 - 03:04:05.200 ▶ INFO [SERVICE: Gin] Listening on port: 8080",
            "[GIN] 2025/01/02 - 03:04:06 | 200 |      31.2µs |      172.17.0.1 | GET      \"/__health\"",
        ]
        let report = ExplanationReport(log: log.joined(separator: "\n"))
        XCTAssertEqual(report.explanations.map(\.message), failures)
        XCTAssertEqual(failures.count, 11, "the three loaders' 15 error lines hold 11 distinct messages")
        XCTAssertEqual(report.linesRead, log.count)
        // A message the handler and modifier loaders both logged is one explanation, twice seen.
        let link = try XCTUnwrap(report.explanations.first { $0.kind == .isADirectory })
        XCTAssertEqual(link.occurrences.compactMap(\.loader), ["[SERVICE: Executor Plugin]", "[SERVICE: Handler Plugin]", "[SERVICE: Modifier Plugin]"])
        XCTAssertEqual(link.values.object, "/etc/krakend/plugins/subdir")
        // A handler plugin that the client loader does not find ClientRegisterer in: harmless.
        let lookup = try XCTUnwrap(report.explanations.first { $0.values.symbol == "ClientRegisterer" && $0.values.goPluginPath == "example.com/plugins/handler" })
        XCTAssertEqual(lookup.check, .registerers)
        XCTAssertTrue(lookup.causes[0].cause.hasPrefix("nothing is wrong"), lookup.causes[0].cause)
        let legacy = try XCTUnwrap(report.explanations.first { $0.kind == .fingerprintMismatch && !$0.previousFailure })
        XCTAssertEqual(legacy.values.plugin, "plugins/a-legacy-go1.24.so")
        XCTAssertEqual(legacy.values.openedAs, "plugins/a-legacy-go1.24")
        XCTAssertEqual(legacy.values.index, 0)
        XCTAssertEqual(legacy.causes.first?.check, .goToolchain)
        XCTAssertEqual(report.explanations.filter(\.previousFailure).map { $0.causes.first?.check }, [.loadOrder, .loadOrder])
    }

    /// A plugin in which no loader finds its registerer registers nothing: no longer harmless.
    func testALogWhereNoLoaderFindsItsRegistererSaysThePluginRegistersNothing() {
        let log = ["ClientRegisterer", "HandlerRegisterer", "ModifierRegisterer"].map {
            "[KRAKEND] ▶ DEBUG [SERVICE: X Plugin] plugin #0 (plugins/none.so): plugin: symbol \($0) not found in plugin example.com/plugins/none"
        }.joined(separator: "\n")
        let report = ExplanationReport(log: log)
        XCTAssertEqual(report.explanations.count, 3)
        for e in report.explanations {
            XCTAssertTrue(e.happened.contains("the plugin registers nothing"), e.happened)
            XCTAssertTrue(e.causes[0].cause.hasPrefix("the plugin does not export"), e.causes[0].cause)
        }
    }

    /// lura's summary, logged whole by a gateway (older KrakenD logs the loader's error as one
    /// message): the header, then one line per failure, among other lines; and lura v1's
    /// `opening plugin N (...)` wording.
    func testALuraSummaryWithItsBodyIsExplainedItemByItem() {
        let log = """
            2025/01/02 03:04:05 KrakenD starting
            2025/01/02 03:04:05 [SERVICE: Handler Plugin] plugin loader found 3 error(s): 
            opening plugin 0 (plugins/a.so): plugin.Open("plugins/a"): plugin was built with a different version of package github.com/luraproject/lura/v2/logging
            opening plugin 1 (plugins/b.so): plugin.Open("plugins/b.so"): /opt/krakend/plugins/b.so: wrong ELF class: ELFCLASS32
            opening plugin 2 (plugins/c.so): plugin: symbol HandlerRegisterer not found in plugin example.com/c
            2025/01/02 03:04:05 [SERVICE: Gin] Listening on port: 8080
            """
        let report = ExplanationReport(log: log)
        XCTAssertEqual(report.explanations.map(\.kind), [.fingerprintMismatch, .wrongELFClass, .symbolNotFound])
        XCTAssertEqual(report.explanations.map { $0.values.index }, [0, 1, 2])
        XCTAssertEqual(report.loaderSummaries, [LoaderSummary(line: 2, loader: "[SERVICE: Handler Plugin]", errors: 3, listed: 3)])
        XCTAssertEqual(report.linesRecognised, 4)
        XCTAssertEqual(report.explanations.flatMap(\.occurrences), (3...5).map { Occurrence(line: $0, loader: "[SERVICE: Handler Plugin]") })
        // The same log with Windows line ends.
        XCTAssertEqual(ExplanationReport(log: log.replacingOccurrences(of: "\n", with: "\r\n")).explanations.map(\.message), report.explanations.map(\.message))
        let module = report.explanations[0]
        XCTAssertEqual(module.values.package, "github.com/luraproject/lura/v2/logging")
        XCTAssertEqual(module.values.standardLibrary, false)
        XCTAssertEqual(module.causes.first?.check, .moduleVersion)
        XCTAssertEqual(report.explanations[1].values.elfClass, "ELFCLASS32")
        XCTAssertEqual(report.explanations[1].values.object, "/opt/krakend/plugins/b.so")
    }

    /// The real gateway's crash (TestBinaries/out/bin/gateway-go1.25.5 opening
    /// plugin-handler-go1.26.6.so, paths shortened): one explanation, the dump is part of it,
    /// and the line after the dump is read again.
    func testAGoFatalErrorWithItsGoroutineDumpIsOneExplanation() {
        let log = "2025/01/02 03:04:05 loading plugins\n" + Self.realCrash + "\nexit status 2\n2025/01/02 03:04:06 restarting\n"
        let report = ExplanationReport(log: log)
        XCTAssertEqual(report.explanations.count, 1)
        let e = report.explanations[0]
        XCTAssertEqual(e.kind, .noPluginModuleData)
        XCTAssertEqual(e.check, .goRuntimeLayout)
        XCTAssertEqual(e.message, "fatal error: runtime: no plugin module data")
        XCTAssertEqual(e.values.calledFrom, "main.main")
        XCTAssertEqual(e.causes.map(\.check), [.goRuntimeLayout, .goPlugin, .hostPluginSupport])
        XCTAssertEqual(report.linesRead, 32)
        XCTAssertEqual(report.linesRecognised, 30, "the fatal line, its dump and `exit status 2`")
    }

    /// The real static gateway's crash in dlopen (gateway-go1.25.5-static opening
    /// cshared-go1.25.5.so): the signal arrived in `plugin._Cfunc_pluginOpen`.
    func testASignalInsideDlopenIsACrashInDlopen() {
        let e = ExplanationReport(log: Self.realSegv).explanations
        XCTAssertEqual(e.map(\.kind), [.crashInDlopen])
        XCTAssertEqual(e.first?.check, .hostPluginSupport)
        XCTAssertEqual(e.first?.message, "SIGSEGV: segmentation violation")
        XCTAssertEqual(e.first?.values.calledFrom, "main.main")
        // Alone, the line is taken as a crash in plugin.Open.
        XCTAssertEqual(LogExplanation.explain(message: "SIGSEGV: segmentation violation")?.kind, .crashInPluginOpen)
        // In a log, without a dump that shows plugin.Open, it is not about plugins.
        XCTAssertEqual(ExplanationReport(log: "starting\nSIGSEGV: segmentation violation\nPC=0x1 m=0 sigcode=1\n").explanations.count, 0)
    }

    /// A nil pointer panic is about plugins only when its dump shows plugin.Open.
    func testAPanicIsExplainedOnlyWhenItsDumpShowsPluginOpen() {
        let inOpen = """
            panic: runtime error: invalid memory address or nil pointer dereference
            [signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a1b2c]

            goroutine 1 [running]:
            runtime.moduledataverify1(0x0)
            \t/usr/local/go/src/runtime/symtab.go:612 +0x2c
            plugin.lastmoduleinit()
            \t/usr/local/go/src/runtime/plugin.go:66 +0x412
            plugin.open({0xc000014150, 0x2a})
            \t/usr/local/go/src/plugin/plugin_dlopen.go:77 +0x3fd
            plugin.Open(...)
            \t/usr/local/go/src/plugin/plugin.go:84
            github.com/luraproject/lura/v2/transport/http/server/plugin.open({0xc000014150, 0x2a}, 0xc0001a2000, {0x0, 0x0})
            \t/go/pkg/mod/github.com/luraproject/lura/v2@v2.6.0/transport/http/server/plugin/plugin.go:97 +0x65
            """
        let e = ExplanationReport(log: inOpen).explanations
        XCTAssertEqual(e.map(\.kind), [.crashInPluginOpen])
        XCTAssertEqual(e.first?.values.calledFrom, "github.com/luraproject/lura/v2/transport/http/server/plugin.open")
        let elsewhere = """
            panic: runtime error: invalid memory address or nil pointer dereference
            [signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a1b2c]

            goroutine 7 [running]:
            main.handler(0xc0001a2000)
            \t/src/main.go:12 +0x2c
            """
        XCTAssertEqual(ExplanationReport(log: elsewhere).explanations.count, 0)
    }

    // MARK: one message each

    /// Messages no fixture records, in the wording of glibc, musl, Go and lura (FACTS.md
    /// section 4, docs/checks/*.md), and in the structured logs of Tyk (logrus) and of JSON loggers.
    func testMessagesOfEveryLoaderAreRecognisedWithTheirValues() throws {
        struct Row { var text: String; var kind: LogMessageKind; var check: (ExplainedValues) -> Bool = { _ in true }; var line: UInt = #line }
        let rows: [Row] = [
            Row(text: #"plugin.Open("/opt/p/auth"): /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.34' not found (required by /opt/p/auth.so)"#, kind: .symbolVersionNotFound,
                check: { $0.requiredVersion == "GLIBC_2.34" && $0.library == "/lib/x86_64-linux-gnu/libc.so.6" && $0.requiredBy == "/opt/p/auth.so" }),
            Row(text: #"plugin.Open("p.so"): /opt/p.so: undefined symbol: sqlite3_open_v2"#, kind: .undefinedSymbol, check: { $0.symbol == "sqlite3_open_v2" && $0.object == "/opt/p.so" }),
            Row(text: #"plugin.Open("p"): /opt/p.so: symbol __libc_single_threaded version GLIBC_2.32 not defined in file libc.so.6 with link time reference"#, kind: .symbolVersionNotFound,
                check: { $0.requiredVersion == "GLIBC_2.32" && $0.symbol == "__libc_single_threaded" }),
            Row(text: #"plugin.Open("bin/gw"): /srv/bin/gw: cannot dynamically load position-independent executable"#, kind: .positionIndependentExecutable),
            Row(text: #"plugin.Open("bin/tool"): /srv/bin/tool: cannot dynamically load executable"#, kind: .executable),
            Row(text: #"plugin.Open("p"): libssl.so.3: cannot open shared object file: No such file or directory"#, kind: .missingLibrary, check: { $0.library == "libssl.so.3" }),
            Row(text: #"plugin.Open("p.so"): /x/p.so: cannot open shared object file: No such file or directory"#, kind: .otherCPU),
            // A symbolic link: Go hands dlopen the real path, under another name.
            Row(text: #"plugin.Open("plugins/current.so"): /opt/p/auth-v2.so: cannot open shared object file: No such file or directory"#, kind: .otherCPU),
            Row(text: #"plugin.Open("p.so"): libc.musl-x86_64.so.1: cannot open shared object file: No such file or directory"#, kind: .missingLibrary,
                check: { $0.library == "libc.musl-x86_64.so.1" }),
            Row(text: #"plugin.Open("p.so"): /x/p.so: ELF file data encoding not little-endian"#, kind: .byteOrder),
            Row(text: #"plugin.Open("p.so"): /x/p.so: ELF file OS ABI invalid"#, kind: .osABI),
            Row(text: #"plugin.Open("p.so"): /x/p.so: only ET_DYN and ET_EXEC can be loaded"#, kind: .notSharedObject),
            Row(text: #"plugin.Open("p.so"): /x/p.so: cannot enable executable stack as shared object requires: Invalid argument"#, kind: .executableStack),
            Row(text: #"plugin.Open("p.so"): Error loading shared library libstdc++.so.6: No such file or directory (needed by /x/p.so)"#, kind: .missingLibrary,
                check: { $0.library == "libstdc++.so.6" && $0.requiredBy == "/x/p.so" }),
            Row(text: #"plugin.Open("p.so"): Error loading shared library /x/p.so: Permission denied"#, kind: .permissionDenied),
            Row(text: #"plugin.Open("p.so"): Error relocating /x/p.so: __vfprintf_chk: symbol not found"#, kind: .muslSymbolNotFound, check: { $0.symbol == "__vfprintf_chk" && $0.object == "/x/p.so" }),
            Row(text: #"plugin.Open("p"): could not find symbol HandlerRegisterer: undefined symbol"#, kind: .couldNotFindSymbol, check: { $0.symbol == "HandlerRegisterer" }),
            Row(text: "plugin #1 (plugins/a.so): http-server-handler plugin loader: unknown type", kind: .unknownType,
                check: { $0.loaderKind == "http-server-handler" && $0.plugin == "plugins/a.so" }),
            Row(text: "plugin #0 (plugins/m.so): modifier plugin loader: unknown type", kind: .unknownType, check: { $0.loaderKind == "modifier" }),
            Row(text: "plugin #2 (plugins/x.so): assignment to entry in nil map", kind: .registererError, check: { $0.reason == "assignment to entry in nil map" }),
            Row(text: "fatal error: runtime: plugin has empty pluginpath", kind: .emptyPluginPath),
            Row(text: #"plugin.Open("/opt/p.so"): Dynamic loading not supported"#, kind: .dynamicLoadingNotSupported),
            Row(text: "fatal error: plugin: new module data overlaps with previous moduledata", kind: .moduleDataOverlap),
            Row(text: "SIGILL: illegal instruction", kind: .illegalInstruction),
            Row(text: "[signal SIGILL: illegal instruction code=0x2 addr=0x7f3a1c2b3d4e pc=0x7f3a1c2b3d4e]", kind: .illegalInstruction),
            Row(text: "[KRAKEND] 2025/01/02 - 03:04:05.678 ▶ DEBUG [SERVICE: Handler Plugin] open ./plugins/: no such file or directory", kind: .folderUnreadable,
                check: { $0.folder == "./plugins/" && $0.reason == "no such file or directory" }),
            // Tyk (logrus text): the error is a quoted field, its quotes escaped.
            Row(text: #"time="Jan 02 03:04:05" level=error msg="Could not load Go-plugin" error="plugin.Open(\"/opt/tyk-gateway/middleware/auth\"): plugin was built with a different version of package golang.org/x/net/http2" mwPath=/opt/tyk-gateway/middleware/auth.so prefix=goplugin"#,
                kind: .fingerprintMismatch, check: { $0.package == "golang.org/x/net/http2" && $0.openedAs == "/opt/tyk-gateway/middleware/auth" && $0.standardLibrary == false }),
            Row(text: #"time="Jan 02 03:04:05" level=error msg="Could not load Go-plugin" error="plugin: not implemented" prefix=goplugin"#, kind: .notImplemented),
            Row(text: #"time="Jan 02 03:04:05" level=error msg="Could not get symbol" error="plugin: symbol MyAuth not found in plugin example.com/auth" prefix=goplugin"#,
                kind: .symbolNotFound, check: { $0.symbol == "MyAuth" && $0.goPluginPath == "example.com/auth" }),
            // A JSON logger, with Go's \u escapes.
            Row(text: #"{"level":"debug","msg":"[SERVICE: Modifier Plugin] plugin #3 (plugins/x.so): plugin.Open(\"plugins/x\"): plugin already loaded \u0028previous failure\u0029","time":"2025-01-02T03:04:05Z"}"#,
                kind: .alreadyLoaded, check: { $0.plugin == "plugins/x.so" }),
        ]
        for row in rows {
            let e = LogExplanation.explain(message: row.text)
            XCTAssertEqual(e?.kind, row.kind, row.text, line: row.line)
            XCTAssertEqual(e?.check, row.kind.check, row.text, line: row.line)
            if let e { XCTAssertTrue(row.check(e.values), "\(row.text): \(e.values)", line: row.line) }
        }
    }

    /// Lines that only look like the path's messages: not explained.
    func testLinesThatAreNotAboutPluginsAreLeftAlone() {
        let log = """
            [KRAKEND] 2025/01/02 - 03:04:05.001 ▶ ERROR open /etc/krakend/extra.json: no such file or directory
            [KRAKEND] 2025/01/02 - 03:04:05.002 ▶ DEBUG [SERVICE: Plugin Loader] Starting loading process
            [KRAKEND] 2025/01/02 - 03:04:05.003 ▶ INFO [SERVICE: Handler Plugin] Total plugins loaded: 2
            [KRAKEND] 2025/01/02 - 03:04:05.004 ▶ DEBUG [SERVICE: Plugin Loader] Loading process completed
            2025/01/02 03:04:05 http: panic serving 10.0.0.1:1234: runtime error: index out of range
            """
        let report = ExplanationReport(log: log)
        XCTAssertEqual(report.explanations.count, 0)
        XCTAssertEqual(report.exitStatus, 1)
        XCTAssertNil(LogExplanation.explain(message: "hello"))
        XCTAssertNil(LogExplanation.explain(message: ""))
    }

    /// docs/explain.md lists every message kind, and the check pages the kinds point to exist.
    func testTheExplainPageListsEveryKind() throws {
        let page = try String(contentsOf: Paths.root.appendingPathComponent("docs/explain.md"), encoding: .utf8)
        for kind in LogMessageKind.allCases {
            XCTAssertTrue(page.contains("`\(kind.rawValue)`"), "docs/explain.md does not list \(kind.rawValue)")
            XCTAssertTrue(page.contains("`\(kind.rawValue)` | [`\(kind.check.rawValue)`](checks/\(kind.check.rawValue).md)"), "docs/explain.md: \(kind.rawValue) is not listed with \(kind.check)")
        }
    }

    // MARK: with the files

    func testComparingWithTheFilesNamesTheToolchainCause() throws {
        let plugin = try Paths.fixture("plugin-handler-go1.24.11.so")
        let gateway = try Paths.fixture("gateway-go1.25.5")
        let logged = #"[KRAKEND] 2025/01/02 - 03:04:05.678 ▶ DEBUG [SERVICE: Handler Plugin] plugin #0 (plugins/handler.so): plugin.Open("plugins/handler"): plugin was built with a different version of package internal/goarch"#
        let report = ExplanationReport(log: logged).comparing(with: Compatibility.compare(plugins: [plugin], gateway: gateway))
        XCTAssertEqual(report.inputErrors, [])
        XCTAssertEqual(report.exitStatus, 0)
        let e = try XCTUnwrap(report.explanations.first)
        let p = try XCTUnwrap(e.prediction)
        XCTAssertEqual(p.agreement, .matches, p.detail)
        XCTAssertEqual(p.verdict, .fails)
        XCTAssertTrue(p.findings.contains { $0.check == .goToolchain && $0.plugin == "go1.24.11" && $0.gateway == "go1.25.5" })
        XCTAssertEqual(e.causes.filter { $0.confirmed == true }.map(\.check), [.goToolchain])
        XCTAssertEqual(e.causes.first?.confirmed, true)
        let text = ExplainTextReport.render(report)
        XCTAssertTrue(text.contains("1. [go-toolchain] (applies here)"), text)
        XCTAssertTrue(text.contains("matches the log"), text)

        // The same files against another logged failure: the prediction differs.
        let other = ExplanationReport(log: #"plugin.Open("plugins/handler"): plugin already loaded"#)
            .comparing(with: Compatibility.compare(plugins: [plugin], gateway: gateway))
        XCTAssertEqual(other.explanations.first?.prediction?.agreement, .differs)
        // Files that cannot be read: exit status 2.
        let missing = ExplanationReport(log: logged).comparing(with: Compatibility.compare(plugins: [plugin + ".missing"], gateway: gateway))
        XCTAssertEqual(missing.exitStatus, 2)
    }

    /// The lura-asserting gateway's `unknown type` lines (registerers-go1.25.5), compared with the
    /// file each names and that gateway: compare's registerer-interface warning predicts each one;
    /// against a gateway whose type data does not name lura's interfaces, nothing is predicted.
    func testComparingAnUnknownTypeWithTheFilesMatchesCompareWarning() throws {
        let data = try Data(contentsOf: Paths.root.appendingPathComponent("TestBinaries/folders-oracle.json"))
        struct Layout: Decodable { var cases: [Case]; struct Case: Decodable { var id: String; var layout: [[String]]; var lines: [[String]] } }
        let c = try XCTUnwrap(try JSONDecoder().decode(Layout.self, from: data).cases.first { $0.id == "registerers-go1.25.5" })
        let lura = try Paths.fixture("krakend-lura-go1.25.5"), plain = try Paths.fixture("krakend-go1.25.5")
        var matched = 0
        for line in c.lines where line[0] == "LOG" && line[2].hasSuffix("unknown type") {
            let entry = try XCTUnwrap(c.layout.first { line[2].contains("(\($0[1])): ") }, line[2])
            let plugin = try Paths.fixture(entry[2])
            let log = "[KRAKEND] 2025/01/02 - 03:04:05.678 ▶ DEBUG " + line[2]
            let p = try XCTUnwrap(ExplanationReport(log: log).comparing(with: Compatibility.compare(plugins: [plugin], gateway: lura)).explanations.first?.prediction)
            XCTAssertEqual(p.agreement, .matches, "\(entry[1]): \(p.detail)")
            XCTAssertTrue(p.detail.contains("HandlerRegisterer"), p.detail)
            let other = try XCTUnwrap(ExplanationReport(log: log).comparing(with: Compatibility.compare(plugins: [plugin], gateway: plain)).explanations.first?.prediction)
            XCTAssertEqual(other.agreement, .notPredicted, "\(entry[1]) against \(plain): \(other.detail)")
            matched += 1
        }
        XCTAssertEqual(matched, 3)
    }

    /// With the files of each matrix case, every recorded message is what the prediction says
    /// (`MatrixAgreementTests` holds the prediction against the real loader; this holds the
    /// matching of explanations with verdicts).
    func testWithTheFilesOfEachMatrixCaseThePredictionMatchesEveryRecordedMessage() throws {
        struct Full: Decodable {
            var placeholder: String
            var cases: [Case]
            struct Case: Decodable {
                var id: String
                var gateway: String
                var plugins: [String]
                var results: [Oracle.Result]
            }
        }
        let data = try Data(contentsOf: Paths.root.appendingPathComponent("TestBinaries/oracle.json"))
        let oracle = try JSONDecoder().decode(Full.self, from: data)
        _ = try Paths.fixture("gateway-go1.25.5")  // fails with a hint when the fixtures are missing
        let bin = Paths.fixtures.appendingPathComponent("bin").path
        var compared = 0
        for c in oracle.cases {
            let messages = c.results.compactMap { $0.error ?? $0.fatal }
            guard !messages.isEmpty else { continue }
            let log = messages.map { $0.replacingOccurrences(of: oracle.placeholder, with: Paths.fixtures.path) }.joined(separator: "\n")
            let report = ExplanationReport(log: log)
                .comparing(with: Compatibility.compare(plugins: c.plugins.map { "\(bin)/\($0)" }, gateway: "\(bin)/\(c.gateway)"))
            for e in report.explanations {
                compared += 1
                XCTAssertEqual(e.prediction?.agreement, .matches, "\(c.id): \(e.message): \(e.prediction?.detail ?? "no prediction")")
                XCTAssertTrue(e.causes.contains { $0.confirmed == true } || e.prediction?.findings.allSatisfy({ $0.check == e.check }) == true,
                              "\(c.id): no cause of \(e.message) is confirmed by \(e.prediction?.findings.map(\.check) ?? [])")
            }
        }
        print("explain: \(compared) explanations compared with their case's files")
        XCTAssertGreaterThan(compared, 60)
    }

    // MARK: the command

    /// The command: text and JSON output, standard input, exit statuses 0, 1, 2 and 64.
    func testTheCommandExitsAsDocumented() throws {
        let exe = Paths.executable
        let help = try ProcessResult.run(exe, ["explain", "--help"])
        // The binary under test is built with the tests (swift test builds every product).
        XCTAssertEqual(help.status, 0, "\(exe) has no explain command: \(help.stderr)")
        guard help.status == 0 else { return }
        let line = #"plugin.Open("x"): plugin was built with a different version of package internal/goarch"#
        let one = try ProcessResult.run(exe, ["explain", line])
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertTrue(one.stdout.hasPrefix("line 1: \(line)\n  check: package-fingerprints"), one.stdout)
        let none = try ProcessResult.run(exe, ["explain", "all is well"])
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.stdout.hasPrefix("no message of the plugin loading path recognised"), none.stdout)
        let usage = try ProcessResult.run(exe, ["explain", "--plugin", "a.so", line])
        XCTAssertEqual(usage.status, 64)
        let json = try ProcessResult.run(exe, ["explain", "--format", "json", line])
        XCTAssertEqual(json.status, 0)
        let decoded = try JSONDecoder().decode(ExplanationReport.self, from: Data(json.stdout.utf8))
        XCTAssertEqual(decoded.explanations.map(\.check), [.packageFingerprints])
        XCTAssertEqual(decoded.schemaVersion, 1)
        // Standard input: a whole log, through the shell.
        let piped = try ProcessResult.run("/bin/sh", ["-c", "printf 'noise\\nplugin.Open(\"a\"): realpath failed\\nmore noise\\n' | \(exe) explain --format json"])
        XCTAssertEqual(piped.status, 0, piped.stderr)
        let fromStdin = try JSONDecoder().decode(ExplanationReport.self, from: Data(piped.stdout.utf8))
        XCTAssertEqual(fromStdin.explanations.map(\.kind), [.realpathFailed])
        XCTAssertEqual(fromStdin.explanations.first?.occurrences.map(\.line), [2])
        XCTAssertEqual(fromStdin.linesRead, 3)
        let unreadable = try ProcessResult.run(exe, ["explain", "--plugin", "/nonexistent/p.so", "--gateway", "/nonexistent/gw", line])
        XCTAssertEqual(unreadable.status, 2)
        XCTAssertTrue(unreadable.stderr.contains("/nonexistent/gw: "), unreadable.stderr)
    }

    static let realCrash = """
        fatal error: runtime: no plugin module data

        goroutine 1 gp=0xc000002380 m=0 mp=0x71b120 [running]:
        runtime.throw({0x5ddace?, 0xc000050b20?})
        \t/usr/local/go/src/runtime/panic.go:1094 +0x48 fp=0xc000050aa8 sp=0xc000050a78 pc=0x50a788
        plugin.lastmoduleinit()
        \t/usr/local/go/src/runtime/plugin.go:23 +0x8ce fp=0xc000050b90 sp=0xc000050aa8 pc=0x50b06e
        plugin.open({0x7ffe48153a77, 0x2f})
        \t/usr/local/go/src/plugin/plugin_dlopen.go:77 +0x3fd fp=0xc000050e00 sp=0xc000050b90 pc=0x5949dd
        plugin.Open(...)
        \t/usr/local/go/src/plugin/plugin.go:84
        main.main()
        \t/src/gateway/main.go:28 +0x14f fp=0xc000050f50 sp=0xc000050e00 pc=0x5963cf
        runtime.main()
        \t/usr/local/go/src/runtime/proc.go:285 +0x29d fp=0xc000050fe0 sp=0xc000050f50 pc=0x4d841d
        runtime.goexit({})
        \t/usr/local/go/src/runtime/asm_amd64.s:1693 +0x1 fp=0xc000050fe8 sp=0xc000050fe0 pc=0x511ec1

        goroutine 2 gp=0xc000002e00 m=nil [force gc (idle)]:
        runtime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)
        \t/usr/local/go/src/runtime/proc.go:460 +0xce fp=0xc000040fa8 sp=0xc000040f88 pc=0x50b14e
        runtime.goparkunlock(...)
        \t/usr/local/go/src/runtime/proc.go:466
        runtime.forcegchelper()
        \t/usr/local/go/src/runtime/proc.go:373 +0xb3 fp=0xc000040fe0 sp=0xc000040fa8 pc=0x4d8753
        runtime.goexit({})
        \t/usr/local/go/src/runtime/asm_amd64.s:1693 +0x1 fp=0xc000040fe8 sp=0xc000040fe0 pc=0x511ec1
        created by runtime.init.7 in goroutine 1
        \t/usr/local/go/src/runtime/proc.go:361 +0x1a
        """

    static let realSegv = """
        SIGSEGV: segmentation violation
        PC=0x7f880c544558 m=0 sigcode=1 addr=0x10
        signal arrived during cgo execution

        goroutine 1 gp=0xc000002380 m=0 mp=0x760340 [syscall]:
        runtime.cgocall(0x509b60, 0xc000055b90)
        \t/usr/local/go/src/runtime/cgocall.go:167 +0x4b fp=0xc000055b68 sp=0xc000055b30 pc=0x47b0ab
        plugin._Cfunc_pluginOpen(0xc0000ac000, 0xc000044060)
        \t_cgo_gotypes.go:85 +0x47 fp=0xc000055b90 sp=0xc000055b68 pc=0x5077a7
        plugin.open.func1(...)
        \t/usr/local/go/src/plugin/plugin_dlopen.go:64
        plugin.open({0x7ffcb90f3a94, 0x15})
        \t/usr/local/go/src/plugin/plugin_dlopen.go:64 +0x28a fp=0xc000055e00 sp=0xc000055b90 pc=0x507b2a
        plugin.Open(...)
        \t/usr/local/go/src/plugin/plugin.go:84
        main.main()
        \t/src/gateway/main.go:28 +0x14f fp=0xc000055f50 sp=0xc000055e00 pc=0x50968f
        runtime.main()
        \t/usr/local/go/src/runtime/proc.go:285 +0x29d fp=0xc000055fe0 sp=0xc000055f50 pc=0x44b6dd
        runtime.goexit({})
        """
}
