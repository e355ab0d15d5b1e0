import GoBinary

/// A plugin's runtime must describe its module data with the gateway runtime's
/// `runtime.moduledata` layout; otherwise the gateway's runtime cannot find the plugin's
/// module and the process dies.
enum RuntimeLayoutCheck {
    static let fatalMessage = "fatal error: runtime: no plugin module data"

    /// Layout groups seen when the type descriptor cannot be read (Go minor versions that
    /// share one layout, as the matrix's builds of 1.19 to 1.27 showed).
    static let groups: [[String]] = [["1.19"], ["1.20"], ["1.21", "1.22"], ["1.23", "1.24", "1.25"], ["1.26"], ["1.27"]]

    /// Nil when the layouts agree; an error finding when they differ, a warning when unknown.
    static func compare(plugin: Artifact, gateway: Artifact) -> Finding? {
        let pv = plugin.go?.goVersion, gv = gateway.go?.goVersion
        let versions = (pv?.raw ?? "unknown", gv?.raw ?? "unknown")
        if let p = plugin.go?.runtimeLayout, let g = gateway.go?.runtimeLayout {
            if p == g { return nil }
            return Finding(check: .goRuntimeLayout, severity: .error,
                           plugin: "\(versions.0): runtime.moduledata has \(p.fields.count) fields, \(p.size) bytes",
                           gateway: "\(versions.1): \(g.fields.count) fields, \(g.size) bytes",
                           explanation: "the plugin's Go runtime lays out its module data differently from the gateway's (\(difference(p, g))); the gateway's runtime cannot register the plugin and the whole process dies",
                           fix: "rebuild the plugin with the gateway's Go version, \(versions.1)",
                           rebuild: gv.map { Rebuild(toolchain: String($0.raw.prefix { $0 != " " })) })
        }
        guard let pv, let gv else {
            return Finding(check: .goRuntimeLayout, severity: .warning, plugin: versions.0, gateway: versions.1,
                           explanation: "the Go version or runtime layout of one side is unknown, so a crash from mismatched runtimes cannot be ruled out",
                           fix: "build the plugin with the gateway's exact Go version")
        }
        let group = { (v: GoVersion) in groups.firstIndex { $0.contains(v.minorVersion) } }
        if group(pv) == group(gv) && group(pv) != nil { return nil }
        return Finding(check: .goRuntimeLayout, severity: .error, plugin: pv.raw, gateway: gv.raw,
                       explanation: "Go \(pv.minorVersion) and Go \(gv.minorVersion) lay out runtime.moduledata differently; the gateway's runtime cannot register the plugin and the whole process dies",
                       fix: "rebuild the plugin with the gateway's Go version, \(gv.raw)",
                       rebuild: Rebuild(toolchain: String(gv.raw.prefix { $0 != " " })))
    }

    static func difference(_ p: RuntimeLayout, _ g: RuntimeLayout) -> String {
        let pn = Set(p.fields.map(\.name)), gn = Set(g.fields.map(\.name))
        let added = p.fields.map(\.name).filter { !gn.contains($0) && !$0.isEmpty }
        let missing = g.fields.map(\.name).filter { !pn.contains($0) && !$0.isEmpty }
        var parts: [String] = []
        if !added.isEmpty { parts.append("only the plugin's has " + added.joined(separator: ", ")) }
        if !missing.isEmpty { parts.append("only the gateway's has " + missing.joined(separator: ", ")) }
        if parts.isEmpty { parts.append("fields at other offsets") }
        return parts.joined(separator: "; ")
    }
}
