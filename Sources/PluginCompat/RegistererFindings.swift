/// What the registerer checks need of the files: the symbols whose assertion the gateway is known
/// to make, the expectations for them, and each plugin's registerer predictions, by path.
/// Without a host-expectations file, the loaders whose lura v2 interface the gateway's type data
/// names (`HostFacts.luraInterfaces`); with one, every symbol the file names.
struct RegistererTypes {
    var asserted: Set<String> = []
    var expectations: [RegistererExpectation] = []
    var luraModule: String?
    /// `--host-expectations`: the file the expectations come from; nil for lura's built-in ones.
    var host: HostExpectations?
    var predictions: [String: [RegistererPrediction]] = [:]

    static let services = ["ClientRegisterer": "[SERVICE: Executor Plugin]", "HandlerRegisterer": "[SERVICE: Handler Plugin]",
                           "ModifierRegisterer": "[SERVICE: Modifier Plugin]"]

    init() {}

    /// `loading`: the paths of the plugins the simulation loads, the only ones whose registerers
    /// the gateway looks up; their export types are read now, on all cores (a plugin that fails,
    /// crashes or is not reached costs no type descriptor).
    init(gateway: Artifact, plugins: [Artifact], host: HostExpectations? = nil, loading: Set<String>) {
        self.host = host
        if let host {
            // The file says what the host asserts; the gateway's type data is not consulted.
            expectations = host.expectations
        } else {
            let lura = Set(gateway.go?.host?.luraInterfaces ?? [])
            luraModule = (try? gateway.go?.moduleInfo?.get())?.dependencies.first { $0.path == "github.com/luraproject/lura/v2" }.map { "\($0.path) \($0.version)" }
            expectations = RegistererExpectation.krakend.filter { lura.contains($0.symbol) }
        }
        asserted = Set(expectations.map(\.symbol))
        guard !asserted.isEmpty else { return }
        let loaded = plugins.compactMap { a in a.go?.plugin.flatMap { loading.contains(a.path) ? (a, $0.exportedSymbols) : nil } }
        let expectations = expectations
        let found = ParallelReads.map(loaded.count) { i in
            RegistererPrediction.predict(loaded[i].0.exports, exported: loaded[i].1, expectations: expectations)
        }
        for ((a, _), p) in zip(loaded, found) { predictions[a.path] = p }
    }

    /// Why the gateway's interface is known.
    func basis(_ symbol: String) -> String {
        let t = expectations.first { $0.symbol == symbol }
        if let host { return "asserts \(t?.asserted ?? symbol) (as \(host.path) describes \(host.host))" }
        return "asserts \(t?.asserted ?? symbol) (lura v2's \(t?.loader ?? "") interface, in its type data\(luraModule.map { "; links \($0)" } ?? ""))"
    }

    /// `registerer-interface` for one plugin that loads, the `index`-th the gateway opens: a
    /// registerer that fails the assertion (`failing`: an error in audit, whose configuration may
    /// name it; a warning in compare, which cannot tell whether anything uses it: either way it
    /// is never registered), or whose optional extra has another type (a warning: never called).
    func interfaceFindings(_ v: PluginVerdict, index: Int, failing: Severity) -> [Finding] {
        guard v.verdict == .loads else { return [] }
        var findings: [Finding] = []
        let who = host?.host ?? "KrakenD"
        for p in predictions[v.path] ?? [] where asserted.contains(p.symbol) {
            let plugin = "\(v.path): \(p.symbol) \(p.type ?? "?"): \(p.difference ?? "")"
            if p.outcome == .unknownType {
                var explanation = host == nil ? "\(v.path) loads, but its \(p.symbol) is not the interface the gateway's loader asserts, so KrakenD never registers it"
                    : "\(v.path) loads, but its \(p.symbol) is not what \(who) asserts, so \(who) never uses it"
                if let log = p.log {
                    // KrakenD's loaders log the failure with their service and the file's index.
                    explanation += host == nil ? " and logs `\(Self.services[p.symbol] ?? "[SERVICE: Plugin Loader]") plugin #\(index) (\(v.path)): \(log)`"
                        : " and its loader fails with `\(log)`"
                }
                findings.append(Finding(check: .registererInterface, severity: failing, plugin: plugin, gateway: basis(p.symbol),
                                        explanation: explanation, fix: p.fix))
            } else if !p.extrasIgnored.isEmpty {
                findings.append(Finding(
                    check: .registererInterface, severity: .warning, plugin: plugin, gateway: basis(p.symbol),
                    explanation: "\(v.path) registers, but \(who) never hands it the \(p.extrasIgnored.joined(separator: " and ")): the method's type is not the one \(host == nil ? "lura" : who) asserts",
                    fix: p.fix))
            }
        }
        return findings
    }
}

extension Compatibility {
    /// `registerer-interface` for every plugin that loads, in the order they are opened.
    static func interfaceFindings(_ verdicts: [PluginVerdict], _ types: RegistererTypes) -> [Finding] {
        verdicts.enumerated().flatMap { types.interfaceFindings($1, index: $0, failing: .error) }
    }

    /// compare: each loading plugin's registerer findings, on its own verdict.
    static func addRegistererFindings(_ types: RegistererTypes, _ report: inout CompareReport) {
        for i in report.plugins.indices {
            report.plugins[i].findings += types.interfaceFindings(report.plugins[i], index: i, failing: .warning)
        }
    }

    /// `--host-expectations` that could not be read: an input error (exit status 2).
    static func checkHostExpectations(_ options: CompareOptions, _ report: inout CompareReport) {
        if let e = options.hostExpectationsError, !report.inputErrors.contains(e) { report.inputErrors.append(e) }
    }
}

extension CompareReport {
    /// The plugins the simulation loads, by path: the only ones the gateway looks registerers up in.
    var loadingPaths: Set<String> { Set(plugins.filter { $0.verdict == .loads }.map(\.path)) }
}
