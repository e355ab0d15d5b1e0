import Foundation
import TOMLKit

/// A configuration document as a tree, whichever format it was written in.
public indirect enum ConfigValue: Sendable, Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case list([ConfigValue])
    /// Keys in the order the document gives them.
    case object([(key: String, value: ConfigValue)])

    public static func == (a: ConfigValue, b: ConfigValue) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.null, .null): return true
        case (.list(let x), .list(let y)): return x == y
        case (.object(let x), .object(let y)): return x.map(\.key) == y.map(\.key) && x.map(\.value) == y.map(\.value)
        default: return false
        }
    }

    /// The value of `key`, spelled exactly.
    public subscript(exact key: String) -> ConfigValue? {
        guard case .object(let entries) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }

    /// The value of a struct field: KrakenD decodes its configuration into Go structs
    /// (mapstructure), which match field names without regard to case.
    public subscript(field name: String) -> ConfigValue? {
        guard case .object(let entries) = self else { return nil }
        return entries.first { $0.key == name }?.value ?? entries.first { $0.key.lowercased() == name.lowercased() }?.value
    }

    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var list: [ConfigValue]? {
        if case .list(let l) = self { return l }
        return nil
    }

    public var isObject: Bool {
        if case .object = self { return true }
        return false
    }

    /// From what JSONSerialization or Yams returns.
    static func from(_ any: Any?) -> ConfigValue {
        switch any {
        case nil, is NSNull: return .null
        case let s as String: return .string(s)
        case let n as NSNumber:
            // JSONSerialization gives booleans as NSNumber too, of type "c".
            if String(cString: n.objCType) == "c", any is Bool { return .bool(n.boolValue) }
            return .number(n.doubleValue)
        case let b as Bool: return .bool(b)
        case let i as Int: return .number(Double(i))
        case let d as Double: return .number(d)
        case let a as [Any]: return .list(a.map { from($0) })
        case let a as [Any?]: return .list(a.map { from($0) })
        case let m as [String: Any]: return .object(m.keys.sorted().map { ($0, from(m[$0])) })
        case let m as [AnyHashable: Any]:
            return .object(m.keys.map { "\($0.base)" }.sorted().map { k in (k, from(m.first { "\($0.key.base)" == k }?.value)) })
        default: return .string("\(any!)")
        }
    }

    /// From a TOML table.
    static func from(_ node: TOMLValueConvertible) -> ConfigValue {
        if let t = node.table {
            return .object(t.keys.sorted().map { k in (k, t[k].map { from($0) } ?? .null) })
        }
        if let a = node.array { return .list(a.map { from($0) }) }
        if let s = node.string { return .string(s) }
        if let b = node.bool { return .bool(b) }
        if let i = node.int { return .number(Double(i)) }
        if let d = node.double { return .number(d) }
        return .string("\(node)")
    }
}
