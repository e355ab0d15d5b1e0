/// One difference `deps` found between what the plugin's build will use and what the
/// gateway was built with, both sides' values, and the fix.
public struct DependencyFinding: Sendable, Codable, Equatable {
    public var check: CheckID
    public var severity: Severity
    /// The module it is about; nil for toolchain, flag, libc and architecture findings.
    @Nullable public var module: String?
    /// The plugin's value (check-plugin's `have:`).
    public var have: String
    /// The gateway's value (check-plugin's `want:`).
    public var want: String
    public var explanation: String
    /// False when the outcome depends on what this program cannot see before the build
    /// (module content, build tags inside a package, a gateway's build folder).
    public var decided: Bool
    @Nullable public var fix: String?
    /// The lines this finding adds to `--fix`'s script.
    public var script: [String]
}

/// A module both sides contain.
public struct ModulePair: Sendable, Codable, Equatable {
    public var path: String
    public var plugin: SelectedModule
    /// The gateway's `dep` line: version, and its replacement as `path version` when replaced.
    public var gatewayVersion: String
    @Nullable public var gatewayReplacement: String?
    public var aligned: Bool
}

/// What `krakend check-plugin` would say about one module on the same inputs (the highest
/// version in go.sum against the gateway's), kept beside `deps`' own answer.
public struct CheckPluginDifference: Sendable, Codable, Equatable {
    public var module: String
    public var goSumHighest: String
    public var selected: String
    public var gateway: String
    /// check-plugin reports it, the build selects the gateway's version: a false report.
    public var falseReport: Bool
}

public struct DependencyReport: Sendable, Codable {
    public enum Verdict: String, Sendable, Codable {
        /// Every shared module, the toolchain and the flags agree.
        case aligned
        /// Something differs that makes plugin.Open fail (or the build stop).
        case misaligned
        /// Only differences whose effect cannot be told before building.
        case uncertain
    }

    public struct PluginSide: Sendable, Codable {
        public var directory: String
        @Nullable public var modulePath: String?
        @Nullable public var goLine: String?
        @Nullable public var toolchainLine: String?
        /// The oldest Go that can build it (the highest `go` line in the graph).
        @Nullable public var requiredGo: String?
        /// The toolchain that will build it, and how that was decided.
        @Nullable public var toolchain: String?
        public var toolchainSource: String
        public var mode: String
        @Nullable public var workFile: String?
        public var flags: DependencyBuildFlags
        @Nullable public var goarch: String?
        @Nullable public var libc: String?
    }

    public struct GatewaySide: Sendable, Codable {
        public var path: String
        @Nullable public var goVersion: String?
        @Nullable public var modulePath: String?
        @Nullable public var goarch: String?
        @Nullable public var libc: String?
        @Nullable public var highestGlibc: String?
        public var trimpath: Bool
        public var race: Bool
        public var tags: [String]
        @Nullable public var goexperiment: String?
    }

    public struct InputError: Sendable, Codable, Equatable {
        public var path: String
        public var reason: String
        public var line1: String { "\(path): \(reason)" }
    }

    public var verdict: Verdict
    @Nullable public var plugin: PluginSide?
    @Nullable public var gateway: GatewaySide?
    public var findings: [DependencyFinding]
    /// Modules both contain, with each side's version.
    public var shared: [ModulePair]
    /// Every module the plugin's build selects (`go list -m all` without the main module).
    public var selected: [SelectedModule]
    /// go.mod files the graph needed and the cache does not hold: what is below them is undecided.
    public var missing: [MissingModFile]
    public var undecided: [String]
    public var inputErrors: [InputError]
    public var checkPlugin: [CheckPluginDifference]

    /// 0 aligned (uncertain too unless `strict`), 1 misaligned, 2 an input prevents a decision.
    public func exitStatus(strict: Bool) -> Int32 {
        if !inputErrors.isEmpty || !missing.isEmpty || !undecided.isEmpty { return 2 }
        switch verdict {
        case .aligned: return 0
        case .uncertain: return strict ? 1 : 0
        case .misaligned: return 1
        }
    }

    /// `--fix`: a POSIX shell script that aligns the plugin's module with the gateway.
    public var fixScript: String {
        var lines = ["#!/bin/sh", "# plugincheck deps --fix: align the plugin module with the gateway's build", "set -e"]
        if let d = plugin?.directory { lines.append("cd " + DependencyFix.shellQuote(d)) }
        var seen = Set<String>()
        var body: [String] = []
        for f in findings where f.severity != .info {
            // A finding no command can fix still says what to do, so that the script never
            // reads "nothing to change" for a module that differs.
            let script = f.script.isEmpty ? (f.fix.map { [DependencyFix.byHand($0)] } ?? []) : f.script
            for l in script where seen.insert(l).inserted { body.append(l) }
        }
        // `go mod vendor` last: the vendor folder must follow go.mod's new requirements.
        if plugin?.mode == "vendor" && body.contains(where: { $0.hasPrefix("go get") || $0.hasPrefix("go mod edit") }) {
            body.append("go mod vendor")
        }
        if body.isEmpty { body = ["# nothing to change: the module is aligned with the gateway"] }
        // What only a change of the gateway can align: the script stops, rather than pass for a fix.
        if body.contains(where: { $0.hasPrefix("# the gateway must change") }) {
            body += ["echo 'plugincheck deps: the gateway must change (see above); no change of the plugin module aligns it' >&2", "exit 1"]
        }
        return (lines + body).joined(separator: "\n") + "\n"
    }
}
