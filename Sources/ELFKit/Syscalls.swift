#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// Every call into the operating system that reads files goes through this file: open,
// fstat, stat, lstat, realpath, the directory calls, pread and close. Errors come back as
// `Errno` values, never as strings, so callers branch on the code and print it once.

/// An `errno` value from a failed system call.
public struct Errno: Error, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// `ENOENT`
    public static let noSuchFile = Errno(rawValue: ENOENT)
    /// `EACCES`
    public static let permissionDenied = Errno(rawValue: EACCES)
    /// `ENOTDIR`
    public static let notDirectory = Errno(rawValue: ENOTDIR)
    /// `EISDIR`
    public static let isDirectory = Errno(rawValue: EISDIR)
    /// `ELOOP`
    public static let tooManySymbolicLinks = Errno(rawValue: ELOOP)
    /// `ENAMETOOLONG`
    public static let nameTooLong = Errno(rawValue: ENAMETOOLONG)

    /// The C library's message (`No such file or directory`), as glibc's loader prints it.
    public var description: String { String(cString: strerror(rawValue)) }

    /// The message with a lowercase first letter, as Go's `syscall.Errno` prints it.
    public var goDescription: String {
        let s = description
        guard let first = s.first else { return s }
        return first.lowercased() + s.dropFirst()
    }

    static var current: Errno { Errno(rawValue: errno) }
}

/// What kind of file system object a path names (`st_mode & S_IFMT`).
public enum FileKind: Sendable, Hashable, CustomStringConvertible {
    case regular, directory, symbolicLink, fifo, characterDevice, blockDevice, socket, unknown

    init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .directory
        case S_IFLNK: self = .symbolicLink
        case S_IFIFO: self = .fifo
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        case S_IFSOCK: self = .socket
        default: self = .unknown
        }
    }

    public var description: String {
        switch self {
        case .regular: return "regular file"
        case .directory: return "directory"
        case .symbolicLink: return "symbolic link"
        case .fifo: return "FIFO"
        case .characterDevice: return "character device"
        case .blockDevice: return "block device"
        case .socket: return "socket"
        case .unknown: return "special file"
        }
    }
}

/// The facts of one `stat` call that the commands use (plumbing for this package's modules,
/// not part of the library's API).
package struct FileStatus: Sendable, Hashable {
    package var kind: FileKind
    /// The permission bits.
    package var permissions: UInt32
    package var size: Int
    package var device: UInt64
    package var inode: UInt64

    package var isDirectory: Bool { kind == .directory }
    package var isRegular: Bool { kind == .regular }
    package var isSymlink: Bool { kind == .symbolicLink }
    package var isExecutable: Bool { permissions & 0o111 != 0 }

    init(_ st: stat) {
        kind = FileKind(mode: st.st_mode)
        permissions = UInt32(st.st_mode) & 0o7777
        size = Int(st.st_size)
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
    }

    /// `stat` (following links) or `lstat`.
    package static func of(_ path: String, followLinks: Bool) -> Result<FileStatus, Errno> {
        var st = stat()
        let rc = followLinks ? stat(path, &st) : lstat(path, &st)
        return rc == 0 ? .success(FileStatus(st)) : .failure(.current)
    }
}

/// The calls behind `ELFFile` and the directory and path helpers.
enum Syscalls {
    /// Opens read-only without following the file's content: `O_NONBLOCK`, so that opening a
    /// FIFO does not wait for a writer.
    static func openReadOnly(_ path: String) -> Result<Int32, Errno> {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        return fd >= 0 ? .success(fd) : .failure(.current)
    }

    static func status(_ fd: Int32) -> Result<FileStatus, Errno> {
        var st = stat()
        return fstat(fd, &st) == 0 ? .success(FileStatus(st)) : .failure(.current)
    }

    /// Up to `count` bytes at `offset`; fewer at the end of the file.
    static func read(_ fd: Int32, offset: Int, count: Int) -> Result<[UInt8], Errno> {
        var buffer = [UInt8](repeating: 0, count: count)
        while true {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
            if n >= 0 { return .success(Array(buffer.prefix(n))) }
            if errno != EINTR { return .failure(.current) }
        }
    }

    static func closeDescriptor(_ fd: Int32) {
        _ = close(fd)
    }
}

/// `realpath(3)`: the absolute path with every symbolic link, `.` and `..` resolved.
package func resolvedPath(_ path: String) -> Result<String, Errno> {
    guard let resolved = realpath(path, nil) else { return .failure(.current) }
    defer { free(resolved) }
    return .success(String(cString: resolved))
}

/// The names in a directory (without `.` and `..`), sorted by bytes: the order Go's
/// `os.ReadDir`, `ioutil.ReadDir` and `filepath.WalkDir` visit them in.
package enum DirectoryListing {
    package static func names(_ path: String) -> Result<[String], Errno> {
        guard let dir = opendir(path) else { return .failure(.current) }
        defer { closedir(dir) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(dir) else {
                if errno != 0 { return .failure(.current) }
                break
            }
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return .success(names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }
}

/// The first `count` bytes of the file at `path` (fewer when it is shorter).
package func leadingBytes(of path: String, count: Int) -> Result<[UInt8], Errno> {
    let fd: Int32
    switch Syscalls.openReadOnly(path) {
    case .success(let d): fd = d
    case .failure(let e): return .failure(e)
    }
    defer { Syscalls.closeDescriptor(fd) }
    return Syscalls.read(fd, offset: 0, count: count)
}

/// `readlink(2)`: the target of a symbolic link, at most `limit` bytes (longer is `ENAMETOOLONG`).
package func symbolicLinkTarget(_ path: String, limit: Int = 4096) -> Result<String, Errno> {
    var buffer = [CChar](repeating: 0, count: limit + 1)
    let n = readlink(path, &buffer, limit + 1)
    guard n >= 0 else { return .failure(.current) }
    guard n <= limit else { return .failure(Errno(rawValue: ENAMETOOLONG)) }
    return .success(String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self))
}

// Container images (--image): reading archives by offset, and writing the private temporary
// root they are unpacked into. Every path written to is inside a directory made by
// `TemporaryRoot.make` (mode 0700); nothing here follows a symbolic link when it creates.

/// A file open for reading by offset (an image archive or one of its blobs).
package final class ReadableFile {
    package let path: String
    package let size: Int
    let fd: Int32

    package init(path: String) throws(Errno) {
        let d: Int32
        switch Syscalls.openReadOnly(path) {
        case .success(let x): d = x
        case .failure(let e): throw e
        }
        switch Syscalls.status(d) {
        case .failure(let e): Syscalls.closeDescriptor(d); throw e
        case .success(let st) where !st.isRegular: Syscalls.closeDescriptor(d); throw st.isDirectory ? .isDirectory : Errno(rawValue: EINVAL)
        case .success(let st): size = st.size
        }
        fd = d
        self.path = path
    }

    deinit { Syscalls.closeDescriptor(fd) }

    /// Up to `count` bytes at `offset` (fewer at the end of the file).
    package func read(offset: Int, count: Int) throws(Errno) -> [UInt8] {
        switch Syscalls.read(fd, offset: offset, count: count) {
        case .success(let b): return b
        case .failure(let e): throw e
        }
    }
}

/// The calls that build a private temporary root.
package enum TemporaryRoot {
    /// A new directory `plugincheck-image-XXXXXX` (mode 0700) under `$TMPDIR` or /tmp.
    package static func make() throws(Errno) -> String {
        var base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        if base.isEmpty { base = "/tmp" }
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        var template = Array((base + "/plugincheck-image-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else { throw .current }
        return String(cString: template)
    }

    package static func makeDirectory(_ path: String, permissions: UInt32) throws(Errno) {
        guard mkdir(path, mode_t(permissions)) == 0 else { throw .current }
    }

    package static func setPermissions(_ path: String, _ permissions: UInt32) {
        _ = chmod(path, mode_t(permissions))
    }

    /// Creates `path` (which must not exist; a symbolic link there is not followed) and writes
    /// what `next` gives until it gives an empty array; with `size`, the file is then extended
    /// to that many bytes (a hole, which takes no space).
    package static func writeFile(_ path: String, permissions: UInt32, size: Int? = nil, _ next: () throws -> [UInt8]) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(permissions))
        guard fd >= 0 else { throw Errno.current }
        defer { _ = close(fd) }
        while true {
            let chunk = try next()
            if chunk.isEmpty {
                if let size, ftruncate(fd, off_t(size)) != 0 { throw Errno.current }
                return
            }
            var done = 0
            while done < chunk.count {
                let n = chunk.withUnsafeBytes { write(fd, $0.baseAddress! + done, chunk.count - done) }
                if n < 0 { if errno == EINTR { continue }; throw Errno.current }
                done += n
            }
        }
    }

    package static func makeSymbolicLink(_ path: String, target: String) throws(Errno) {
        guard symlink(target, path) == 0 else { throw .current }
    }

    package static func makeHardLink(_ path: String, existing: String) throws(Errno) {
        guard linkat(AT_FDCWD, existing, AT_FDCWD, path, 0) == 0 else { throw .current }
    }

    /// Removes `path` and, for a directory, everything in it, never following a symbolic link.
    package static func remove(_ path: String) {
        guard case .success(let st) = FileStatus.of(path, followLinks: false) else { return }
        if st.isDirectory {
            if case .success(let names) = DirectoryListing.names(path) {
                for n in names { remove(path + "/" + n) }
            }
            _ = rmdir(path)
        } else {
            _ = unlink(path)
        }
    }
}
