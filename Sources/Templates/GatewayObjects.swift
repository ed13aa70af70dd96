import Foundation

// API Gateway's own template variables: `$input` and `$util` as AWS behaves (reference/mapping.md §4.2–4.5),
// where they differ from the vtl-oracle's approximations (OracleObjects.swift). `$context` and
// `$stageVariables` are plain maps that the gateway builds from the request (Gateway/MappingTemplates.swift).

/// JSON as API Gateway hands it to templates: objects are maps that print as Java's `{k=v}`, arrays are lists
/// that print as compact JSON (mapping.md §4.2 rule 42 [REC test_input_path_template_formatting]).
public enum GatewayJSON {
    public static func parse(_ text: String) throws(OracleJSONError) -> VelocityValue {
        let v = try OracleJSON.parse(text)
        markArrays(v)
        return v
    }

    /// A JSONPath (`$`, `.key`, `['key']`, `[n]`, `[*]`, `..key`) over a parsed value; null when nothing matches.
    public static func evaluate(_ path: String, _ root: VelocityValue) throws(JavaException) -> VelocityValue {
        try OracleJSONPath.eval(path, root)
    }

    /// Compact JSON text of a value.
    public static func serialize(_ v: VelocityValue) -> String { OracleJSON.serialize(v) }

    /// Marks every list inside `v` as a JSON array.
    public static func markArrays(_ v: VelocityValue) {
        switch v {
        case .list(let l):
            l.printsAsJSON = true
            for e in l.items { markArrays(e) }
        case .map(let m):
            for e in m.orderedValues { markArrays(e) }
        default: break
        }
    }
}

/// What a template sees as `$input`: the payload (the method request's body in a request template, the
/// integration response's body in a response template) and the method request's parameters.
public final class GatewayInput: VelocityObject {
    /// The payload as `$input.body` shows it: an empty payload reads `{}` (mapping.md §4.2 [REC
    /// test_input_body_formatting, response-str-body-input]).
    public let body: String
    let path: [(String, String)], querystring: [(String, String)]
    /// The visible headers, worked out on first use (most templates never read a header).
    private let headerSource: () -> [(String, String)]
    private lazy var header: [(String, String)] = headerSource()
    private var parsed: VelocityValue?
    private lazy var params: VelocityMap = {
        let p = VelocityMap()
        for (name, pairs) in [("path", path), ("querystring", querystring), ("header", header)] {
            let m = VelocityMap()
            for (k, v) in pairs { m.put(.string(k), .string(v)) }
            p.put(.string(name), .map(m))
        }
        return p
    }()

    /// `params`: `path`, `querystring`, `header`, each an ordered list of name → value (the headers a
    /// template can see: mapping.md §4.2 rule 41).
    public convenience init(body: String, path: [(String, String)], querystring: [(String, String)], header: [(String, String)]) {
        self.init(body: body, path: path, querystring: querystring, headers: { header })
    }

    public init(body: String, path: [(String, String)], querystring: [(String, String)], headers: @escaping () -> [(String, String)]) {
        self.body = body.isEmpty ? "{}" : body
        self.path = path
        self.querystring = querystring
        self.headerSource = headers
    }

    /// The parsed payload, once. A payload that is not JSON (a form post, plain text) is the string itself:
    /// `$input.path('$')` gives the raw text and other paths nothing. Assumption: AWS's answer here is not in
    /// the reference (mapping.md §4.6 rules 53–54); widely used form-post templates split `$input.path('$')`
    /// as a string.
    private func root() throws(JavaException) -> VelocityValue {
        if let parsed { return parsed }
        let v = (try? GatewayJSON.parse(body)) ?? .string(body)
        parsed = v
        return v
    }

    public func property(_ name: String) -> VelocityValue? {
        switch name {
        case "body", "Body": return .string(body)
        default: return nil
        }
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
            if case .list(let l) = v { l.printsAsJSON = true }  // an indefinite path's result list is JSON too
            // $input.json of a miss: `null`, as Jackson writes it (assumption: no recording of this case).
            if method == "path" { return v }
            guard let text = OracleJSON.serializeChecked(v) else {
                throw JavaException("StackOverflowError", "the value nests more than \(VelocityValue.maxPrintDepth) levels (one that contains itself?)")
            }
            return .string(text)
        case ("params", 0): return .map(params)
        case ("params", 1):
            // path, then querystring, then header (mapping.md §4.2 [DOC D4]); a miss is "" [REC].
            guard case .string(let name) = args[0] else { return nil }
            if let v = path.first(where: { $0.0 == name }) ?? querystring.first(where: { $0.0 == name })
                ?? header.first(where: { $0.0 == name }) {
                return .string(v.1)
            }
            return .string("")
        case ("toString", 0): return .string(velocityString)
        default: return nil
        }
    }

    public var velocityString: String { "$input" }
}

/// `$util` as AWS documents it (mapping.md §4.3). The escaping and URL functions are Java's (commons-lang 2.6,
/// URLEncoder/URLDecoder), as in the oracle; null arguments render nothing instead of throwing, as recorded
/// for `$util.urlEncode($input.body.testAccess)` → `` [REC test_input_body_formatting, response-url-encode].
public final class GatewayUtil: VelocityObject {
    public init() {}

    public func property(_ name: String) -> VelocityValue? { nil }

    public func call(_ method: String, _ args: [VelocityValue]) throws -> VelocityValue? {
        guard args.count == 1 else { return nil }
        let s: String?
        switch args[0] {
        case .string(let x): s = x
        case .null: s = nil
        default: s = Rendering.javaString(args[0])
        }
        switch method {
        case "escapeJavaScript":
            return s.map { .string(OracleUtil.escapeJavaScript($0)) } ?? .null
        case "urlEncode":
            return .string(s.map(OracleUtil.urlEncode) ?? "")
        case "urlDecode":
            guard let s else { return .string("") }  // assumption: null → "" like urlEncode (no recording)
            return .string(try OracleUtil.urlDecode(s))
        case "base64Encode":
            guard let s else { return .string("") }  // assumption, as above
            return .string(Data(s.utf8).base64EncodedString())
        case "base64Decode":
            guard let s else { return .string("") }  // assumption, as above
            guard let d = Data(base64Encoded: s) else { throw JavaException("IllegalArgumentException", "\(s.prefix(40)) is not Base64") }
            return .string(String(decoding: d, as: UTF8.self))
        case "parseJson":
            guard let s else { throw JavaException("IllegalArgumentException", "$util.parseJson got null") }
            do { return try GatewayJSON.parse(s) } catch { throw JavaException("InvalidJsonException", "$util.parseJson: \(error)") }
        default:
            return nil
        }
    }

    public var velocityString: String { "$util" }
}
