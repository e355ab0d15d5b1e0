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

    /// Runs over `paths` and returns the exit status `go version -m` would.
    public func run(_ paths: [String]) -> Int32 {
        var status: Int32 = 0
        GoVersionScan.run(paths) { event in
            switch event {
            case .statFailed(let path, let e):
                err("stat \(path): \(e.goDescription)\n")
                status = 1
            case .symlinkToNonRegularFile(let path, let mustPrint):
                if mustPrint {
                    err("\(path): symlink\n")
                    status = 1
                }
            case .file(let path, _, _, .success(let info)):
                out("\(path): \(info.goVersion)\n")
                let text = info.moduleInfo.goString
                if !text.isEmpty {
                    out("\t" + text.dropLast().replacingAll("\n", with: "\n\t") + "\n")
                }
            case .file(let path, let mustPrint, let isCandidate, .failure(let failure)):
                guard mustPrint else { return }
                status = 1
                switch failure {
                case .cannotOpen:
                    // Go prints only the path when the file itself cannot be opened or read.
                    err("\(path)\n")
                case .otherExecutableFormat:
                    err("\(path): \(failure)\n")
                case .buildInfo(let e):
                    if isCandidate { err("\(path): could not read Go build info from \(path): \(e)\n") }
                }
            }
        }
        return status
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
