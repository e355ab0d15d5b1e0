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

    /// One step of the walk, in Go's order: an event that needs no read, or a file to read.
    public enum Step: Sendable {
        case event(Event)
        case file(path: String, mustPrint: Bool, isCandidate: Bool)

        /// The step's event, reading the file of a `.file` step.
        public func read() -> Event {
            switch self {
            case .event(let e):
                return e
            case .file(let path, let mustPrint, let isCandidate):
                let result = Result { () throws(GoBuildInfo.ReadError) in try GoBuildInfo.read(path: path) }
                return .file(path: path, mustPrint: mustPrint, isCandidate: isCandidate, result)
            }
        }
    }

    public static func run(_ paths: [String], _ visit: (Event) -> Void) {
        for step in plan(paths) { visit(step.read()) }
    }

    /// The walk without the reads: the files can then be read in any order (on all cores) and
    /// reported in this one.
    public static func plan(_ paths: [String]) -> [Step] {
        var steps: [Step] = []
        for path in paths {
            switch FileStatus.of(path, followLinks: true) {
            case .failure(let e):
                steps.append(.event(.statFailed(path: path, e)))
            case .success(let st) where st.isDirectory:
                scanDirectory(path, &steps)
            case .success(let st):
                scanFile(path, st, mustPrint: true, &steps)
            }
        }
        return steps
    }

    private static func scanDirectory(_ root: String, _ steps: inout [Step]) {
        guard case .success(let rootStatus) = FileStatus.of(root, followLinks: false) else { return }
        if rootStatus.isSymlink {
            scanFile(root, rootStatus, mustPrint: false, &steps)
            return
        }
        walk(GoPath.clean(root), &steps)
    }

    private static func walk(_ dir: String, _ steps: inout [Step]) {
        // WalkDir skips what it cannot read.
        guard case .success(let names) = DirectoryListing.names(dir) else { return }
        for name in names {
            let path = GoPath.joinClean(dir, name)
            guard case .success(let st) = FileStatus.of(path, followLinks: false) else { continue }
            if st.isDirectory {
                walk(path, &steps)
            } else if st.isRegular || st.isSymlink {
                scanFile(path, st, mustPrint: false, &steps)
            }
        }
    }

    private static func scanFile(_ path: String, _ status: FileStatus, mustPrint: Bool, _ steps: inout [Step]) {
        var status = status
        if status.isSymlink {
            guard case .success(let target) = FileStatus.of(path, followLinks: true), target.isRegular else {
                steps.append(.event(.symlinkToNonRegularFile(path: path, mustPrint: mustPrint)))
                return
            }
            status = target
        }
        steps.append(.file(path: path, mustPrint: mustPrint, isCandidate: isGoBinaryCandidate(path, status)))
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
