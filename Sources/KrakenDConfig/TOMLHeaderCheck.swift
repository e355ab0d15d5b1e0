/// The table headers TOMLKit must not be given. Its parser, toml++ 3 (toml.hpp,
/// `parse_table_header`), skips `[` (or `[[`) and the spaces after it and then calls
/// `parse_key`, whose precondition is that a key starts there: after `[` followed by a line
/// break, a `#` or any other character that cannot start a key, that precondition fails and the
/// process aborts (an `assert`; with NDEBUG it is undefined behaviour instead). A configuration
/// is input and must never stop plugincheck, so such a header is found here first and reported
/// as the parse error it is.
///
/// The scan follows TOML's structure only as far as that needs: where a line starts outside any
/// value (the only place a header can be), skipping comments, strings (basic, literal and their
/// multi-line forms) and the brackets of arrays and inline tables that values span lines with.
enum TOMLHeaderCheck {
    struct BadHeader: Equatable {
        var line: Int
        var column: Int
        var found: String
    }

    /// The first header whose key cannot start where toml++ looks for it; nil when there is none.
    static func firstBadHeader(_ text: String) -> BadHeader? {
        let c = Array(text.unicodeScalars)
        var i = 0, line = 1, lineStart = 0
        var depth = 0          // unclosed `[` and `{` of the value being read
        var inValue = false    // after the `=` of the current key line, until the value ends
        func at(_ k: Int) -> Unicode.Scalar? { k < c.count ? c[k] : nil }
        func newline() { line += 1; lineStart = i + 1 }
        /// Skips a string that starts at `i` (a quote); `i` ends on its last character.
        func skipString() {
            let q = c[i]
            let multi = at(i + 1) == q && at(i + 2) == q
            i += multi ? 3 : 1
            while i < c.count {
                let ch = c[i]
                if ch == "\\" && q == "\"" {
                    // An escape: the backslash and the next character (in a multi-line string,
                    // possibly the line break that a backslash ends a line with).
                    if at(i + 1) == "\n" { line += 1; lineStart = i + 2 }
                    i += 2
                    continue
                }
                if ch == "\n" {
                    // An unterminated string: toml++ reports it; the line break is the caller's.
                    if !multi { i -= 1; return }
                    newline()
                } else if ch == q && (!multi || (at(i + 1) == q && at(i + 2) == q)) {
                    // A multi-line string ends at the last quote of the run (up to two quotes
                    // before the closing three are its content).
                    if multi { while at(i + 1) == q { i += 1 } }
                    return
                }
                i += 1
            }
        }
        func skipComment() { while i < c.count && c[i] != "\n" { i += 1 }; i -= 1 }
        var atLineStart = true
        while i < c.count {
            let ch = c[i]
            if ch == "\n" {
                newline()
                if depth == 0 { inValue = false; atLineStart = true }
                i += 1
                continue
            }
            if inValue || depth > 0 {
                switch ch {
                case "\"", "'": skipString()
                case "#": skipComment()
                case "[", "{": depth += 1
                case "]", "}": depth = max(0, depth - 1)
                default: break
                }
                i += 1
                continue
            }
            if atLineStart {
                if ch == " " || ch == "\t" || ch == "\r" { i += 1; continue }
                atLineStart = false
                if ch == "#" { skipComment(); i += 1; continue }
                if ch == "[" {
                    var k = i + 1
                    while at(k) == " " || at(k) == "\t" { k += 1 }
                    if at(k) == "[" && k == i + 1 {
                        k += 1
                        while at(k) == " " || at(k) == "\t" { k += 1 }
                    }
                    if let next = at(k), next != "]", next != "\"", next != "'", !isBareKeyCharacter(next) {
                        return BadHeader(line: line, column: k - lineStart + 1, found: next == "\n" || next == "\r" ? "a line break" : "'\(next)'")
                    }
                    // The rest of the header line: its key (quoted parts skipped), a comment.
                    i = k
                    while i < c.count && c[i] != "\n" {
                        if c[i] == "\"" || c[i] == "'" { skipString() } else if c[i] == "#" { skipComment() }
                        i += 1
                    }
                    continue
                }
            }
            // A key, up to its `=`.
            switch ch {
            case "\"", "'": skipString()
            case "#": skipComment()
            case "=": inValue = true
            default: break
            }
            i += 1
        }
        return nil
    }

    /// What toml++ accepts as a bare key's character: TOML 1.0's A-Za-z0-9_- (Unicode bare keys
    /// are one of its unreleased features, off in TOMLKit's build).
    static func isBareKeyCharacter(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x5F, 0x2D: return true
        default: return false
        }
    }
}
