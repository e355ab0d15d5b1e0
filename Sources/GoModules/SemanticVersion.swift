/// Version order as the go command compares module versions (golang.org/x/mod/semver
/// `Compare`) and Go language versions (cmd/go/internal/gover `Compare`).
public enum SemanticVersion {
    /// Parsed `vMAJOR[.MINOR[.PATCH]][-PRERELEASE][+BUILD]`; the short forms `v1`, `v1.2`
    /// count as `v1.0.0`, `v1.2.0`, as in x/mod/semver.
    struct Parsed {
        var major: Substring, minor: Substring, patch: Substring
        var prerelease: Substring
    }

    static func parse(_ v: String) -> Parsed? {
        guard v.hasPrefix("v"), v.utf8.count <= Limits.maxVersionLength else { return nil }
        var rest = Substring(v.dropFirst())
        func number() -> Substring? {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits == "0" || !digits.hasPrefix("0") else { return nil }
            rest = rest.dropFirst(digits.count)
            return digits
        }
        guard let major = number() else { return nil }
        var p = Parsed(major: major, minor: "0", patch: "0", prerelease: "")
        if rest.isEmpty { return p }
        guard rest.first == "." else { return nil }
        rest = rest.dropFirst()
        guard let minor = number() else { return nil }
        p.minor = minor
        if rest.isEmpty { return p }
        guard rest.first == "." else { return nil }
        rest = rest.dropFirst()
        guard let patch = number() else { return nil }
        p.patch = patch
        if rest.first == "-" {
            let pre = rest.dropFirst().prefix { $0 != "+" }
            guard !pre.isEmpty, pre.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({ identifierOK($0) }) else { return nil }
            p.prerelease = pre
            rest = rest.dropFirst(pre.count + 1)
        }
        if rest.first == "+" {
            let build = rest.dropFirst()
            guard !build.isEmpty, build.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({ !$0.isEmpty && $0.allSatisfy(isIdentChar) }) else { return nil }
            rest = ""
        }
        return rest.isEmpty ? p : nil
    }

    private static func isIdentChar(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "-") }
    private static func identifierOK(_ s: Substring) -> Bool {
        guard !s.isEmpty, s.allSatisfy(isIdentChar) else { return false }
        let numeric = s.allSatisfy { $0.isNumber }
        return !numeric || s == "0" || !s.hasPrefix("0")
    }

    /// Whether `v` is a valid semantic version for x/mod/semver.
    public static func isValid(_ v: String) -> Bool { parse(v) != nil }

    /// Whether `v` is canonical (`v1.2.3[-pre]`, at most `+incompatible` after it): the only
    /// form a go.mod `require` line may hold without the go command rewriting it.
    public static func isCanonical(_ v: String) -> Bool {
        guard let p = parse(v) else { return false }
        var canon = "v\(p.major).\(p.minor).\(p.patch)"
        if !p.prerelease.isEmpty { canon += "-" + p.prerelease }
        return v == canon || v == canon + "+incompatible"
    }

    /// -1, 0 or +1. An invalid version is lower than every valid one and equal to other
    /// invalid ones (x/mod/semver); "none" is therefore lowest too, as MVS wants it.
    public static func compare(_ a: String, _ b: String) -> Int {
        let pa = parse(a), pb = parse(b)
        switch (pa, pb) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case let (x?, y?):
            for (l, r) in [(x.major, y.major), (x.minor, y.minor), (x.patch, y.patch)] {
                let c = compareNumeric(l, r)
                if c != 0 { return c }
            }
            return comparePrerelease(x.prerelease, y.prerelease)
        }
    }

    private static func compareNumeric(_ a: Substring, _ b: Substring) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        return a == b ? 0 : (a < b ? -1 : 1)
    }

    private static func comparePrerelease(_ a: Substring, _ b: Substring) -> Int {
        if a == b { return 0 }
        if a.isEmpty { return 1 }
        if b.isEmpty { return -1 }
        let xs = a.split(separator: "."), ys = b.split(separator: ".")
        for (x, y) in zip(xs, ys) where x != y {
            let xn = x.allSatisfy { $0.isNumber }, yn = y.allSatisfy { $0.isNumber }
            if xn && yn { return compareNumeric(x, y) }
            if xn { return -1 }
            if yn { return 1 }
            return x < y ? -1 : 1
        }
        return xs.count == ys.count ? 0 : (xs.count < ys.count ? -1 : 1)
    }

    /// The major-version suffix rule is not checked here; `+incompatible` is build metadata.
    public static func max(_ a: String, _ b: String) -> String { compare(a, b) >= 0 ? a : b }
}

/// A Go release or language version as `go` and `toolchain` lines spell it (`1.21`,
/// `1.21rc1`, `1.21.0`, `go1.25.5` for a toolchain), ordered as cmd/go/internal/gover does:
/// `1.21` < `1.21rc1` < `1.21.0`.
public struct GoLanguageVersion: Comparable, Hashable, Sendable, CustomStringConvertible {
    public var major: Int, minor: Int
    /// 0 language version (`1.21`), 1 beta, 2 rc, 3 release (`1.21.0`).
    var kind: Int
    var number: Int
    public let text: String

    /// Accepts an optional `go` prefix (toolchain names) and drops a `-suffix` or ` X:...`
    /// (custom toolchains such as `go1.25.5-devel` or `go1.24 X:boringcrypto`).
    public init?(_ s: String) {
        var t = Substring(s)
        if t.hasPrefix("go") { t = t.dropFirst(2) }
        if let cut = t.firstIndex(where: { $0 == "-" || $0 == " " || $0 == "+" }) { t = t[..<cut] }
        let parts = t.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, let ma = Int(parts[0]), ma >= 1, ma < 1000 else { return nil }
        let mi = parts[1].prefix { $0.isNumber }
        guard let m = Int(mi), mi.count < 6 else { return nil }
        major = ma; minor = m; text = String(t)
        let tail = parts[1].dropFirst(mi.count)
        if parts.count == 3 {
            guard tail.isEmpty, let p = Int(parts[2]), parts[2].count < 6 else { return nil }
            kind = 3; number = p
        } else if tail.isEmpty {
            kind = 0; number = 0
        } else if tail.hasPrefix("rc"), let n = Int(tail.dropFirst(2)) {
            kind = 2; number = n
        } else if tail.hasPrefix("beta"), let n = Int(tail.dropFirst(4)) {
            kind = 1; number = n
        } else {
            return nil
        }
    }

    public var description: String { text }
    /// `1.25` for `1.25.5`: the minor release line.
    public var languageVersion: String { "\(major).\(minor)" }

    public static func < (a: GoLanguageVersion, b: GoLanguageVersion) -> Bool {
        (a.major, a.minor, a.kind, a.number) < (b.major, b.minor, b.kind, b.number)
    }
    public static func == (a: GoLanguageVersion, b: GoLanguageVersion) -> Bool {
        (a.major, a.minor, a.kind, a.number) == (b.major, b.minor, b.kind, b.number)
    }
    public func hash(into h: inout Hasher) { h.combine(major); h.combine(minor); h.combine(kind); h.combine(number) }

    /// Go 1.17 is where module graph pruning starts (cmd/go/internal/gover
    /// `ExplicitIndirectVersion`, modload `pruningForGoVersion`).
    public static let pruningStarts = GoLanguageVersion("1.17")!
    /// A go.mod without a `go` line counts as go 1.16 (modload's `DefaultGoModVersion`).
    public static let assumedWithoutGoLine = GoLanguageVersion("1.16")!
    /// `go` 1.14 and later vendor by default when vendor/modules.txt exists (modload `setDefaultBuildMod`).
    public static let vendorByDefault = GoLanguageVersion("1.14")!
}
