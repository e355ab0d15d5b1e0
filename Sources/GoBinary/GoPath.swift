// Go's path/filepath rules that `go version -m` output depends on (Unix separators only).

public enum GoPath {
    /// Go's `filepath.Clean`: the shortest equivalent path, lexically.
    public static func clean(_ path: String) -> String {
        if path.isEmpty { return "." }
        let rooted = path.hasPrefix("/")
        var out: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if let last = out.last, last != ".." { out.removeLast() }
                else if !rooted { out.append(part) }
                continue
            }
            out.append(part)
        }
        let joined = out.joined(separator: "/")
        if rooted { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// Go's `filepath.Join(a, b)`: the two joined with a slash and cleaned; an empty
    /// element is left out.
    public static func join(_ a: String, _ b: String) -> String {
        if a.isEmpty { return b.isEmpty ? "" : clean(b) }
        if b.isEmpty { return clean(a) }
        return clean(a + "/" + b)
    }

    /// Go's `filepath.Join(dir, name)` for a `dir` that is already clean and a directory
    /// entry's name (no slash, not `.` or `..`): the same result without re-cleaning the path.
    static func joinClean(_ dir: String, _ name: String) -> String {
        dir == "." ? name : (dir == "/" ? "/" + name : dir + "/" + name)
    }

    /// Go's `filepath.Ext`: the suffix from the last dot of the last element.
    static func ext(_ path: String) -> Substring {
        let base = path.split(separator: "/", omittingEmptySubsequences: false).last ?? Substring(path)
        guard let dot = base.lastIndex(of: ".") else { return "" }
        return base[dot...]
    }
}
