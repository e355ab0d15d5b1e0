import GoBinary

/// Step 5 of `plugin.Open`: each package the plugin links is checked, in the plugin's own
/// table order, against the fingerprint the dynamic loader bound for it: the first object in
/// the global scope that defines it (the gateway, then earlier plugins, then the plugin).
enum FingerprintCheck {
    struct Mismatch {
        var package: String
        var pluginHash: PackageFingerprint
        var boundHash: PackageFingerprint
        /// Who defines the hash the plugin is compared with: the gateway or an earlier plugin.
        var definer: Artifact
        var definerIsGateway: Bool
        /// Whether the order came from the relocation table (else: a guess).
        var orderKnown: Bool
    }

    /// Every package that differs, in check order: the runtime names only the first, but the
    /// others fail next once it is fixed.
    static func mismatches(plugin: Artifact, gateway: Artifact, earlier: ArraySlice<Artifact>) -> [Mismatch] {
        guard let prints = plugin.go?.fingerprints else { return [] }
        var found: [Mismatch] = []
        let order = prints.checkOrder.isEmpty ? prints.byPackage.keys.sorted() : prints.checkOrder
        for package in order {
            guard let own = prints.byPackage[package] else { continue }
            if let g = gateway.go?.fingerprints.byPackage[package] {
                if g.hash != own.hash {
                    found.append(Mismatch(package: package, pluginHash: own, boundHash: g, definer: gateway, definerIsGateway: true,
                                          orderKnown: !prints.checkOrder.isEmpty))
                }
            } else if let e = earlier.first(where: { $0.go?.fingerprints.byPackage[package] != nil }),
                      let h = e.go?.fingerprints.byPackage[package], h.hash != own.hash {
                found.append(Mismatch(package: package, pluginHash: own, boundHash: h, definer: e, definerIsGateway: false,
                                      orderKnown: !prints.checkOrder.isEmpty))
            }
        }
        return found
    }
}
