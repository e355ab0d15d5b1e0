import ELFKit

/// Which C library an object was linked for, as the dynamic loader will see it.
public enum LibcFlavour: String, Sendable, Codable {
    case glibc
    case musl
    /// Static, or links no C library (a Go binary built with `CGO_ENABLED=0`).
    case none
    /// Dynamic, but neither interpreter nor NEEDED names a known libc.
    case unknown

    /// Decides from `PT_INTERP` and `DT_NEEDED`: glibc's loaders are `ld-linux*.so.*`
    /// (`ld64.so.1` on s390x/ppc64, `ld.so.1` elsewhere) and its libc `libc.so.6`;
    /// musl's loader is `ld-musl-<arch>.so.1` and its libc `libc.so` or `libc.musl-<arch>.so.1`.
    public init(interpreter: String?, needed: [String]) {
        let interp = interpreter.map { $0.split(separator: "/").last.map(String.init) ?? $0 }
        if let interp, interp.hasPrefix("ld-musl-") { self = .musl; return }
        if needed.contains(where: { $0 == "libc.so" || $0.hasPrefix("libc.musl-") }) { self = .musl; return }
        if let interp, interp.hasPrefix("ld-linux") || interp == "ld64.so.1" || interp == "ld64.so.2" || interp == "ld.so.1" {
            self = .glibc; return
        }
        if needed.contains("libc.so.6") { self = .glibc; return }
        if interpreter == nil && needed.isEmpty { self = .none; return }
        self = .unknown
    }
}

extension ELFFile {
    /// The C library this object expects at run time.
    public var libcFlavour: LibcFlavour { LibcFlavour(interpreter: interpreter, needed: needed) }

    /// The highest `GLIBC_x.y` version required from any library.
    public var highestGlibcVersion: GlibcVersion? {
        versionNeeds.flatMap(\.versions).compactMap(GlibcVersion.init(symbolVersion:)).max()
    }
}
