import Foundation
import GatewayModel

/// The comparison rules of the conformance README ("expect", "Placeholders"): structural JSON equality,
/// `<name>` / `<name:N>` placeholders that match any non-null scalar and must match the same value
/// everywhere in one case, header subsets, ordered log lines.
struct CaseComparison {
    var bindings: [String: String] = [:]
    var diffs: [String] = []

    static func isPlaceholder(_ s: String) -> Bool {
        s.count > 2 && s.hasPrefix("<") && s.hasSuffix(">") && !s.dropFirst().dropLast().contains(where: { $0 == "<" || $0 == ">" || $0 == "\n" })
    }

    static func scalarText(_ v: JSONValue) -> String? {
        switch v {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return JSONValue.double(d).serialized()
        case .bool(let b): return b ? "true" : "false"
        default: return nil
        }
    }

    /// Placeholder binding: the same name must always stand for the same value.
    mutating func bind(_ placeholder: String, _ value: String, at path: String) {
        if let bound = bindings[placeholder], bound != value {
            diffs.append("\(path): placeholder \(placeholder) stood for \(JSONValue.quoted(bound)) elsewhere, here \(JSONValue.quoted(value))")
        } else {
            bindings[placeholder] = value
        }
    }

    mutating func json(expected e: JSONValue, actual a: JSONValue?, path: String) {
        guard let a else {
            diffs.append("\(path): missing (expected \(e.serialized()))")
            return
        }
        if case .string(let s) = e, Self.isPlaceholder(s) {
            guard let text = Self.scalarText(a) else {
                diffs.append("\(path): expected any value (\(s)), got \(a.serialized())")
                return
            }
            bind(s, text, at: path)
            return
        }
        switch (e, a) {
        case (.object(let eo), .object(let ao)):
            for (k, ev) in eo { json(expected: ev, actual: ao[k], path: path + "." + k) }
            for k in ao.keys where eo[k] == nil {
                diffs.append("\(path).\(k): unexpected key (got \(ao[k]!.serialized()))")
            }
        case (.array(let ea), .array(let aa)):
            if ea.count != aa.count {
                diffs.append("\(path): expected \(ea.count) elements, got \(aa.count): \(a.serialized())")
                return
            }
            for (i, (ev, av)) in zip(ea, aa).enumerated() { json(expected: ev, actual: av, path: "\(path)[\(i)]") }
        case (.int, .double), (.double, .int), (.double, .double):
            let x = e.doubleValue, y = a.doubleValue
            if x != y { diffs.append("\(path): expected \(e.serialized()), got \(a.serialized())") }
        default:
            if e != a { diffs.append("\(path): expected \(e.serialized()), got \(a.serialized())") }
        }
    }

    /// A header value: exact, or a placeholder for any value.
    mutating func text(expected e: String, actual a: String?, path: String) {
        guard let a else {
            diffs.append("\(path): missing (expected \(JSONValue.quoted(e)))")
            return
        }
        if Self.isPlaceholder(e) { bind(e, a, at: path); return }
        if e != a { diffs.append("\(path): expected \(JSONValue.quoted(e)), got \(JSONValue.quoted(a))") }
    }

    /// Log lines in order, other lines allowed between; `<name>` inside a line matches any text without a line break.
    mutating func log(expected: [String], actual: [String]) {
        var i = 0
        for e in expected {
            let re = Self.lineRegex(e)
            while i < actual.count, !Self.wholeMatch(re, actual[i]) { i += 1 }
            if i == actual.count {
                diffs.append("log: line not found (in order): \(e)\n  log was:\n" + actual.map { "    " + $0 }.joined(separator: "\n"))
                return
            }
            i += 1
        }
    }

    static func lineRegex(_ line: String) -> NSRegularExpression? {
        var pattern = ""
        var rest = Substring(line)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">"),
              !rest[rest.index(after: open)..<close].contains(where: { $0 == "<" || $0 == " " }) {
            pattern += NSRegularExpression.escapedPattern(for: String(rest[..<open])) + "[^\\n]*"
            rest = rest[rest.index(after: close)...]
        }
        pattern += NSRegularExpression.escapedPattern(for: String(rest))
        return try? NSRegularExpression(pattern: "^" + pattern + "$")
    }

    static func wholeMatch(_ re: NSRegularExpression?, _ s: String) -> Bool {
        guard let re else { return false }
        return re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
    }
}

extension JSONValue {
    var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// Removes the value at a simple JSONPath (`$.a.b`, `$.a['x-y']`, `$.a[0]`) relative to this value.
    func removing(path components: ArraySlice<String>) -> JSONValue {
        guard let first = components.first else { return self }
        switch self {
        case .object(var o):
            if components.count == 1 { o[first] = nil; return .object(o) }
            if let child = o[first] { o[first] = child.removing(path: components.dropFirst()) }
            return .object(o)
        case .array(var a):
            guard let i = Int(first), a.indices.contains(i) else { return self }
            if components.count == 1 { a.remove(at: i); return .array(a) }
            a[i] = a[i].removing(path: components.dropFirst())
            return .array(a)
        default:
            return self
        }
    }

}
