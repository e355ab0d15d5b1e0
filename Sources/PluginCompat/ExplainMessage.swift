/// One message of the plugin loading path, taken apart: the wrappers around it (lura's
/// `plugin #N (FILE): ` or `opening plugin N (FILE): `, Go's `plugin.Open("NAME"): `, Go's
/// ` (previous failure)`), then the message itself, matched against the wordings of Go's
/// `plugin` package and runtime, glibc's `elf/dl-load.c`, musl's `ldso/dynlink.c` and lura.
struct ParsedMessage: Equatable {
    var kind: LogMessageKind
    var values: ExplainedValues
    /// From the outermost wrapper to the end of the message, as logged.
    var message: String
    var previousFailure: Bool
}

/// Where a message was found, for the messages that are only recognised in context.
struct MessageContext {
    /// The line carries a KrakenD plugin loader's tag (`[SERVICE: Handler Plugin]`).
    var tagged = false
    /// The input is this one line.
    var alone = false
    /// The piece is a line of a lura summary's body.
    var inSummary = false
}

enum MessageParser {
    static let previousFailureSuffix = " (previous failure)"

    /// The message in `piece`, if it is one of the path's; nil otherwise.
    static func parse(_ piece: Substring, context: MessageContext = MessageContext()) -> ParsedMessage? {
        var text = piece
        while let last = text.last, last == "\r" || last == " " || last == "\t" { text = text.dropLast() }
        var previous = false
        if let r = text.firstRange(of: previousFailureSuffix) {
            previous = true
            text = text[..<r.lowerBound]
        }
        var values = ExplainedValues()
        var start: String.Index?
        var rest = text
        // lura: "plugin #%d (%s): %s" (lura v2) or "opening plugin %d (%s): %s" (lura v1 and older v2).
        if let (r, index, file, after) = luraWrapper(in: text) {
            values.index = index
            values.plugin = String(file)
            start = r.lowerBound
            rest = text[after...]
        }
        // Go: `plugin.Open("` + name + `"): ` + error
        if let open = rest.firstRange(of: "plugin.Open(\""), let close = rest[open.upperBound...].firstRange(of: "\"): ") {
            values.openedAs = String(rest[open.upperBound..<close.lowerBound])
            if values.plugin == nil { values.plugin = values.openedAs }
            start = start ?? open.lowerBound
            rest = rest[close.upperBound...]
        }
        let wrapped = start != nil
        var core = classify(rest, wrapped: wrapped, values: &values, context: context)
        if core == nil, values.index != nil, values.openedAs == nil, !rest.isEmpty {
            // lura wrapped an error that came neither from plugin.Open nor from Lookup.
            values.reason = String(rest)
            core = Core(kind: .registererError, start: rest.startIndex, end: rest.endIndex)
        }
        guard let core else { return nil }
        let from = start ?? core.start
        let message = String(text[from..<core.end]) + (previous ? previousFailureSuffix : "")
        return ParsedMessage(kind: core.kind, values: values, message: message, previousFailure: previous)
    }

    /// lura's `plugin loader found N error(s):`: N.
    static func summaryHeader(_ piece: Substring) -> (count: Int, after: Substring)? {
        guard let r = piece.firstRange(of: "plugin loader found ") else { return nil }
        let digits = piece[r.upperBound...].prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let n = Int(digits) else { return nil }
        let tail = piece[digits.endIndex...]
        guard tail.hasPrefix(" error(s):") else { return nil }
        return (n, tail.dropFirst(" error(s):".count))
    }

    /// Whether the piece starts with lura's wrapper (a line of a summary's body).
    static func isSummaryItem(_ piece: Substring) -> Bool {
        let t = piece.drop { $0 == " " || $0 == "\t" }
        guard let (r, _, _, _) = luraWrapper(in: t) else { return false }
        return r.lowerBound == t.startIndex
    }

    /// `plugin #N (FILE): ` or `opening plugin N (FILE): `.
    static func luraWrapper(in text: Substring) -> (Range<String.Index>, Int, Substring, String.Index)? {
        for marker in ["plugin #", "opening plugin "] {
            var from = text.startIndex
            while let r = text[from...].firstRange(of: marker) {
                from = r.upperBound
                let digits = text[r.upperBound...].prefix { $0.isASCII && $0.isNumber }
                guard !digits.isEmpty, let index = Int(digits), text[digits.endIndex...].hasPrefix(" (") else { continue }
                let pathStart = text.index(digits.endIndex, offsetBy: 2)
                guard let close = text[pathStart...].firstRange(of: "): ") else { continue }
                return (r.lowerBound..<close.upperBound, index, text[pathStart..<close.lowerBound], close.upperBound)
            }
        }
        return nil
    }

    struct Core {
        var kind: LogMessageKind
        var start: String.Index
        var end: String.Index
    }

    // MARK: the messages

    /// The message itself, after the wrappers. `wrapped`: a wrapper came before, so the
    /// message starts at `rest`'s start (an object path there is the whole of it).
    static func classify(_ rest: Substring, wrapped: Bool, values: inout ExplainedValues, context: MessageContext) -> Core? {
        if let c = goMessage(rest, values: &values) { return c }
        if let c = muslMessage(rest, wrapped: wrapped, values: &values) { return c }
        if let c = glibcMessage(rest, wrapped: wrapped, values: &values) { return c }
        if let c = runtimeMessage(rest) { return c }
        if !wrapped {
            // After KrakenD's loader tag, or as the whole input or a summary's line.
            if context.tagged, let tag = rest.firstRange(of: " Plugin] "), let c = scanError(rest[tag.upperBound...], values: &values) { return c }
            if context.alone || context.inSummary, let c = scanError(rest, values: &values) { return c }
        }
        return nil
    }

    /// Go's plugin package (plugin_dlopen.go), runtime (plugin.go) and lura's type check.
    static func goMessage(_ s: Substring, values: inout ExplainedValues) -> Core? {
        if let r = s.firstRange(of: "plugin was built with a different version of package ") {
            let pkg = token(s[r.upperBound...])
            guard !pkg.isEmpty else { return nil }
            values.package = String(pkg)
            values.standardLibrary = isStandardLibrary(String(pkg))
            return Core(kind: .fingerprintMismatch, start: r.lowerBound, end: pkg.endIndex)
        }
        for (marker, kind) in [("plugin already loaded", LogMessageKind.alreadyLoaded), ("plugin: not implemented", .notImplemented),
                               ("realpath failed", .realpathFailed)] {
            if let r = s.firstRange(of: marker) { return Core(kind: kind, start: r.lowerBound, end: r.upperBound) }
        }
        if let r = s.firstRange(of: "plugin: symbol "), let n = s[r.upperBound...].firstRange(of: " not found in plugin ") {
            values.symbol = String(s[r.upperBound..<n.lowerBound])
            let path = token(s[n.upperBound...])
            values.goPluginPath = String(path)
            return Core(kind: .symbolNotFound, start: r.lowerBound, end: path.endIndex)
        }
        if let r = s.firstRange(of: " plugin loader: unknown type") {
            let kind = tokenBefore(s[..<r.lowerBound])
            values.loaderKind = kind.isEmpty ? nil : String(kind)
            return Core(kind: .unknownType, start: kind.isEmpty ? r.lowerBound : kind.startIndex, end: r.upperBound)
        }
        if let r = s.firstRange(of: "could not find symbol "), let colon = s[r.upperBound...].firstRange(of: ": ") {
            values.symbol = String(s[r.upperBound..<colon.lowerBound])
            values.reason = String(s[colon.upperBound...])
            return Core(kind: .couldNotFindSymbol, start: r.lowerBound, end: s.endIndex)
        }
        return nil
    }

    /// musl's ldso/dynlink.c.
    static func muslMessage(_ s: Substring, wrapped: Bool, values: inout ExplainedValues) -> Core? {
        if let r = s.firstRange(of: "Error relocating ") {
            let body = s[r.upperBound...]
            if let t = lastRange(of: ": unsupported relocation type ", in: body) {
                values.object = String(body[..<t.lowerBound])
                let digits = body[t.upperBound...].prefix { $0.isASCII && $0.isNumber }
                values.relocationType = Int(digits)
                return Core(kind: .unsupportedRelocation, start: r.lowerBound, end: digits.endIndex)
            }
            if let t = lastRange(of: ": symbol not found", in: body), let sep = lastRange(of: ": ", in: body[..<t.lowerBound]) {
                values.object = String(body[..<sep.lowerBound])
                values.symbol = String(body[sep.upperBound..<t.lowerBound])
                return Core(kind: .muslSymbolNotFound, start: r.lowerBound, end: t.upperBound)
            }
            return nil
        }
        if let r = s.firstRange(of: "Dynamic loading not supported") {
            return Core(kind: .dynamicLoadingNotSupported, start: r.lowerBound, end: r.upperBound)
        }
        if let r = s.firstRange(of: "Error loading shared library ") {
            let body = s[r.upperBound...]
            guard let sep = body.firstRange(of: ": ") else { return nil }
            let object = body[..<sep.lowerBound]
            var reason = body[sep.upperBound...]
            var end = reason.endIndex
            if let needed = reason.firstRange(of: " (needed by ") {
                let by = reason[needed.upperBound...]
                let close = by.lastIndex(of: ")") ?? by.endIndex
                values.library = String(object)
                values.requiredBy = String(by[..<close])
                values.reason = String(reason[..<needed.lowerBound])
                return Core(kind: .missingLibrary, start: r.lowerBound, end: close < by.endIndex ? by.index(after: close) : close)
            }
            reason = trimmedEnd(reason)
            end = reason.endIndex
            values.object = String(object)
            values.reason = String(reason)
            let kind: LogMessageKind
            switch reason {
            case "Exec format error": kind = .execFormatError
            case "Is a directory": kind = .isADirectory
            case "Permission denied": kind = .permissionDenied
            default: kind = .cannotOpen
            }
            return Core(kind: kind, start: r.lowerBound, end: end)
        }
        return nil
    }

    /// glibc's elf/dl-load.c, dl-lookup.c, dl-version.c: `OBJECT: what`.
    static func glibcMessage(_ s: Substring, wrapped: Bool, values: inout ExplainedValues) -> Core? {
        /// The object named before `r` and where the message starts.
        func object(before r: Range<String.Index>) -> (Substring, String.Index) {
            let o = wrapped ? s[..<r.lowerBound] : tokenBefore(s[..<r.lowerBound])
            return (o, wrapped ? s.startIndex : o.startIndex)
        }
        if let r = s.firstRange(of: ": cannot open shared object file: ") {
            let (o, start) = object(before: r)
            let reason = trimmedEnd(s[r.upperBound...])
            values.object = String(o)
            values.reason = String(reason)
            let kind: LogMessageKind
            switch reason {
            case "No such file or directory":
                // realpath found the plugin, so dlopen's ENOENT for the plugin itself means
                // another CPU; for another name, a library the plugin needs is missing.
                kind = isThePlugin(String(o), values: values) ? .otherCPU : .missingLibrary
                if kind == .missingLibrary { values.library = String(o) }
            case "Permission denied": kind = .permissionDenied
            default: kind = .cannotOpen
            }
            return Core(kind: kind, start: start, end: reason.endIndex)
        }
        if let r = s.firstRange(of: ": wrong ELF class: ") {
            let (o, start) = object(before: r)
            let cls = token(s[r.upperBound...])
            values.object = String(o)
            values.elfClass = String(cls)
            return Core(kind: .wrongELFClass, start: start, end: cls.endIndex)
        }
        if let r = s.firstRange(of: ": ELF file data encoding not ") {
            let (o, start) = object(before: r)
            let order = token(s[r.upperBound...])
            values.object = String(o)
            return Core(kind: .byteOrder, start: start, end: order.endIndex)
        }
        if let r = s.firstRange(of: ": version `"), let q = s[r.upperBound...].firstRange(of: "' not found") {
            let (o, start) = object(before: r)
            values.library = String(o)
            values.requiredVersion = String(s[r.upperBound..<q.lowerBound])
            var end = q.upperBound
            if s[end...].hasPrefix(" (required by ") {
                let by = s[s.index(end, offsetBy: " (required by ".count)...]
                let close = by.firstIndex(of: ")") ?? by.endIndex
                values.requiredBy = String(by[..<close])
                end = close < by.endIndex ? by.index(after: close) : close
            }
            return Core(kind: .symbolVersionNotFound, start: start, end: end)
        }
        if let r = s.firstRange(of: ": symbol "), let v = s[r.upperBound...].firstRange(of: " version "),
           let d = s[v.upperBound...].firstRange(of: " not defined in file "), let w = s[d.upperBound...].firstRange(of: " with link time reference") {
            let (o, start) = object(before: r)
            values.requiredBy = String(o)
            values.symbol = String(s[r.upperBound..<v.lowerBound])
            values.requiredVersion = String(s[v.upperBound..<d.lowerBound])
            values.library = String(s[d.upperBound..<w.lowerBound])
            return Core(kind: .symbolVersionNotFound, start: start, end: w.upperBound)
        }
        if let r = s.firstRange(of: ": undefined symbol: ") {
            let (o, start) = object(before: r)
            let sym = token(s[r.upperBound...])
            values.object = String(o)
            values.symbol = String(sym)
            var end = sym.endIndex
            if s[end...].hasPrefix(", version ") {
                let v = token(s[s.index(end, offsetBy: ", version ".count)...])
                values.requiredVersion = String(v)
                end = v.endIndex
            }
            return Core(kind: .undefinedSymbol, start: start, end: end)
        }
        if let r = s.firstRange(of: ": cannot read file data: ") {
            let (o, start) = object(before: r)
            let reason = trimmedEnd(s[r.upperBound...])
            values.object = String(o)
            values.reason = String(reason)
            return Core(kind: reason == "Is a directory" ? .isADirectory : .cannotReadFile, start: start, end: reason.endIndex)
        }
        if let r = s.firstRange(of: ": cannot enable executable stack as shared object requires: ") {
            let (o, start) = object(before: r)
            let reason = trimmedEnd(s[r.upperBound...])
            values.object = String(o)
            values.reason = String(reason)
            return Core(kind: .executableStack, start: start, end: reason.endIndex)
        }
        let fixed: [(String, LogMessageKind)] = [
            (": invalid ELF header", .invalidELFHeader),
            (": file too short", .fileTooShort),
            (": cannot dynamically load position-independent executable", .positionIndependentExecutable),
            (": cannot dynamically load executable", .executable),
            (": only ET_DYN and ET_EXEC can be loaded", .notSharedObject),
            (": ELF file OS ABI invalid", .osABI),
            (": ELF file ABI version invalid", .osABI),
            (": ELF file version ABI invalid", .osABI),
        ]
        for (marker, kind) in fixed {
            guard let r = s.firstRange(of: marker) else { continue }
            let (o, start) = object(before: r)
            values.object = String(o)
            var kind = kind
            if kind == .invalidELFHeader, lastComponent(String(o)) == "libc.so", !namesMatch(String(o), values) {
                // glibc found its linker script /lib/<triplet>/libc.so for musl's `libc.so`.
                kind = .muslPluginOnGlibc
                values.library = String(o)
            }
            return Core(kind: kind, start: start, end: r.upperBound)
        }
        return nil
    }

    /// The runtime's throws and signals.
    static func runtimeMessage(_ s: Substring) -> Core? {
        let fatal: [(String, LogMessageKind)] = [
            ("runtime: no plugin module data", .noPluginModuleData),
            ("runtime: plugin has empty pluginpath", .emptyPluginPath),
            ("plugin: new module data overlaps with previous moduledata", .moduleDataOverlap),
            ("panic: runtime error: invalid memory address or nil pointer dereference", .crashInPluginOpen),
            ("fatal error: unexpected signal during runtime execution", .crashInPluginOpen),
            ("SIGSEGV: segmentation violation", .crashInPluginOpen),
            ("SIGILL: illegal instruction", .illegalInstruction),
        ]
        for (marker, kind) in fatal {
            guard let r = s.firstRange(of: marker) else { continue }
            var start = r.lowerBound
            let prefix = "fatal error: "
            if !marker.hasPrefix("fatal") && !marker.hasPrefix("panic"), s[..<start].hasSuffix(prefix) {
                start = s.index(start, offsetBy: -prefix.count)
            }
            if kind == .illegalInstruction || marker.hasPrefix("SIGSEGV"), s[..<start].hasSuffix("[signal ") {
                // `[signal SIGSEGV: ...]` belongs to a panic's dump; SIGILL stands for itself.
                if marker.hasPrefix("SIGSEGV") { return nil }
                start = s.index(start, offsetBy: -"[signal ".count)
            }
            return Core(kind: kind, start: start, end: r.upperBound)
        }
        return nil
    }

    /// lura's Scan failing (`ioutil.ReadDir`): `open DIR: reason`, `lstat PATH: reason`,
    /// `readdirent PATH: reason`, Go's lower-case errno texts. Only in context: the same shape
    /// is common outside plugin loading.
    static func scanError(_ s: Substring, values: inout ExplainedValues) -> Core? {
        let t = s.drop { $0 == " " || $0 == "\t" }
        for op in ["open ", "lstat ", "readdirent "] where t.hasPrefix(op) {
            let body = t.dropFirst(op.count)
            guard let sep = lastRange(of: ": ", in: body) else { return nil }
            let reason = trimmedEnd(body[sep.upperBound...])
            guard !reason.isEmpty, reason.allSatisfy({ ($0.isLetter && $0.isLowercase) || $0 == " " || $0 == "/" }) else { return nil }
            values.folder = String(body[..<sep.lowerBound])
            values.reason = String(reason)
            return Core(kind: .folderUnreadable, start: t.startIndex, end: reason.endIndex)
        }
        return nil
    }

    // MARK: helpers

    /// Whether the dynamic loader's object is the plugin itself: its file name is the one
    /// plugin.Open was given (with or without `.so`), or it is a path (Go hands dlopen the real
    /// path, while glibc names a missing library as its DT_NEEDED entry says, without a
    /// directory) that does not look like a library's.
    static func isThePlugin(_ object: String, values: ExplainedValues) -> Bool {
        if namesMatch(object, values) { return true }
        return object.contains("/") && !looksLikeALibrary(object)
    }

    static func namesMatch(_ object: String, _ values: ExplainedValues) -> Bool {
        let o = bareName(object)
        return values.fileNames.contains { bareName($0) == o }
    }

    /// `libssl.so.3`, `libc.musl-x86_64.so.1`: a versioned library name, not a plugin.
    static func looksLikeALibrary(_ path: String) -> Bool {
        let name = lastComponent(path)
        return name.hasPrefix("lib") && (name.contains(".so.") || name.hasPrefix("ld-"))
    }

    static func lastComponent(_ path: String) -> String {
        String(path.split(separator: "/", omittingEmptySubsequences: false).last ?? Substring(path))
    }

    /// The file name without a trailing `.so`: how plugin.Open's name and the real path compare.
    static func bareName(_ path: String) -> String {
        let name = lastComponent(path)
        return name.hasSuffix(".so") ? String(name.dropLast(3)) : name
    }

    /// Standard library packages have no dot in their first path element.
    static func isStandardLibrary(_ package: String) -> Bool {
        !(package.split(separator: "/").first?.contains(".") ?? false)
    }

    /// A path or name: up to white space or a character that ends a quoted log field.
    static func token(_ s: Substring) -> Substring {
        var t = s.prefix { !$0.isWhitespace && !"\"'`,;}]".contains($0) }
        while let last = t.last, ".:".contains(last) { t = t.dropLast() }
        return t
    }

    /// The word right before the end of `s`.
    static func tokenBefore(_ s: Substring) -> Substring {
        var start = s.endIndex
        while start > s.startIndex {
            let prev = s.index(before: start)
            if s[prev].isWhitespace || "\"'`=([".contains(s[prev]) { break }
            start = prev
        }
        return s[start...]
    }

    static func trimmedEnd(_ s: Substring) -> Substring {
        var t = s
        while let last = t.last, last.isWhitespace || "\"'`,;}".contains(last) { t = t.dropLast() }
        return t
    }

    static func lastRange(of marker: String, in s: Substring) -> Range<String.Index>? {
        var found: Range<String.Index>?
        var from = s.startIndex
        while let r = s[from...].firstRange(of: marker) {
            found = r
            from = s.index(after: r.lowerBound)
        }
        return found
    }
}
