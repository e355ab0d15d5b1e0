/// What `plugincheck compare` predicts for the files behind a logged message, and whether it
/// is what the gateway logged.
public struct PredictionMatch: Sendable, Codable {
    public enum Agreement: String, Sendable, Codable {
        /// The prediction is the logged message (file names aside).
        case matches
        /// The prediction is another outcome or names another package, symbol or version.
        case differs
        /// plugincheck does not predict this kind of message (a registerer's method types,
        /// a panic in its code, a CPU's missing instruction without a CPU-level difference).
        case notPredicted = "not-predicted"
    }

    /// The plugin the message was compared with (a path given with `--plugin`).
    public var plugin: String
    public var verdict: VerdictKind
    /// What the gateway would log, by the prediction.
    @Nullable public var predictedMessage: String?
    public var agreement: Agreement
    /// Why, in words.
    public var detail: String
    /// The verdict's findings: which causes apply here, with both sides' values and the fix.
    public var findings: [Finding]

    public init(plugin: String, verdict: VerdictKind, predictedMessage: String?, agreement: Agreement, detail: String, findings: [Finding]) {
        self.plugin = plugin
        self.verdict = verdict
        self.predictedMessage = predictedMessage
        self.agreement = agreement
        self.detail = detail
        self.findings = findings
    }
}

extension ExplanationReport {
    /// The report with each explanation compared with the verdict for its plugin (by file
    /// name; with one message and one plugin, with that plugin whatever its name), the causes
    /// a finding confirms marked, and the comparison's unreadable inputs.
    public func comparing(with report: CompareReport) -> ExplanationReport {
        var out = self
        out.comparison = Comparison(gateway: report.gateway, plugins: report.plugins)
        out.inputErrors = report.inputErrors
        for i in out.explanations.indices {
            guard let v = Self.verdict(for: out.explanations[i], in: report.plugins, single: out.explanations.count == 1) else { continue }
            out.explanations[i].prediction = PredictionMatch.judge(out.explanations[i], v)
            let checks = Set(v.findings.map(\.check))
            for c in out.explanations[i].causes.indices {
                out.explanations[i].causes[c].confirmed = checks.contains(out.explanations[i].causes[c].check)
            }
        }
        return out
    }

    static func verdict(for e: LogExplanation, in verdicts: [PluginVerdict], single: Bool) -> PluginVerdict? {
        let names = Set(e.values.fileNames.map(MessageParser.bareName))
        if !names.isEmpty, let v = verdicts.first(where: { names.contains(MessageParser.bareName($0.path)) }) { return v }
        guard names.isEmpty || single else { return nil }
        if verdicts.count == 1 { return verdicts[0] }
        if e.kind.isCrash { return verdicts.first { $0.verdict == .crashes } }
        return verdicts.first { $0.verdict == .fails || $0.verdict == .crashes }
    }
}

extension PredictionMatch {
    static func judge(_ e: LogExplanation, _ v: PluginVerdict) -> PredictionMatch {
        func result(_ a: Agreement, _ detail: String) -> PredictionMatch {
            PredictionMatch(plugin: v.path, verdict: v.verdict, predictedMessage: v.message, agreement: a, detail: detail, findings: v.findings)
        }
        let exports = v.registerers.isEmpty ? "no KrakenD registerer" : v.registerers.joined(separator: ", ")
        if e.kind.isAfterOpen {
            guard v.verdict == .loads else {
                return result(.differs, "plugincheck predicts that plugin.Open \(v.verdict == .crashes ? "crashes the gateway" : "fails"), but the log shows the plugin opened and looked up: the files given are probably not the ones the gateway loaded")
            }
            switch e.kind {
            case .symbolNotFound:
                guard let s = e.values.symbol else { return result(.notPredicted, "the message names no symbol") }
                if v.registerers.contains(s) {
                    return result(.differs, "the plugin exports \(s), so the look-up should find it: the file the gateway loaded is probably another build")
                }
                return result(.matches, "the plugin loads and exports \(exports), not \(s)")
            case .unknownType:
                // compare predicts the assertion where the gateway's type data names lura's
                // interface: a registerer-interface finding on `PATH: SYMBOL TYPE: difference`.
                let symbol = e.values.loaderKind.flatMap { ExplainCatalogue.loaderSymbols[$0] } ?? ""
                let failing = v.findings.first { $0.check == .registererInterface && $0.explanation.contains(" never registers it")
                    && $0.plugin?.contains(": \(symbol) ") == true }
                if let f = failing {
                    return result(.matches, "plugincheck predicts that the loader's type assertion fails: \(f.plugin.map { String($0.drop { $0 != ":" }.dropFirst(2)) } ?? "")")
                }
                return result(.notPredicted, "plugincheck predicts the type assertion only for a gateway whose type data names lura v2's interface (or with --host-expectations); the plugin loads and exports \(exports)")
            default:
                return result(.notPredicted, "plugincheck does not check the registerer's method types or run its code; the plugin loads and exports \(exports)")
            }
        }
        if e.kind == .illegalInstruction {
            if v.findings.contains(where: { $0.check == .cpuLevel }) {
                return result(.matches, "plugincheck warns that the plugin needs a higher CPU level than the gateway")
            }
            return result(.notPredicted, "plugincheck sees no difference of CPU level between the files; look for C code compiled with -march")
        }
        switch v.verdict {
        case .loads:
            return result(.differs, "plugincheck predicts that the plugin loads in this gateway (after the --plugin files given before it, if any); the logged failure may depend on files the gateway opened before this one (give them with --plugin, in load order), or the files given are not the ones the gateway loaded")
        case .notReached:
            return result(.differs, "plugincheck predicts that an earlier --plugin file crashes the gateway before this one is opened")
        case .unknown:
            return result(.differs, "plugincheck cannot decide for these files; the findings say what is missing")
        case .fails, .crashes:
            break
        }
        guard let message = v.message, let p = MessageParser.parse(message[...], context: MessageContext(alone: true)) else {
            return result(.differs, "plugincheck predicts: \(v.message ?? v.verdict.rawValue)")
        }
        if p.kind == e.kind || (p.kind.isCrash && e.kind.isCrash && p.kind.check == e.kind.check) {
            let a = p.values, b = e.values
            let differing: [(String, String?, String?)] = [
                ("package", a.package, b.package), ("symbol", a.symbol, b.symbol), ("version", a.requiredVersion, b.requiredVersion),
                ("relocation type", a.relocationType.map(String.init), b.relocationType.map(String.init)), ("ELF class", a.elfClass, b.elfClass),
            ].filter { $0.1 != nil && $0.2 != nil && $0.1 != $0.2 }
            if let d = differing.first {
                return result(.differs, "plugincheck predicts the same failure with \(d.0) \(d.1!), where the log names \(d.2!): the files given are probably other builds than the ones the gateway loaded")
            }
            return result(.matches, "the prediction is the logged message (file names aside)" + (e.previousFailure ? "; the repeat (previous failure) comes from opening the file again" : ""))
        }
        return result(.differs, "plugincheck predicts another failure for these files: \(message)")
    }
}
