import GatewayModel

/// What an HTTP or HTTP_PROXY integration sends to its backend.
public struct BackendRequest: Sendable {
    public var method: String
    public var url: String
    public var host: String
    /// The path, percent-encoding kept, without the query.
    public var path: String
    public var query: [(name: String, value: String)]
    public var headers: HeaderFields
    public var body: String

    /// The JSON shape the conformance corpus compares (`backend_request`) and an echo backend answers.
    public var json: JSONValue {
        var q = JSONObject()
        for (k, v) in query { q[k] = .array((q[k]?.arrayValue ?? []) + [.string(v)]) }
        var h = JSONObject()
        for g in headers.grouped { h[g.name] = .string(g.values.joined(separator: ", ")) }
        return .obj(["method": .string(method), "path": .string(path), "query": .object(q), "headers": .object(h), "body": .string(body)])
    }
}

public struct BackendResponse: Sendable {
    public var status: Int
    public var headers: HeaderFields
    public var body: String
}

enum Backends {
    /// A Lua backend (`gateway.backend`) is registered with the Lambda invoker under this name.
    static func luaFunctionName(host: String) -> String { "backend:" + host.lowercased() }

    /// Reads what a Lua backend returned: `{"status", "headers", "body"}` (LuaSandbox's gateway.backend).
    static func parseLuaAnswer(_ payload: String) -> BackendResponse? {
        guard let v = try? JSONValue.parse(payload), let o = v.objectValue else { return nil }
        // A missing status is 200; anything but a whole number in 100–599 is not a valid answer.
        var status = 200
        if let sv = o["status"], !sv.isNull {
            guard case .int(let n) = sv, (100...599).contains(n) else { return nil }
            status = n
        }
        var headers = HeaderFields()
        for (k, hv) in o["headers"]?.objectValue ?? JSONObject() {
            if let list = hv.arrayValue {
                for e in list { headers.add(k, e.stringValue ?? e.serialized()) }
            } else {
                headers.add(k, hv.stringValue ?? hv.serialized())
            }
        }
        return BackendResponse(status: status, headers: headers, body: o["body"]?.stringValue ?? "")
    }

    /// Splits an integration URI `http(s)://host[:port]/path?query` (nil when it is not an http URL).
    static func split(_ uri: String) -> (scheme: String, host: String, port: String, path: String, query: Substring)? {
        let lower = uri.lowercased()
        let scheme: String
        if lower.hasPrefix("https://") { scheme = "https" } else if lower.hasPrefix("http://") { scheme = "http" } else { return nil }
        let rest = uri.dropFirst(scheme.count + 3)
        let hostEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var host = String(rest[..<hostEnd])
        var port = ""
        if let colon = host.lastIndex(of: ":") {
            port = String(host[colon...])
            host = String(host[..<colon])
        }
        guard !host.isEmpty else { return nil }
        var pathAndQuery = rest[hostEnd...]
        var query: Substring = ""
        if let q = pathAndQuery.firstIndex(of: "?") {
            query = pathAndQuery[pathAndQuery.index(after: q)...]
            pathAndQuery = pathAndQuery[..<q]
        }
        return (scheme, host, port, pathAndQuery.isEmpty ? "/" : String(pathAndQuery), query)
    }

    /// What the backend answers. Like any HTTP server it sends Content-Length, Date and Connection unless the
    /// model gives them (simulation choice: the server is ours).
    static func call(_ backend: Backend, _ request: BackendRequest, date: String) -> BackendResponse {
        var r: BackendResponse
        switch backend.behaviour {
        case .fixed(let status, let headers, let body):
            r = BackendResponse(status: status, headers: HeaderFields(headers), body: body)
        case .echo:
            r = BackendResponse(status: 200, headers: HeaderFields([("Content-Type", "application/json")]), body: request.json.serialized())
        }
        return withServerHeaders(r, date: date)
    }

    /// What every HTTP server sends unless it says otherwise: Content-Length, Date, Connection.
    static func withServerHeaders(_ response: BackendResponse, date: String) -> BackendResponse {
        var r = response
        if !r.headers.contains("Content-Length") { r.headers.add("Content-Length", String(r.body.utf8.count)) }
        if !r.headers.contains("Date") { r.headers.add("Date", date) }
        if !r.headers.contains("Connection") { r.headers.add("Connection", "keep-alive") }
        return r
    }
}
