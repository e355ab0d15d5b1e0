import ELFKit

/// One file as `plugin.Open` and `dlopen` meet it: the real path Go caches by, the
/// identity (device and inode) `dlopen` recognises a mapped object by, and the loader's
/// facts, read in one opening of the file together with whatever else the caller reads from
/// the same ELF image.
public struct ObjectOnDisk<Extra> {
    public var path: String
    /// `realpath(path)`: what Go's `plugin.Open` caches by and hands to `dlopen`.
    public var realPath: Result<String, Errno>
    public var identity: FileIdentity?
    /// The file's size in bytes.
    public var size: Int?
    /// The facts, or why the file is not a readable ELF file.
    public var contents: Result<(loader: LoaderFacts, extra: Extra), UnreadableObject>

    /// Opens `path` once and reads its loader facts and `extra(file)`.
    public static func read(path: String, musl: LoaderFacts.MuslFacts = .read, _ extra: (ELFFile) -> Extra) -> ObjectOnDisk {
        let real = resolvedPath(path)
        do {
            let file = try ELFFile(path: path)
            return ObjectOnDisk(path: path, realPath: real, identity: file.status.map(FileIdentity.init),
                                size: file.size, contents: .success((LoaderFacts(file: file, musl: musl), extra(file))))
        } catch {
            // The identity and size of what could not be read still shape the loader's message.
            var st: FileStatus?
            if case .success(let s) = FileStatus.of(path, followLinks: true) { st = s }
            return ObjectOnDisk(path: path, realPath: real, identity: st.map(FileIdentity.init), size: st?.size,
                                contents: .failure(UnreadableObject(error)))
        }
    }
}

/// Device and inode: `dlopen` returns the already loaded object for a hard link.
public struct FileIdentity: Hashable, Sendable {
    public var device: UInt64
    public var inode: UInt64
    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }
    init(_ status: FileStatus) {
        self.init(device: status.device, inode: status.inode)
    }
}

/// Why a file is not a loadable ELF object, in the terms the dynamic loader's messages need.
public struct UnreadableObject: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// `open` or `fstat` failed; the C library's message.
        case cannotOpen(String)
        case directory
        /// Another special file (FIFO, device, socket).
        case notRegularFile
        /// Not ELF, or shorter than an ELF header: a file the loader rejects on sight.
        case notELF
        /// An ELF file whose headers contradict the file: the loader's reaction is not predicted.
        case damaged
    }
    public var kind: Kind
    /// The reader's own wording (`not an ELF file`, `is a directory, not a regular file`).
    public var description: String

    public init(kind: Kind, description: String) {
        self.kind = kind
        self.description = description
    }

    init(_ error: ELFError) {
        description = error.description
        switch error {
        case .cannotOpen(let errno): kind = .cannotOpen(errno.description)
        case .notRegularFile(.directory): kind = .directory
        case .notRegularFile: kind = .notRegularFile
        case .notELF, .tooShort: kind = .notELF
        case .malformed: kind = .damaged
        }
    }
}
