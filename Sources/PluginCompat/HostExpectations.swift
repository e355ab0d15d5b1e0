import GoModules
import KrakenDConfig

/// What a host other than KrakenD does with a plugin's symbols after `plugin.Open`, declared in a
/// small JSON file (`--host-expectations FILE`, schema in docs/checks/registerer-interface.md):
/// per symbol it looks up, the methods of the interface it type-asserts the value to, or the
/// exact type (Tyk asserts an exported function's func type), with types as Go's runtime prints
/// them. It replaces lura's built-in interfaces, for every symbol it names.
///
/// A file that cannot be read, does not parse, or names nothing is an input error: a check the
/// user asked for cannot be made, so no report passes without it.
public struct HostExpectations: Sendable, Equatable {
    /// The file, as given.
    public var path: String
    /// How findings name the host (`"host"`; `the host` when absent).
    public var host: String
    public var expectations: [RegistererExpectation]

    /// A description of a few symbols, not data: anything larger is not such a file.
    static let sizeLimit = 1 << 20

    static let rootKeys = ["host", "symbols"]
    static let symbolKeys = ["name", "methods", "type", "optional", "error"]
    static let methodKeys = ["name", "type"]
    static let optionalKeys = ["name", "type", "gives"]

    public static func read(path: String) throws(CompareReport.InputError) -> HostExpectations {
        switch SourceFile.read(path, limit: sizeLimit) {
        case .failure(.tooLarge(let n)):
            throw .init(path: path, reason: "too large for a host-expectations file (\(n) bytes; at most \(sizeLimit))")
        case .failure(let e):
            throw .init(path: path, reason: e.description)
        case .success(let text):
            return try parse(text, path: path)
        }
    }

    public static func parse(_ text: String, path: String) throws(CompareReport.InputError) -> HostExpectations {
        let root: ConfigValue
        do {
            root = try KrakenDConfiguration.document(text, path: path, format: .json)
        } catch {
            throw .init(path: path, reason: error.reason, line: error.line, column: error.column)
        }
        func fail(_ reason: String) -> CompareReport.InputError { .init(path: path, reason: reason) }
        try checkKeys(root, rootKeys, "the document", path)
        guard let symbols = root[exact: "symbols"]?.list, !symbols.isEmpty else {
            throw fail("names no symbol: want {\"symbols\": [{\"name\": ..., \"methods\": [...]} or {\"name\": ..., \"type\": ...}]}")
        }
        let host = try nonEmpty(root[exact: "host"], "host", path) ?? "the host"
        var expectations: [RegistererExpectation] = []
        for (i, s) in symbols.enumerated() {
            let at = "symbols[\(i)]"
            try checkKeys(s, symbolKeys, at, path)
            guard let name = s[exact: "name"]?.string, isExported(name) else {
                throw fail("\(at): \"name\" is not an exported Go name (Lookup finds only those)")
            }
            guard !expectations.contains(where: { $0.symbol == name }) else { throw fail("\(at): \(name) is named twice") }
            let methods = try methodList(s[exact: "methods"], "\(at).methods", methodKeys, path).map { RegistererExpectation.Method(name: $0.name, type: $0.type) }
            let type = try nonEmpty(s[exact: "type"], "\(at).type", path)
            guard !methods.isEmpty || type != nil else {
                throw fail("\(at) (\(name)) asserts nothing: give \"methods\" (a non-empty list) or \"type\"")
            }
            let extras = try methodList(s[exact: "optional"], "\(at).optional", optionalKeys, path).map {
                RegistererExpectation.Extra(method: $0.name, methodType: $0.type, gives: $0.gives ?? "\($0.name) call")
            }
            let error = try nonEmpty(s[exact: "error"], "\(at).error", path)
            expectations.append(.init(symbol: name, methods: methods, type: type, unknownType: error, extras: extras,
                                      host: host, interface: "as \(path) describes \(name)"))
        }
        return HostExpectations(path: path, host: host, expectations: expectations)
    }

    /// An unknown key is refused rather than ignored: a misspelled `"methods"` would otherwise
    /// assert less than the user wrote.
    static func checkKeys(_ v: ConfigValue, _ allowed: [String], _ at: String, _ path: String) throws(CompareReport.InputError) {
        guard case .object(let entries) = v else { throw .init(path: path, reason: "\(at) is not an object") }
        if let k = entries.first(where: { !allowed.contains($0.key) }) {
            throw .init(path: path, reason: "\(at): unknown key \"\(k.key)\" (known: \(allowed.joined(separator: ", ")))")
        }
    }

    /// A list of methods, each `{"name": ..., "type": "func(...)"}`; an absent list is empty.
    static func methodList(_ v: ConfigValue?, _ at: String, _ keys: [String], _ path: String) throws(CompareReport.InputError)
        -> [(name: String, type: String, gives: String?)] {
        guard let v else { return [] }
        guard let list = v.list else { throw .init(path: path, reason: "\(at) is not a list") }
        var result: [(name: String, type: String, gives: String?)] = []
        for (i, m) in list.enumerated() {
            let here = "\(at)[\(i)]"
            try checkKeys(m, keys, here, path)
            // The type descriptors list exported methods only, as reflect does: an unexported
            // one could never be found, and every plugin would be predicted to fail.
            guard let name = m[exact: "name"]?.string, isExported(name) else {
                throw .init(path: path, reason: "\(here): \"name\" is not an exported method name")
            }
            // A method's type as reflect prints it, receiver left out, is always a func type.
            guard let type = m[exact: "type"]?.string, type.hasPrefix("func(") else {
                throw .init(path: path, reason: "\(here) (\(name)): \"type\" is not a func type as Go's runtime prints it (func(...))")
            }
            result.append((name, type, try nonEmpty(m[exact: "gives"], "\(here).gives", path)))
        }
        return result
    }

    /// An optional field that must be a non-empty string when present.
    static func nonEmpty(_ v: ConfigValue?, _ at: String, _ path: String) throws(CompareReport.InputError) -> String? {
        guard let v else { return nil }
        guard let s = v.string, !s.isEmpty else { throw .init(path: path, reason: "\(at): not a non-empty string") }
        return s
    }

    /// A Go identifier starting with an upper-case ASCII letter (what package main can export).
    static func isExported(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, ("A"..."Z").contains(first) else { return false }
        return s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}

extension CompareReport.InputError: Error {}
