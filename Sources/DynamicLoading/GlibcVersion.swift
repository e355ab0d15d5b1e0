/// A `GLIBC_x.y[.z]` version, ordered numerically.
public struct GlibcVersion: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var components: [Int]

    /// Parses `GLIBC_2.34`; nil for other names (`GLIBC_PRIVATE`, `GCC_3.0`).
    public init?(symbolVersion: String) {
        guard symbolVersion.hasPrefix("GLIBC_") else { return nil }
        let parts = symbolVersion.dropFirst(6).split(separator: ".", omittingEmptySubsequences: false)
        let numbers = parts.compactMap { Int($0) }
        guard !numbers.isEmpty, numbers.count == parts.count else { return nil }
        components = numbers
    }

    public static func < (a: GlibcVersion, b: GlibcVersion) -> Bool {
        a.components.lexicographicallyPrecedes(b.components)
    }
    public var description: String { "GLIBC_" + components.map(String.init).joined(separator: ".") }
}
