/// The symbol versions an object requires from one library (`.gnu.version_r`).
public struct VersionNeed: Hashable, Sendable {
    /// The library, as named in `vn_file` (`libc.so.6`).
    public var file: String
    /// The versions required from it (`GLIBC_2.34`), in table order.
    public var versions: [String]
}
