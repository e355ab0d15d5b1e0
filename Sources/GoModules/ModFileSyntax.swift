/// The line structure shared by go.mod and go.work (golang.org/x/mod/modfile `read.go`):
/// a line is a verb and its arguments; `verb (` opens a block whose lines each take that
/// verb, closed by `)` on a line of its own; `//` starts a comment; arguments are bare
/// words or Go strings ("..." with escapes, `...` raw).
public struct ModFileLine: Sendable, Equatable {
    public var verb: String
    public var arguments: [String]
    /// The comment after the line's last token (without `//`), e.g. `indirect`.
    public var trailingComment: String
    public var line: Int
    public var column: Int
}

/// A syntax or directive error with its place, printed as the go command prints modfile
/// errors: `go.mod:3:2: unknown directive: foo`.
public struct ModFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file; self.line = line; self.column = column; self.message = message
    }

    public var description: String { "\(file):\(line):\(column): \(message)" }
}

enum ModFileSyntax {
    private enum Token: Equatable {
        case word(String)
        case lparen, rparen
        /// `[`, `]` and `,`: retract intervals.
        case punct(Character)
    }

    private struct Lexed {
        var tokens: [(Token, Int)] = []
        var comment = ""
        var line: Int
    }

    /// Splits the text into lines of tokens, reporting the first lexical error.
    static func parse(_ text: String, file: String) -> Result<[ModFileLine], ModFileError> {
        var lexed: [Lexed] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var l = Lexed(line: lineNumber)
            let chars = Array(rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine)
            var i = 0
            while i < chars.count {
                let c = chars[i]
                let col = i + 1
                if c == " " || c == "\t" || c == "\u{feff}" && lineNumber == 1 && i == 0 { i += 1; continue }
                if c == "/" && i + 1 < chars.count && chars[i + 1] == "/" {
                    l.comment = String(chars[(i + 2)...]).trimmingSpaces()
                    break
                }
                if c == "/" && i + 1 < chars.count && chars[i + 1] == "*" {
                    return .failure(ModFileError(file: file, line: lineNumber, column: col, message: "mod files must use // comments, not /* */ comments"))
                }
                switch c {
                case "(": l.tokens.append((.lparen, col)); i += 1; continue
                case ")": l.tokens.append((.rparen, col)); i += 1; continue
                case "[", "]", ",": l.tokens.append((.punct(c), col)); i += 1; continue
                case "{", "}": return .failure(ModFileError(file: file, line: lineNumber, column: col, message: "unexpected input character '\(c)'"))
                default: break
                }
                if c == "\"" || c == "`" {
                    guard let (s, end) = quoted(chars, from: i) else {
                        return .failure(ModFileError(file: file, line: lineNumber, column: col, message: "unexpected newline in string"))
                    }
                    guard let value = s else {
                        return .failure(ModFileError(file: file, line: lineNumber, column: col, message: "invalid quoted string"))
                    }
                    l.tokens.append((.word(value), col))
                    i = end
                    continue
                }
                var j = i
                while j < chars.count {
                    let d = chars[j]
                    if d == " " || d == "\t" || "()[]{},\"`".contains(d) { break }
                    if d == "/" && j + 1 < chars.count && chars[j + 1] == "/" { break }
                    if d.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
                        return .failure(ModFileError(file: file, line: lineNumber, column: j + 1, message: "unexpected input character \(d.unicodeScalars.first!.escaped(asASCII: true))"))
                    }
                    j += 1
                }
                l.tokens.append((.word(String(chars[i..<j])), col))
                i = j
            }
            lexed.append(l)
        }

        var lines: [ModFileLine] = []
        var block: (verb: String, line: Int, column: Int)?
        for l in lexed where !l.tokens.isEmpty {
            let firstCol = l.tokens[0].1
            if block != nil {
                if l.tokens.count == 1 && l.tokens[0].0 == .rparen { block = nil; continue }
                if l.tokens.contains(where: { $0.0 == .lparen || $0.0 == .rparen }) {
                    return .failure(ModFileError(file: file, line: l.line, column: firstCol, message: "syntax error: unexpected parenthesis in block"))
                }
                lines.append(ModFileLine(verb: block!.verb, arguments: l.tokens.map { word($0.0) }, trailingComment: l.comment, line: l.line, column: firstCol))
                continue
            }
            guard case .word(let verb) = l.tokens[0].0 else {
                return .failure(ModFileError(file: file, line: l.line, column: firstCol, message: "syntax error: unexpected \(describe(l.tokens[0].0))"))
            }
            if l.tokens.count == 2 && l.tokens[1].0 == .lparen {
                block = (verb, l.line, firstCol)
                continue
            }
            if let bad = l.tokens.dropFirst().first(where: { $0.0 == .lparen || $0.0 == .rparen }) {
                return .failure(ModFileError(file: file, line: l.line, column: bad.1, message: "syntax error: unexpected \(describe(bad.0))"))
            }
            lines.append(ModFileLine(verb: verb, arguments: l.tokens.dropFirst().map { word($0.0) }, trailingComment: l.comment, line: l.line, column: firstCol))
        }
        if let b = block {
            return .failure(ModFileError(file: file, line: b.line, column: b.column, message: "syntax error: unterminated block started here"))
        }
        return .success(lines)
    }

    private static func word(_ t: Token) -> String {
        switch t {
        case .word(let w): return w
        case .punct(let c): return String(c)
        case .lparen: return "("
        case .rparen: return ")"
        }
    }

    private static func describe(_ t: Token) -> String {
        switch t {
        case .lparen: return "'('"
        case .rparen: return "')'"
        case .punct(let c): return "'\(c)'"
        case .word(let w): return "'\(w)'"
        }
    }

    /// A Go string literal starting at `from`: nil when it does not end on this line; an inner
    /// nil when its escapes are not Go's.
    private static func quoted(_ chars: [Character], from: Int) -> (String?, Int)? {
        let q = chars[from]
        var i = from + 1
        var out = ""
        var valid = true
        while i < chars.count {
            let c = chars[i]
            if c == q { return (valid ? out : nil, i + 1) }
            if q == "\"" && c == "\\" {
                guard i + 1 < chars.count else { return nil }
                switch chars[i + 1] {
                case "\"": out.append("\"")
                case "\\": out.append("\\")
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "'": out.append("'")
                default: valid = false
                }
                i += 2
                continue
            }
            out.append(c)
            i += 1
        }
        return nil
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
