import Foundation

// JSON Schema draft 4 (json-schema-core-00 + json-schema-validation-00), the dialect of API Gateway models.
//
// `JSONSchema` is built once per model: the initialiser follows every `$ref`, loads external models
// through `resolveRef`, compiles every regex and records problems in the schema itself. `validate` then
// checks an instance and returns every failure as a value; it never traps and always terminates
// (ref cycles are detected, and nesting depth and total work are bounded).

// MARK: - Errors

/// One validation failure: where in the instance, which keyword failed, and why.
public struct JSONSchemaError: Sendable, Equatable, CustomStringConvertible {
    /// A JSON Pointer (RFC 6901) into the instance; "" is the root.
    public var instancePath: String
    /// The failing keyword ("type", "required", "$ref", ...). Limits use "depth" and "budget".
    public var keyword: String
    /// Plain English.
    public var message: String

    public init(instancePath: String, keyword: String, message: String) {
        self.instancePath = instancePath
        self.keyword = keyword
        self.message = message
    }

    public var description: String { "\(instancePath.isEmpty ? "(root)" : instancePath): \(message)" }
}

// MARK: - Schema

/// A compiled draft-4 schema.
///
/// `$ref` resolution: a ref is split at `#` into a document URI and a fragment. An empty document part
/// means "the document this ref appears in" (the root model, or the external model that contains it);
/// a relative URI is resolved against the containing document's URI (RFC 3986, simplified). A non-empty
/// document URI is passed to `resolveRef` *without* its fragment; the fragment (percent-decoded, then a
/// JSON Pointer with `~0`/`~1` escapes) is applied to the returned document. `id` is ignored, so
/// `id`-based scopes and named fragments ("#foo") are not supported.
public struct JSONSchema: Sendable {
    let root: JSONValue
    let resolveRef: @Sendable (String) -> JSONValue?
    /// External documents loaded while analysing the schema, keyed by absolute URI.
    let documents: [String: JSONValue]
    /// Compiled `pattern` and `patternProperties` regexes, keyed by their source; invalid ones are absent.
    let regexes: [String: CompiledRegex]
    let problems: [String]
    /// Every `$ref` met at init, keyed by `refKey(doc, ref)`.
    let refs: [String: ResolvedRef]
    /// Maximum number of schema nodes evaluated in one `validate` call, against exponential blow-ups
    /// such as nested `anyOf`s of recursive refs. nil: max(200 000, 100 × the number of values in the
    /// instance), so ordinary schemas never hit it on large bodies while blow-ups on small ones stop fast.
    /// Internal so tests can set it.
    var maxSteps: Int?

    /// Maximum nesting of schema evaluation (instance depth plus `$ref`/combinator hops).
    static let maxDepth = 400

    /// `resolveRef` maps a `$ref` that is not a local JSON pointer (e.g. API Gateway's
    /// "https://apigateway.amazonaws.com/restapis/{apiId}/models/{ModelName}") to another schema; return nil when unknown.
    public init(_ schema: JSONValue, resolveRef: @escaping @Sendable (String) -> JSONValue? = { _ in nil }) {
        root = schema
        self.resolveRef = resolveRef
        let analyzer = SchemaAnalyzer(root: schema, resolveRef: resolveRef)
        analyzer.run()
        documents = analyzer.documents
        regexes = analyzer.regexes
        problems = analyzer.problems
        refs = analyzer.refs
    }

    /// All errors (empty = valid). Never crashes or loops forever, whatever the schema.
    public func validate(_ instance: JSONValue) -> [JSONSchemaError] {
        let v = Validator(self, maxSteps: maxSteps ?? max(200_000, 100 * Self.valueCount(instance)))
        var out: [JSONSchemaError] = []
        v.validate(root, doc: "", instance, "", &out)
        // Cycle and limit errors count even when raised inside `not`/`anyOf`/`oneOf`, whose branch errors are dropped.
        for f in v.fatal where !out.contains(f) { out.append(f) }
        return out
    }

    public func isValid(_ instance: JSONValue) -> Bool { validate(instance).isEmpty }

    /// Problems in the schema itself (unknown type names, a non-object where a schema must be, an unresolvable $ref,
    /// an invalid `pattern` regex), so a model loader can reject a bad model: empty = fine.
    ///
    /// Each is "<location>: <message>", the location being "#/json/pointer" in the root schema or
    /// "<uri>#/json/pointer" in an external one. Also reported: keyword values of the wrong JSON type,
    /// negative lengths/counts, a non-positive `multipleOf`, and `$ref` cycles that never consume the
    /// instance (e.g. `{"$ref": "#"}` or `{"allOf": [{"$ref": "#"}]}`).
    ///
    /// Assumption: the draft-4 meta-schema's "at least one element" / "unique elements" constraints
    /// (on `enum`, `required`, `type`, `allOf`/`anyOf`/`oneOf`) are *not* reported, so that models API
    /// Gateway may accept are not rejected for them; they are harmless to validation.
    public func schemaProblems() -> [String] { problems }

    /// The number of values in `v`, counted without recursion.
    static func valueCount(_ v: JSONValue) -> Int {
        var count = 0
        var stack = [v]
        while let top = stack.popLast() {
            count += 1
            switch top {
            case .array(let a): stack.append(contentsOf: a)
            case .object(let o): stack.append(contentsOf: o.pairs.map(\.value))
            default: break
            }
        }
        return count
    }

    static func refKey(_ doc: String, _ ref: String) -> String { doc + "\u{1}" + ref }

    /// Resolves `ref` as it appears in document `doc`: from the init-time table, else afresh
    /// (a ref in a place the analysis does not visit, such as under an unknown keyword).
    func resolve(_ ref: String, in doc: String) -> ResolvedRef {
        if let r = refs[Self.refKey(doc, ref)] { return r }
        return ResolvedRef.resolve(ref, in: doc) { uri in
            uri.isEmpty ? root : (documents[uri] ?? resolveRef(uri))
        }
    }
}

/// The outcome of resolving one `$ref`.
enum ResolvedRef: Sendable {
    /// `key` names the target location (document URI + "#" + pointer).
    case schema(doc: String, key: String, value: JSONValue)
    case failure(String)

    static func resolve(_ ref: String, in doc: String, document: (String) -> JSONValue?) -> ResolvedRef {
        guard let (tdoc, tokens) = SchemaRef.split(ref, base: doc) else {
            return .failure("$ref '\(ref)' has a fragment that is not a JSON pointer")
        }
        guard let d = document(tdoc) else { return .failure("cannot resolve $ref '\(ref)'") }
        guard let target = SchemaRef.lookup(tokens, in: d) else { return .failure("$ref '\(ref)' points to nothing") }
        guard case .object = target else { return .failure("$ref '\(ref)' does not point to a schema (an object)") }
        return .schema(doc: tdoc, key: SchemaRef.key(tdoc, tokens), value: target)
    }
}

/// `NSRegularExpression` is immutable and documented thread-safe; the box makes that visible to Swift 6.
final class CompiledRegex: @unchecked Sendable {
    let regex: NSRegularExpression
    init(_ regex: NSRegularExpression) { self.regex = regex }

    /// ECMA-262 `test`: an unanchored search (json-schema-validation-00 §5.2.3).
    func search(_ s: String) -> Bool {
        regex.firstMatch(in: s, options: [], range: NSRange(s.startIndex..<s.endIndex, in: s)) != nil
    }

    /// nil when `pattern` is not a valid regex.
    static func compile(_ pattern: String) -> CompiledRegex? {
        (try? NSRegularExpression(pattern: pattern, options: [])).map(CompiledRegex.init)
    }
}

// MARK: - References and pointers

enum SchemaRef {
    /// Splits `ref` into the absolute document URI ("" = root) and decoded pointer tokens; nil when
    /// the fragment is not a JSON pointer.
    static func split(_ ref: String, base: String) -> (doc: String, tokens: [String])? {
        let uriPart: Substring
        let fragment: Substring
        if let hash = ref.firstIndex(of: "#") {
            uriPart = ref[..<hash]
            fragment = ref[ref.index(after: hash)...]
        } else {
            uriPart = Substring(ref)
            fragment = ""
        }
        let doc = uriPart.isEmpty ? base : resolveURI(String(uriPart), base: base)
        let decoded = percentDecode(fragment)
        if decoded.isEmpty { return (doc, []) }
        guard decoded.hasPrefix("/") else { return nil }
        let tokens = decoded.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            // RFC 6901 §4: "~1" first, then "~0".
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
        return (doc, tokens)
    }

    /// Follows pointer tokens through objects (by key) and arrays (by decimal index).
    static func lookup(_ tokens: [String], in value: JSONValue) -> JSONValue? {
        var cur = value
        for t in tokens {
            switch cur {
            case .object(let o):
                guard let next = Members(o)[t] else { return nil }
                cur = next
            case .array(let a):
                guard !t.isEmpty, t.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), t == "0" || !t.hasPrefix("0"),
                    let i = Int(t), i < a.count
                else { return nil }
                cur = a[i]
            default:
                return nil
            }
        }
        return cur
    }

    /// A stable name for a schema location, also shown in `schemaProblems`.
    static func key(_ doc: String, _ tokens: [String]) -> String {
        doc + "#" + tokens.map { "/" + escape($0) }.joined()
    }

    static func escape(_ token: String) -> String {
        token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// Percent-decodes a URI fragment; malformed escapes are kept literally.
    static func percentDecode(_ s: Substring) -> String {
        guard s.contains("%") else { return String(s) }
        let bytes = Array(s.utf8)
        var out: [UInt8] = []
        var i = 0
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 0x30...0x39: return b - 0x30
            case 0x41...0x46: return b - 0x41 + 10
            case 0x61...0x66: return b - 0x61 + 10
            default: return nil
            }
        }
        while i < bytes.count {
            if bytes[i] == 0x25, i + 2 < bytes.count, let h = hex(bytes[i + 1]), let l = hex(bytes[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hasScheme(_ s: String) -> Bool {
        guard let colon = s.firstIndex(of: ":"), colon != s.startIndex else { return false }
        let scheme = s[..<colon]
        guard let first = scheme.unicodeScalars.first, first.isASCIILetter else { return false }
        return scheme.unicodeScalars.allSatisfy { $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "+" || $0 == "-" || $0 == "." }
    }

    /// RFC 3986 §5.2 reference resolution, simplified (no dot segments inside the authority).
    static func resolveURI(_ ref: String, base: String) -> String {
        if hasScheme(ref) || !hasScheme(base) { return ref }
        guard let colon = base.firstIndex(of: ":") else { return ref }
        let scheme = String(base[..<colon])
        var rest = Substring(base[base.index(after: colon)...])
        if let h = rest.firstIndex(of: "#") { rest = rest[..<h] }
        var authority = ""
        if rest.hasPrefix("//") {
            let afterSlashes = rest.index(rest.startIndex, offsetBy: 2)
            let end = rest[afterSlashes...].firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
            authority = "//" + String(rest[afterSlashes..<end])
            rest = rest[end...]
        }
        var basePath = rest
        if let q = basePath.firstIndex(of: "?") { basePath = basePath[..<q] }
        if ref.hasPrefix("//") { return scheme + ":" + ref }
        if ref.hasPrefix("?") { return scheme + ":" + authority + basePath + ref }
        var refPath = Substring(ref)
        var query = ""
        if let q = refPath.firstIndex(of: "?") { query = String(refPath[q...]); refPath = refPath[..<q] }
        let merged: String
        if refPath.hasPrefix("/") {
            merged = String(refPath)
        } else if let slash = basePath.lastIndex(of: "/") {
            merged = String(basePath[...slash]) + String(refPath)
        } else {
            merged = (authority.isEmpty ? "" : "/") + String(refPath)
        }
        return scheme + ":" + authority + removeDotSegments(merged) + query
    }

    static func removeDotSegments(_ path: String) -> String {
        var out: [Substring] = []
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        for (i, p) in parts.enumerated() {
            if p == "." {
                if i == parts.count - 1 { out.append("") }
            } else if p == ".." {
                if out.count > 1 { out.removeLast() }
                if i == parts.count - 1 { out.append("") }
            } else {
                out.append(p)
            }
        }
        return out.joined(separator: "/")
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}

// MARK: - Object members

/// A string key compared by code points. Swift's `String ==` uses canonical equivalence ("é" == "e\u{301}"),
/// but JSON Schema compares property names and strings code point by code point.
struct ExactKey: Hashable {
    let s: String
    init(_ s: String) { self.s = s }
    static func == (a: ExactKey, b: ExactKey) -> Bool { a.s.utf8.elementsEqual(b.s.utf8) }
    func hash(into h: inout Hasher) {
        h.combine(s.utf8.count)
        for b in s.utf8 { h.combine(b) }
    }
}

/// An object's members with duplicate keys collapsed (last value wins, as in most JSON parsers),
/// in first-appearance order.
struct Members {
    var ordered: [(key: String, value: JSONValue)] = []
    var index: [ExactKey: Int] = [:]

    init(_ o: JSONObject) {
        for (k, v) in o {
            if let i = index[ExactKey(k)] {
                ordered[i].value = v
            } else {
                index[ExactKey(k)] = ordered.count
                ordered.append((k, v))
            }
        }
    }

    var count: Int { ordered.count }
    subscript(key: String) -> JSONValue? { index[ExactKey(key)].map { ordered[$0].value } }
}

// MARK: - Values: numbers and equality

enum JSONNumber {
    case int(Int)
    case double(Double)

    init?(_ v: JSONValue) {
        switch v {
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        default: return nil
        }
    }

    var asDouble: Double {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        }
    }

    /// Exact comparison (-1, 0, 1), even between an Int and a Double; nil when a NaN is involved.
    static func compare(_ a: JSONNumber, _ b: JSONNumber) -> Int? {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.double(let x), .double(let y)):
            if x.isNaN || y.isNaN { return nil }
            return x < y ? -1 : (x > y ? 1 : 0)
        case (.int(let x), .double(let y)): return compareIntDouble(x, y)
        case (.double(let x), .int(let y)): return compareIntDouble(y, x).map { -$0 }
        }
    }

    private static func compareIntDouble(_ i: Int, _ d: Double) -> Int? {
        if d.isNaN { return nil }
        if d >= 9_223_372_036_854_775_808.0 { return -1 }  // 2^63: above every Int
        if d < -9_223_372_036_854_775_808.0 { return 1 }
        let t = d.rounded(.down)  // in [-2^63, 2^63), so exactly convertible
        let ti = Int(t)
        if i < ti { return -1 }
        if i > ti { return 1 }
        return d > t ? -1 : 0
    }
}

enum JSONEquality {
    /// Structural equality for `enum` and `uniqueItems`: numbers by value (1 == 1.0), booleans distinct
    /// from numbers, objects regardless of key order, strings by code points.
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.string(let x), .string(let y)): return x.utf8.elementsEqual(y.utf8)
        case (.int, .int), (.int, .double), (.double, .int), (.double, .double):
            guard let x = JSONNumber(a), let y = JSONNumber(b) else { return false }
            return JSONNumber.compare(x, y) == 0
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            let mx = Members(x), my = Members(y)
            guard mx.count == my.count else { return false }
            return mx.ordered.allSatisfy { m in my[m.key].map { equal(m.value, $0) } ?? false }
        default:
            return false
        }
    }

    /// A hash consistent with `equal`.
    static func hash(_ v: JSONValue, into h: inout Hasher) {
        switch v {
        case .null: h.combine(0)
        case .bool(let b): h.combine(1); h.combine(b)
        case .int(let i): h.combine(2); h.combine(Double(i))  // equal numbers have equal Double values
        case .double(let d): h.combine(2); h.combine(d)
        case .string(let s): h.combine(3); h.combine(ExactKey(s))
        case .array(let a):
            h.combine(4)
            h.combine(a.count)
            for e in a { hash(e, into: &h) }
        case .object(let o):
            // Order-independent: sum of per-member hashes.
            var sum = 0
            for m in Members(o).ordered {
                var mh = Hasher()
                mh.combine(ExactKey(m.key))
                hash(m.value, into: &mh)
                sum = sum &+ mh.finalize()
            }
            h.combine(5)
            h.combine(sum)
        }
    }

    static func hashValue(_ v: JSONValue) -> Int {
        var h = Hasher()
        hash(v, into: &h)
        return h.finalize()
    }
}

// MARK: - Schema analysis (init time)

/// Walks every schema reachable from the root (following `$ref`s into external documents) once:
/// loads documents, compiles regexes, collects problems, and finds `$ref` cycles that never consume
/// the instance.
final class SchemaAnalyzer {
    let root: JSONValue
    let resolveRef: @Sendable (String) -> JSONValue?
    var documents: [String: JSONValue] = [:]
    var unresolvable: Set<String> = []
    var regexes: [String: CompiledRegex] = [:]
    var badPatterns: Set<String> = []
    var problems: [String] = []
    var visited: Set<String> = []
    /// Edges between schemas applied to the *same* instance ($ref, allOf, anyOf, oneOf, not, schema dependencies).
    var sameInstanceEdges: [String: [String]] = [:]
    var pending: [(doc: String, tokens: [String], value: JSONValue)] = []
    var refs: [String: ResolvedRef] = [:]

    static let typeNames: Set<String> = ["null", "boolean", "integer", "number", "string", "array", "object"]

    init(root: JSONValue, resolveRef: @escaping @Sendable (String) -> JSONValue?) {
        self.root = root
        self.resolveRef = resolveRef
    }

    func run() {
        pending.append(("", [], root))
        while let next = pending.popLast() {
            walk(next.value, doc: next.doc, tokens: next.tokens, depth: 0)
        }
        findCycles()
    }

    func document(_ uri: String) -> JSONValue? {
        if uri.isEmpty { return root }
        if let d = documents[uri] { return d }
        if unresolvable.contains(uri) { return nil }
        if let d = resolveRef(uri) {
            documents[uri] = d
            return d
        }
        unresolvable.insert(uri)
        return nil
    }

    func problem(_ doc: String, _ tokens: [String], _ message: String) {
        problems.append("\(SchemaRef.key(doc, tokens)): \(message)")
    }

    func compile(_ pattern: String, doc: String, tokens: [String]) {
        if regexes[pattern] != nil { return }
        if badPatterns.contains(pattern) {
            problem(doc, tokens, "invalid regular expression '\(pattern)'")
            return
        }
        if let r = CompiledRegex.compile(pattern) {
            regexes[pattern] = r
        } else {
            badPatterns.insert(pattern)
            problem(doc, tokens, "invalid regular expression '\(pattern)'")
        }
    }

    func walk(_ value: JSONValue, doc: String, tokens: [String], depth: Int) {
        let here = SchemaRef.key(doc, tokens)
        guard visited.insert(here).inserted else { return }
        guard depth < 512 else {
            problem(doc, tokens, "schema nested too deeply")
            return
        }
        guard case .object(let obj) = value else {
            problem(doc, tokens, "expected a schema (an object), found \(value.kindName)")
            return
        }
        let o = Members(obj)
        func sub(_ v: JSONValue, _ path: [String], sameInstance: Bool = false) {
            if sameInstance { sameInstanceEdges[here, default: []].append(SchemaRef.key(doc, tokens + path)) }
            walk(v, doc: doc, tokens: tokens + path, depth: depth + 1)
        }
        func bad(_ kw: String, _ message: String) { problem(doc, tokens + [kw], message) }

        var hasRef = false
        if let r = o["$ref"] {
            if case .string(let ref) = r {
                hasRef = true
                followRef(ref, from: here, doc: doc, tokens: tokens)
            } else {
                bad("$ref", "$ref must be a string, found \(r.kindName)")
            }
        }

        for (kw, v) in o.ordered {
            switch kw {
            case "type":
                switch v {
                case .string(let t):
                    if !Self.typeNames.contains(t) { bad(kw, "unknown type '\(t)'") }
                case .array(let ts):
                    for (i, t) in ts.enumerated() {
                        if case .string(let name) = t {
                            if !Self.typeNames.contains(name) { problem(doc, tokens + [kw, String(i)], "unknown type '\(name)'") }
                        } else {
                            problem(doc, tokens + [kw, String(i)], "a type name must be a string, found \(t.kindName)")
                        }
                    }
                default: bad(kw, "type must be a string or a list of strings, found \(v.kindName)")
                }
            case "enum":
                if v.arrayValue == nil { bad(kw, "enum must be a list, found \(v.kindName)") }
            case "multipleOf":
                if let n = JSONNumber(v) {
                    if !(n.asDouble > 0) { bad(kw, "multipleOf must be greater than 0") }
                } else {
                    bad(kw, "multipleOf must be a number, found \(v.kindName)")
                }
            case "maximum", "minimum":
                if JSONNumber(v) == nil { bad(kw, "\(kw) must be a number, found \(v.kindName)") }
            case "exclusiveMaximum", "exclusiveMinimum", "uniqueItems":
                if v.boolValue == nil { bad(kw, "\(kw) must be a boolean, found \(v.kindName)") }
            case "maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties":
                if Validator.count(v) == nil { bad(kw, "\(kw) must be a non-negative integer") }
            case "pattern":
                if case .string(let p) = v { compile(p, doc: doc, tokens: tokens + [kw]) } else { bad(kw, "pattern must be a string, found \(v.kindName)") }
            case "format":
                if v.stringValue == nil { bad(kw, "format must be a string, found \(v.kindName)") }
            case "required":
                if let a = v.arrayValue {
                    if !a.allSatisfy({ $0.stringValue != nil }) { bad(kw, "required must list property names (strings)") }
                } else {
                    bad(kw, "required must be a list, found \(v.kindName)")
                }
            case "items":
                if case .array(let a) = v {
                    for (i, s) in a.enumerated() { sub(s, [kw, String(i)]) }
                } else {
                    sub(v, [kw])
                }
            case "additionalItems", "additionalProperties":
                if v.boolValue == nil { sub(v, [kw]) }
            case "properties", "patternProperties", "definitions":
                guard case .object(let m) = v else { bad(kw, "\(kw) must be an object, found \(v.kindName)"); continue }
                for (name, s) in Members(m).ordered {
                    if kw == "patternProperties" { compile(name, doc: doc, tokens: tokens + [kw, name]) }
                    sub(s, [kw, name])
                }
            case "dependencies":
                guard case .object(let m) = v else { bad(kw, "dependencies must be an object, found \(v.kindName)"); continue }
                for (name, d) in Members(m).ordered {
                    if case .array(let names) = d {
                        if !names.allSatisfy({ $0.stringValue != nil }) {
                            problem(doc, tokens + [kw, name], "a property dependency must list property names (strings)")
                        }
                    } else {
                        sub(d, [kw, name], sameInstance: !hasRef)
                    }
                }
            case "allOf", "anyOf", "oneOf":
                guard case .array(let a) = v else { bad(kw, "\(kw) must be a list of schemas, found \(v.kindName)"); continue }
                for (i, s) in a.enumerated() { sub(s, [kw, String(i)], sameInstance: !hasRef) }
            case "not":
                sub(v, [kw], sameInstance: !hasRef)
            default:
                break  // $ref handled above; annotations and unknown keywords are ignored (draft 4)
            }
        }
    }

    func followRef(_ ref: String, from here: String, doc: String, tokens: [String]) {
        let resolved = ResolvedRef.resolve(ref, in: doc, document: document)
        refs[JSONSchema.refKey(doc, ref)] = resolved
        switch resolved {
        case .failure(let message):
            problem(doc, tokens + ["$ref"], message)
        case .schema(let tdoc, let key, let target):
            // The $ref replaces the whole schema (siblings ignored), so it is the only same-instance edge.
            sameInstanceEdges[here] = [key]
            guard let (_, ttokens) = SchemaRef.split(ref, base: doc) else { return }
            pending.append((tdoc, ttokens, target))
        }
    }

    /// Reports cycles in the same-instance graph: following them never reaches a keyword that descends
    /// into the instance, so evaluation would recurse forever.
    func findCycles() {
        var state: [String: Int] = [:]  // 1 = on the DFS stack, 2 = finished
        var reported: Set<String> = []
        for start in sameInstanceEdges.keys.sorted() where state[start] == nil {
            var stack: [(node: String, next: Int)] = [(start, 0)]
            state[start] = 1
            while let top = stack.last {
                let succ = sameInstanceEdges[top.node] ?? []
                if top.next < succ.count {
                    stack[stack.count - 1].next += 1
                    let n = succ[top.next]
                    switch state[n] {
                    case nil:
                        state[n] = 1
                        stack.append((n, 0))
                    case 1:
                        if let i = stack.firstIndex(where: { $0.node == n }) {
                            let cycle = stack[i...].map(\.node) + [n]
                            if reported.insert(n).inserted {
                                problems.append("\(n): $ref cycle that never descends into the instance: \(cycle.joined(separator: " -> "))")
                            }
                        }
                    default:
                        break
                    }
                } else {
                    state[top.node] = 2
                    stack.removeLast()
                }
            }
        }
    }
}

// MARK: - Validation

/// One `validate` call's state: the active `$ref`s (for cycle detection), depth and the work budget.
final class Validator {
    let schema: JSONSchema
    /// "(schema location)|(instance path)" for each $ref being evaluated.
    var activeRefs: Set<String> = []
    var depth = 0
    var steps = 0
    var fatal: [JSONSchemaError] = []
    var budgetExceeded = false
    let maxSteps: Int

    init(_ schema: JSONSchema, maxSteps: Int) {
        self.schema = schema
        self.maxSteps = maxSteps
    }

    /// A non-negative integer keyword value (an integral double such as 2.0 is accepted).
    static func count(_ v: JSONValue) -> Int? {
        switch v {
        case .int(let i) where i >= 0: return i
        case .double(let d) where d >= 0 && d == d.rounded(): return d >= 9.2e18 ? Int.max : Int(d)
        default: return nil
        }
    }

    static func typeName(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// json-schema-validation-00 §5.5.2 and core §3.5: "integer" is any number without a fractional part,
    /// so 1.0 is an integer.
    static func hasType(_ name: String, _ v: JSONValue) -> Bool {
        switch (name, v) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object): return true
        case ("number", .int), ("number", .double), ("integer", .int): return true
        case ("integer", .double(let d)): return d.isFinite && d == d.rounded(.towardZero)
        default: return false
        }
    }

    static func pointer(_ path: String, _ token: String) -> String { path + "/" + SchemaRef.escape(token) }

    static func show(_ v: JSONValue) -> String {
        let s = v.serialized()
        return s.count > 80 ? String(s.prefix(77)) + "..." : s
    }

    func fail(_ out: inout [JSONSchemaError], _ path: String, _ keyword: String, _ message: String) {
        out.append(JSONSchemaError(instancePath: path, keyword: keyword, message: message))
    }

    func fatal(_ out: inout [JSONSchemaError], _ e: JSONSchemaError) {
        out.append(e)
        if !fatal.contains(e) { fatal.append(e) }
    }

    func isValid(_ s: JSONValue, doc: String, _ inst: JSONValue, _ path: String) -> Bool {
        var errs: [JSONSchemaError] = []
        validate(s, doc: doc, inst, path, &errs)
        return errs.isEmpty
    }

    func validate(_ s: JSONValue, doc: String, _ inst: JSONValue, _ path: String, _ out: inout [JSONSchemaError]) {
        steps += 1
        if steps > maxSteps {
            if !budgetExceeded {
                budgetExceeded = true
                fatal(&out, JSONSchemaError(instancePath: path, keyword: "budget", message: "validation stopped: the schema needs more than \(maxSteps) steps"))
            } else {
                out.append(JSONSchemaError(instancePath: path, keyword: "budget", message: "validation stopped"))
            }
            return
        }
        guard depth < JSONSchema.maxDepth else {
            fatal(&out, JSONSchemaError(instancePath: path, keyword: "depth", message: "schema evaluation nested deeper than \(JSONSchema.maxDepth) levels"))
            return
        }
        depth += 1
        defer { depth -= 1 }

        // A non-object where a schema belongs is reported by schemaProblems and accepts everything here.
        guard case .object(let o) = s else { return }

        // Draft 4: an object with "$ref" is replaced by the referenced schema; siblings are ignored.
        if case .string(let ref)? = o["$ref"] {
            validateRef(ref, doc: doc, inst, path, &out)
            return
        }

        if let t = o["type"] { validateType(t, inst, path, &out) }
        if case .array(let allowed)? = o["enum"], !allowed.contains(where: { JSONEquality.equal($0, inst) }) {
            fail(&out, path, "enum", "\(Self.show(inst)) is not one of the allowed values \(Self.show(.array(allowed)))")
        }
        switch inst {
        case .int, .double: if let n = JSONNumber(inst) { validateNumber(o, n, inst, path, &out) }
        case .string(let str): validateString(o, str, path, &out)
        case .array(let a): validateArray(o, a, doc: doc, path, &out)
        case .object(let m): validateObject(o, Members(m), doc: doc, inst, path, &out)
        default: break
        }
        validateCombinators(o, doc: doc, inst, path, &out)
    }

    func validateRef(_ ref: String, doc: String, _ inst: JSONValue, _ path: String, _ out: inout [JSONSchemaError]) {
        let (tdoc, targetKey, target): (String, String, JSONValue)
        switch schema.resolve(ref, in: doc) {
        case .failure(let message):
            fail(&out, path, "$ref", message)
            return
        case .schema(let d, let k, let v):
            (tdoc, targetKey, target) = (d, k, v)
        }
        // The same schema on the same instance again, with nothing consumed in between: a cycle.
        let key = targetKey + "|" + path
        guard activeRefs.insert(key).inserted else {
            fatal(&out, JSONSchemaError(instancePath: path, keyword: "$ref", message: "$ref '\(ref)' loops back to itself without descending into the instance"))
            return
        }
        defer { activeRefs.remove(key) }
        validate(target, doc: tdoc, inst, path, &out)  // the target's own refs resolve against its document
    }

    func validateType(_ t: JSONValue, _ inst: JSONValue, _ path: String, _ out: inout [JSONSchemaError]) {
        switch t {
        case .string(let name):
            // An unknown name (a schema problem) matches nothing, as in draft 4's meta-schema enum.
            if !Self.hasType(name, inst) { fail(&out, path, "type", "expected type \(name), found \(Self.typeName(inst))") }
        case .array(let names):
            let strings = names.compactMap(\.stringValue)
            if !strings.contains(where: { Self.hasType($0, inst) }) {
                fail(&out, path, "type", "expected one of types [\(strings.joined(separator: ", "))], found \(Self.typeName(inst))")
            }
        default:
            break
        }
    }

    func validateNumber(_ o: JSONObject, _ n: JSONNumber, _ inst: JSONValue, _ path: String, _ out: inout [JSONSchemaError]) {
        if let mv = o["multipleOf"], let m = JSONNumber(mv), m.asDouble > 0, !Self.isMultiple(n, of: m) {
            fail(&out, path, "multipleOf", "\(Self.show(inst)) is not a multiple of \(Self.show(mv))")
        }
        // json-schema-validation-00 §5.1.2/§5.1.3: draft-4 exclusiveMaximum/exclusiveMinimum are booleans
        // modifying maximum/minimum, and are ignored without them.
        if let mv = o["maximum"], let m = JSONNumber(mv), let c = JSONNumber.compare(n, m) {
            if o["exclusiveMaximum"]?.boolValue == true {
                if c >= 0 { fail(&out, path, "maximum", "\(Self.show(inst)) is not less than the exclusive maximum \(Self.show(mv))") }
            } else if c > 0 {
                fail(&out, path, "maximum", "\(Self.show(inst)) is greater than the maximum \(Self.show(mv))")
            }
        }
        if let mv = o["minimum"], let m = JSONNumber(mv), let c = JSONNumber.compare(n, m) {
            if o["exclusiveMinimum"]?.boolValue == true {
                if c <= 0 { fail(&out, path, "minimum", "\(Self.show(inst)) is not greater than the exclusive minimum \(Self.show(mv))") }
            } else if c < 0 {
                fail(&out, path, "minimum", "\(Self.show(inst)) is less than the minimum \(Self.show(mv))")
            }
        }
    }

    /// Exact for integers; for doubles, exact remainder first, then a tolerance on the quotient so that
    /// e.g. 0.3 is a multiple of 0.1 despite binary floating point.
    static func isMultiple(_ n: JSONNumber, of m: JSONNumber) -> Bool {
        if case .int(let x) = n, case .int(let y) = m {
            return x.remainderReportingOverflow(dividingBy: y).partialValue == 0  // overflow (Int.min % -1) yields 0
        }
        let x = n.asDouble, y = m.asDouble
        guard x.isFinite, y.isFinite, y > 0 else { return false }
        if x.truncatingRemainder(dividingBy: y) == 0 { return true }
        let q = x / y
        // An infinite quotient means x dwarfs y: the spacing of doubles near x exceeds y, so x is a
        // multiple within representation error (python-jsonschema instead decides with exact fractions).
        guard q.isFinite else { return true }
        return abs(q - q.rounded()) <= 1e-9
    }

    func validateString(_ o: JSONObject, _ s: String, _ path: String, _ out: inout [JSONSchemaError]) {
        // json-schema-validation-00 §5.2.1: length counts characters as defined by RFC 4627, i.e. code points.
        let length = s.unicodeScalars.count
        if let v = o["maxLength"], let max = Self.count(v), length > max {
            fail(&out, path, "maxLength", "string has \(length) characters, more than the maximum \(max)")
        }
        if let v = o["minLength"], let min = Self.count(v), length < min {
            fail(&out, path, "minLength", "string has \(length) characters, fewer than the minimum \(min)")
        }
        if case .string(let p)? = o["pattern"], let r = schema.regexes[p] ?? CompiledRegex.compile(p), !r.search(s) {
            fail(&out, path, "pattern", "string \(JSONValue.quoted(s)) does not match the pattern \(JSONValue.quoted(p))")
        }
        if case .string(let f)? = o["format"], let ok = JSONFormat.check(f, s), !ok {
            fail(&out, path, "format", "string \(JSONValue.quoted(s)) is not a valid \(f)")
        }
    }

    func validateArray(_ o: JSONObject, _ a: [JSONValue], doc: String, _ path: String, _ out: inout [JSONSchemaError]) {
        if let v = o["maxItems"], let max = Self.count(v), a.count > max {
            fail(&out, path, "maxItems", "array has \(a.count) items, more than the maximum \(max)")
        }
        if let v = o["minItems"], let min = Self.count(v), a.count < min {
            fail(&out, path, "minItems", "array has \(a.count) items, fewer than the minimum \(min)")
        }
        if o["uniqueItems"]?.boolValue == true, let (i, j) = Self.firstDuplicate(a) {
            fail(&out, path, "uniqueItems", "array items \(i) and \(j) are equal")
        }
        switch o["items"] {
        case .object?:
            if let items = o["items"] {
                for (i, e) in a.enumerated() { validate(items, doc: doc, e, Self.pointer(path, String(i)), &out) }
            }
        case .array(let schemas)?:
            // json-schema-validation-00 §5.3.1: positional items; the rest is governed by additionalItems.
            for (i, e) in a.enumerated() {
                if i < schemas.count {
                    validate(schemas[i], doc: doc, e, Self.pointer(path, String(i)), &out)
                } else if case .object? = o["additionalItems"], let extra = o["additionalItems"] {
                    validate(extra, doc: doc, e, Self.pointer(path, String(i)), &out)
                }
            }
            if o["additionalItems"]?.boolValue == false, a.count > schemas.count {
                fail(&out, path, "additionalItems", "array has \(a.count) items, but only \(schemas.count) are allowed (additionalItems is false)")
            }
        default:
            break  // no items (or a malformed one): additionalItems has no effect
        }
    }

    static func firstDuplicate(_ a: [JSONValue]) -> (Int, Int)? {
        var buckets: [Int: [Int]] = [:]
        for (j, e) in a.enumerated() {
            let h = JSONEquality.hashValue(e)
            if let earlier = buckets[h]?.first(where: { JSONEquality.equal(a[$0], e) }) { return (earlier, j) }
            buckets[h, default: []].append(j)
        }
        return nil
    }

    func validateObject(_ o: JSONObject, _ m: Members, doc: String, _ inst: JSONValue, _ path: String, _ out: inout [JSONSchemaError]) {
        if let v = o["maxProperties"], let max = Self.count(v), m.count > max {
            fail(&out, path, "maxProperties", "object has \(m.count) properties, more than the maximum \(max)")
        }
        if let v = o["minProperties"], let min = Self.count(v), m.count < min {
            fail(&out, path, "minProperties", "object has \(m.count) properties, fewer than the minimum \(min)")
        }
        if case .array(let names)? = o["required"] {
            for case .string(let name) in names where m[name] == nil {
                fail(&out, path, "required", "required property '\(name)' is missing")
            }
        }
        let properties = o["properties"]?.objectValue.map(Members.init)
        let patterns: [(regex: CompiledRegex?, schema: JSONValue)] =
            (o["patternProperties"]?.objectValue.map { Members($0).ordered } ?? []).map {
                (schema.regexes[$0.key] ?? CompiledRegex.compile($0.key), $0.value)
            }
        let additional = o["additionalProperties"]
        if properties != nil || !patterns.isEmpty || additional != nil {
            for (key, value) in m.ordered {
                let childPath = Self.pointer(path, key)
                var matched = false
                if let p = properties?[key] {
                    matched = true
                    validate(p, doc: doc, value, childPath, &out)
                }
                // json-schema-validation-00 §5.4.4: every matching pattern applies, besides properties.
                for pp in patterns where pp.regex?.search(key) == true {
                    matched = true
                    validate(pp.schema, doc: doc, value, childPath, &out)
                }
                guard !matched else { continue }
                switch additional {
                case .bool(false)?:
                    fail(&out, path, "additionalProperties", "property '\(key)' is not allowed (additionalProperties is false)")
                case .object?:
                    if let extra = additional { validate(extra, doc: doc, value, childPath, &out) }
                default:
                    break
                }
            }
        }
        if case .object(let deps)? = o["dependencies"] {
            for (name, dep) in Members(deps).ordered where m[name] != nil {
                switch dep {
                case .array(let needed):
                    for case .string(let n) in needed where m[n] == nil {
                        fail(&out, path, "dependencies", "property '\(name)' requires property '\(n)'")
                    }
                case .object:
                    validate(dep, doc: doc, inst, path, &out)
                default:
                    break
                }
            }
        }
    }

    func validateCombinators(_ o: JSONObject, doc: String, _ inst: JSONValue, _ path: String, _ out: inout [JSONSchemaError]) {
        if case .array(let all)? = o["allOf"] {
            for s in all { validate(s, doc: doc, inst, path, &out) }
        }
        if case .array(let any)? = o["anyOf"] {
            // Stops at the first match (as python-jsonschema does), so a later recursive branch is not evaluated.
            if !any.contains(where: { isValid($0, doc: doc, inst, path) }) {
                fail(&out, path, "anyOf", "value does not match any of the \(any.count) schemas in anyOf")
            }
        }
        if case .array(let one)? = o["oneOf"] {
            var matches: [Int] = []
            for (i, s) in one.enumerated() where isValid(s, doc: doc, inst, path) {
                matches.append(i)
                if matches.count == 2 { break }
            }
            if matches.isEmpty {
                fail(&out, path, "oneOf", "value does not match any of the \(one.count) schemas in oneOf")
            } else if matches.count > 1 {
                fail(&out, path, "oneOf", "value matches more than one schema in oneOf (schemas \(matches[0]) and \(matches[1]))")
            }
        }
        if case .object? = o["not"], let not = o["not"], isValid(not, doc: doc, inst, path) {
            fail(&out, path, "not", "value must not match the schema in not")
        }
    }
}

// MARK: - Formats

/// Draft-4 `format` values (json-schema-validation-00 §7.3).
///
/// Assumption: whether API Gateway enforces `format` is unknown, so the six draft-4 formats are checked
/// *leniently*: only strings that plainly cannot be the format are rejected (e.g. an email without "@",
/// a date-time with month 13, an IPv4 part above 255, a URI without a scheme). Unknown formats and
/// non-string instances are accepted. (python-jsonschema's Draft4Validator ignores `format` unless a
/// format checker is given.)
enum JSONFormat {
    /// nil when the format is not one we check.
    static func check(_ format: String, _ s: String) -> Bool? {
        switch format {
        case "date-time": return isDateTime(s)
        case "email": return isEmail(s)
        case "hostname": return isHostname(s)
        case "ipv4": return isIPv4(s)
        case "ipv6": return isIPv6(s)
        case "uri": return isURI(s)
        default: return nil
        }
    }

    /// RFC 3339 date-time: YYYY-MM-DD(T|t| )hh:mm:ss(.frac)?(Z|z|±hh:mm), with field ranges checked.
    static func isDateTime(_ s: String) -> Bool {
        let c = Array(s.utf8)
        func digits(_ from: Int, _ n: Int) -> Int? {
            guard from + n <= c.count else { return nil }
            var v = 0
            for k in from..<from + n {
                guard c[k] >= 0x30, c[k] <= 0x39 else { return nil }
                v = v * 10 + Int(c[k] - 0x30)
            }
            return v
        }
        func at(_ i: Int, _ ch: Character) -> Bool { i < c.count && c[i] == ch.asciiValue }
        guard let year = digits(0, 4), at(4, "-"), let month = digits(5, 2), at(7, "-"), let day = digits(8, 2),
            at(10, "T") || at(10, "t") || at(10, " "),
            let hour = digits(11, 2), at(13, ":"), let minute = digits(14, 2), at(16, ":"), let second = digits(17, 2)
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...12).contains(month), (1...monthDays[month - 1]).contains(day), hour <= 23, minute <= 59, second <= 60 else {
            return false
        }
        var i = 19
        if at(i, ".") {
            i += 1
            let start = i
            while i < c.count, c[i] >= 0x30, c[i] <= 0x39 { i += 1 }
            guard i > start else { return false }
        }
        if at(i, "Z") || at(i, "z") { return i + 1 == c.count }
        guard at(i, "+") || at(i, "-"), let oh = digits(i + 1, 2), at(i + 3, ":"), let om = digits(i + 4, 2), oh <= 23, om <= 59 else {
            return false
        }
        return i + 6 == c.count
    }

    /// Lenient: something before and after an "@", no whitespace.
    static func isEmail(_ s: String) -> Bool {
        guard let at = s.lastIndex(of: "@"), at != s.startIndex, s.index(after: at) != s.endIndex else { return false }
        return !s.unicodeScalars.contains { $0.properties.isWhitespace }
    }

    /// RFC 1123 host name: dot-separated labels of 1-63 letters, digits and hyphens, not starting or ending
    /// with a hyphen; at most 253 characters (a trailing dot is allowed).
    static func isHostname(_ s: String) -> Bool {
        var name = Substring(s)
        if name.hasSuffix(".") { name = name.dropLast() }
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            let u = Array(label.utf8)
            guard (1...63).contains(u.count), u.first != 0x2D, u.last != 0x2D else { return false }
            return u.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D }
        }
    }

    /// Dotted quad, each part 0-255 written with 1-3 decimal digits.
    static func isIPv4(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { p in
            (1...3).contains(p.utf8.count) && p.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } && (Int(p) ?? 256) <= 255
        }
    }

    /// RFC 4291 text form: up to 8 groups of 1-4 hex digits, at most one "::", optionally ending in a
    /// dotted quad; a "%zone" suffix is tolerated.
    static func isIPv6(_ s: String) -> Bool {
        var addr = Substring(s)
        if let pct = addr.firstIndex(of: "%") {
            guard addr.index(after: pct) != addr.endIndex else { return false }
            addr = addr[..<pct]
        }
        let halves = addr.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        var groups = 0
        for (h, half) in halves.enumerated() {
            if half.isEmpty { continue }
            let parts = half.split(separator: ":", omittingEmptySubsequences: false)
            for (i, p) in parts.enumerated() {
                if i == parts.count - 1, h == halves.count - 1, p.contains(".") {
                    guard isIPv4(String(p)) else { return false }
                    groups += 2
                } else {
                    guard (1...4).contains(p.utf8.count), p.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit }) else { return false }
                    groups += 1
                }
            }
        }
        return halves.count == 2 ? groups <= 7 : groups == 8
    }

    /// Lenient absolute URI: a scheme followed by ":", and no whitespace or control characters.
    static func isURI(_ s: String) -> Bool {
        SchemaRef.hasScheme(s) && !s.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7F }
    }
}
