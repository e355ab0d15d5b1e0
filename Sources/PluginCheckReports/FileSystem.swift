#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The few file-system facts the commands need, straight from the C library (no Foundation
/// on the start path).
public struct FileStatus: Sendable {
    public var mode: UInt32
    public var size: Int

    public var isDirectory: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFDIR) }
    public var isRegular: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFREG) }
    public var isSymlink: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFLNK) }
    public var isExecutable: Bool { mode & 0o111 != 0 }

    /// `stat` (follow links: true) or `lstat`; on failure, the error phrase as Go prints it.
    public static func of(_ path: String, followLinks: Bool) -> Result<FileStatus, SystemError> {
        var st = stat()
        let rc = followLinks ? stat(path, &st) : lstat(path, &st)
        guard rc == 0 else { return .failure(SystemError(errno: errno)) }
        return .success(FileStatus(mode: UInt32(st.st_mode), size: Int(st.st_size)))
    }

}

/// An errno, with the lowercase phrase Go's syscall package prints for it.
public struct SystemError: Error, Sendable, CustomStringConvertible {
    public var errno: Int32
    public var description: String {
        let s = String(cString: strerror(errno))
        guard let first = s.first else { return s }
        return first.lowercased() + s.dropFirst()
    }
}
