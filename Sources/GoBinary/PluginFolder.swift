import ELFKit

/// How KrakenD finds its plugins: luraproject/lura's `plugin.Scan(folder, pattern)`. It
/// lists the folder with `ioutil.ReadDir` (sorted by name; an unreadable folder is an
/// error), skips entries whose `Lstat` says directory (so a symlink to a directory is kept),
/// keeps names that contain `pattern`, and returns each as `filepath.Join(folder, name)`:
/// the path `plugin.Open` is then given, and the one the gateway's messages show.
public enum PluginFolder {
    /// Why the folder could not be listed: `path` is what failed (the folder, or an entry
    /// `ReadDir` could not `Lstat`).
    public struct ScanError: Error, Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var errno: Errno
        public var description: String { "\(path): \(errno)" }
    }

    /// `workdir`: the gateway's working directory, against which a relative folder is
    /// listed; the paths returned are still those the gateway names (relative to it).
    /// `root`: the gateway's root file system (an unpacked image), where the folder and the
    /// working directory are; nil for this machine's.
    public static func scan(folder: String, pattern: String, workdir: String = ".", root: String? = nil) -> Result<[String], ScanError> {
        // ReadDir("") fails: there is no such directory, whatever the working directory.
        guard !folder.isEmpty else { return .failure(ScanError(path: folder, errno: .noSuchFile)) }
        let located = { (path: String) in location(of: path, workdir: workdir, root: root) }
        let names: [String]
        switch DirectoryListing.names(located(folder)) {
        case .success(let n): names = n
        case .failure(let e): return .failure(ScanError(path: located(folder), errno: e))
        }
        var paths: [String] = []
        for name in names {
            // ReadDir reports each entry as Lstat sees it: one that is gone meanwhile is
            // skipped, any other failure fails the whole listing.
            let entry = located(folder) + "/" + name
            switch FileStatus.of(entry, followLinks: false) {
            case .failure(.noSuchFile): continue
            case .failure(let e): return .failure(ScanError(path: entry, errno: e))
            case .success(let st):
                if !st.isDirectory && (pattern.isEmpty || name.contains(pattern)) {
                    paths.append(GoPath.join(folder, name))
                }
            }
        }
        return .success(paths)
    }

    /// Where this process reads a path the gateway names: a relative one against the gateway's
    /// working directory, and, in a root, under that root, cleaned first so that `..` stops at
    /// it (the unpacked image holds no link that climbs out, so the kernel's resolution from
    /// there stays inside).
    public static func location(of path: String, workdir: String, root: String?) -> String {
        let absolute = path.hasPrefix("/") || (workdir == "." && root == nil) ? path : GoPath.join(workdir, path)
        guard let root else { return absolute }
        let inside = GoPath.clean("/" + absolute)
        return inside == "/" ? root : root + inside
    }
}
