import ELFKit

/// How KrakenD finds its plugins: luraproject/lura's `plugin.Scan(folder, pattern)`. It
/// lists the folder with `ioutil.ReadDir` (sorted by name; an unreadable folder is an
/// error), skips entries whose `Lstat` says directory (so a symlink to a directory is kept),
/// keeps names that contain `pattern`, and returns each as `filepath.Join(folder, name)`:
/// the path `plugin.Open` is then given, and the one the gateway's messages show.
public enum PluginFolder {
    /// Why the folder could not be listed.
    public struct ScanError: Error, Sendable, Equatable, CustomStringConvertible {
        public var folder: String
        public var errno: Errno
        public var description: String { "\(folder): \(errno.goDescription)" }
    }

    public static func scan(folder: String, pattern: String) -> Result<[String], ScanError> {
        let names: [String]
        switch DirectoryListing.names(folder) {
        case .success(let n): names = n
        case .failure(let e): return .failure(ScanError(folder: folder, errno: e))
        }
        var paths: [String] = []
        for name in names where name.contains(pattern) || pattern.isEmpty {
            let path = GoPath.join(folder, name)
            // ReadDir reports each entry as Lstat sees it; an entry gone meanwhile is skipped.
            guard case .success(let st) = FileStatus.of(path, followLinks: false), !st.isDirectory else { continue }
            paths.append(path)
        }
        return .success(paths)
    }
}
