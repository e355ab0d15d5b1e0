/// Why a file could not be read as ELF. Messages are short lowercase phrases;
/// the caller adds the file name once, at the top.
public enum ELFError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The file could not be opened or examined.
    case cannotOpen(Errno)
    /// A directory, FIFO, device or socket where a regular file is expected.
    case notRegularFile(FileKind)
    /// The file does not start with the ELF magic.
    case notELF
    /// The file is shorter than an ELF header.
    case tooShort
    /// A header field or table contradicts the file (offsets past the end, absurd counts...).
    case malformed(String)

    public var description: String {
        switch self {
        case .cannotOpen(let errno): return errno.description
        case .notRegularFile(let kind): return "is a \(kind), not a regular file"
        case .notELF: return "not an ELF file"
        case .tooShort: return "file too short for an ELF header"
        case .malformed(let why): return "malformed ELF: \(why)"
        }
    }
}
