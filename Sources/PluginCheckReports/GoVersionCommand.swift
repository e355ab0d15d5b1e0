import ELFKit
import GoBinary

/// Reproduces `go version -m PATH...` byte for byte (Go 1.25's cmd/go/internal/version):
/// the same lines on stdout and stderr, the same exit status, the same directory walk and
/// the same rules for which files it stays silent about. Only ELF files are read; for
/// Mach-O and PE files it says so instead.
public struct GoVersionCommand {
    let out: (String) -> Void
    let err: (String) -> Void
    private(set) var exitStatus: Int32 = 0

    public init(stdout: @escaping (String) -> Void, stderr: @escaping (String) -> Void) {
        out = stdout
        err = stderr
    }

    /// Runs over `paths` and returns the exit status `go version -m` would.
    public mutating func run(_ paths: [String]) -> Int32 {
        for path in paths {
            switch FileStatus.of(path, followLinks: true) {
            case .failure(let e):
                err("stat \(path): \(e)\n")
                exitStatus = 1
            case .success(let st) where st.isDirectory:
                scanDirectory(path)
            case .success(let st):
                if !scanFile(path, st, mustPrint: true) { exitStatus = 1 }
            }
        }
        return exitStatus
    }

    /// Go walks with `WalkDir`: lexical order, regular files and symlinks reported, errors
    /// ignored, and a symlink as the root is not followed.
    private mutating func scanDirectory(_ root: String) {
        guard case .success(let rootStatus) = FileStatus.of(root, followLinks: false) else { return }
        if rootStatus.isSymlink {
            _ = scanFile(root, rootStatus, mustPrint: false)
            return
        }
        walk(GoPath.clean(root))
    }

    private mutating func walk(_ dir: String) {
        guard let names = DirectoryListing.names(dir) else { return }
        for name in names {
            let path = GoPath.joinClean(dir, name)
            guard case .success(let st) = FileStatus.of(path, followLinks: false) else { continue }
            if st.isDirectory {
                walk(path)
            } else if st.isRegular || st.isSymlink {
                _ = scanFile(path, st, mustPrint: false)
            }
        }
    }

    /// Returns whether the file is a Go binary whose build info was printed.
    private mutating func scanFile(_ path: String, _ status: FileStatus, mustPrint: Bool) -> Bool {
        var status = status
        if status.isSymlink {
            guard case .success(let target) = FileStatus.of(path, followLinks: true), target.isRegular else {
                if mustPrint { err("\(path): symlink\n") }
                return false
            }
            status = target
        }
        let result = Self.readBuildInfo(path)
        switch result {
        case .success(let (version, info)):
            out("\(path): \(version)\n")
            let text = info.goString
            if !text.isEmpty {
                out("\t" + text.dropLast().replacingAll("\n", with: "\n\t") + "\n")
            }
            return true
        case .failure(.open):
            // Go prints only the path when the file itself cannot be opened or read.
            if mustPrint { err("\(path)\n") }
        case .failure(.notELF(let format)) where format != nil:
            if mustPrint { err("\(path): \(format!) file: plugincheck reads ELF files only\n") }
        case .failure(let failure):
            if mustPrint && Self.isGoBinaryCandidate(path, status) {
                err("\(path): could not read Go build info from \(path): \(failure.goMessage)\n")
            }
        }
        return false
    }

    /// Go's `isGoBinaryCandidate`: executable regular files, or names ending in .so/.exe/.dll
    /// or containing `.so.`.
    static func isGoBinaryCandidate(_ path: String, _ status: FileStatus) -> Bool {
        if status.isRegular && status.isExecutable { return true }
        let name = path.lowercased()
        switch GoPath.ext(name) {
        case ".so", ".exe", ".dll": return true
        default: return name.contains(".so.")
        }
    }

    enum Failure: Error {
        case open
        /// Not ELF; the name of the executable format it is, if Go would have read it.
        case notELF(String?)
        case buildInfo(GoBuildInfoError)

        var goMessage: String {
            switch self {
            case .buildInfo(let e): return e.description
            default: return GoBuildInfoError.unrecognizedFormat.description
            }
        }
    }

    /// The version and module info, or why there are none, in Go's terms.
    static func readBuildInfo(_ path: String) -> Result<(String, ModuleInfo), Failure> {
        let file: ELFFile
        do {
            file = try ELFFile(path: path)
        } catch .cannotOpen {
            return .failure(.open)
        } catch .notELF {
            return .failure(.notELF(ExecutableFormat.sniff(path: path)))
        } catch {
            return .failure(.buildInfo(.unrecognizedFormat))
        }
        // Go's ELF reader is stricter than ours about some damaged headers.
        if GoELFStrictness.rejection(file) != nil { return .failure(.buildInfo(.unrecognizedFormat)) }
        do throws(GoBuildInfoError) {
            let blob = try BuildInfoBlob.read(from: file)
            let info = try ModuleInfo.parse(blob.moduleInfo)
            return .success((blob.goVersion, info))
        } catch {
            return .failure(.buildInfo(error))
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
