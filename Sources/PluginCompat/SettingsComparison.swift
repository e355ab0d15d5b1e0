import GoBinary

/// Differences that do not stop a plugin from loading but are worth knowing: CPU level,
/// link flags, toolchain patch level, module content behind equal fingerprints, glibc needs.
enum SettingsComparison {
    static func findings(plugin: Artifact, gateway: Artifact, glibcTarget: GlibcVersion?) -> [Finding] {
        let p = BuildDescription(plugin), g = BuildDescription(gateway)
        var out: [Finding] = []
        for key in ["GOAMD64", "GOARM64", "GOARM", "GO386"] {
            guard let pv = p.settings[key], let gv = g.settings[key], pv != gv else { continue }
            if level(pv) > level(gv) {
                out.append(Finding(check: .cpuLevel, severity: .warning, plugin: "\(key)=\(pv)", gateway: "\(key)=\(gv)",
                                   explanation: "the plugin may use instructions that the gateway's minimum CPU lacks; it loads, but can die with SIGILL on older machines",
                                   fix: "rebuild the plugin with \(key)=\(gv)"))
            } else {
                out.append(Finding(check: .cpuLevel, severity: .info, plugin: "\(key)=\(pv)", gateway: "\(key)=\(gv)",
                                   explanation: "different CPU levels do not change fingerprints", fix: nil))
            }
        }
        if let pv = p.toolchain, let gv = g.toolchain, pv != gv {
            out.append(Finding(check: .goToolchain, severity: .info, plugin: pv, gateway: gv,
                               explanation: "different toolchains, yet every package fingerprint agrees (small patch differences can)", fix: "build both with one Go version to stay safe"))
        }
        if p.settings["-ldflags"] != g.settings["-ldflags"], p.settings["-ldflags"] != nil || g.settings["-ldflags"] != nil {
            out.append(Finding(check: .ldflags, severity: .info, plugin: p.settings["-ldflags"] ?? "not set", gateway: g.settings["-ldflags"] ?? "not set",
                               explanation: "link flags (-s -w, -X) do not change package fingerprints", fix: nil))
        }
        for (path, pm) in p.modules {
            guard let gm = g.modules[path], pm.version == gm.version, pm.replacement != gm.replacement || pm.sum != gm.sum else { continue }
            out.append(Finding(check: .moduleContent, severity: .warning, plugin: p.describe(pm), gateway: g.describe(gm),
                               explanation: "the fingerprints agree, but \(path) may not be the same code on both sides: fingerprints hash export data, not function bodies, so the plugin can load and run its own copy of changed functions",
                               fix: "build both sides from the same source of \(path)"))
        }
        if glibcTarget == nil, let need = plugin.elf?.highestGlibc, let have = gateway.elf?.highestGlibc, need > have, gateway.elf?.libc == .glibc {
            out.append(Finding(check: .glibcVersion, severity: .warning, plugin: "needs \(need)", gateway: "needs only \(have)",
                               explanation: "the plugin needs a newer glibc than the gateway itself; on a system with glibc older than \(need) dlopen fails with \"version `\(need)' not found\"",
                               fix: "build the plugin on the same (or an older) system as the gateway, or pass --target-glibc to decide"))
        }
        return out
    }

    static func level(_ v: String) -> Int {
        Int(v.drop { !$0.isNumber }.prefix { $0.isNumber }) ?? 0
    }
}
