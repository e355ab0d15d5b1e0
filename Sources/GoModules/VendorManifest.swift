/// vendor/modules.txt as `go mod vendor` writes it (cmd/go/internal/modload `vendor.go`):
/// `# path version` opens a module (`# path version => new [version]` for a replaced one),
/// `## explicit; go 1.19` marks it as required by go.mod, other lines are its packages.
public struct VendorManifest: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var module: ModuleVersion
        public var replacement: ModuleVersion?
        public var explicit: Bool
        public var goVersion: String?
    }

    public var entries: [Entry] = []

    public static func parse(_ text: String) -> VendorManifest {
        var v = VendorManifest()
        for raw in text.split(separator: "\n") {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.hasPrefix("# ") {
                let f = line.dropFirst(2).split(separator: " ")
                guard f.count >= 1 else { continue }
                var e = Entry(module: ModuleVersion(path: String(f[0]), version: f.count > 1 && f[1] != "=>" ? String(f[1]) : ""), replacement: nil, explicit: false, goVersion: nil)
                if let arrow = f.firstIndex(of: "=>"), arrow + 1 < f.count {
                    e.replacement = ModuleVersion(path: String(f[arrow + 1]), version: arrow + 2 < f.count ? String(f[arrow + 2]) : "")
                }
                v.entries.append(e)
            } else if line.hasPrefix("## "), !v.entries.isEmpty {
                for part in line.dropFirst(3).split(separator: ";") {
                    let p = part.trimmingCharacters()
                    if p == "explicit" { v.entries[v.entries.count - 1].explicit = true }
                    if p.hasPrefix("go ") { v.entries[v.entries.count - 1].goVersion = String(p.dropFirst(3)) }
                }
            }
        }
        return v
    }
}

extension Substring {
    func trimmingCharacters() -> String { String(self).trimmingSpaces() }
}
