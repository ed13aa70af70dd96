import Foundation

/// A JSON value that keeps the order of object keys.
///
/// AWS's payloads (Lambda proxy events, error objects, execution-log bodies) are compared and printed
/// byte for byte, so key order and the distinction between integers and floats must survive a round trip.
/// Foundation's `JSONSerialization` keeps neither, hence this small type.
public enum JSONValue: Sendable, Equatable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public static func obj(_ pairs: KeyValuePairs<String, JSONValue>) -> JSONValue {
        .object(JSONObject(pairs.map { ($0.key, $0.value) }))
    }

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var objectValue: JSONObject? { if case .object(let o) = self { return o } else { return nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d == d.rounded() && abs(d) < 1e15: return Int(d)
        default: return nil
        }
    }

    /// Member lookup for objects (nil for other kinds or a missing key).
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// A short name of the kind, for error messages ("expected an object, found a string").
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "an object"
        }
    }
}

/// An ordered JSON object. Lookup is linear, which is fine for the small objects gateways deal with.
public struct JSONObject: Sendable, Equatable, Hashable, Sequence {
    public private(set) var pairs: [(key: String, value: JSONValue)]

    public init() { pairs = [] }
    public init(_ pairs: [(String, JSONValue)]) { self.pairs = pairs.map { (key: $0.0, value: $0.1) } }

    public var keys: [String] { pairs.map(\.key) }
    public var count: Int { pairs.count }
    public var isEmpty: Bool { pairs.isEmpty }

    public subscript(key: String) -> JSONValue? {
        get { pairs.last(where: { $0.key == key })?.value }
        set {
            if let i = pairs.lastIndex(where: { $0.key == key }) {
                if let newValue { pairs[i].value = newValue } else { pairs.remove(at: i) }
            } else if let newValue {
                pairs.append((key: key, value: newValue))
            }
        }
    }

    public func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> { pairs.makeIterator() }

    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        a.pairs.count == b.pairs.count && zip(a.pairs, b.pairs).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    public func hash(into h: inout Hasher) {
        for p in pairs { h.combine(p.key); h.combine(p.value) }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByNilLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(elements)) }
}

// MARK: - Serialisation

public enum JSONStyle: Sendable {
    /// `{"a":1,"b":[1,2]}` — what JavaScript's `JSON.stringify` and most AWS services emit.
    case compact
    /// `{"a": 1, "b": [1, 2]}` — Python's `json.dumps` default, which Python Lambda functions emit.
    case spaced
}

extension JSONValue {
    public func serialized(_ style: JSONStyle = .compact) -> String {
        var out = ""
        write(to: &out, style: style)
        return out
    }

    func write(to out: inout String, style: JSONStyle) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += JSONValue.format(d)
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let a):
            out += "["
            for (i, v) in a.enumerated() {
                if i > 0 { out += style == .compact ? "," : ", " }
                v.write(to: &out, style: style)
            }
            out += "]"
        case .object(let o):
            out += "{"
            for (i, p) in o.pairs.enumerated() {
                if i > 0 { out += style == .compact ? "," : ", " }
                JSONValue.writeString(p.key, to: &out)
                out += style == .compact ? ":" : ": "
                p.value.write(to: &out, style: style)
            }
            out += "}"
        }
    }

    static func format(_ d: Double) -> String {
        if d.isNaN || d.isInfinite { return "null" }
        if d == d.rounded() && abs(d) < 1e16 { return String(format: "%.1f", d) }
        return "\(d)"
    }

    public static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if u.value < 0x20 {
                    out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }

    /// A JSON string literal for `s` (with the quotes).
    public static func quoted(_ s: String) -> String {
        var out = ""
        writeString(s, to: &out)
        return out
    }
}

extension JSONValue {
    /// Follows path components (keys and list indexes); keys match exactly, else, with `caseInsensitiveKeys`,
    /// ignoring case (header names).
    public func at(_ components: [String], caseInsensitiveKeys: Bool = false) -> JSONValue? {
        var cur = self
        for c in components {
            switch cur {
            case .object(let o):
                if let n = o[c] { cur = n }
                else if caseInsensitiveKeys, let k = o.keys.first(where: { $0.caseInsensitiveCompare(c) == .orderedSame }) { cur = o[k]! }
                else { return nil }
            case .array(let a):
                guard let i = Int(c), a.indices.contains(i) else { return nil }
                cur = a[i]
            default:
                return nil
            }
        }
        return cur
    }

    /// Splits a simple path — `a.b[0].c`, `$.a['x-y']`, `["x.y"]` — into its keys and indexes.
    /// Used by `expect body.PATH`, `inspect PATH` and the conformance runner's `ignore` paths.
    public static func pathComponents(_ path: String) -> [String] {
        var s = Substring(path)
        if s.hasPrefix("$") { s = s.dropFirst() }
        var out: [String] = []
        var cur = ""
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c == "." {
                if !cur.isEmpty { out.append(cur); cur = "" }
            } else if c == "[", let close = s[i...].firstIndex(of: "]") {
                if !cur.isEmpty { out.append(cur); cur = "" }
                var inner = String(s[s.index(after: i)..<close])
                if inner.count >= 2, inner.first == inner.last, inner.first == "\"" || inner.first == "'" {
                    inner = String(inner.dropFirst().dropLast())
                }
                out.append(inner)
                i = close
            } else {
                cur.append(c)
            }
            i = s.index(after: i)
        }
        if !cur.isEmpty { out.append(cur) }
        return out
    }
}
