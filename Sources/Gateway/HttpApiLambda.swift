import Foundation
import GatewayModel

/// HTTP API Lambda events, payload 1.0 and 2.0 (reference/lambda-payloads.md §4.1–4.2, http-api.md §4.2 rule 3).
public enum HttpLambdaEvent {
    /// The headers Lambda sees before the format's spelling: the client's (hop-by-hop ones dropped), then those
    /// API Gateway adds — `Content-Length: 0` on a bodiless request, X-Amzn-Trace-Id, X-Forwarded-For/-Port/-Proto
    /// (lambda-payloads.md §4.1 rule 37 [3P]; http-api.md §4.2 rule 3 [REC R7, R12]).
    static func headers(_ x: Exchange) -> HeaderFields {
        var h = HeaderFields()
        var clientFor: String?
        for f in x.methodRequestHeaders {
            switch f.name.lowercased() {
            case "connection", "keep-alive", "transfer-encoding", "te", "upgrade", "x-forwarded-port", "x-forwarded-proto": continue
            case "x-forwarded-for": clientFor = f.value
            case "x-amzn-trace-id": continue  // replaced by API Gateway's below (the client's Root is kept: UNCONFIRMED)
            default: h.add(f.name, f.value)
            }
        }
        if !h.contains("Host") { h.add("Host", x.host) }
        if !h.contains("Content-Length") { h.add("Content-Length", String(x.request.body?.count ?? 0)) }
        h.add("X-Amzn-Trace-Id", x.request.headers["X-Amzn-Trace-Id"] ?? x.edge.traceId)
        h.add("X-Forwarded-For", (clientFor.map { $0 + ", " } ?? "") + x.request.sourceIp)
        h.add("X-Forwarded-Port", "443")
        h.add("X-Forwarded-Proto", "https")
        return h
    }

    /// 1.0 spells these names canonically whatever the client sent; others keep the client's spelling (§4.2 [REC R9]).
    static let canonicalV1: [String: String] = [
        "host": "Host", "content-length": "Content-Length", "content-type": "Content-Type", "user-agent": "User-Agent",
        "x-amzn-trace-id": "X-Amzn-Trace-Id", "x-forwarded-for": "X-Forwarded-For", "x-forwarded-port": "X-Forwarded-Port",
        "x-forwarded-proto": "X-Forwarded-Proto",
    ]

    static func body(_ x: Exchange) -> (JSONValue, Bool) {
        guard let b = x.request.body, !b.isEmpty else { return (.null, false) }
        // Text bodies pass as they are; bytes that are not UTF-8 are base64 (lambda-payloads.md §4.1, isBase64Encoded).
        if let s = String(validating: b, as: UTF8.self) { return (.string(s), false) }
        return (.string(Data(b).base64EncodedString()), true)
    }

    /// Payload 2.0: lower-cased header names, repeats joined with `,`; cookies apart; absent parts omitted (rule 36).
    public static func v2(_ x: Exchange, _ env: GatewayEnvironment) -> JSONValue {
        guard let state = x.http, let stage = state.stage else { return .null }
        var headerMap = JSONObject()
        var cookies: [JSONValue] = []
        for g in Self.headers(x).grouped {
            let lower = g.name.lowercased()
            if lower == "cookie" {
                // "All cookie headers in the request are combined with commas and added to the cookies field" (§4.1).
                for v in g.values { cookies += v.split(separator: ";").map { .string($0.trimmingCharacters(in: .whitespaces)) } }
                continue
            }
            headerMap[lower] = .string(g.values.joined(separator: ","))
        }
        var query = JSONObject()
        for (k, v) in x.query {
            if let old = query[k]?.stringValue { query[k] = .string(old + "," + v) } else { query[k] = .string(v) }
        }
        let route = state.route
        var context: JSONValue = .obj([
            "accountId": .string(env.world.account), "apiId": .string(state.api.apiId),
            "domainName": .string(x.host), "domainPrefix": .string(x.host.split(separator: ".").first.map(String.init) ?? x.host),
            "http": .obj(["method": .string(x.request.method), "path": .string(state.rawPath), "protocol": "HTTP/1.1",
                          "sourceIp": .string(x.request.sourceIp), "userAgent": .string(x.methodRequestHeaders["User-Agent"] ?? "")]),
            "requestId": .string(x.requestId), "routeKey": .string(route?.routeKey ?? "$default"), "stage": .string(stage.stageName),
            "time": .string(VirtualClock(millis: x.startMillis).clfDate), "timeEpoch": .int(Int(x.startMillis)),
        ])
        if let authorizer = state.authorizer, case .object(var c) = context {
            c["authorizer"] = authorizer
            context = .object(c)
        }
        var event = JSONObject([
            ("version", "2.0"), ("routeKey", .string(route?.routeKey ?? "$default")), ("rawPath", .string(state.rawPath)),
            ("rawQueryString", .string(state.rawQueryString)),
        ])
        if !cookies.isEmpty { event["cookies"] = .array(cookies) }
        event["headers"] = .object(headerMap)
        if !query.isEmpty { event["queryStringParameters"] = .object(query) }
        if !x.pathParameters.isEmpty { event["pathParameters"] = .object(JSONObject(x.pathParameters.map { ($0.name, .string($0.value)) })) }
        if !stage.variables.isEmpty { event["stageVariables"] = .object(JSONObject(stage.variables.map { ($0.name, .string($0.value)) })) }
        event["requestContext"] = context
        let (body, base64) = Self.body(x)
        if body != .null { event["body"] = body }
        event["isBase64Encoded"] = .bool(base64)
        return .object(event)
    }

    /// Payload 1.0: the REST proxy event's shape plus `version` (§4.2), as recorded on an HTTP API: names as sent
    /// but canonical for the gateway's own, `resourceId` = the route key, no `deploymentId` and no `authorizer`,
    /// `identity.cognitoAmr: null`, the stage segment kept in `path` (http-api.md §2.6 rule 26 [REC R9]).
    public static func v1(_ x: Exchange, _ env: GatewayEnvironment) -> JSONValue {
        guard let state = x.http, let stage = state.stage else { return .null }
        let grouped = Self.headers(x).grouped.map { g in (name: canonicalV1[g.name.lowercased()] ?? g.name, values: g.values) }
        var single = JSONObject(), multi = JSONObject()
        for (k, v) in x.query {
            // Repeats: the single-value map joins them with commas on HTTP APIs (http-api.md §2.4 rule 20), the multi-value map lists them.
            if let old = single[k]?.stringValue { single[k] = .string(old + "," + v) } else { single[k] = .string(v) }
            multi[k] = .array((multi[k]?.arrayValue ?? []) + [.string(v)])
        }
        let resource = state.route?.isDefault == false ? (state.route?.path ?? x.path) : "$default"
        let identity: JSONValue = .obj([
            "accessKey": .null, "accountId": .null, "caller": .null, "cognitoAmr": .null, "cognitoAuthenticationProvider": .null,
            "cognitoAuthenticationType": .null, "cognitoIdentityId": .null, "cognitoIdentityPoolId": .null, "principalOrgId": .null,
            "sourceIp": .string(x.request.sourceIp), "user": .null, "userAgent": x.methodRequestHeaders["User-Agent"].map(JSONValue.string) ?? .null,
            "userArn": .null,
        ])
        var context: JSONValue = .obj([
            "accountId": .string(env.world.account), "apiId": .string(state.api.apiId), "domainName": .string(x.host),
            "domainPrefix": .string(x.host.split(separator: ".").first.map(String.init) ?? x.host), "extendedRequestId": .string(x.extendedRequestId),
            "httpMethod": .string(x.request.method), "identity": identity, "path": .string(state.rawPath), "protocol": "HTTP/1.1",
            "requestId": .string(x.requestId), "requestTime": .string(VirtualClock(millis: x.startMillis).clfDate),
            "requestTimeEpoch": .int(Int(x.startMillis)), "resourceId": .string(state.route?.routeKey ?? "$default"),
            "resourcePath": .string(resource), "stage": .string(stage.stageName),
        ])
        if let authorizer = state.authorizer, case .object(var c) = context {
            c["authorizer"] = authorizer
            context = .object(c)
        }
        let (body, base64) = Self.body(x)
        return .obj([
            "version": "1.0", "resource": .string(resource), "path": .string(state.rawPath), "httpMethod": .string(x.request.method),
            "headers": grouped.isEmpty ? .null : .object(JSONObject(grouped.map { ($0.name, .string($0.values.joined(separator: ","))) })),
            "multiValueHeaders": grouped.isEmpty ? .null : .object(JSONObject(grouped.map { ($0.name, .array($0.values.map(JSONValue.string))) })),
            "queryStringParameters": x.query.isEmpty ? .null : .object(single),
            "multiValueQueryStringParameters": x.query.isEmpty ? .null : .object(multi),
            "requestContext": context,
            "pathParameters": x.pathParameters.isEmpty ? .null : .object(JSONObject(x.pathParameters.map { ($0.name, .string($0.value)) })),
            "stageVariables": stage.variables.isEmpty ? .null : .object(JSONObject(stage.variables.map { ($0.name, .string($0.value)) })),
            "body": body, "isBase64Encoded": .bool(base64),
        ])
    }
}

/// What the client gets from a Lambda answer (lambda-payloads.md §4.3).
public enum HttpLambdaResponse {
    public struct Answer: Sendable {
        public var status: Int
        public var headers: HeaderFields
        public var body: [UInt8]
        /// Payload 2.0 without statusCode: everything assumed (rule 38).
        public var inferred = false
        public var why: String
    }

    /// Why an answer cannot be used (the client gets 500).
    public struct Unusable: Error, Sendable { public var why: String }

    /// A function answer without a content type reaches the client as text (http-api.md §4.2 rule 4 [REC R8]).
    static let defaultContentType = "text/plain; charset=utf-8"

    /// Payload 2.0: valid JSON without `statusCode` → 200 application/json with the JSON as body (a string: its
    /// text); with `statusCode` → the explicit format; not JSON → 500 (rules 38–39).
    public static func v2(_ payload: String) -> Result<Answer, Unusable> {
        guard let value = try? JSONValue.parse(payload) else {
            return .failure(Unusable(why: "payload 2.0: the function's answer is not valid JSON, so API Gateway cannot use it: 500 (lambda-payloads.md §6 [REC http-api/payload-2-0-invalid-json-response-500])"))
        }
        guard case .object(let o) = value, o["statusCode"] != nil else {
            let body: String
            if case .string(let s) = value { body = s } else { body = payload }
            return .success(Answer(status: 200, headers: HeaderFields([("Content-Type", "application/json")]), body: Array(body.utf8), inferred: true,
                                   why: "payload 2.0 and no statusCode: API Gateway assumes statusCode 200, content-type application/json, isBase64Encoded false and sends the answer as the body (lambda-payloads.md §4.3 rule 38 [SEED])"))
        }
        return explicit(o, version: "2.0")
    }

    /// Payload 1.0: the strict format only; anything else is a 500 (rule 40 [SEED]).
    public static func v1(_ payload: String) -> Result<Answer, Unusable> {
        guard let value = try? JSONValue.parse(payload), case .object(let o) = value else {
            return .failure(Unusable(why: "payload 1.0 needs {statusCode, headers, multiValueHeaders, body, isBase64Encoded}; the function answered something else, and API Gateway \"doesn't make assumptions\": 500 (lambda-payloads.md §4.3 rule 40 [SEED])"))
        }
        guard o["statusCode"] != nil else {
            return .failure(Unusable(why: "payload 1.0 and no statusCode in the answer: API Gateway \"doesn't make assumptions of the response and returns a 500 error\" (lambda-payloads.md §4.3 rule 40 [SEED]); payload 2.0 would infer 200"))
        }
        return explicit(o, version: "1.0")
    }

    static func explicit(_ o: JSONObject, version: String) -> Result<Answer, Unusable> {
        let allowed = version == "2.0" ? ["statusCode", "headers", "body", "isBase64Encoded", "cookies", "multiValueHeaders"]
            : ["statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"]
        if let extra = o.keys.first(where: { !allowed.contains($0) }) {
            // An unknown key next to statusCode: UNCONFIRMED; gwsh treats it as a malformed answer.
            let list = allowed.joined(separator: ", ")
            return .failure(Unusable(why: "payload \(version): unknown key \"\(extra)\" next to statusCode (allowed: \(list)); gwsh answers 500 (UNCONFIRMED)"))
        }
        let status: Int
        switch o["statusCode"] {
        case .int(let i)?: status = i
        case .string(let s)? where Int(s) != nil: status = Int(s)!
        case let other?: return .failure(Unusable(why: "payload \(version): statusCode must be a number, found \(other.serialized()): 500 (UNCONFIRMED)"))
        case nil: return .failure(Unusable(why: "no statusCode"))
        }
        guard (100...599).contains(status) else { return .failure(Unusable(why: "payload \(version): statusCode \(status) is not an HTTP status: 500 (UNCONFIRMED)")) }
        var headers = HeaderFields()
        if case .object(let mv)? = o["multiValueHeaders"] {
            for (k, v) in mv { for item in v.arrayValue ?? [] { if let t = item.stringValue { headers.add(k, t) } } }
        }
        switch o["headers"] {
        case nil, .null?: break
        case .object(let h)?:
            for (k, v) in h {
                let text: String
                switch v {
                case .string(let s): text = s
                case .int, .double, .bool: text = v.serialized()
                default: return .failure(Unusable(why: "payload \(version): headers.\(k) must be a string, found \(v.kindName): 500 (UNCONFIRMED)"))
                }
                if !headers.contains(k) { headers.add(k, text) }
            }
        case let other?: return .failure(Unusable(why: "payload \(version): headers must be an object, found \(other.kindName): 500 (UNCONFIRMED)"))
        }
        if version == "2.0", case .array(let cookies)? = o["cookies"] {
            // "each cookie becomes a set-cookie header" (rule 39).
            for c in cookies { if let s = c.stringValue { headers.add("set-cookie", s) } }
        }
        var base64 = false
        if case .bool(let b)? = o["isBase64Encoded"] { base64 = b }
        var body: [UInt8] = []
        switch o["body"] {
        case nil, .null?: break
        case .string(let s)?:
            if base64 {
                guard let d = Data(base64Encoded: s) else { return .failure(Unusable(why: "payload \(version): isBase64Encoded is true but the body is not base64: 500 (UNCONFIRMED)")) }
                body = Array(d)
            } else {
                body = Array(s.utf8)
            }
        case let other?:
            return .failure(Unusable(why: "payload \(version): body must be a string, found \(other.kindName): 500 (UNCONFIRMED)"))
        }
        var why = "payload \(version): statusCode \(status) and the answer's headers and body (lambda-payloads.md §4.3 rule \(version == "2.0" ? 39 : 40))"
        if !headers.contains("Content-Type") {
            headers.add("Content-Type", defaultContentType)
            why += "; no content-type: text/plain; charset=utf-8 (http-api.md §4.2 rule 4 [REC R8]\(version == "1.0" ? ", UNCONFIRMED for 1.0" : ""))"
        }
        return .success(Answer(status: status, headers: headers, body: body, why: why))
    }
}

/// HTTP API parameter mapping (mapping.md §5).
public enum HttpParameterMapping {
    public struct Request: Sendable {
        public var headers: HeaderFields
        public var query: [(name: String, value: String)]
        public var path: String
    }

    /// A mapping value: `$request.header.X`, `$request.querystring.X`, `$request.path`, `$request.path.X`,
    /// `$context.X`, `$stageVariables.X`, `$response.header.X`, `${…}` forms inside text, or static text (§5.2).
    static func value(_ raw: String, _ x: Exchange, _ env: GatewayEnvironment, response: HeaderFields? = nil, responseBody: [UInt8]? = nil) -> String {
        // A Lua mapper (`{ lua: NAME }`) computes the value from what a mapping sees; a failing one maps to nothing
        // useful, so the value is empty and the trace of the mapping says why (issue 11).
        if let mapper = LuaMapperReference.name(raw) {
            var copy = x
            let body = responseBody.map { String(decoding: $0, as: UTF8.self) } ?? x.request.bodyText ?? ""
            if case .rendered(let v) = LuaMappers.render(mapper, payload: body, &copy, env) { return v }
            return ""
        }
        var out = ""
        var i = raw.startIndex
        while i < raw.endIndex {
            if raw[i] == "$" {
                var j = raw.index(after: i)
                let braced = j < raw.endIndex && raw[j] == "{"
                if braced { j = raw.index(after: j) }
                var k = j
                // A name runs over letters, digits, `.`, `_`, `-` and the `[n]` of a body path; `${…}` to its brace.
                while k < raw.endIndex, braced ? raw[k] != "}" : (raw[k].isLetter || raw[k].isNumber || "._-[]".contains(raw[k])) { k = raw.index(after: k) }
                let name = String(raw[j..<k])
                if braced, k < raw.endIndex, raw[k] == "}" { k = raw.index(after: k) }
                if let v = variable(name, x, env, response: response, responseBody: responseBody) { out += v; i = k; continue }
            }
            out.append(raw[i])
            i = raw.index(after: i)
        }
        return out
    }

    static func variable(_ name: String, _ x: Exchange, _ env: GatewayEnvironment, response: HeaderFields?, responseBody: [UInt8]?) -> String? {
        let parts = name.split(separator: ".", maxSplits: 2).map(String.init)
        // `$request.body.PATH` / `$response.body.PATH`: a JSON path into the body, read up to 100 KB (§5.2 [DOC D10]).
        func body(_ bytes: [UInt8]?, _ path: String?) -> String {
            let text = String(decoding: (bytes ?? []).prefix(100 * 1024), as: UTF8.self)
            guard let path else { return text }
            guard let v = (try? JSONValue.parse(text))?.at(JSONValue.pathComponents(path)) else { return "" }
            return v.stringValue ?? v.serialized()
        }
        switch (parts.first, parts.count) {
        case ("request"?, _) where parts.count >= 2 && parts[1] == "body": return body(x.request.body, parts.count == 3 ? parts[2] : nil)
        case ("response"?, _) where parts.count >= 2 && parts[1] == "body": return body(responseBody, parts.count == 3 ? parts[2] : nil)
        case ("request"?, 3) where parts[1] == "header": return x.methodRequestHeaders.values(parts[2]).joined(separator: ",")
        case ("request"?, 3) where parts[1] == "querystring": return x.query.filter { $0.name == parts[2] }.map(\.value).joined(separator: ",")
        case ("request"?, 3) where parts[1] == "path": return x.pathParameters.first { $0.name == parts[2] }?.value ?? ""
        case ("request"?, 2) where parts[1] == "path": return x.path
        case ("response"?, 3) where parts[1] == "header": return response?.values(parts[2]).joined(separator: ",") ?? ""
        case ("stageVariables"?, _) where parts.count >= 2:
            return x.http?.stage?.variables.first { $0.name == parts.dropFirst().joined(separator: ".") }?.value ?? ""
        case ("context"?, _) where parts.count >= 2:
            switch parts.dropFirst().joined(separator: ".") {
            case "requestId", "extendedRequestId": return x.requestId
            case "apiId": return x.apiId ?? ""
            case "stage": return x.stageName ?? ""
            case "routeKey": return x.http?.route?.routeKey ?? ""
            case "httpMethod": return x.request.method
            case "path": return x.requestContextPath
            case "identity.sourceIp": return x.request.sourceIp
            case "identity.userAgent": return x.methodRequestHeaders["User-Agent"] ?? ""
            case "domainName": return x.host
            case "accountId": return env.world.account
            default: return nil  // other context variables: not simulated yet; the text stays as written
            }
        default: return nil
        }
    }

    /// Applies request mappings; returns trace fields.
    static func apply(_ mappings: [(key: String, value: String)], to r: inout Request, _ x: Exchange, _ env: GatewayEnvironment) throws(GatewayFailure) -> [(String, String)] {
        var fields: [(String, String)] = []
        for (key, raw) in mappings {
            let v = value(raw, x, env)
            let (action, target) = split(key)
            switch (action, target) {
            case ("overwrite", "path"): r.path = v
            case (_, let t) where t.hasPrefix("header."):
                let n = String(t.dropFirst(7))
                if action == "remove" { r.headers.remove(n) } else if action == "overwrite" { r.headers.set(n, v) } else { r.headers.add(n, v) }
            case (_, let t) where t.hasPrefix("querystring."):
                let n = String(t.dropFirst(12))
                if action != "append" { r.query.removeAll { $0.name == n } }
                if action != "remove" { r.query.append((n, v)) }
            default:
                throw GatewayFailure(.apiConfigurationError, status: 500, message: "Internal Server Error",
                                     why: "request mapping '\(key)' is not one of append:|overwrite:|remove: header.NAME / querystring.NAME, or overwrite:path (mapping.md §5.1)")
            }
            fields.append((key, action == "remove" ? "(removed)" : v))
        }
        return fields
    }

    /// Applies the response mappings of the integration's status; returns the reasons for the trace.
    static func response(_ mappings: [(key: String, value: String)], status: inout Int, headers: inout HeaderFields, _ x: Exchange, _ env: GatewayEnvironment) -> [String] {
        var why: [String] = []
        let answered = headers
        for (key, raw) in mappings {
            let v = value(raw, x, env, response: answered, responseBody: x.http?.body)
            let (action, target) = split(key)
            if action == "overwrite", target.lowercased() == "statuscode" {
                // `statuscode` matched case-insensitively (mapping.md §5.1 rule 55).
                if let n = Int(v.trimmingCharacters(in: .whitespaces)), (100...599).contains(n) {
                    why.append("responseParameters \"\(status)\": overwrite:statuscode → \(n) (mapping.md §5.3 [SEED])")
                    status = n
                } else {
                    why.append("overwrite:statuscode value '\(v)' is not a status code: ignored (UNCONFIRMED)")
                }
            } else if target.hasPrefix("header.") {
                let n = String(target.dropFirst(7))
                if action == "remove" { headers.remove(n) } else if action == "overwrite" { headers.set(n, v) } else { headers.add(n, v) }
                why.append("\(key) (mapping.md §5.1)")
            }
        }
        return why
    }

    static func split(_ key: String) -> (String, String) {
        guard let colon = key.firstIndex(of: ":") else { return ("", key) }
        return (String(key[..<colon]), String(key[key.index(after: colon)...]))
    }
}

/// The request an HTTP_PROXY integration sends (http-api.md §4.4 rules 11–13 [DOC D5, D1] [REC R10, R11]).
enum HttpProxyRequest {
    static func build(_ x: Exchange, _ env: GatewayEnvironment, integration: HttpIntegration, path: String) -> BackendRequest {
        var uri = integration.uri
        for p in x.pathParameters { uri = uri.replacingOccurrences(of: "{\(p.name)}", with: QueryString.encodePath(p.value)) }
        if x.http?.route?.isDefault == true {
            // A $default route appends the full request path to the URI (§2.6 rule 28 [DOC D1]).
            if uri.hasSuffix("/") { uri.removeLast() }
            uri += path
        }
        if let q = x.http?.rawQueryString, !q.isEmpty { uri += (uri.contains("?") ? "&" : "?") + q }  // append (UNCONFIRMED)
        let parts = Backends.split(uri) ?? ("https", uri, "", "/", "")
        var h = HeaderFields()
        for f in x.methodRequestHeaders {
            switch f.name.lowercased() {
            case "host", "connection", "keep-alive", "transfer-encoding", "te", "upgrade", "x-forwarded-for", "x-forwarded-port",
                 "x-forwarded-proto", "forwarded", "via", "content-length", "x-amzn-trace-id": continue
            default: h.add(f.name, f.value)
            }
        }
        let body = x.request.bodyText ?? ""
        h.add("Host", parts.host)
        h.add("Content-Length", String(body.utf8.count))
        // Incoming X-Forwarded-* become one standard header with the egress address appended (§4.4 rule 12 [DOC D13]).
        h.add("Forwarded", "by=198.51.100.1;for=\(x.request.sourceIp);host=\(x.host);proto=https")
        h.add("Via", "HTTP/1.1 AmazonAPIGateway")
        h.add("X-Amzn-Trace-Id", x.request.headers["X-Amzn-Trace-Id"] ?? x.edge.traceId)
        let method = integration.method.flatMap { $0 == "ANY" ? nil : $0 } ?? x.request.method
        return BackendRequest(method: method, url: uri, host: parts.host, path: String(parts.path), query: QueryString.parse(parts.query),
                              headers: h, body: body)
    }
}
