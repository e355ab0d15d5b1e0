import ELFKit

/// Reading a module file: through ELFKit's system-call wrappers (the one place this program
/// calls the operating system), refusing what is not a regular file or is larger than the
/// bound for its kind, so that a FIFO, a device or a huge file cannot stall or exhaust it.
public enum SourceFile {
    public enum ReadError: Error, Sendable, Equatable, CustomStringConvertible {
        case missing
        case notRegular(String)
        case tooLarge(Int)
        case unreadable(String)

        public var description: String {
            switch self {
            case .missing: return "no such file or directory"
            case .notRegular(let kind): return "not a regular file (\(kind))"
            case .tooLarge(let n): return "too large for a module file (\(n) bytes)"
            case .unreadable(let why): return why
            }
        }
    }

    public static func read(_ path: String, limit: Int) -> Result<String, ReadError> {
        switch FileStatus.of(path, followLinks: true) {
        case .failure(let e):
            return .failure(e == .noSuchFile || e == .notDirectory ? .missing : .unreadable(e.description))
        case .success(let st):
            guard st.isRegular else { return .failure(.notRegular(st.kind.description)) }
            guard st.size <= limit else { return .failure(.tooLarge(st.size)) }
            // One byte more than the size: a file that grew since stat shows as too large.
            switch leadingBytes(of: path, count: st.size + 1) {
            case .failure(let e): return .failure(.unreadable(e.description))
            case .success(let bytes):
                guard bytes.count <= limit else { return .failure(.tooLarge(bytes.count)) }
                return .success(String(decoding: bytes, as: UTF8.self))
            }
        }
    }

    public static func exists(_ path: String) -> Bool {
        if case .success = FileStatus.of(path, followLinks: true) { return true }
        return false
    }

    public static func isDirectory(_ path: String) -> Bool {
        if case .success(let st) = FileStatus.of(path, followLinks: true) { return st.isDirectory }
        return false
    }

    public static func realPath(_ path: String) -> String? {
        if case .success(let p) = resolvedPath(path) { return p }
        return nil
    }
}

/// Path helpers with Go's `filepath.Join`/`Clean` meaning, for the few joins module files need.
public enum FilePath {
    public static func join(_ a: String, _ b: String) -> String {
        if b.hasPrefix("/") { return clean(b) }
        return clean(a.isEmpty ? b : a + "/" + b)
    }

    public static func dirname(_ p: String) -> String {
        let c = clean(p)
        guard let slash = c.lastIndex(of: "/") else { return "." }
        return slash == c.startIndex ? "/" : String(c[..<slash])
    }

    public static func basename(_ p: String) -> String {
        let c = clean(p)
        guard let slash = c.lastIndex(of: "/") else { return c }
        return String(c[c.index(after: slash)...])
    }

    /// Lexical cleaning as Go's `filepath.Clean`.
    public static func clean(_ p: String) -> String {
        if p.isEmpty { return "." }
        let rooted = p.hasPrefix("/")
        var out: [Substring] = []
        for part in p.split(separator: "/") {
            if part == "." { continue }
            if part == ".." {
                if let last = out.last, last != ".." { out.removeLast() }
                else if !rooted { out.append(part) }
                continue
            }
            out.append(part)
        }
        let body = out.joined(separator: "/")
        if rooted { return "/" + body }
        return body.isEmpty ? "." : body
    }

    /// Whether a `replace` target is a file path rather than a module path (modfile
    /// `IsDirectoryPath`): it starts with `./`, `../`, `/`, or is `.` or `..`.
    public static func isDirectoryPath(_ s: String) -> Bool {
        s == "." || s == ".." || s.hasPrefix("./") || s.hasPrefix("../") || s.hasPrefix("/")
    }
}
