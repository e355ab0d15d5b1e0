import Foundation
import TOMLKit
import Yams

/// What a KrakenD configuration file says about plugins: where KrakenD looks for them
/// (`plugin.folder`, `plugin.pattern`) and which plugin names each part of the configuration
/// asks for, read the way KrakenD CE (lura v2 and v3) reads them.
public struct KrakenDConfiguration: Sendable {
    public enum Format: String, Sendable, Codable {
        case json, yaml, toml
    }

    public var path: String
    public var format: Format
    /// `version`; lura refuses anything but 3.
    public var version: Int?
    /// The `plugin` section; nil when absent (KrakenD then loads no plugin).
    public var plugin: PluginSection?
    /// Every plugin name the configuration asks for, in the order lura reads them: the
    /// service, then each endpoint and its backends, then each async agent's backends.
    public var declarations: [Declaration]

    public struct PluginSection: Sendable, Equatable {
        public var folder: String
        public var pattern: String
    }

    /// One plugin name asked for under one namespace.
    public struct Declaration: Sendable, Equatable, Codable {
        public var namespace: PluginNamespace
        /// The key as written (the alias or lura's long name).
        public var key: String
        /// The name; for an ignored value of the wrong type, its JSON text.
        public var name: String
        /// Where: `service`, `endpoints[0]`, `endpoints[0].backend[1]`, `async_agent[0].backend[0]`.
        public var location: String
        /// Nil when KrakenD reads it; otherwise why it does not.
        public var ignored: IgnoredBecause?
    }

    /// Why KrakenD does not read a declaration.
    public enum IgnoredBecause: String, Sendable, Codable {
        /// That plugin kind is read at other levels of the configuration.
        case level
        /// The `name` value has a type the kind does not read (a list for `plugin/http-client`,
        /// a string for `plugin/req-resp-modifier`...).
        case nameType = "name-type"
        /// A list item that is not a string.
        case itemType = "item-type"
        /// The namespace's value is not an object.
        case notAnObject = "not-an-object"
        /// lura's long name when the alias is present too: the alias replaces it.
        case aliasWins = "alias-wins"
        /// `plugin/middleware`: read by KrakenD Enterprise only.
        case edition
    }

    /// Why a configuration cannot be used.
    public struct ReadError: Error, Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var line: Int?
        public var column: Int?
        public var reason: String
        public var description: String {
            var s = path
            if let line { s += ":\(line)" }
            if let column { s += ":\(column)" }
            return s + ": " + reason
        }
    }

    /// Reads and parses `path`; the format comes from the file name's extension, as KrakenD
    /// decides it (`.json`, `.yaml`/`.yml`, `.toml`).
    public static func read(path: String) throws(ReadError) -> KrakenDConfiguration {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ReadError(path: path, reason: Self.ioReason(path, error))
        }
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        let format: Format
        switch ext {
        case "json": format = .json
        case "yaml", "yml": format = .yaml
        case "toml": format = .toml
        default: throw ReadError(path: path, reason: "unknown configuration format \".\(ext)\" (KrakenD reads .json, .yaml, .yml and .toml)")
        }
        return try parse(data, path: path, format: format)
    }

    /// Parses configuration text of a known format.
    public static func parse(_ data: Data, path: String, format: Format) throws(ReadError) -> KrakenDConfiguration {
        let root = try tree(data, path: path, format: format)
        guard root.isObject else { throw ReadError(path: path, reason: "the configuration is not an object") }
        var config = KrakenDConfiguration(path: path, format: format, version: nil, plugin: nil, declarations: [])
        if case .number(let v)? = root[field: "version"] { config.version = Int(exactly: v) }
        if let p = root[field: "plugin"] {
            config.plugin = PluginSection(folder: p[field: "folder"]?.string ?? "", pattern: p[field: "pattern"]?.string ?? "")
        }
        config.declarations = Self.declarations(in: root)
        return config
    }

    /// A document of another file plugincheck reads (a host-expectations file) as a tree, with
    /// the same parse errors (line and column) a configuration gets.
    public static func document(_ text: String, path: String, format: Format) throws(ReadError) -> ConfigValue {
        try tree(Data(text.utf8), path: path, format: format)
    }

    static func tree(_ data: Data, path: String, format: Format) throws(ReadError) -> ConfigValue {
        let text = String(decoding: data, as: UTF8.self)
        switch format {
        case .json:
            do {
                return ConfigValue.from(try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]))
            } catch {
                throw jsonError(error, text: text, path: path)
            }
        case .yaml:
            do {
                return ConfigValue.from(try Yams.load(yaml: text))
            } catch let error as YamlError {
                throw yamlError(error, path: path)
            } catch {
                throw ReadError(path: path, reason: "\(error)")
            }
        case .toml:
            if let bad = TOMLHeaderCheck.firstBadHeader(text) {
                throw ReadError(path: path, line: bad.line, column: bad.column, reason: "Error while parsing table header: expected a key, saw \(bad.found)")
            }
            do {
                return ConfigValue.from(try TOMLTable(string: text))
            } catch let error as TOMLParseError {
                throw ReadError(path: path, line: error.source.begin.line, column: error.source.begin.column, reason: error.description)
            } catch {
                throw ReadError(path: path, reason: "\(error)")
            }
        }
    }

    // MARK: Declarations

    static func declarations(in root: ConfigValue) -> [Declaration] {
        var out: [Declaration] = []
        if let ec = root[field: "extra_config"] { out += declared(ec, level: .service, location: "service") }
        for (i, endpoint) in (root[field: "endpoints"]?.list ?? []).enumerated() {
            if let ec = endpoint[field: "extra_config"] { out += declared(ec, level: .endpoint, location: "endpoints[\(i)]") }
            for (j, backend) in (endpoint[field: "backend"]?.list ?? []).enumerated() {
                if let ec = backend[field: "extra_config"] { out += declared(ec, level: .backend, location: "endpoints[\(i)].backend[\(j)]") }
            }
        }
        for (i, agent) in (root[field: "async_agent"]?.list ?? []).enumerated() {
            for (j, backend) in (agent[field: "backend"]?.list ?? []).enumerated() {
                if let ec = backend[field: "extra_config"] { out += declared(ec, level: .backend, location: "async_agent[\(i)].backend[\(j)]") }
            }
        }
        return out
    }

    /// One `extra_config`, in KrakenD's namespace order, each alias before its long name.
    static func declared(_ ec: ConfigValue, level: PluginNamespace.Level, location: String) -> [Declaration] {
        var out: [Declaration] = []
        for ns in PluginNamespace.allCases {
            for key in [ns.rawValue] + (ns.luraName.map { [$0] } ?? []) {
                guard let raw = ec[exact: key] else { continue }
                if key == ns.luraName, ec[exact: ns.rawValue] != nil {
                    out.append(Declaration(namespace: ns, key: key, name: jsonText(raw), location: location, ignored: .aliasWins))
                    continue
                }
                out += declared(ns, key: key, raw, level: level, location: location)
            }
        }
        return out
    }

    static func declared(_ ns: PluginNamespace, key: String, _ raw: ConfigValue, level: PluginNamespace.Level, location: String) -> [Declaration] {
        func ignored(_ text: String, _ why: IgnoredBecause) -> Declaration {
            Declaration(namespace: ns, key: key, name: text, location: location, ignored: why)
        }
        guard raw.isObject else { return [ignored(jsonText(raw), .notAnObject)] }
        var out: [Declaration] = []
        var names: [String] = []
        switch raw[exact: "name"] {
        case .string(let s)?:
            guard ns.readsString else { return [ignored(jsonText(.string(s)), .nameType)] }
            names = [s]
        case .list(let items)?:
            guard ns.readsList else { return [ignored(jsonText(.list(items)), .nameType)] }
            for item in items {
                if case .string(let s) = item { names.append(s) } else { out.append(ignored(jsonText(item), .itemType)) }
            }
        case let other:
            return [ignored(other.map(jsonText) ?? "-", .nameType)]
        }
        for name in names {
            let why: IgnoredBecause? = ns == .middleware ? .edition : (ns.levels.contains(level) ? nil : .level)
            out.append(Declaration(namespace: ns, key: key, name: name, location: location, ignored: why))
        }
        return out
    }

    /// Go's `json.Marshal` of a decoded value (object keys sorted), for values shown as written.
    static func jsonText(_ v: ConfigValue) -> String {
        switch v {
        case .string(let s):
            let data = (try? JSONSerialization.data(withJSONObject: [s], options: [.withoutEscapingSlashes])) ?? Data()
            let list = String(decoding: data, as: UTF8.self)
            return String(list.dropFirst().dropLast())
        case .number(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .list(let items): return "[" + items.map(jsonText).joined(separator: ",") + "]"
        case .object(let entries):
            return "{" + entries.sorted { $0.key < $1.key }.map { jsonText(.string($0.key)) + ":" + jsonText($0.value) }.joined(separator: ",") + "}"
        }
    }

    // MARK: Errors with their place

    static func ioReason(_ path: String, _ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        switch ns.code {
        case NSFileReadNoSuchFileError: return "No such file or directory"
        case NSFileReadNoPermissionError: return "Permission denied"
        default: return ns.localizedDescription
        }
    }

    /// JSONSerialization says "around character N" (a byte offset); turn it into a line and
    /// column, counted from 1 as editors do.
    static func jsonError(_ error: Error, text: String, path: String) -> ReadError {
        let message = ((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String) ?? "\(error)"
        let bytes = Array(text.utf8)
        var offset = bytes.count
        if let r = message.range(of: "character "), let n = Int(message[r.upperBound...].prefix { $0.isNumber }) {
            offset = min(n, bytes.count)
        }
        var line = 1, column = 1
        for b in bytes[..<offset] {
            if b == UInt8(ascii: "\n") { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
        }
        return ReadError(path: path, line: line, column: column, reason: "invalid JSON: " + message)
    }

    static func yamlError(_ error: YamlError, path: String) -> ReadError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return ReadError(path: path, line: mark.line, column: mark.column, reason: "invalid YAML: " + problem)
        default:
            return ReadError(path: path, reason: "invalid YAML: \(error)")
        }
    }
}
