import PluginCompat

/// Renders a `FileReport` for people: identity, linking, Go, then plugin or host facts;
/// one screen for a typical plugin.
public enum TextReport {
    public static func render(_ r: FileReport) -> String {
        guard let elf = r.elf else { return "\(r.path): \(r.error ?? "unreadable")\n" }
        var lines: [String] = [r.path]
        func section(_ title: String) { lines.append("  \(title)") }
        func row(_ key: String, _ value: String) {
            lines.append("    " + key + String(repeating: " ", count: max(1, 13 - key.count)) + value)
        }
        let go = r.go
        section("identity")
        row("kind", kind(r))
        row("format", "\(elf.class) \(elf.type), \(elf.machine)\(elf.goarch.map { " (GOARCH \($0))" } ?? ""), \(elf.dataEncoding), \(elf.osABI) ABI \(elf.abiVersion)")
        row("size", "\(elf.size) bytes, \(elf.stripped ? "stripped (no .symtab)" : "not stripped")")
        if let id = elf.buildID { row("build ID", id) }

        section("linking")
        row("interpreter", elf.interpreter ?? "none")
        row("needed", elf.needed.isEmpty ? "none" : elf.needed.joined(separator: ", "))
        if let s = elf.soname { row("soname", s) }
        if let s = elf.rpath { row("rpath", s) }
        if let s = elf.runpath { row("runpath", s) }
        if !elf.dynamicFlags.isEmpty { row("flags", elf.dynamicFlags.joined(separator: " ")) }
        row("libc", elf.libc.rawValue + (elf.highestGlibcVersion.map { ", needs up to \($0)" } ?? ""))

        guard let go, go.role != .notGo else { return lines.joined(separator: "\n") + "\n" }
        section("go")
        if let v = go.version {
            row("version", "\(v) (from \(go.versionSource.rawValue.replacingAll("-", with: " ")))")
        } else {
            row("version", "unknown: \(go.versionUnknownReason ?? "no build info")")
        }
        if let b = go.buildInfo {
            row("build info", "\(b.format == "inline" ? "Go 1.18+ inline" : "Go 1.13-1.17 pointer") format at \(b.address)")
        } else if let e = go.buildInfoError {
            row("build info", e)
        }
        if let p = go.path { row("path", p) }
        if let m = go.main { row("main module", moduleText(m)) }
        if !go.dependencies.isEmpty {
            row("dependencies", "\(go.dependencies.count)")
            for d in go.dependencies { lines.append("      " + moduleText(d)) }
        }
        let shown = go.settings.filter { !$0.key.hasPrefix("vcs.") && $0.key != "DefaultGODEBUG" && !($0.key.hasPrefix("CGO_") && $0.value.isEmpty) }
        if !shown.isEmpty {
            row("settings", shown.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        }
        if let p = go.plugin {
            section("plugin")
            let source: String
            switch p.pluginPathSource {
            case .symbol: source = "go:link.thispluginpath"
            case .mainFunction: source = "its main package, stripped"
            case .unknown: source = "nowhere"
            }
            row("plugin path", (p.pluginPath ?? "unknown") + " (from \(source))")
            row("exports", p.exportedSymbols.isEmpty ? "nothing" : p.exportedSymbols.joined(separator: ", "))
            row("registerers", p.registerers.isEmpty ? "none: KrakenD would load it and register nothing" : p.registerers.joined(separator: ", "))
            for k in p.krakend ?? [] {
                let methods = p.exports?.first { $0.name == k.symbol }?.type.methods.map { "\($0.name) \($0.type ?? "?")" } ?? []
                let name = k.name.map { "registers as \"\($0)\"" } ?? "name not known statically: \(k.nameUnknownReason ?? "?")"
                let extras = k.extrasUsed.isEmpty ? "" : "; KrakenD passes it its " + k.extrasUsed.joined(separator: " and ")
                row(k.symbol, "\(k.type ?? "?"): \(k.outcome == .registered ? "registered" : k.outcome == .unknownType ? "NOT registered (\(k.log ?? ""))" : "unknown"); \(name)\(extras)")
                for m in methods { row("  method", m) }
                if let d = k.difference { row("  difference", d) }
                if let f = k.fix { row("  fix", f) }
            }
            row("fingerprints", "\(go.fingerprintCount) packages (\(go.fingerprintPrefix ?? "none"))")
        }
        if let h = go.host {
            section("host")
            row("plugins", h.canLoadPlugins ? "can load plugins" : "cannot load plugins: \(h.cannotLoadReason ?? "")")
            row("fingerprints", "\(h.fingerprintCount) packages (\(go.fingerprintPrefix ?? "none"))")
        }
        if let s = go.sources {
            section("sources")
            row("file table", "pclntab \(s.format.rawValue) (\(s.location.rawValue)), \(s.fileCount) files, \(s.packageCount) packages")
            for root in s.roots {
                let name = rootName[root.kind] ?? root.kind.rawValue
                let where_ = root.path.isEmpty ? (root.kind == .trimmed ? "no directories (-trimpath)" : "directory unknown") : root.path
                lines.append("      " + name + String(repeating: " ", count: max(1, 13 - name.count)) + where_ + " (\(root.packages) package\(root.packages == 1 ? "" : "s"))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// How the text report names each kind of source root.
    static let rootName: [PackageSources.Kind: String] = [
        .moduleCache: "GOMODCACHE", .vendor: "vendor in", .mainModule: "main module", .gopath: "GOPATH",
        .goroot: "GOROOT", .directory: "directory", .trimmed: "trimmed",
    ]

    static func kind(_ r: FileReport) -> String {
        switch r.go?.role {
        case .plugin?: return "Go plugin"
        case .executable?: return r.go?.host?.canLoadPlugins == true ? "Go executable, can load plugins" : "Go executable"
        case .sharedLibrary?: return "Go shared library (c-shared), not a plugin"
        case .notGo?, nil:
            switch r.elf?.type {
            case .sharedObject?: return "shared object (not Go)"
            case .executable?: return "executable (not Go)"
            case .relocatable?: return "relocatable object (not Go)"
            case let other: return "ELF \(other.map { "\($0)" } ?? "") (not Go)"
            }
        }
    }

    static func moduleText(_ m: Module) -> String {
        var s = "\(m.path) \(m.version)"
        if !m.sum.isEmpty { s += " \(m.sum)" }
        if let r = m.replacement { s += " => \(r.path)\(r.version.isEmpty ? "" : " " + r.version)" }
        return s
    }
}
