import GatewayModel

/// The REST Lambda proxy integration's event (payload "1.0") and response contract (lambda-payloads.md §1–2).
public enum LambdaProxy {
    /// Builds the event exactly as recorded (lambda-payloads.md §1.1, §1.4, §1.5). Key order follows the
    /// console Test log (rest-request-flow.md §5.4); comparisons are structural anyway.
    public static func event(_ x: Exchange, api: RestApi, stage: Stage, accountId: String, requestTimeMillis: Int64,
                             requestTime: String) -> JSONValue {
        let grouped = x.methodRequestHeaders.grouped
        let headers: JSONValue = grouped.isEmpty ? .null
            : .object(JSONObject(grouped.map { ($0.name, .string($0.values.last ?? "")) }))
        let multiHeaders: JSONValue = grouped.isEmpty ? .null
            : .object(JSONObject(grouped.map { ($0.name, .array($0.values.map(JSONValue.string))) }))

        // Repeated query keys: the single-value map holds the last value, the multi-value map all in order;
        // no query string → both null (lambda-payloads.md §1.2 rule 4, exact strings #19).
        var single = JSONObject(), multi = JSONObject()
        for (k, v) in x.query {
            single[k] = .string(v)
            var list = multi[k]?.arrayValue ?? []
            list.append(.string(v))
            multi[k] = .array(list)
        }
        let pathParams: JSONValue = x.pathParameters.isEmpty ? .null
            : .object(JSONObject(x.pathParameters.map { ($0.name, .string($0.value)) }))
        let stageVars: JSONValue = stage.variables.isEmpty ? .null
            : .object(JSONObject(stage.variables.map { ($0.name, .string($0.value)) }))

        let requestContext = Self.requestContext(x, api: api, stage: stage, accountId: accountId,
                                                 requestTimeMillis: requestTimeMillis, requestTime: requestTime)
        let body: JSONValue = x.request.body.map { .string(String(decoding: $0, as: UTF8.self)) } ?? .null
        return .obj([
            "resource": .string(x.resourcePath ?? ""), "path": .string(x.path), "httpMethod": .string(x.request.method),
            "headers": headers, "multiValueHeaders": multiHeaders,
            "queryStringParameters": x.query.isEmpty ? .null : .object(single),
            "multiValueQueryStringParameters": x.query.isEmpty ? .null : .object(multi),
            "pathParameters": pathParams, "stageVariables": stageVars, "requestContext": requestContext,
            "body": body, "isBase64Encoded": false,
        ])
    }

    /// The event's `requestContext`; mapping templates' `$context` is built from the same values.
    public static func requestContext(_ x: Exchange, api: RestApi, stage: Stage, accountId: String, requestTimeMillis: Int64,
                                      requestTime: String) -> JSONValue {
        let userAgent: JSONValue = x.methodRequestHeaders["User-Agent"].map(JSONValue.string) ?? .null
        // identity: all null but sourceIp and userAgent without IAM, Cognito or API keys (§1.4).
        var identity: JSONValue = .obj([
            "cognitoIdentityPoolId": .null, "accountId": .null, "cognitoIdentityId": .null, "caller": .null,
            "sourceIp": .string(x.request.sourceIp), "principalOrgId": .null, "accessKey": .null,
            "cognitoAuthenticationType": .null, "cognitoAuthenticationProvider": .null, "userArn": .null,
            "userAgent": userAgent, "user": .null,
        ])
        if let caller = x.caller, case .object(var o) = identity {
            // A SigV4 caller of an AWS_IAM method: its ARN, account and access key (lambda-payloads.md §1.4;
            // `caller`/`user` carry IAM's unique ids, which gwsh does not model: UNCONFIRMED, left null).
            o["accountId"] = .string(caller.account)
            o["accessKey"] = .string(caller.accessKeyId)
            o["userArn"] = .string(caller.arn)
            identity = .object(o)
        }
        if x.testInvoke != nil, case .object(var o) = identity {
            // A Test call carries these fixed key values (rest-request-flow.md §5.1 rule 76 [REC U2, U3]).
            o["apiKey"] = "test-invoke-api-key"
            o["apiKeyId"] = "test-invoke-api-key-id"
            identity = .object(o)
        }
        let domainPrefix = x.host.split(separator: ".").first.map(String.init) ?? x.host
        // No `authorizer` key without an authorizer: recordings beat the doc example (§1.4 rule 13).
        var context: JSONValue = .obj([
            "resourceId": .string(x.resourceId ?? ""), "resourcePath": .string(x.resourcePath ?? ""),
            "httpMethod": .string(x.request.method), "extendedRequestId": .string(x.extendedRequestId),
            "requestTime": .string(requestTime), "path": .string(x.requestContextPath), "accountId": .string(accountId),
            "protocol": "HTTP/1.1", "stage": .string(stage.stageName), "domainPrefix": .string(domainPrefix),
            "requestTimeEpoch": .int(Int(requestTimeMillis)), "requestId": .string(x.requestId), "identity": identity,
            "domainName": .string(x.host), "deploymentId": .string(x.edge.deploymentId), "apiId": .string(api.id),
        ])
        if let a = x.authorizer, case .object(var o) = context {
            o["authorizer"] = a.requestContextValue
            context = .object(o)
        }
        return context
    }

    /// A valid proxy response, ready for the client.
    public struct Response: Sendable, Equatable {
        public var statusCode: Int
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]

        public static func == (a: Response, b: Response) -> Bool {
            a.statusCode == b.statusCode && a.body == b.body && a.headers.count == b.headers.count
                && zip(a.headers, b.headers).allSatisfy { $0.name == $1.name && $0.value == $1.value }
        }
    }

    public enum ParseError: Error, Sendable, Equatable {
        /// The payload does not have the proxy response's shape → 502 (lambda-payloads.md §2.3).
        case malformed(String)
        /// `isBase64Encoded` with a binary Accept type but a body that is not base64 → 500 (rule 24).
        case invalidBase64
    }

    /// Parses what the function returned, per lambda-payloads.md §2.2–2.3.
    /// `acceptsBinary`: whether the request's first `Accept` media type matches `binaryMediaTypes`.
    public static func parse(payload: String, acceptsBinary: Bool) -> Result<Response, ParseError> {
        guard let value = try? JSONValue.parse(payload) else { return .failure(.malformed("the payload is not JSON")) }
        guard case .object(let o) = value else {
            // A bare string, number, list or null is not a proxy response (rule 22, `justAString` → 502).
            return .failure(.malformed("the function returned \(value.kindName), not an object"))
        }
        let allowed = ["statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"]
        // Unknown top-level keys → 502 (rule 18); `cookies` is an HTTP API 2.0 key, unknown here (UNCONFIRMED).
        if let extra = o.keys.first(where: { !allowed.contains($0) }) {
            return .failure(.malformed("unknown key \"\(extra)\" (allowed: \(allowed.joined(separator: ", ")))"))
        }
        var status = 200  // no statusCode → 200 (rule 17)
        switch o["statusCode"] {
        case nil, .null?: break
        case .int(let i)?: status = i
        case .string(let s)? where !s.isEmpty && s.allSatisfy(\.isASCII) && Int(s) != nil: status = Int(s)!
        case let other?: return .failure(.malformed("statusCode must be a number or a string of digits, found \(other.serialized())"))
        }
        // Out-of-range codes: UNCONFIRMED; gwsh treats them as malformed.
        guard (100...599).contains(status) else { return .failure(.malformed("statusCode \(status) is not an HTTP status")) }

        func scalarText(_ v: JSONValue) -> String? {
            switch v {
            case .string(let s): return s
            case .bool(let b): return b ? "true" : "false"  // booleans render as true/false (rule 20)
            default: return nil  // numbers and objects: UNCONFIRMED, [3P] → 502
            }
        }
        var headers: [(name: String, value: String)] = []
        switch o["multiValueHeaders"] {
        case nil, .null?: break
        case .object(let mv)?:
            for (k, v) in mv {
                guard case .array(let items) = v else {
                    return .failure(.malformed("multiValueHeaders.\(k) must be a list, found \(v.kindName)"))  // rule 21
                }
                for item in items {
                    guard let t = scalarText(item) else { return .failure(.malformed("multiValueHeaders.\(k) holds \(item.kindName)")) }
                    headers.append((name: k, value: t))
                }
            }
        case let other?: return .failure(.malformed("multiValueHeaders must be an object, found \(other.kindName)"))
        }
        switch o["headers"] {
        case nil, .null?: break  // `headers: null` is accepted (rule 20)
        case .object(let hv)?:
            for (k, v) in hv {
                guard let t = scalarText(v) else { return .failure(.malformed("headers.\(k) must be a string, found \(v.kindName)")) }
                // Both maps reach the client, multiValueHeaders first and with its spelling; an identical
                // pair appears once (rule 21 [REC], [DOC L1]).
                if let i = headers.firstIndex(where: { HeaderFields.sameName($0.name, k) }) {
                    if !headers.contains(where: { HeaderFields.sameName($0.name, k) && $0.value == t }) {
                        let name = headers[i].name
                        let last = headers.lastIndex(where: { HeaderFields.sameName($0.name, k) })!
                        headers.insert((name: name, value: t), at: last + 1)
                    }
                } else {
                    headers.append((name: k, value: t))
                }
            }
        case let other?: return .failure(.malformed("headers must be an object, found \(other.kindName)"))
        }
        var base64 = false
        switch o["isBase64Encoded"] {
        case nil, .null?: break
        case .bool(let b)?: base64 = b
        case let other?: return .failure(.malformed("isBase64Encoded must be true or false, found \(other.kindName)"))
        }
        var body: [UInt8] = []
        switch o["body"] {
        case nil, .null?: break
        case .string(let s)?:
            // isBase64Encoded decodes only when the first Accept type is binary (rule 24); else verbatim.
            if base64 && acceptsBinary {
                guard let data = Base64.decode(s) else { return .failure(.invalidBase64) }
                body = data
            } else {
                body = Array(s.utf8)
            }
        case let other?: return .failure(.malformed("body must be a string, found \(other.kindName)"))  // UNCONFIRMED → 502
        }
        if !headers.contains(where: { HeaderFields.sameName($0.name, "Content-Type") }) {
            // Default Content-Type (rest-request-flow.md §4.2 rule 67).
            headers.insert((name: "Content-Type", value: "application/json"), at: 0)
        }
        return .success(Response(statusCode: status, headers: headers, body: body))
    }
}

enum Base64 {
    static func decode(_ s: String) -> [UInt8]? {
        guard let d = Foundation.Data(base64Encoded: s) else { return nil }
        return Array(d)
    }
}

import Foundation
