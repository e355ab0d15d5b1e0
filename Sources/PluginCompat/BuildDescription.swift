import GoBinary

/// The parts of a Go binary's build information that change package fingerprints, read
/// from its module info (empty when it has none, e.g. Go 1.19 plugins).
struct BuildDescription {
    var goVersion: String?
    /// The toolchain release without the ` X:experiment` suffix GOEXPERIMENT adds.
    var toolchain: String? { goVersion.map { String($0.prefix { $0 != " " }) } }
    var settings: [String: String]
    var modules: [String: Module]

    init(_ artifact: Artifact) {
        goVersion = artifact.go?.goVersion?.raw
        let info = try? artifact.go?.moduleInfo?.get()
        settings = Dictionary(info?.settings.map { ($0.key, $0.value) } ?? [], uniquingKeysWith: { a, _ in a })
        var modules: [String: Module] = [:]
        for m in (info?.dependencies ?? []) + [info?.main].compactMap({ $0 }) { modules[m.path] = m }
        self.modules = modules
    }

    var hasBuildInfo: Bool { !settings.isEmpty || !modules.isEmpty }
    var trimpath: Bool { settings["-trimpath"] == "true" }

    /// The module providing `package`: the longest module path that prefixes it.
    func module(providing package: String) -> Module? {
        modules.values.filter { package == $0.path || package.hasPrefix($0.path + "/") }.max { $0.path.count < $1.path.count }
    }

    /// Standard library packages have no dot in their first path element.
    static func isStandardLibrary(_ package: String) -> Bool {
        !(package.split(separator: "/").first?.contains(".") ?? false)
    }

    /// How the build treated source paths, in words (no -trimpath setting means not trimmed).
    func describeTrim() -> String { trimpath ? "built with -trimpath" : "built without -trimpath (its directories are in the fingerprints)" }

    func describe(_ m: Module?) -> String {
        guard let m else { return "not linked" }
        var s = "\(m.path) \(m.version)"
        if let r = m.replacement { s += " => \(r.path)\(r.version.isEmpty ? "" : " " + r.version)" }
        else if !m.sum.isEmpty { s += " (\(m.sum))" }
        return s
    }
}
