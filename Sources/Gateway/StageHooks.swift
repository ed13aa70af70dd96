import GatewayModel

/// What may change in an exchange in flight — the shell's `set` and plugin stage hooks — and which stage reads it, so
/// that a change after that stage is refused rather than silently lost.
public enum ExchangeEdit {
    public static let paths: [(path: String, readBy: StageName, what: String)] = [
        ("request.headers.NAME", .methodRequest, "a request header (the method request's headers)"),
        ("request.query.NAME", .methodRequest, "a query string parameter"),
        ("request.body", .methodRequest, "the request body"),
        ("integration.requestBody", .integration, "what the integration receives: the rendered template or the Lambda event"),
        ("integration.status", .integrationResponse, "the integration's status (MOCK, HTTP) that selection patterns match"),
        ("integration.errorMessage", .integrationResponse, "a non-proxy Lambda's errorMessage that selection patterns match"),
        ("integration.responseBody", .integrationResponse, "the integration's answer: the Lambda's payload or the backend's body"),
    ]

    /// The entry for a concrete path (`request.headers.Accept` → `request.headers.NAME`).
    public static func entry(_ path: String) -> (path: String, readBy: StageName, what: String)? {
        let key = path.hasPrefix("request.headers.") ? "request.headers.NAME" : path.hasPrefix("request.query.") ? "request.query.NAME" : path
        return paths.first { $0.path == key }
    }

    /// Applies one edit; false when the path is not editable.
    @discardableResult
    public static func apply(_ path: String, _ value: String, to x: inout Exchange) -> Bool {
        guard let e = entry(path) else { return false }
        let name = path.split(separator: ".", maxSplits: 2).dropFirst(2).first.map(String.init) ?? ""
        switch e.path {
        case "request.headers.NAME":
            x.request.headers.set(name, value)
            x.methodRequestHeaders.set(name, value)
        case "request.query.NAME":
            x.query.removeAll { $0.name == name }
            x.query.append((name, value))
        case "request.body":
            x.request.body = Array(value.utf8)
            if x.request.headers.contains("Content-Length") { x.request.headers.set("Content-Length", String(value.utf8.count)) }
            if x.methodRequestHeaders.contains("Content-Length") { x.methodRequestHeaders.set("Content-Length", String(value.utf8.count)) }
        case "integration.requestBody": x.integrationRequestBody = value
        case "integration.status": x.integrationStatus = value
        case "integration.errorMessage": x.lambdaErrorMessage = value
        default: x.integrationResponseBody = value
        }
        return true
    }
}

/// Plugin stage hooks (`gateway.on`, issue 11): code that runs before or after a pipeline stage to observe the
/// exchange, change it, add latency, fail it with a gateway response, or answer instead of the integration — fault
/// injection for scripted sessions. LuaHost implements it; Gateway never imports LuaHost.
public protocol StageHooks: AnyObject, Sendable {
    func hasHooks(_ phase: HookPhase, _ stage: StageName) -> Bool
    /// Runs the enabled hooks of that phase and stage on a JSON view of the exchange, in registration order.
    func run(_ phase: HookPhase, _ stage: StageName, view: JSONValue, nowMillis: Int64) -> [HookOutcome]
}

public enum HookPhase: String, Sendable { case before, after }

/// What one hook asked for.
public struct HookOutcome: Sendable {
    /// Which hook (plugin file and event), for the trace.
    public var source: String
    public var latencyMillis = 0
    public var edits: [(path: String, value: String)] = []
    /// Answer the client with this instead of going on.
    public var response: (status: Int, headers: [(String, String)], body: String)?
    /// Fail with this gateway response type (`THROTTLED`, `INTEGRATION_TIMEOUT`, …).
    public var failure: String?
    public var logs: [String] = []
    /// The hook itself failed (a plugin error): noted in the trace, the request goes on.
    public var error: String?

    public init(source: String) { self.source = source }

    /// Reads what a hook returned: nil, or a table with `latencyMillis`, `set`, `response`, `fail`.
    public static func parse(_ value: JSONValue?, source: String, logs: [String]) -> HookOutcome {
        var o = HookOutcome(source: source)
        o.logs = logs
        guard let value, case .object(let t) = value else {
            if let value, !value.isNull { o.error = "the hook returned \(value.serialized()), not a table or nil" }
            return o
        }
        let known: Set<String> = ["latencyMillis", "set", "response", "fail"]
        if let unknown = t.keys.first(where: { !known.contains($0) }) {
            o.error = "the hook returned an unknown key '\(unknown)' (known: latencyMillis, set, response, fail)"
            return o
        }
        if let l = t["latencyMillis"] {
            guard let ms = l.intValue, (0...3_600_000).contains(ms) else { o.error = "latencyMillis must be 0 to 3600000"; return o }
            o.latencyMillis = ms
        }
        if case .object(let edits)? = t["set"] {
            for (k, v) in edits {
                guard ExchangeEdit.entry(k) != nil else { o.error = "set: '\(k)' cannot be changed (paths: \(ExchangeEdit.paths.map(\.path).joined(separator: ", ")))"; return o }
                o.edits.append((k, v.stringValue ?? v.serialized()))
            }
        }
        if case .object(let r)? = t["response"] {
            let status = r["status"]?.intValue ?? 200
            guard (100...599).contains(status) else { o.error = "response.status must be 100 to 599"; return o }
            var headers: [(String, String)] = []
            for (k, v) in r["headers"]?.objectValue ?? JSONObject() { headers.append((k, v.stringValue ?? v.serialized())) }
            let body = r["body"].map { $0.stringValue ?? $0.serialized() } ?? ""
            o.response = (status, headers, body)
        }
        if let f = t["fail"] {
            guard let name = f.stringValue, GatewayResponseType(rawValue: name) != nil else {
                o.error = "fail must name a gateway response type such as THROTTLED or INTEGRATION_TIMEOUT"
                return o
            }
            o.failure = name
        }
        return o
    }
}

extension Exchange {
    /// What a hook sees: the request, the integration so far, the response if any.
    func hookView(stage: StageName, phase: HookPhase) -> JSONValue {
        var integration = JSONObject()
        if let b = integrationRequestBody { integration["requestBody"] = .string(b) }
        if let s = integrationStatus { integration["status"] = .string(s) }
        if let b = integrationResponseBody { integration["responseBody"] = .string(b) }
        if let m = lambdaErrorMessage { integration["errorMessage"] = .string(m) }
        let requestView: JSONValue = .obj([
            "method": .string(request.method), "path": .string(path), "rawPath": .string(request.rawPath),
            "headers": .object(JSONObject(methodRequestHeaders.grouped.map { ($0.name, JSONValue.string($0.values.last ?? "")) })),
            "query": .object(JSONObject(query.map { ($0.name, JSONValue.string($0.value)) })),
            "body": request.bodyText.map(JSONValue.string) ?? .null,
        ])
        var view = JSONObject()
        view["stage"] = .string(stage.rawValue)
        view["phase"] = .string(phase.rawValue)
        view["requestId"] = .string(requestId)
        view["request"] = requestView
        view["integration"] = .object(integration)
        if let r = response { view["response"] = .obj(["status": .int(r.status), "body": .string(r.bodyText)]) }
        if let a = apiId { view["api"] = .string(a) }
        if let r = resourcePath { view["resource"] = .string(r) }
        return .object(view)
    }
}
