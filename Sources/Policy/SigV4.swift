import Crypto
import Foundation

/// AWS Signature Version 4 (reference/policy.md §5; the published test suite in ../shared/conformance/sigv4):
/// the canonical request, the string to sign, the signing key and the Authorization header, for signing a
/// client's request and for checking one the gateway receives.
public struct SigV4Request: Sendable {
    public var method: String
    /// The path as sent on the wire (percent-encoding kept), without the query.
    public var path: String
    /// The query string as sent, without `?`.
    public var query: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, path: String, query: String = "", headers: [(name: String, value: String)], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }
}

public struct SigV4Credentials: Sendable {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String?

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}

public enum SigV4 {
    public static let algorithm = "AWS4-HMAC-SHA256"

    /// What signing produced, step by step (the gateway's mismatch message quotes the first two).
    public struct Signature: Sendable, Equatable {
        public var canonicalRequest: String
        public var stringToSign: String
        public var signedHeaders: String
        public var signature: String
        public var authorization: String
    }

    /// Signs `r` at `amzDate` (`20150830T123600Z`) for `region` and `service`, over every header of the request
    /// (names lower-cased and sorted).
    public static func sign(_ r: SigV4Request, credentials: SigV4Credentials, amzDate: String, region: String, service: String) -> Signature {
        let date = String(amzDate.prefix(8))
        let scope = "\(date)/\(region)/\(service)/aws4_request"
        let (canonicalHeaders, signedHeaders) = headers(r.headers)
        let canonical = [r.method, canonicalURI(r.path), canonicalQuery(r.query), canonicalHeaders, signedHeaders, hex(SHA256.hash(data: r.body))]
            .joined(separator: "\n")
        let sts = [algorithm, amzDate, scope, hex(SHA256.hash(data: Array(canonical.utf8)))].joined(separator: "\n")
        var key = SymmetricKey(data: Array(("AWS4" + credentials.secretAccessKey).utf8))
        for part in [date, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        let signature = hex(HMAC<SHA256>.authenticationCode(for: Array(sts.utf8), using: key))
        return Signature(canonicalRequest: canonical, stringToSign: sts, signedHeaders: signedHeaders, signature: signature,
                         authorization: "\(algorithm) Credential=\(credentials.accessKeyId)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)")
    }

    /// The path with `.` and `..` segments and repeated slashes removed (every service but S3 normalises), each
    /// byte outside the unreserved set percent-encoded — so a `%2F` sent on the wire becomes `%252F`, as API
    /// Gateway's canonical strings show (policy.md §5.1).
    public static func canonicalURI(_ path: String) -> String {
        var segments: [Substring] = []
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        for p in parts {
            if p == "." { continue }
            if p == ".." { if !segments.isEmpty { segments.removeLast() }; continue }
            segments.append(p)
        }
        var out = "/" + segments.map { encode(String($0)) }.joined(separator: "/")
        // A trailing slash survives normalisation (`//example//` → `/example/`), the root stays `/`.
        if !segments.isEmpty, path.hasSuffix("/") || path.hasSuffix("/.") || path.hasSuffix("/..") { out += "/" }
        return out
    }

    /// Names and values encoded, sorted by name then value (byte order), `name=value` joined with `&`.
    public static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        let pairs = query.split(separator: "&", omittingEmptySubsequences: true).map { part -> (String, String) in
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(kv[0]).removingPercentEncoding ?? String(kv[0])
            let value = kv.count > 1 ? (String(kv[1]).removingPercentEncoding ?? String(kv[1])) : ""
            return (encode(name), encode(value))
        }
        return pairs.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// Lower-cased names, sorted; values trimmed, inner runs of whitespace (line folds too) collapsed to one space,
    /// repeated headers joined with `,` in the order sent.
    static func headers(_ given: [(name: String, value: String)]) -> (String, String) {
        var values: [String: [String]] = [:]
        for (n, v) in given {
            let collapsed = v.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
            values[n.lowercased(), default: []].append(collapsed)
        }
        let names = values.keys.sorted()
        let canonical = names.map { "\($0):\(values[$0]!.joined(separator: ","))\n" }.joined()
        return (canonical, names.joined(separator: ";"))
    }

    /// RFC 3986 encoding of everything but the unreserved characters `A–Z a–z 0–9 - . _ ~`.
    public static func encode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(UnicodeScalar(b))
            default:
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }

    static func hex<D: Sequence>(_ d: D) -> String where D.Element == UInt8 {
        d.map { String($0, radix: 16).leftPadded(2) }.joined()
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
