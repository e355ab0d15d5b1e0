/// A module path and a version, as the go command's `module.Version` (golang.org/x/mod/module).
/// The main module of a build has the empty version.
public struct ModuleVersion: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var path: String
    public var version: String

    public init(path: String, version: String) {
        self.path = path
        self.version = version
    }

    public var description: String { version.isEmpty ? path : path + "@" + version }

    /// Path order, then version order: the order `go list -m all` prints its lines in.
    public static func < (a: ModuleVersion, b: ModuleVersion) -> Bool {
        a.path != b.path ? a.path.utf8.lexicographicallyPrecedes(b.path.utf8) : SemanticVersion.compare(a.version, b.version) < 0
    }
}

/// The case encoding of the module cache (golang.org/x/mod/module `EscapePath`): file systems
/// that ignore case must still tell `github.com/Azure` from `github.com/azure`, so every upper
/// case letter becomes `!` and its lower case.
public enum ModulePathEscaping {
    /// Nil for a path or version that the go command would refuse to escape (one holding `!`,
    /// which the escaping reserves, or control characters).
    public static func escape(_ s: String) -> String? {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            if scalar == "!" || scalar.value < 0x20 || scalar.value == 0x7f { return nil }
            if scalar.value >= 0x41 && scalar.value <= 0x5a {
                out.append("!")
                out.unicodeScalars.append(Unicode.Scalar(scalar.value + 0x20)!)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The inverse of `escape` (module `UnescapePath`); nil for a malformed escape.
    public static func unescape(_ s: String) -> String? {
        var out = ""
        var bang = false
        for scalar in s.unicodeScalars {
            if bang {
                guard scalar.value >= 0x61 && scalar.value <= 0x7a else { return nil }
                out.unicodeScalars.append(Unicode.Scalar(scalar.value - 0x20)!)
                bang = false
            } else if scalar == "!" {
                bang = true
            } else if scalar.value >= 0x41 && scalar.value <= 0x5a {
                return nil
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return bang ? nil : out
    }
}
