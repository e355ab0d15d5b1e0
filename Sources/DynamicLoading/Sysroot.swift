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
