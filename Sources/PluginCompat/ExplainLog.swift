/// The walk over a pasted log: line by line, each line's messages (inside a structured log's
/// quoted field too: logrus `error="..."`, JSON `"msg":"..."`), lura's summaries and the
/// lines of their body, and a crash's goroutine dump, which belongs to the fatal line before it.
struct LogScan {
    private(set) var lineCount = 0
    private(set) var recognisedLines: Set<Int> = []
    private(set) var summaries: [LoaderSummary] = []
    /// Each message found, with where.
    private var found: [(message: ParsedMessage, at: Occurrence)] = []
    /// The summary whose body is being read, and how many of its items are still to come.
    private var openSummary: (index: Int, remaining: Int)?
    private var dump: Dump?

    /// A crash being read: its fatal line, then the dump's lines.
    private struct Dump {
        var message: ParsedMessage
        var at: Occurrence
        var lines: [Int]
        /// The index in `found` once the crash is recorded (at once, unless it needs its dump
        /// to say it happened inside plugin.Open).
        var recorded: Int?
        var insidePluginOpen = false
        var calledFrom: String?
        var afterOpen = false
        var inDlopen = false
    }

    mutating func read(_ log: String) {
        var lines = Self.lines(of: log)
        if lines.last?.isEmpty == true { lines.removeLast() }
        lineCount = lines.count
        let alone = lines.filter { !$0.allSatisfy(\.isWhitespace) }.count == 1
        for (i, raw) in lines.enumerated() {
            let number = i + 1
            let line = raw.last == "\r" ? raw.dropLast() : raw
            if dump != nil {
                let anotherCrash = (line.hasPrefix("fatal error: ") || line.hasPrefix("panic: ")) && !line.hasSuffix("[recovered]")
                    && MessageParser.parse(line).map(\.kind.isCrash) == true
                if Self.isDumpLine(line) && !anotherCrash {
                    readDumpLine(line, number)
                    continue
                }
                endDump()
            }
            // Most lines of a log are about something else: a cheap look for the words every
            // recognised message holds comes first.
            if !alone, openSummary == nil, !Self.mayHoldAMessage(line) { continue }
            let tag = Self.loaderTag(line)
            var context = MessageContext(tagged: tag != nil, alone: alone)
            var lineHadItem = false
            for piece in Self.pieces(of: line) {
                var piece = piece[...]
                if let (count, after) = MessageParser.summaryHeader(piece) {
                    summaries.append(LoaderSummary(line: number, loader: tag, errors: count, listed: 0))
                    openSummary = (summaries.count - 1, count)
                    recognisedLines.insert(number)
                    piece = after
                    if piece.allSatisfy(\.isWhitespace) { continue }
                }
                let isItem = MessageParser.isSummaryItem(piece)
                context.inSummary = openSummary != nil && isItem
                guard let message = MessageParser.parse(piece, context: context) else { continue }
                var loader = tag
                if isItem, let open = openSummary {
                    lineHadItem = true
                    summaries[open.index].listed += 1
                    openSummary = open.remaining > 1 ? (open.index, open.remaining - 1) : nil
                    // A line of the summary's body: the summary's loader logged it.
                    loader = loader ?? summaries[open.index].loader
                }
                recognisedLines.insert(number)
                let at = Occurrence(line: number, loader: loader)
                if message.kind.isCrash {
                    startDump(message, at, alone: alone)
                } else {
                    found.append((message, at))
                }
            }
            if !lineHadItem, openSummary != nil, !recognisedLines.contains(number) { openSummary = nil }
        }
        if dump != nil { endDump() }
    }

    // MARK: crashes

    private mutating func startDump(_ message: ParsedMessage, _ at: Occurrence, alone: Bool) {
        if dump != nil { endDump() }
        var d = Dump(message: message, at: at, lines: [])
        // A nil pointer or a bad signal is about plugins only when the dump shows plugin.Open
        // (or when it is all the input: the user says it is).
        if message.kind != .crashInPluginOpen || alone {
            found.append((message, at))
            d.recorded = found.count - 1
        }
        dump = d
    }

    private mutating func readDumpLine(_ line: Substring, _ number: Int) {
        guard var d = dump else { return }
        d.lines.append(number)
        if let f = Self.frameFunction(line) {
            if f == "plugin.Open" {
                d.insidePluginOpen = true
                d.afterOpen = true
            } else if f == "plugin._Cfunc_pluginOpen" {
                // The crash is in dlopen itself (C code: the loader, the file's initialisers).
                d.insidePluginOpen = true
                d.inDlopen = true
            } else if f.hasPrefix("plugin.open") || f.hasSuffix("lastmoduleinit") {
                d.insidePluginOpen = true
            } else if d.afterOpen, d.calledFrom == nil {
                d.calledFrom = f
            }
        }
        dump = d
        // A signal inside the dump (SIGILL in a plugin's code) is a message of its own.
        if line.contains("SIGILL: illegal instruction"), let m = MessageParser.parse(line) {
            found.append((m, Occurrence(line: number, loader: nil)))
        }
    }

    private mutating func endDump() {
        guard var d = dump else { return }
        dump = nil
        if d.inDlopen, d.message.kind == .crashInPluginOpen { d.message.kind = .crashInDlopen }
        if let i = d.recorded { found[i].message.kind = d.message.kind }
        if d.recorded == nil {
            guard d.insidePluginOpen else { return }
            found.append((d.message, d.at))
            d.recorded = found.count - 1
        }
        recognisedLines.formUnion(d.lines)
        if let i = d.recorded, let caller = d.calledFrom { found[i].message.values.calledFrom = caller }
    }

    /// The lines of a Go crash after its fatal line: goroutine headers, frames, their file
    /// lines (tab-indented), signal and register lines, blank lines.
    static func isDumpLine(_ line: Substring) -> Bool {
        if line.allSatisfy(\.isWhitespace) || line.hasPrefix("\t") { return true }
        let prefixes = ["goroutine ", "runtime stack:", "created by ", "[signal ", "exit status ", "...", "PC=", "signal arrived during",
                        "instruction bytes:", "panic: ", "[recovered]", "fatal error: ", "runtime: ", "\t"]
        if prefixes.contains(where: { line.hasPrefix($0) }) { return true }
        if frameFunction(line) != nil { return true }
        // register lines: `rax    0x0`
        let parts = line.split(separator: " ", omittingEmptySubsequences: true)
        return parts.count == 2 && parts[0].allSatisfy { $0.isLetter || $0.isNumber } && parts[1].hasPrefix("0x")
    }

    /// `pkg.Func(args)` (a frame of a goroutine dump): the function.
    static func frameFunction(_ line: Substring) -> String? {
        guard let first = line.first, !first.isWhitespace, line.hasSuffix(")"), let open = line.lastIndex(of: "(") else { return nil }
        let function = line[..<open]
        guard !function.isEmpty, !function.contains(" "), function.contains(".") else { return nil }
        return String(function)
    }

    // MARK: lines

    /// Words of which every recognised message holds one (lura's Scan errors follow a loader
    /// tag, which holds `Plugin`).
    static let anchors = ["plugin", "Plugin", "ELF", "shared object", "shared library", "Error relocating", "version `", "not defined in file",
                          "undefined symbol", "runtime", "SIG", "panic", "fatal error", "realpath", "dynamically load", "ET_DYN",
                          "executable stack", "Dynamic loading", "file too short", "cannot read file data"].map { Array($0.utf8) }

    static func mayHoldAMessage(_ line: Substring) -> Bool {
        let found = line.utf8.withContiguousStorageIfAvailable { bytes in
            anchors.contains { ASCIISearch.contains($0, in: bytes) }
        }
        if let found { return found }
        let copy = Array(line.utf8)
        return copy.withUnsafeBufferPointer { bytes in anchors.contains { ASCIISearch.contains($0, in: bytes) } }
    }

    /// The lines of `log`, split at each `\n` byte (a `\r` before it stays, and is dropped by
    /// the reader): splitting by `Character` would segment the whole log into graphemes.
    static func lines(of log: String) -> [Substring] {
        var out: [Substring] = []
        let u = log.utf8
        var start = u.startIndex
        var i = u.startIndex
        while i != u.endIndex {
            if u[i] == 10 {
                out.append(log[start..<i])
                start = u.index(after: i)
            }
            u.formIndex(after: &i)
        }
        out.append(log[start..<u.endIndex])
        return out
    }

    /// KrakenD CE's loader tags (`logPluginLoaderErrors`).
    static func loaderTag(_ line: Substring) -> String? {
        guard let r = line.firstRange(of: "[SERVICE: "), let close = line[r.upperBound...].firstIndex(of: "]") else { return nil }
        let name = line[r.upperBound..<close]
        guard name.hasSuffix("Plugin"), name != "Plugin Loader" else { return nil }
        return String(line[r.lowerBound...close])
    }

    /// The texts to look at in one line: the line itself, or, in a structured log (a quoted
    /// field holding escaped quotes, a JSON object), each quoted field unescaped and what is
    /// left around them; each split at (unescaped) line breaks.
    static func pieces(of line: Substring) -> [String] {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard line.contains("\\\"") || trimmed.hasPrefix("{") else { return [String(line)] }
        var out: [String] = []
        var outside = ""
        var quoted: String?
        var chars = line.makeIterator()
        while let c = chars.next() {
            if var q = quoted {
                if c == "\\", let e = chars.next() {
                    switch e {
                    case "n": q.append("\n")
                    case "t": q.append("\t")
                    case "r": break
                    case "u":
                        var hex = ""
                        for _ in 0..<4 { if let h = chars.next() { hex.append(h) } }
                        if let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v) { q.unicodeScalars.append(scalar) }
                    default: q.append(e)
                    }
                    quoted = q
                } else if c == "\"" {
                    out.append(q)
                    quoted = nil
                    outside.append(" ")
                } else {
                    q.append(c)
                    quoted = q
                }
            } else if c == "\"" {
                quoted = ""
            } else {
                outside.append(c)
            }
        }
        if let q = quoted { out.append(q) }
        out.append(outside)
        return out.flatMap { $0.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
    }

    // MARK: the result

    /// One explanation per distinct message, in order of first appearance.
    func explanations() -> [LogExplanation] {
        var order: [String] = []
        var groups: [String: (ParsedMessage, [Occurrence])] = [:]
        for (m, at) in found {
            let key = m.kind.rawValue + "\u{0}" + m.message
            if var g = groups[key] {
                if !g.1.contains(at) { g.1.append(at) }
                if g.0.values.calledFrom == nil { g.0.values.calledFrom = m.values.calledFrom }
                groups[key] = g
            } else {
                order.append(key)
                groups[key] = (m, [at])
            }
        }
        let parsed = order.map { groups[$0]! }
        let log = LogFacts(parsed.map(\.0))
        return parsed.map { m, at in
            var d = ExplainCatalogue.describe(m, log: log)
            if m.previousFailure, let first = parsed.first(where: { !$0.0.previousFailure && $0.0.kind == m.kind && Self.sameFile($0.0.values, m.values) }) {
                d.happened = "the first failure of this file is on line \(first.1[0].line); this is " + d.happened
            }
            return LogExplanation(
                kind: m.kind, check: m.kind.check, message: m.message, occurrences: at, previousFailure: m.previousFailure,
                happened: d.happened, values: m.values,
                causes: d.causes.enumerated().map { RankedCause(rank: $0.offset + 1, check: $0.element.check, cause: $0.element.cause, fix: $0.element.fix, confirmed: nil) },
                fix: d.fix, documentation: m.kind.check.documentationPath, prediction: nil)
        }
    }
}

extension LogScan {
    /// The same file and the same failure (a repeat names the file as given, the first
    /// failure without `.so`).
    static func sameFile(_ a: ExplainedValues, _ b: ExplainedValues) -> Bool {
        guard let x = a.plugin, let y = b.plugin else { return false }
        return MessageParser.bareName(x) == MessageParser.bareName(y) && a.package == b.package
    }
}

/// What the whole log says beyond one message (for KrakenD's three loaders).
struct LogFacts {
    /// For each Go plugin path, the registerer symbols the loaders did not find in it.
    var missingSymbols: [String: Set<String>] = [:]

    init(_ messages: [ParsedMessage]) {
        for m in messages where m.kind == .symbolNotFound {
            if let path = m.values.goPluginPath, let s = m.values.symbol { missingSymbols[path, default: []].insert(s) }
        }
    }
}

/// Byte search for ASCII words, without the grapheme breaking of a `String` search.
enum ASCIISearch {
    static func contains(_ word: [UInt8], in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = word.first, bytes.count >= word.count else { return false }
        var i = 0
        let last = bytes.count - word.count
        while i <= last {
            if bytes[i] == first {
                var k = 1
                while k < word.count && bytes[i + k] == word[k] { k += 1 }
                if k == word.count { return true }
            }
            i += 1
        }
        return false
    }
}
