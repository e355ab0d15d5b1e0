/// A Go toolchain version as the runtime reports it: `go1.25.5`, `go1.21rc2`,
/// `go1.26.0-devel ...`, `go1.25.5 X:boringcrypto`.
public struct GoVersion: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The string exactly as recorded.
    public var raw: String
    public var major: Int
    public var minor: Int
    /// Zero when absent (`go1.19` is 1.19.0).
    public var patch: Int
    /// A pre-release tag such as `rc2` or `beta1`, if any.
    public var prerelease: String?
    /// Anything after the version number: ` X:boringcrypto`, `-devel ...`.
    public var suffix: String

    public init?(_ raw: String) {
        guard raw.hasPrefix("go") else { return nil }
        self.raw = raw
        let body = raw.dropFirst(2)
        let numberEnd = body.firstIndex { !($0.isNumber || $0 == ".") } ?? body.endIndex
        let numbers = body[..<numberEnd].split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        guard numbers.count >= 2, numbers.count <= 3, let ma = numbers[0], let mi = numbers[1] else { return nil }
        major = ma
        minor = mi
        if numbers.count == 3 {
            guard let p = numbers[2] else { return nil }
            patch = p
        } else {
            patch = 0
        }
        var rest = body[numberEnd...]
        let tag = rest.prefix { $0.isLetter || $0.isNumber }
        if tag.hasPrefix("rc") || tag.hasPrefix("beta") {
            prerelease = String(tag)
            rest = rest.dropFirst(tag.count)
        } else {
            prerelease = nil
        }
        suffix = String(rest)
    }

    /// `1.25`: the language version, whose runtime layout plugins must share.
    public var minorVersion: String { "\(major).\(minor)" }
    /// `1.25.5`.
    public var number: String { "\(major).\(minor).\(patch)" }
    public var description: String { raw }

    public static func < (a: GoVersion, b: GoVersion) -> Bool {
        (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch)
    }
}
