import ELFKit

/// The root file system of the system the gateway runs on (an unpacked image), under which
/// its loader's paths are looked up; "/" is this machine.
public struct Sysroot: Sendable, Equatable {
    public var path: String

    /// The root at `path`, if it is a directory that can be searched.
    public static func open(_ path: String) -> Result<Sysroot, Errno> {
        switch FileStatus.of(path, followLinks: true) {
        case .failure(let e): return .failure(e)
        case .success(let st) where !st.isDirectory: return .failure(.notDirectory)
        case .success: return .success(Sysroot(path: path))
        }
    }
}

extension Sysroot {
    /// The host path of `path` as the target system sees it: every symbolic link is followed
    /// inside the root (an absolute target starts again at the root, `..` stops at it), at most
    /// `Limits.rootSymlinks` of them (then `ELOOP`), so no path of the root leads outside it.
    /// On "/" (this machine) the path is its own.
    public func hostPath(of path: String) -> Result<String, Errno> {
        if isHost { return .success(path) }
        var pending = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        pending.reverse()
        var resolved: [String] = []
        var links = 0
        while let part = pending.popLast() {
            if part == "." { continue }
            if part == ".." { _ = resolved.popLast(); continue }
            let candidate = base + "/" + (resolved + [part]).joined(separator: "/")
            switch FileStatus.of(candidate, followLinks: false) {
            case .failure(let e): return .failure(e)
            case .success(let st) where st.isSymlink:
                links += 1
                guard links <= Limits.rootSymlinks else { return .failure(.tooManySymbolicLinks) }
                let target: String
                switch symbolicLinkTarget(candidate) {
                case .success(let t): target = t
                case .failure(let e): return .failure(e)
                }
                if target.hasPrefix("/") { resolved = [] }
                pending += target.split(separator: "/").map(String.init).reversed()
            case .success(let st):
                if !pending.isEmpty && !st.isDirectory { return .failure(.notDirectory) }
                resolved.append(part)
            }
        }
        return .success(base + "/" + resolved.joined(separator: "/"))
    }

    /// Whether this is this machine's own root.
    public var isHost: Bool { base.isEmpty }
    /// The root's path without a trailing slash ("" for "/").
    var base: String {
        var p = path
        while p.hasSuffix("/") { p.removeLast() }
        return p
    }

    /// A file of the root, read whole if it is a regular file of at most `limit` bytes.
    public func read(_ path: String, limit: Int) -> Result<[UInt8], Errno> {
        switch hostPath(of: path) {
        case .failure(let e): return .failure(e)
        case .success(let host):
            switch FileStatus.of(host, followLinks: true) {
            case .failure(let e): return .failure(e)
            case .success(let st) where !st.isRegular: return .failure(.isDirectory)
            case .success(let st) where st.size > limit: return .failure(Errno(rawValue: 27))  // EFBIG
            case .success(let st): return leadingBytes(of: host, count: st.size)
            }
        }
    }
}
