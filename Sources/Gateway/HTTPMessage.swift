/// Header fields in the order sent, names as the sender spelled them; lookups ignore case.
public struct HeaderFields: Sendable, Equatable, Sequence {
    public private(set) var fields: [(name: String, value: String)]

    public init(_ fields: [(String, String)] = []) { self.fields = fields.map { (name: $0.0, value: $0.1) } }

    /// Header names compare ASCII case-insensitively (RFC 9110 §5.1); no Foundation locale machinery.
    @inlinable
    public static func sameName(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        var i = a.utf8.makeIterator(), j = b.utf8.makeIterator()
        while true {
            let x = i.next(), y = j.next()
            guard let x, let y else { return x == nil && y == nil }
            if x == y { continue }
            let lx = x >= 65 && x <= 90 ? x + 32 : x, ly = y >= 65 && y <= 90 ? y + 32 : y
            if lx != ly { return false }
        }
    }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }

    public var isEmpty: Bool { fields.isEmpty }
    public var count: Int { fields.count }

    /// The last value sent under this name (AWS's single-value maps keep the last one).
    public subscript(name: String) -> String? {
        fields.last { HeaderFields.sameName($0.name, name) }?.value
    }

    public func values(_ name: String) -> [String] {
        fields.filter { HeaderFields.sameName($0.name, name) }.map(\.value)
    }

    public func contains(_ name: String) -> Bool { self[name] != nil }

    public mutating func add(_ name: String, _ value: String) { fields.append((name: name, value: value)) }

    /// Replaces every field of this name with one (at the first one's place, else at the end).
    public mutating func set(_ name: String, _ value: String) {
        if let i = fields.firstIndex(where: { HeaderFields.sameName($0.name, name) }) {
            fields[i] = (name: name, value: value)
            var j = fields.count - 1
            while j > i {
                if HeaderFields.sameName(fields[j].name, name) { fields.remove(at: j) }
                j -= 1
            }
        } else {
            add(name, value)
        }
    }

    public mutating func remove(_ name: String) {
        fields.removeAll { HeaderFields.sameName($0.name, name) }
    }

    /// Groups fields by name (case-insensitively, first spelling wins), values in order sent.
    public var grouped: [(name: String, values: [String])] {
        var out: [(name: String, values: [String])] = []
        out.reserveCapacity(fields.count)
        // By lower-cased name; the first spelling names the group.
        var index: [String: Int] = [:]
        for f in fields {
            let key = f.name.lowercased()
            if let i = index[key] {
                out[i].values.append(f.value)
            } else {
                index[key] = out.count
                out.append((name: f.name, values: [f.value]))
            }
        }
        return out
    }

    public static func == (a: HeaderFields, b: HeaderFields) -> Bool {
        a.fields.count == b.fields.count && zip(a.fields, b.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}

/// What a client sends: method, the raw path with its query string as on the wire, headers, body.
public struct ClientRequest: Sendable, Equatable {
    public var method: String
    /// Path and query exactly as sent, e.g. `/dev/orders/42?x=1` (percent-encoding kept).
    public var rawPath: String
    public var headers: HeaderFields
    public var body: [UInt8]?
    /// The host the request is addressed to (nil: the API's default endpoint host).
    public var host: String?
    /// The client's address as API Gateway sees it (`identity.sourceIp`).
    public var sourceIp: String
    /// The interface VPC endpoint the request came through, and its VPC (nil: from the internet).
    public var sourceVpce: String?
    public var sourceVpc: String?

    public init(method: String, rawPath: String, headers: HeaderFields = HeaderFields(), body: [UInt8]? = nil,
                host: String? = nil, sourceIp: String = "203.0.113.10") {
        self.method = method
        self.rawPath = rawPath
        self.headers = headers
        self.body = body
        self.host = host
        self.sourceIp = sourceIp
    }

    public var bodyText: String? { body.map { String(decoding: $0, as: UTF8.self) } }
}

/// What the gateway answers.
public struct GatewayHTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: HeaderFields
    public var body: [UInt8]

    public init(status: Int, headers: HeaderFields = HeaderFields(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Reason phrases for status lines.
public enum HTTPStatus {
    public static func reason(_ code: Int) -> String {
        switch code {
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 300: return "Multiple Choices"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 304: return "Not Modified"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 409: return "Conflict"
        case 413: return "Payload Too Large"
        case 415: return "Unsupported Media Type"
        case 418: return "I'm a teapot"
        case 422: return "Unprocessable Entity"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return ""
        }
    }
}
