import PluginCompat

/// Reproduces `go version -m PATH...` byte for byte (Go 1.25's cmd/go/internal/version):
/// the same lines on stdout and stderr and the same exit status, printed from the walk
/// `GoVersionScan` makes. Only ELF files are read; for Mach-O and PE files it says so instead.
public struct GoVersionCommand {
    let out: (String) -> Void
    let err: (String) -> Void

    public init(stdout: @escaping (String) -> Void, stderr: @escaping (String) -> Void) {
        out = stdout
        err = stderr
    }

    /// Runs over `paths` and returns the exit status `go version -m` would. The files are read
    /// and their lines made on all cores, then printed in the walk's order.
    public func run(_ paths: [String]) -> Int32 {
        let steps = GoVersionScan.plan(paths)
        let printed = ParallelReads.map(steps.count) { Self.lines(steps[$0].read()) }
        var status: Int32 = 0
        for p in printed {
            if !p.out.isEmpty { out(p.out) }
            if !p.err.isEmpty { err(p.err) }
            if p.fails { status = 1 }
        }
        return status
    }

    /// What `go version -m` prints for one event, and whether it makes the exit status 1.
    static func lines(_ event: GoVersionScan.Event) -> (out: String, err: String, fails: Bool) {
        switch event {
        case .statFailed(let path, let e):
            return ("", "stat \(path): \(e.goDescription)\n", true)
        case .symlinkToNonRegularFile(let path, let mustPrint):
            return mustPrint ? ("", "\(path): symlink\n", true) : ("", "", false)
        case .file(let path, _, _, .success(let info)):
            var text = "\(path): \(info.goVersion)\n"
            let modules = info.moduleInfo.goString
            if !modules.isEmpty {
                // Go: strings.ReplaceAll(text[:len(text)-1], "\n", "\n\t"), on bytes (as
                // Characters, "\r\n" would be one that is not "\n").
                var bytes: [UInt8] = [0x09]
                bytes.reserveCapacity(modules.utf8.count + 64)
                for b in modules.utf8.dropLast() {
                    bytes.append(b)
                    if b == 0x0a { bytes.append(0x09) }
                }
                bytes.append(0x0a)
                text += String(decoding: bytes, as: UTF8.self)
            }
            return (text, "", false)
        case .file(let path, let mustPrint, let isCandidate, .failure(let failure)):
            guard mustPrint else { return ("", "", false) }
            switch failure {
            case .cannotOpen:
                // Go prints only the path when the file itself cannot be opened or read.
                return ("", "\(path)\n", true)
            case .otherExecutableFormat:
                return ("", "\(path): \(failure)\n", true)
            case .buildInfo(let e):
                return ("", isCandidate ? "\(path): could not read Go build info from \(path): \(e)\n" : "", true)
            }
        }
    }
}

extension StringProtocol {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var s = ""
        s.reserveCapacity(count)
        for c in self {
            if c == target { s += replacement } else { s.append(c) }
        }
        return s
    }
}
