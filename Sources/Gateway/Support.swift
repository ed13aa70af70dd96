import Crypto
import Foundation
import GatewayModel

/// Query strings as API Gateway decodes them: form decoding (`+` → space, `%XX`), repeated keys kept in
/// order (lambda-payloads.md §1.2 rules 4, 6).
public enum QueryString {
    public static func parse(_ q: Substring) -> [(name: String, value: String)] {
        guard !q.isEmpty else { return [] }
        var out: [(name: String, value: String)] = []
        // `;` splits the data like `&` (rest-request-flow.md §2.2 rule 45 [DOC D5]).
        for part in q.split(whereSeparator: { $0 == "&" || $0 == ";" }) {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let k = formDecode(kv[0])
            let v = kv.count > 1 ? formDecode(kv[1]) : ""
            out.append((name: k, value: v))
        }
        return out
    }

    static func formDecode(_ s: Substring) -> String {
        let plus = s.replacingOccurrences(of: "+", with: " ")
        return plus.removingPercentEncoding ?? plus
    }

    /// A value placed into the URI path: characters a path may hold stay as they are (so a path parameter,
    /// already in its wire form, and a greedy `{proxy+}` value with its slashes arrive as sent — recorded calls
    /// reached /status/200 from {map+} = status/200); others are percent-encoded (assumption).
    static func encodePath(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            let allowed = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || "-._~!$&'()*+,;=:@/%".utf8.contains(b)
            if allowed { out.unicodeScalars.append(UnicodeScalar(b)) } else { out += "%" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true) }
        }
        return out
    }

    /// Percent-encodes a query name or value for an integration URL (RFC 3986 unreserved characters kept).
    static func encode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            if (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E {
                out.unicodeScalars.append(UnicodeScalar(b))
            } else {
                out += "%" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true)
            }
        }
        return out
    }
}

/// Media types: only the MIME type counts (mapping.md §2.1 rule 14).
public enum MediaType {
    /// `application/json; charset=UTF-8` → `application/json` (lower-cased); nil for nil or empty.
    public static func essence(_ header: String?) -> String? {
        guard let header else { return nil }
        // Up to the first ';', trimmed, lower-cased (ASCII: media types are ASCII tokens).
        var out = [UInt8]()
        for b in header.utf8 {
            if b == UInt8(ascii: ";") { break }
            out.append(b >= 65 && b <= 90 ? b + 32 : b)
        }
        while let f = out.first, f == 32 || f == 9 { out.removeFirst() }
        while let l = out.last, l == 32 || l == 9 { out.removeLast() }
        return out.isEmpty ? nil : String(decoding: out, as: UTF8.self)
    }

    /// The first media type of `Accept`: API Gateway honours only that one (mapping.md §3.5 rule 35, lambda-payloads.md §2.3 rule 24).
    public static func firstAccepted(_ headers: HeaderFields) -> String? {
        guard let accept = headers["Accept"] else { return nil }
        guard let comma = accept.utf8.firstIndex(of: UInt8(ascii: ",")) else { return essence(accept) }
        return essence(String(accept[..<comma]))
    }

    /// Whether `type` matches one of `patterns` (`*/*`, `image/*`, exact).
    public static func matches(_ type: String, any patterns: [String]) -> Bool {
        patterns.contains { p in
            let p = p.lowercased()
            if p == "*/*" || p == type { return true }
            if p.hasSuffix("/*") { return type.hasPrefix(String(p.dropLast(1))) }
            return false
        }
    }
}

/// Selection patterns: Java regexes matched against the whole string, `.` not matching a newline
/// (mapping.md §3.2 rules 21–22). NSRegularExpression (ICU) is the closest dialect available.
public enum SelectionPattern {
    public static func matches(_ pattern: String, _ s: String) -> Bool {
        guard let re = try? NSRegularExpression(pattern: "^(?:" + pattern + ")$", options: []) else { return false }
        let range = NSRange(s.startIndex..., in: s)
        // Anchors alone would let `$` match before a final newline; insist on the whole range.
        guard let m = re.firstMatch(in: s, options: [.anchored], range: range) else { return false }
        return m.range.location == 0 && m.range.length == range.length
    }
}

/// Mapping templates before the Velocity engine exists: a template is used as literal text. A template
/// that uses VTL syntax stops the request with a clear message instead of being sent on unrendered.
/// The MOCK status: `statusCode` of the request template's output. The loosely written `{statusCode: 200}`
/// that CDK generates is accepted too (mapping.md §3.1, §4.7 E).
enum MockStatus {
    static func read(_ body: String) -> Int? {
        if let v = try? JSONValue.parse(body), let s = v["statusCode"] {
            if let i = s.intValue { return i }
            if let t = s.stringValue { return Int(t) }
            return nil
        }
        guard let re = try? NSRegularExpression(pattern: #"["']?statusCode["']?\s*:\s*["']?(\d{3})(?!\d)"#),
              let m = re.firstMatch(in: body, range: NSRange(body.startIndex..., in: body)),
              let r = Range(m.range(at: 1), in: body) else { return nil }
        return Int(body[r])
    }
}

/// The request API Gateway sends to Lambda and what Lambda answers, as the execution log shows them
/// (rest-request-flow.md §5.4 rule 90, §5.5 rule 88; lambda-payloads.md §3 rule 34).
enum LambdaRequestHeaders {
    /// The headers of the Lambda Invoke call, in the two orders the logs show: the 2022+ proxy order and the
    /// 2025 non-proxy order (rule 88); the non-proxy call carries no Host, Content-Sha256, trace or source ARN line.
    struct InvokeHeaders {
        var proxyOrder: [(String, String)]
        var nonProxyOrder: [(String, String)]
    }

    static func forInvoke(_ x: Exchange, _ env: GatewayEnvironment, payload: String, function: String) -> InvokeHeaders {
        let api = x.apiId ?? ""
        let region = env.world.region
        let date = env.clock.amzDate
        let sha = hex(SHA256.hash(data: Array(payload.utf8)))
        let credentialDay = String(date.prefix(8))
        let signature = hex(SHA256.hash(data: Array(("signature|" + x.requestId).utf8)))
        let accessKey = "ASIA" + String(hex(SHA256.hash(data: Array(("key|" + api).utf8))).uppercased().prefix(16))
        let authorization = "AWS4-HMAC-SHA256 Credential=\(accessKey)/\(credentialDay)/\(region)/lambda/aws4_request, "
            + "SignedHeaders=accept;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-source-arn;x-amzn-apigateway-api-id;x-amzn-lambda-integration-tag;x-amzn-trace-id, "
            + "Signature=\(signature)"
        let rootTrace = x.traceRoot
        let sourcePath = x.path.hasPrefix("/") ? String(x.path.dropFirst()) : x.path
        let token = securityToken(seed: x.requestId)
        let proxy: [(String, String)] = [
            ("X-Amz-Date", date),
            ("x-amzn-apigateway-api-id", api),
            ("Accept", "application/json"),
            ("User-Agent", "AmazonAPIGateway_\(api)"),
            ("Host", "lambda.\(region).amazonaws.com"),
            ("X-Amz-Content-Sha256", sha),
            ("X-Amzn-Trace-Id", rootTrace),
            ("x-amzn-lambda-integration-tag", x.requestId),
            ("Authorization", AWSLog.mask(authorization)),
            ("X-Amz-Source-Arn", "arn:aws:execute-api:\(region):\(env.world.account):\(api)/\(x.stageName ?? "")/\(x.request.method)/\(sourcePath)"),
            ("X-Amz-Security-Token", token),
        ]
        let nonProxy: [(String, String)] = [
            ("x-amzn-lambda-integration-tag", x.requestId),
            ("Authorization", AWSLog.mask(authorization)),
            ("X-Amz-Date", date),
            ("x-amzn-apigateway-api-id", api),
            ("Accept", "application/json"),
            ("User-Agent", "AmazonAPIGateway_\(api)"),
            ("X-Amz-Security-Token", token),
        ]
        return InvokeHeaders(proxyOrder: proxy, nonProxyOrder: nonProxy)
    }

    static func lambdaResponse(_ x: Exchange, _ env: GatewayEnvironment, body: String, lambdaRequestId: String, functionError: String?) -> [(String, String)] {
        let root = x.traceRoot
        var h: [(String, String)] = [
            ("Date", env.clock.httpDate), ("Content-Type", "application/json"), ("Content-Length", String(body.utf8.count)),
            ("Connection", "keep-alive"), ("x-amzn-RequestId", lambdaRequestId),
        ]
        if let functionError { h.append(("X-Amz-Function-Error", functionError)) }
        h += [("x-amzn-Remapped-Content-Length", "0"), ("X-Amz-Executed-Version", "$LATEST"),
              ("X-Amzn-Trace-Id", root.replacingOccurrences(of: "Root=", with: "root=") + ";sampled=0")]
        return h
    }

    /// A session token as long as real ones (they push the headers line past 1024 characters, rule 80).
    static func securityToken(seed: String) -> String {
        var out = "IQoJb3JpZ2luX2Vj"
        var block = Array(seed.utf8)
        while out.count < 900 {
            let d = SHA256.hash(data: block)
            block = Array(d)
            out += Data(d).base64EncodedString().replacingOccurrences(of: "=", with: "")
        }
        return out
    }

    static func hex<D: Sequence>(_ d: D) -> String where D.Element == UInt8 {
        d.map { hexDigits(UInt64($0), width: 2) }.joined()
    }
}

enum Plural {
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}

extension LambdaText {
    /// The fixed cost of an invoke added to the function's own duration (gwsh's choice; AWS measures both).
    public static let invokeOverheadMillis = 12
}

extension VirtualClock {
    /// `2026-03-05T12:00:03.000Z` — Lambda's timestamps always carry milliseconds.
    public var iso8601Millis: String {
        let base = iso8601
        if base.contains(".") { return base }
        return String(base.dropLast()) + ".000Z"
    }
}
