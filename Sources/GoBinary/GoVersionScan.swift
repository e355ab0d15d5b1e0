import ELFKit

/// The walk `go version -m PATH...` makes (Go 1.25's cmd/go/internal/version): each path is
/// stat'ed; a directory is walked with `filepath.WalkDir` rules (lexical order, regular
/// files and symlinks reported, errors ignored, a symlink given as the root not followed);
/// each file is read with `GoBuildInfo.read`. Printing is left to the caller.
public enum GoVersionScan {
    public enum Event: Sendable {
        /// `stat` of a command-line path failed.
        case statFailed(path: String, Errno)
        /// A symlink whose target is not a regular file.
        case symlinkToNonRegularFile(path: String, mustPrint: Bool)
        /// A file was read. `mustPrint`: it was named on the command line, so Go reports its
        /// failures; `isCandidate`: Go's `isGoBinaryCandidate`, which decides whether a build
        /// info error is printed.
        case file(path: String, mustPrint: Bool, isCandidate: Bool, Result<GoBuildInfo, GoBuildInfo.ReadError>)
    }

    public static func run(_ paths: [String], _ visit: (Event) -> Void) {
        for path in paths {
            switch FileStatus.of(path, followLinks: true) {
            case .failure(let e):
                visit(.statFailed(path: path, e))
            case .success(let st) where st.isDirectory:
                scanDirectory(path, visit)
            case .success(let st):
                scanFile(path, st, mustPrint: true, visit)
            }
        }
    }

    private static func scanDirectory(_ root: String, _ visit: (Event) -> Void) {
        guard case .success(let rootStatus) = FileStatus.of(root, followLinks: false) else { return }
        if rootStatus.isSymlink {
            scanFile(root, rootStatus, mustPrint: false, visit)
            return
        }
        walk(GoPath.clean(root), visit)
    }

    private static func walk(_ dir: String, _ visit: (Event) -> Void) {
        // WalkDir skips what it cannot read.
        guard case .success(let names) = DirectoryListing.names(dir) else { return }
        for name in names {
            let path = GoPath.joinClean(dir, name)
            guard case .success(let st) = FileStatus.of(path, followLinks: false) else { continue }
            if st.isDirectory {
                walk(path, visit)
            } else if st.isRegular || st.isSymlink {
                scanFile(path, st, mustPrint: false, visit)
            }
        }
    }

    private static func scanFile(_ path: String, _ status: FileStatus, mustPrint: Bool, _ visit: (Event) -> Void) {
        var status = status
        if status.isSymlink {
            guard case .success(let target) = FileStatus.of(path, followLinks: true), target.isRegular else {
                visit(.symlinkToNonRegularFile(path: path, mustPrint: mustPrint))
                return
            }
            status = target
        }
        let result = Result { () throws(GoBuildInfo.ReadError) in try GoBuildInfo.read(path: path) }
        visit(.file(path: path, mustPrint: mustPrint, isCandidate: isGoBinaryCandidate(path, status), result))
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
}
