import GoBinary

/// Settings for a comparison that the files themselves cannot tell.
public struct CompareOptions: Sendable {
    /// The glibc version of the system the gateway runs on, when known (`2.31` for Debian
    /// bullseye). Without it, a plugin needing a newer glibc than the gateway is a warning.
    public var targetGlibc: GlibcVersion?
    /// Where to find the gateway's C library for musl gateways: the root the gateway's
    /// program interpreter path is resolved under ("/" by default, i.e. this machine).
    public var sysroot: String
    /// `--image`: the image `sysroot` was unpacked from (reports name it, not the temporary
    /// folder), or why it could not be read (an input error; no plugin is then said to load).
    public var image: String?
    public var imageError: ImageInputError?
    /// `--host-expectations`: what the host type-asserts each symbol it looks up to, replacing
    /// lura's built-in interfaces; or why the file could not be used (an input error).
    public var hostExpectations: HostExpectations?
    public var hostExpectationsError: CompareReport.InputError?
    /// How reports name the target root.
    public var rootName: String { image ?? sysroot }

    public struct ImageInputError: Sendable, Equatable {
        public var path: String, reason: String
        public init(path: String, reason: String) { self.path = path; self.reason = reason }
    }

    public init(targetGlibc: GlibcVersion? = nil, sysroot: String = "/") {
        self.targetGlibc = targetGlibc
        self.sysroot = sysroot
    }

    /// From a version as users write it (`2.31`); nil when it is not one.
    public init?(targetGlibcVersion: String?, sysroot: String = "/") {
        var target: GlibcVersion?
        if let v = targetGlibcVersion {
            guard let parsed = GlibcVersion(symbolVersion: "GLIBC_" + v) else { return nil }
            target = parsed
        }
        self.init(targetGlibc: target, sysroot: sysroot)
    }
}
