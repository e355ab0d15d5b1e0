// Go's strconv.Quote, Unquote and QuotedPrefix, as far as the module info text needs them:
// build setting keys and values are written with Quote and read back with Unquote.

enum GoQuoting {
    /// Go's `strconv.Quote`: a double-quoted literal with Go escapes for unprintable runes.
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            out += escape(scalar, quote: "\"")
        }
        return out + "\""
    }

    /// Go's `%q` for a single byte: a single-quoted character literal.
    static func quoteByte(_ b: UInt8) -> String {
        "'" + escape(Unicode.Scalar(b), quote: "'") + "'"
    }

    private static func escape(_ r: Unicode.Scalar, quote: Character) -> String {
        let v = r.value
        if Character(r) == quote || r == "\\" { return "\\" + String(r) }
        if isPrint(r) { return String(r) }
        switch v {
        case 0x07: return "\\a"
        case 0x08: return "\\b"
        case 0x0c: return "\\f"
        case 0x0a: return "\\n"
        case 0x0d: return "\\r"
        case 0x09: return "\\t"
        case 0x0b: return "\\v"
        default:
            if v < 0x20 || v == 0x7f { return "\\x" + hex(v, 2) }
            if v < 0x10000 { return "\\u" + hex(v, 4) }
            return "\\U" + hex(v, 8)
        }
    }

    private static func hex(_ v: UInt32, _ width: Int) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
    static func isPrint(_ r: Unicode.Scalar) -> Bool {
        if r.value < 0x80 { return r.value >= 0x20 && r.value < 0x7f }
        switch r.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark,
             .decimalNumber, .letterNumber, .otherNumber,
             .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation,
             .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    /// Go's `strconv.Unquote` for double- and back-quoted literals; nil when invalid.
    static func unquote(_ s: Substring) -> String? {
        let b = Array(s.utf8)
        guard b.count >= 2, let q = b.first, q == b.last else { return nil }
        let body = b[1..<(b.count - 1)]
        if q == UInt8(ascii: "`") {
            guard !body.contains(UInt8(ascii: "`")) else { return nil }
            // Raw strings drop carriage returns.
            return String(decoding: body.filter { $0 != 0x0d }, as: UTF8.self)
        }
        guard q == UInt8(ascii: "\"") else { return nil }
        var out: [UInt8] = []
        var i = body.startIndex
        while i < body.endIndex {
            let c = body[i]
            if c == UInt8(ascii: "\"") || c == 0x0a { return nil }
            if c != UInt8(ascii: "\\") {
                out.append(c)
                i += 1
                continue
            }
            i += 1
            guard i < body.endIndex else { return nil }
            let e = body[i]
            i += 1
            switch e {
            case UInt8(ascii: "a"): out.append(0x07)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0c)
            case UInt8(ascii: "n"): out.append(0x0a)
            case UInt8(ascii: "r"): out.append(0x0d)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "v"): out.append(0x0b)
            case UInt8(ascii: "\\"), UInt8(ascii: "\""): out.append(e)
            case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
                let width = e == UInt8(ascii: "x") ? 2 : (e == UInt8(ascii: "u") ? 4 : 8)
                guard i + width <= body.endIndex,
                      let v = UInt32(String(decoding: body[i..<(i + width)], as: UTF8.self), radix: 16) else { return nil }
                i += width
                if e == UInt8(ascii: "x") {
                    out.append(UInt8(v))
                } else {
                    guard let scalar = Unicode.Scalar(v) else { return nil }
                    out.append(contentsOf: Array(String(scalar).utf8))
                }
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                guard i + 2 <= body.endIndex,
                      let v = UInt32(String(decoding: [e] + body[i..<(i + 2)], as: UTF8.self), radix: 8), v <= 255 else { return nil }
                i += 2
                out.append(UInt8(v))
            default:
                return nil
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Go's `strconv.QuotedPrefix`: the quoted literal at the start of `s`, or nil.
    static func quotedPrefix(_ s: Substring) -> Substring? {
        let b = Array(s.utf8)
        guard let q = b.first, q == UInt8(ascii: "\"") || q == UInt8(ascii: "`") else { return nil }
        var i = 1
        while i < b.count {
            let c = b[i]
            if c == q {
                let prefix = s.utf8.prefix(i + 1)
                let candidate = Substring(prefix)
                return unquote(candidate) != nil ? candidate : nil
            }
            if q == UInt8(ascii: "\"") {
                if c == 0x0a { return nil }
                if c == UInt8(ascii: "\\") { i += 1 }
            }
            i += 1
        }
        return nil
    }
}
