/// A module as recorded in the module info: path, version and `h1:` sum, possibly replaced.
public struct Module: Hashable, Sendable, Codable {
    public var path: String
    public var version: String
    public var sum: String
    /// The module that replaced this one (`=>` line), if any.
    public var replacement: Replacement?

    public init(path: String, version: String, sum: String = "", replacement: Replacement? = nil) {
        self.path = path
        self.version = version
        self.sum = sum
        self.replacement = replacement
    }

    /// The target of a `replace` directive; a local directory has an empty version and sum.
    public struct Replacement: Hashable, Sendable, Codable {
        public var path: String
        public var version: String
        public var sum: String
    }

    var isEmpty: Bool { path.isEmpty && version.isEmpty && sum.isEmpty && replacement == nil }

    enum CodingKeys: String, CodingKey { case path, version, sum, replacement }

    /// Writes `replacement` as an explicit null when there is none, as the reports document.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(path, forKey: .path)
        try c.encode(version, forKey: .version)
        try c.encode(sum, forKey: .sum)
        try c.encode(replacement, forKey: .replacement)
    }
}

/// One `build key=value` line.
public struct BuildSetting: Hashable, Sendable, Codable {
    public var key: String
    public var value: String
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// The module info text of a Go binary (`runtime/debug.BuildInfo`), parsed with Go's rules.
public struct ModuleInfo: Hashable, Sendable {
    /// The `path` line: the main package's import path.
    public var path: String = ""
    /// The `mod` line.
    public var main: Module?
    /// The `dep` lines, in order.
    public var dependencies: [Module] = []
    /// The `build` lines, in order.
    public var settings: [BuildSetting] = []

    public init() {}

    /// The value of the first setting named `key`.
    public func setting(_ key: String) -> String? { settings.first { $0.key == key }?.value }

    /// Parses the text as Go's `debug.ParseBuildInfo` does: lines it does not know are skipped,
    /// a last line without a newline is ignored, and errors name the line.
    public static func parse(_ text: String) throws(GoBuildInfoError) -> ModuleInfo {
        var info = ModuleInfo()
        var lineNumber = 1
        // Which module an `=>` line replaces: 0 = main, n = dependency n-1, nil = none.
        var last: Int?
        var rest = Substring(text)
        func fail(_ reason: String) -> GoBuildInfoError { .parse(line: lineNumber, reason: reason) }
        while !rest.isEmpty {
            // Split on the byte, as Go does: as Characters, "\r\n" would be one unit that
            // contains no "\n".
            guard let newline = rest.utf8.firstIndex(of: UInt8(ascii: "\n")) else { break }
            let line = Substring(rest.utf8[..<newline])
            rest = Substring(rest.utf8[rest.utf8.index(after: newline)...])
            // The words and tabs compared and dropped as bytes (a tab is never part of a
            // larger Character, so this is what comparing Characters gives, only faster).
            if let value = after("path\t", line) {
                info.path = String(value)
            } else if let value = after("mod\t", line) {
                guard let m = moduleLine(value) else { throw fail(columnsError(value)) }
                info.main = m
                last = 0
            } else if let value = after("dep\t", line) {
                guard let m = moduleLine(value) else { throw fail(columnsError(value)) }
                info.dependencies.append(m)
                last = info.dependencies.count
            } else if let value = after("=>\t", line) {
                let elem = fields(value)
                guard elem.count == 3 else { throw fail("expected 3 columns for replacement; got \(elem.count)") }
                guard let target = last else { throw fail("replacement with no module on previous line") }
                let r = Module.Replacement(path: String(elem[0]), version: String(elem[1]), sum: String(elem[2]))
                if target == 0 { info.main?.replacement = r } else { info.dependencies[target - 1].replacement = r }
                last = nil
            } else if let value = after("build\t", line) {
                info.settings.append(try buildLine(value, fail))
            }
            lineNumber += 1
        }
        return info
    }

    /// The rest of `line` after `word` (ASCII), or nil when it does not start with it.
    private static func after(_ word: StaticString, _ line: Substring) -> Substring? {
        let w = UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard line.utf8.starts(with: w) else { return nil }
        return Substring(line.utf8.dropFirst(w.count))
    }

    /// The tab-separated fields of `s`, empty ones included.
    private static func fields(_ s: Substring) -> [Substring] {
        s.utf8.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false).map { Substring($0) }
    }

    private static func moduleLine(_ s: Substring) -> Module? {
        let elem = fields(s)
        guard elem.count == 2 || elem.count == 3 else { return nil }
        return Module(path: String(elem[0]), version: String(elem[1]), sum: elem.count == 3 ? String(elem[2]) : "")
    }

    private static func columnsError(_ s: Substring) -> String {
        "expected 2 or 3 columns; got \(fields(s).count)"
    }

    private static func buildLine(_ kv: Substring, _ fail: (String) -> GoBuildInfoError) throws(GoBuildInfoError) -> BuildSetting {
        guard let first = kv.first else { throw fail("build line missing '='") }
        let key: String
        let rawValue: Substring
        switch first {
        case "=":
            throw fail("build line with missing key")
        case "`", "\"":
            guard let rawKey = GoQuoting.quotedPrefix(kv) else { throw fail("invalid quoted key in build line") }
            let after = kv.utf8.dropFirst(rawKey.utf8.count)
            guard let c = after.first else { throw fail("build line missing '=' after quoted key") }
            guard c == UInt8(ascii: "=") else {
                throw fail("unexpected character after quoted key: \(GoQuoting.quoteByte(c))")
            }
            key = GoQuoting.unquote(rawKey) ?? ""
            rawValue = Substring(after.dropFirst())
        default:
            guard let eq = kv.firstIndex(of: "=") else { throw fail("build line missing '=' after key") }
            key = String(kv[..<eq])
            rawValue = kv[kv.index(after: eq)...]
            if quoteKey(key) { throw fail("unquoted key \(GoQuoting.quote(key)) must be quoted") }
        }
        var value = ""
        if let c = rawValue.first {
            if c == "`" || c == "\"" {
                guard let v = GoQuoting.unquote(rawValue) else { throw fail("invalid quoted value in build line") }
                value = v
            } else {
                value = String(rawValue)
                if quoteValue(value) { throw fail("unquoted value \(GoQuoting.quote(value)) must be quoted") }
            }
        }
        return BuildSetting(key: key, value: value)
    }

    // The characters are ASCII, and in UTF-8 an ASCII byte is only ever that character: the
    // bytes are tested.
    static func quoteKey(_ key: String) -> Bool {
        key.isEmpty || key.utf8.contains { $0 == UInt8(ascii: "=") || needsQuotes($0) }
    }

    static func quoteValue(_ value: String) -> Bool {
        value.utf8.contains(where: needsQuotes)
    }

    private static func needsQuotes(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0d || b == 0x0a || b == UInt8(ascii: "\"") || b == UInt8(ascii: "`")
    }

    /// The text as Go's `BuildInfo.String` writes it (without a `go` line): every `mod`/`dep`
    /// line ends with a tab and the sum, an `=>` line follows a replaced module.
    public var goString: String {
        var out = ""
        out.reserveCapacity(64 * (dependencies.count + settings.count + 2))
        if !path.isEmpty { out += "path\t"; out += path; out += "\n" }
        func format(_ word: String, _ m: Module) {
            out += word; out += "\t"; out += m.path; out += "\t"; out += m.version
            if let r = m.replacement {
                out += "\n=>\t"; out += r.path; out += "\t"; out += r.version; out += "\t"; out += r.sum; out += "\n\n"
            } else {
                out += "\t"; out += m.sum; out += "\n"
            }
        }
        if let main, !main.isEmpty { format("mod", main) }
        for dep in dependencies { format("dep", dep) }
        for s in settings {
            let key = Self.quoteKey(s.key) ? GoQuoting.quote(s.key) : s.key
            let value = Self.quoteValue(s.value) ? GoQuoting.quote(s.value) : s.value
            out += "build\t"; out += key; out += "="; out += value; out += "\n"
        }
        return out
    }
}
