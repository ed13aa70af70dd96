import Foundation

// A Swift reimplementation of the vtl-oracle's context objects (shared/tools/vtl-oracle/VtlOracle.java):
// `$input`, `$util`, `$context`, `$stageVariables` and extra `vars`, built from a case's `input` JSON.
// These are the oracle's approximations of API Gateway, used to run the recorded Velocity cases;
// they are not the gateway's own implementation of $input/$util/$context.

public enum OracleJSONError: Error, Sendable {
    case invalid(String)
}

/// JSON text <-> VelocityValue with Jackson's conventions: objects keep key order (LinkedHashMap),
/// integers are Integer/Long/BigInteger by size, decimals are Double; output is compact.
public enum OracleJSON {
    public static func parse(_ text: String) throws(OracleJSONError) -> VelocityValue {
        var p = JSONReader(bytes: Array(text.utf8))
        p.skipWS()
        let v = try p.value()
        p.skipWS()
        guard p.i == p.bytes.count else { throw .invalid("trailing characters at offset \(p.i)") }
        return v
    }

    public static func serialize(_ v: VelocityValue) -> String {
        serializeChecked(v) ?? Rendering.tooDeep
    }

    /// The JSON text, or nil when the value nests deeper than the printing bound or the text grows past the
    /// string bound (a structure that refers to itself, possibly many times over).
    public static func serializeChecked(_ v: VelocityValue) -> String? {
        var out = ""
        return write(v, &out, depth: 0) ? out : nil
    }

    @discardableResult
    static func write(_ v: VelocityValue, _ out: inout String, depth: Int = 0) -> Bool {
        guard depth <= Rendering.maxDepth, out.utf8.count <= Limits.maxStringBytes else { return false }
        switch v {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int, .bigInt, .double: out += Rendering.javaString(v)
        case .string(let s): quote(s, &out)
        case .list(let l):
            out += "["
            for (i, e) in l.items.enumerated() {
                if i > 0 { out += "," }
                guard write(e, &out, depth: depth + 1) else { return false }
            }
            out += "]"
        case .map(let m):
            out += "{"
            for (i, (k, e)) in zip(m.orderedKeys, m.orderedValues).enumerated() {
                if i > 0 { out += "," }
                quote(Rendering.javaString(k), &out)
                out += ":"
                guard write(e, &out, depth: depth + 1) else { return false }
            }
            out += "}"
        case .object(let o): quote(o.velocityString, &out)
        }
        return true
    }

    /// Jackson's string escaping, as the oracle's JSON output has it: like `JSONValue.writeString` except that
    /// control characters get upper-case hex (`\u001F`), so the two are kept apart on purpose.
    static func quote(_ s: String, _ out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{8}": out += "\\b"
            case "\u{c}": out += "\\f"
            default:
                if u.value < 0x20 {
                    out += "\\u00" + (u.value < 0x10 ? "0" : "") + String(u.value, radix: 16, uppercase: true)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}

struct JSONReader {
    let bytes: [UInt8]
    var i = 0
    /// Nesting bound: deeper documents are refused rather than recursed into (the stack is finite).
    var depth = 0
    static let maxDepth = 512

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func skipWS() {
        while i < bytes.count, bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 10 || bytes[i] == 13 { i += 1 }
    }

    mutating func value() throws(OracleJSONError) -> VelocityValue {
        guard i < bytes.count else { throw .invalid("unexpected end of JSON") }
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw .invalid("nesting deeper than \(Self.maxDepth) levels") }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            let m = VelocityMap()
            skipWS()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .map(m) }
            while true {
                skipWS()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw .invalid("expected a key at offset \(i)") }
                let k = try string()
                skipWS()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw .invalid("expected ':' at offset \(i)") }
                i += 1
                skipWS()
                m.put(.string(k), try value())
                skipWS()
                guard i < bytes.count else { throw .invalid("unterminated object") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .map(m) }
                throw .invalid("expected ',' or '}' at offset \(i)")
            }
        case UInt8(ascii: "["):
            i += 1
            var items: [VelocityValue] = []
            skipWS()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .list(VelocityList(items)) }
            while true {
                skipWS()
                items.append(try value())
                skipWS()
                guard i < bytes.count else { throw .invalid("unterminated array") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .list(VelocityList(items)) }
                throw .invalid("expected ',' or ']' at offset \(i)")
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default:
            return try number()
        }
    }

    mutating func literal(_ word: String) throws(OracleJSONError) {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else { throw .invalid("bad literal at offset \(i)") }
        i += w.count
    }

    mutating func number() throws(OracleJSONError) -> VelocityValue {
        let start = i
        var isDouble = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        while i < bytes.count {
            let c = bytes[i]
            if c >= 48 && c <= 57 { i += 1; continue }
            if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
                isDouble = true
                i += 1
                continue
            }
            break
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        guard !text.isEmpty, text != "-" else { throw .invalid("unexpected character at offset \(start)") }
        if isDouble {
            guard let d = Double(text) else { throw .invalid("bad number \(text)") }
            return .double(d)
        }
        if let v = Int(text) { return .int(v) }
        guard let d = Decimal(string: text) else { throw .invalid("bad number \(text)") }
        return .bigInt(d)
    }

    mutating func string() throws(OracleJSONError) -> String {
        i += 1
        var utf16: [UInt16] = []
        var out = ""
        func flush() {
            if !utf16.isEmpty { out += String(decoding: utf16, as: UTF16.self); utf16.removeAll() }
        }
        var runStart = i
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                flush()
                out += String(decoding: bytes[runStart..<i], as: UTF8.self)
                i += 1
                return out
            }
            if c == UInt8(ascii: "\\") {
                flush()
                out += String(decoding: bytes[runStart..<i], as: UTF8.self)
                guard i + 1 < bytes.count else { break }
                let e = bytes[i + 1]
                i += 2
                switch e {
                case UInt8(ascii: "n"): out += "\n"
                case UInt8(ascii: "t"): out += "\t"
                case UInt8(ascii: "r"): out += "\r"
                case UInt8(ascii: "b"): out += "\u{8}"
                case UInt8(ascii: "f"): out += "\u{c}"
                case UInt8(ascii: "u"):
                    guard i + 4 <= bytes.count, let v = UInt16(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16) else {
                        throw .invalid("bad \\u escape")
                    }
                    i += 4
                    // Surrogate pairs arrive as two escapes: collect UTF-16 units, decode together.
                    utf16.append(v)
                    runStart = i
                    while i + 6 <= bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u"),
                          let w = UInt16(String(decoding: bytes[(i + 2)..<(i + 6)], as: UTF8.self), radix: 16) {
                        utf16.append(w)
                        i += 6
                    }
                    flush()
                default: out += String(UnicodeScalar(e))
                }
                runStart = i
                continue
            }
            i += 1
        }
        throw .invalid("unterminated string")
    }
}

/// The oracle's JSONPath subset: `$`, `.key`, `['key']`, `[n]` (negative from the end), `[*]`, `.*`,
/// `..key`, `..*`. A definite path yields one value or null; an indefinite one a list of matches.
enum OracleJSONPath {
    enum Step {
        case key(String), index(Int), wild, deepKey(String), deepWild
    }

    static func compile(_ path: String) throws(JavaException) -> (steps: [Step], definite: Bool) {
        let p = Array(path.trimmingCharacters(in: .whitespaces).unicodeScalars)
        guard p.first == "$" else { throw JavaException("IllegalArgumentException", "JSONPath must start with '$': \(path)") }
        var steps: [Step] = []
        var definite = true
        var i = 1
        while i < p.count {
            if p[i] == "." {
                let deep = i + 1 < p.count && p[i + 1] == "."
                i += deep ? 2 : 1
                if i < p.count, p[i] == "*" {
                    steps.append(deep ? .deepWild : .wild)
                    definite = false
                    i += 1
                    continue
                }
                if deep, i < p.count, p[i] == "[" { throw JavaException("IllegalArgumentException", "unsupported JSONPath (..[ ]): \(path)") }
                let s = i
                while i < p.count, p[i] != ".", p[i] != "[" { i += 1 }
                let key = String(String.UnicodeScalarView(p[s..<i]))
                if key.isEmpty { throw JavaException("IllegalArgumentException", "empty key in JSONPath: \(path)") }
                steps.append(deep ? .deepKey(key) : .key(key))
                if deep { definite = false }
            } else if p[i] == "[" {
                let q = i + 1 < p.count ? p[i + 1] : " "
                if q == "'" || q == "\"" {
                    guard let endq = p[(i + 2)...].firstIndex(of: q), endq + 1 < p.count, p[endq + 1] == "]" else {
                        throw JavaException("IllegalArgumentException", "bad quoted key in JSONPath: \(path)")
                    }
                    steps.append(.key(String(String.UnicodeScalarView(p[(i + 2)..<endq]))))
                    i = endq + 2
                    continue
                }
                guard let close = p[i...].firstIndex(of: "]") else { throw JavaException("IllegalArgumentException", "unclosed [ in JSONPath: \(path)") }
                let inner = String(String.UnicodeScalarView(p[(i + 1)..<close])).trimmingCharacters(in: .whitespaces)
                if inner == "*" {
                    steps.append(.wild)
                    definite = false
                } else if Self.isInteger(inner) {
                    // Integer.parseInt in the oracle: an index beyond int range is a NumberFormatException.
                    guard let n = Int32(inner) else { throw JavaException("NumberFormatException", "For input string: \"\(inner)\"") }
                    steps.append(.index(Int(n)))
                } else {
                    throw JavaException("IllegalArgumentException", "unsupported JSONPath bracket [\(inner)] in: \(path)")
                }
                i = close + 1
            } else {
                throw JavaException("IllegalArgumentException", "unexpected '\(p[i])' in JSONPath: \(path)")
            }
        }
        return (steps, definite)
    }

    /// `-?[0-9]+`, without a regular expression (JSONPath compiles on every $input.path call).
    static func isInteger(_ s: String) -> Bool {
        var u = Substring(s).utf8[...]
        if u.first == UInt8(ascii: "-") { u = u.dropFirst() }
        return !u.isEmpty && u.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    static func eval(_ path: String, _ root: VelocityValue) throws(JavaException) -> VelocityValue {
        let (steps, definite) = try compile(path)
        var cur: [VelocityValue] = [root]
        for s in steps {
            var next: [VelocityValue] = []
            for o in cur { apply(s, o, &next) }
            cur = next
        }
        if definite { return cur.first ?? .null }
        return .list(VelocityList(cur))
    }

    static func apply(_ s: Step, _ o: VelocityValue, _ out: inout [VelocityValue]) {
        switch s {
        case .key(let k):
            if case .map(let m) = o, let v = m.get(.string(k)) { out.append(v) }
        case .index(let n):
            if case .list(let l) = o {
                let k = n < 0 ? l.items.count + n : n
                if k >= 0, k < l.items.count { out.append(l.items[k]) }
            }
        case .wild:
            if case .map(let m) = o { out.append(contentsOf: m.orderedValues) } else if case .list(let l) = o { out.append(contentsOf: l.items) }
        case .deepKey, .deepWild:
            deep(s, o, &out)
        }
    }

    static func deep(_ s: Step, _ o: VelocityValue, _ out: inout [VelocityValue]) {
        if case .map(let m) = o {
            if case .deepKey(let k) = s { if let v = m.get(.string(k)) { out.append(v) } } else { out.append(contentsOf: m.orderedValues) }
            for v in m.orderedValues { deep(s, v, &out) }
        } else if case .list(let l) = o {
            if case .deepWild = s { out.append(contentsOf: l.items) }
            for v in l.items { deep(s, v, &out) }
        }
    }
}

/// The oracle's `$input`: raw body, JSONPath over the parsed body, and request parameters.
public final class OracleInput: VelocityObject {
    let body: String
    let params: VelocityMap
    private var parsed: VelocityValue?

    public init(body: String, params: VelocityMap) {
        self.body = body
        self.params = params
    }

    private func root() throws(JavaException) -> VelocityValue {
        if let parsed { return parsed }
        let v: VelocityValue
        if body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            v = .map(VelocityMap())
        } else {
            do { v = try OracleJSON.parse(body) } catch { throw JavaException("IllegalArgumentException", "invalid JSON body") }
        }
        parsed = v
        return v
    }

    public func property(_ name: String) -> VelocityValue? {
        name == "body" || name == "Body" ? .string(body) : nil
    }

    public func call(_ method: String, _ args: [VelocityValue]) throws -> VelocityValue? {
        switch (method, args.count) {
        case ("getBody", 0): return .string(body)
        case ("path", 1), ("json", 1):
            guard case .string(let p) = args[0] else {
                if args[0].isNull { throw JavaException("NullPointerException") }
                return nil
            }
            let v = try OracleJSONPath.eval(p, try root())
            return method == "path" ? v : .string(OracleJSON.serialize(v))
        case ("params", 0): return .map(params)
        case ("params", 1):
            guard case .string = args[0] else { return nil }
            for w in ["path", "querystring", "header"] {
                if case .map(let m)? = params.get(.string(w)), let v = m.get(args[0]) { return v }
            }
            return .string("")
        case ("toString", 0): return .string(velocityString)
        default: return nil
        }
    }

    public var velocityString: String { "$input" }
}

/// The oracle's `$util`: commons-lang 2.6 escapeJavaScript, URLEncoder/URLDecoder, Base64, JSON parse.
public final class OracleUtil: VelocityObject {
    public init() {}

    public func property(_ name: String) -> VelocityValue? { nil }

    public func call(_ method: String, _ args: [VelocityValue]) throws -> VelocityValue? {
        guard args.count == 1 else { return nil }
        let s: String?
        switch args[0] {
        case .string(let x): s = x
        case .null: s = nil
        default: return nil
        }
        switch method {
        case "escapeJavaScript":
            guard let s else { return .null }
            return .string(OracleUtil.escapeJavaScript(s))
        case "urlEncode":
            guard let s else { throw JavaException("NullPointerException") }
            return .string(OracleUtil.urlEncode(s))
        case "urlDecode":
            guard let s else { throw JavaException("NullPointerException") }
            return .string(try OracleUtil.urlDecode(s))
        case "base64Encode":
            guard let s else { throw JavaException("NullPointerException") }
            return .string(Data(s.utf8).base64EncodedString())
        case "base64Decode":
            guard let s else { throw JavaException("NullPointerException") }
            guard let d = Data(base64Encoded: s) else { throw JavaException("IllegalArgumentException", "bad Base64") }
            return .string(String(decoding: d, as: UTF8.self))
        case "parseJson":
            guard let s else { throw JavaException("IllegalArgumentException", "null JSON") }
            do { return try OracleJSON.parse(s) } catch { throw JavaException("IllegalArgumentException", "invalid JSON") }
        default:
            return nil
        }
    }

    public var velocityString: String { "$util" }

    static func hex(_ v: UInt16) -> String { String(v, radix: 16, uppercase: true) }

    public static func escapeJavaScript(_ s: String) -> String {
        var out = ""
        for ch in s.utf16 {
            if ch > 0xfff { out += "\\u" + hex(ch) }
            else if ch > 0xff { out += "\\u0" + hex(ch) }
            else if ch > 0x7f { out += "\\u00" + hex(ch) }
            else if ch < 32 {
                switch ch {
                case 8: out += "\\b"
                case 10: out += "\\n"
                case 9: out += "\\t"
                case 12: out += "\\f"
                case 13: out += "\\r"
                default: out += (ch > 0xf ? "\\u00" : "\\u000") + hex(ch)
                }
            } else {
                switch ch {
                case 0x27: out += "\\'"
                case 0x22: out += "\\\""
                case 0x5c: out += "\\\\"
                case 0x2f: out += "\\/"
                default: out += String(decoding: [ch], as: UTF16.self)
                }
            }
        }
        return out
    }

    public static func urlEncode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            if Char.isLetter(b) || Char.isDigit(b) || b == Char.dot || b == Char.minus || b == Char.star || b == Char.underscore {
                out.unicodeScalars.append(UnicodeScalar(b))
            } else if b == Char.space {
                out += "+"
            } else {
                out += "%" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true)
            }
        }
        return out
    }

    public static func urlDecode(_ s: String) throws(JavaException) -> String {
        var bytes: [UInt8] = []
        let u = Array(s.utf8)
        var i = 0
        while i < u.count {
            if u[i] == Char.plus {
                bytes.append(Char.space); i += 1
            } else if u[i] == UInt8(ascii: "%") {
                guard i + 2 < u.count,
                      let v = UInt8(String(decoding: u[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) else {
                    throw JavaException("IllegalArgumentException", "URLDecoder: Illegal hex characters in escape (%) pattern")
                }
                bytes.append(v); i += 3
            } else {
                bytes.append(u[i]); i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Builds the render context the oracle builds for a case's `input` object
/// (`body`, `params`, `context`, `stageVariables`, `vars`, `aws`).
public enum OracleContext {
    public static func make(input: VelocityValue) -> VelocityContext {
        var get: (String) -> VelocityValue? = { _ in nil }
        if case .map(let m) = input { get = { m.get(.string($0)) } }
        var ctx = VelocityContext()
        if case .map(let vars)? = get("vars") {
            for (k, v) in zip(vars.orderedKeys, vars.orderedValues) where !v.isNull {
                ctx.variables[Rendering.javaString(k)] = v
            }
        }
        var body = ""
        switch get("body") {
        case .string(let s)?: body = s
        case nil, .null?: body = ""
        case let v?: body = OracleJSON.serialize(v)
        }
        let params = VelocityMap()
        var rawParams: VelocityMap?
        if case .map(let p)? = get("params") { rawParams = p }
        for k in ["path", "querystring", "header"] {
            let copy = VelocityMap()
            if case .map(let src)? = rawParams?.get(.string(k)) {
                for (kk, vv) in zip(src.orderedKeys, src.orderedValues) { copy.put(kk, vv) }
            }
            params.put(.string(k), .map(copy))
        }
        ctx.variables["input"] = .object(OracleInput(body: body, params: params))
        ctx.variables["util"] = .object(OracleUtil())
        func mapOrEmpty(_ v: VelocityValue?) -> VelocityValue {
            if case .map? = v, let v { return v }
            return .map(VelocityMap())
        }
        ctx.variables["context"] = mapOrEmpty(get("context"))
        ctx.variables["stageVariables"] = mapOrEmpty(get("stageVariables"))
        if case .bool(true)? = get("aws") { ctx.mode = .aws }
        return ctx
    }
}
