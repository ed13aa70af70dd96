import Foundation
import GatewayModel
import Policy

/// Stage 3 of an HTTP API: the route's authorizer (http-api.md §7). JWT authorizers check the token's claims;
/// Lambda (REQUEST) authorizers call a function with the identity sources; IAM is not simulated yet.
public struct HttpAuthStage: PipelineStage {
    public var name: StageName { .auth }
    public init() {}

    public func run(_ x: inout Exchange, _ env: GatewayEnvironment) throws(GatewayFailure) {
        guard let state = x.http, !state.preflight, let route = state.route else { return }
        let t = env.clock.millis
        switch route.authorizationType {
        case "NONE":
            x.trace.append(TraceEvent(stage: name, millis: t, summary: "authorizationType NONE: no authorizer", fields: [("authorizationType", "NONE")]))
        case "JWT":
            guard let a = route.authorizer.flatMap({ state.api.authorizers[$0] }) else { return }
            try HttpJwtAuthorizer.run(&x, env, a, route: route, stage: name)
        case "CUSTOM":
            guard let a = route.authorizer.flatMap({ state.api.authorizers[$0] }) else { return }
            try HttpLambdaAuthorizer.run(&x, env, a, route: route, stage: name)
        case "AWS_IAM":
            try HttpIamAuthorization.run(&x, env, route: route, stage: name)
        default:
            x.markUnsupported("authorizationType \(route.authorizationType) on HTTP API routes is not simulated", stage: name, millis: t)
        }
    }
}

/// Identity sources: `$request.header.NAME` (case-insensitive), `$request.querystring.NAME`, `$context.NAME`,
/// `$stageVariables.NAME` (http-api.md §7.2 rule 8).
enum HttpIdentitySource {
    static func value(_ source: String, _ x: Exchange, _ env: GatewayEnvironment) -> String? {
        let v = HttpParameterMapping.value(source, x, env)
        // An unresolved reference stays as written: not a value.
        guard v != source || !source.hasPrefix("$") else { return nil }
        return v
    }
}

/// JWT authorizers (http-api.md §7.1). gwsh decodes the token and checks issuer, audience, expiry, not-before and
/// scopes as API Gateway does; it cannot fetch the issuer's keys, so it does not check the signature (said so in
/// the trace) — a simulation limit, not AWS's behaviour.
enum HttpJwtAuthorizer {
    /// `www-authenticate` error texts: the recorded ones (§7.1 rule 2 [DOC D9] [REC R4, R5]) and gwsh's for the
    /// unrecorded cases (UNCONFIRMED).
    enum Problem {
        case segments, audience, expired, issuer, notYetValid, malformed, signature

        var text: String {
            switch self {
            case .segments: return "token contains an invalid number of segments"           // [REC R5]
            case .audience: return "the token does not have a valid audience"               // [DOC D9]
            case .expired: return "the token has expired"                                   // [REC R4]
            case .issuer: return "the token does not have a valid issuer"                   // UNCONFIRMED text
            case .notYetValid: return "the token is not valid yet"                          // UNCONFIRMED text
            case .malformed: return "the token could not be decoded"                        // UNCONFIRMED text
            case .signature: return "the token signature is invalid"                        // UNCONFIRMED text
            }
        }
        var recorded: Bool { self == .segments || self == .audience || self == .expired }
    }

    static func run(_ x: inout Exchange, _ env: GatewayEnvironment, _ a: HttpAuthorizer, route: HttpRoute, stage: StageName) throws(GatewayFailure) {
        let t = env.clock.millis
        let scopes = route.authorizationScopes.joined(separator: " ")
        func unauthorized(_ problem: Problem?, _ why: String) -> GatewayFailure {
            var f = GatewayFailure(.unauthorized, status: 401, message: "Unauthorized", why: why)
            f.headers = [("www-authenticate", problem.map { "Bearer scope=\"\(scopes)\" error=\"invalid_token\" error_description=\"\($0.text)\"" } ?? "Bearer")]
            return f
        }
        guard let source = a.identitySource.first, var token = HttpIdentitySource.value(source, x, env), !token.isEmpty else {
            throw unauthorized(nil, "JWT authorizer \(a.name): no token at \(a.identitySource.first ?? "its identity source"): 401 with www-authenticate: Bearer (http-api.md §7.1 rule 2 [REC R6])")
        }
        if token.lowercased().hasPrefix("bearer ") { token = String(token.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw unauthorized(.segments, "JWT authorizer \(a.name): the token has \(parts.count) dot-separated parts, not 3 (http-api.md §7.1 rule 2 [REC R5])")
        }
        guard let claims = decode(parts[1]), case .object(let c) = claims, decode(parts[0])?.objectValue != nil else {
            throw unauthorized(.malformed, "JWT authorizer \(a.name): the token's header or claims are not base64url JSON (the www-authenticate text is UNCONFIRMED)")
        }
        // Tokens of gwsh's simulated issuers (Cognito identities of the model) are signed with its key, which gwsh
        // knows: their RS256 signature is checked (http-api.md §7.1 rule 1). Other issuers' keys are not in the model.
        let decodedToken = try? JWT.decode(token)
        let simulated = decodedToken?.header["kid"]?.stringValue == SimulatedIssuerKey.shared.kid
        if simulated, let d = decodedToken, !JWT.verify(d) {
            throw unauthorized(.signature, "JWT authorizer \(a.name): the token names gwsh's simulated issuer key but its RS256 signature does not verify (the www-authenticate text is UNCONFIRMED)")
        }
        guard c["iss"]?.stringValue == a.issuer else {
            throw unauthorized(.issuer, "JWT authorizer \(a.name): iss \(c["iss"].map { $0.serialized() } ?? "(none)") is not the configured issuer \(a.issuer ?? "") (http-api.md §7.1 rule 1; the text is UNCONFIRMED)")
        }
        // aud, else client_id, must name a configured audience; aud wins when both are there ([DOC D9]).
        let aud: [String] = c["aud"].map { $0.arrayValue?.compactMap(\.stringValue) ?? [$0.stringValue].compactMap { $0 } } ?? [c["client_id"]?.stringValue].compactMap { $0 }
        guard aud.contains(where: a.audience.contains) else {
            throw unauthorized(.audience, "JWT authorizer \(a.name): \(c["aud"] != nil ? "aud" : "client_id") \(aud) names none of the audiences \(a.audience) (http-api.md §7.1 rules 1–2 [DOC D9])")
        }
        let now = Double(t) / 1000
        if let exp = number(c["exp"]), exp <= now {
            throw unauthorized(.expired, "JWT authorizer \(a.name): exp \(Int(exp)) (\(VirtualClock(millis: Int64(exp * 1000)).iso8601)) is before now (\(VirtualClock(millis: t).iso8601)) (http-api.md §7.1 rule 2 [REC R4])")
        }
        for k in ["nbf", "iat"] {
            if let v = number(c[k]), v > now {
                throw unauthorized(.notYetValid, "JWT authorizer \(a.name): \(k) \(Int(v)) is after now (http-api.md §7.1 rule 1; the text is UNCONFIRMED)")
            }
        }
        let tokenScopes = (c["scope"]?.stringValue ?? c["scp"]?.stringValue ?? "").split(separator: " ").map(String.init)
            + (c["scp"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        if !route.authorizationScopes.isEmpty, !route.authorizationScopes.contains(where: tokenScopes.contains) {
            throw GatewayFailure(.accessDenied, status: 403, message: "Forbidden",
                                 why: "JWT authorizer \(a.name): the token's scopes \(tokenScopes) include none of the route's \(route.authorizationScopes): 403 (http-api.md §7.1 rule 2 [3P T1, T2])")
        }
        // What the integration sees: every claim as a string, arrays Go-style; scopes null on a route without any (§7.1 rule 5).
        var stringClaims = JSONObject()
        for (k, v) in c {
            switch v {
            case .null: continue
            case .string(let s): stringClaims[k] = .string(s)
            case .array(let items): stringClaims[k] = .string("[" + items.map { $0.stringValue ?? $0.serialized() }.joined(separator: " ") + "]")
            default: stringClaims[k] = .string(v.serialized())
            }
        }
        x.http?.authorizer = .obj(["jwt": .obj(["claims": .object(stringClaims),
                                                "scopes": route.authorizationScopes.isEmpty ? .null : .array(tokenScopes.map(JSONValue.string))])])
        x.trace.append(TraceEvent(stage: stage, millis: t, summary: "JWT authorizer \(a.name): token of \(c["sub"]?.stringValue ?? "?") accepted",
                                  fields: [("authorizer", a.name), ("type", "JWT"), ("sub", c["sub"]?.stringValue ?? "")],
                                  why: "issuer, audience, expiry and scopes hold (http-api.md §7.1 rule 1); " + (simulated
                                    ? "the RS256 signature of gwsh's simulated issuer verifies"
                                    : "gwsh does not check the signature: the token is not signed by a simulated issuer of the model, and gwsh does not fetch \(a.issuer ?? "the issuer")/.well-known/jwks.json (a simulation limit)")))
    }

    static func number(_ v: JSONValue?) -> Double? {
        switch v {
        case .int(let i)?: return Double(i)
        case .double(let d)?: return d
        case .string(let s)?: return Double(s)
        default: return nil
        }
    }

    static func decode(_ part: Substring) -> JSONValue? {
        guard let d = JWT.base64URLDecode(part) else { return nil }
        return try? JSONValue.parse(String(decoding: d, as: UTF8.self))
    }
}

/// Lambda (REQUEST) authorizers (http-api.md §7.2, lambda-payloads.md §5.5).
enum HttpLambdaAuthorizer {
    static func run(_ x: inout Exchange, _ env: GatewayEnvironment, _ a: HttpAuthorizer, route: HttpRoute, stage: StageName) throws(GatewayFailure) {
        // Every identity source present and non-empty, else 401 without calling the function (§7.2 rule 8 [REC R7]).
        var values: [String] = []
        for s in a.identitySource {
            guard let v = HttpIdentitySource.value(s, x, env), !v.isEmpty else {
                throw GatewayFailure(.unauthorized, status: 401, message: "Unauthorized",
                                     why: "Lambda authorizer \(a.name): identity source \(s) is missing or empty, so API Gateway answers 401 without invoking the function (http-api.md §7.2 rule 8 [REC R7])")
            }
            values.append(v)
        }
        let function = a.lambdaFunctionName ?? ""
        guard let lambda = env.lambda, lambda.hasFunction(function) else {
            throw GatewayFailure(.authorizerConfigurationError, status: 500, message: "Internal Server Error",
                                 why: "Lambda authorizer \(a.name): no function '\(function)' (no plugin registers it): API Gateway cannot invoke it, 500 (http-api.md §7.2 rule 9 [DOC D10])")
        }
        let event = a.payloadFormatVersion == "2.0" ? v2Event(x, env, values: values, route: route) : v1Event(x, env, values: values, route: route)
        let result = lambda.call(function, payload: event.serialized(), requestId: env.ids.uuid(), env)
        if case .cancelled = result.outcome {
            x.cancelWhile("the authorizer \(function)", stage: stage, millis: env.clock.millis)
            return
        }
        env.clock.advance(millis: Int64(result.integrationLatencyMillis))
        let payload: String
        switch result.outcome {
        case .success(let p): payload = p
        case .functionError(let error, _):
            if error["errorMessage"]?.stringValue == "Unauthorized" {
                throw GatewayFailure(.unauthorized, status: 401, message: "Unauthorized",
                                     why: "Lambda authorizer \(a.name) failed with errorMessage \"Unauthorized\": 401 (http-api.md §7.2 rule 9 [3P T1])")
            }
            throw GatewayFailure(.authorizerFailure, status: 500, message: "Internal Server Error",
                                 why: "Lambda authorizer \(a.name) failed (\(error["errorMessage"]?.stringValue ?? "an error")): 500 (http-api.md §7.2 rule 9, UNCONFIRMED)")
        case .timedOut, .cancelled:
            throw GatewayFailure(.authorizerFailure, status: 500, message: "Internal Server Error",
                                 why: "Lambda authorizer \(a.name) did not answer in time: 500 (http-api.md §7.2 rule 9, UNCONFIRMED)")
        }
        guard let answer = try? JSONValue.parse(payload), case .object(let o) = answer else {
            throw GatewayFailure(.authorizerConfigurationError, status: 500, message: "Internal Server Error",
                                 why: "Lambda authorizer \(a.name) answered \(payload), not a JSON object: an invalid response, 500 (http-api.md §7.2 rule 9 [DOC D10])")
        }
        let allowed: Bool
        let how: String
        if a.enableSimpleResponses {
            guard case .bool(let b)? = o["isAuthorized"] else {
                throw GatewayFailure(.authorizerConfigurationError, status: 500, message: "Internal Server Error",
                                     why: "Lambda authorizer \(a.name) has simple responses but answered no boolean isAuthorized: an invalid response, 500 (lambda-payloads.md §5.5 rule 49)")
            }
            allowed = b
            how = "isAuthorized: \(b)"
        } else {
            let arn = routeArn(x, env, route: route)
            guard let decision = AuthorizerPolicy.decide(o["policyDocument"], resource: arn) else {
                throw GatewayFailure(.authorizerConfigurationError, status: 500, message: "Internal Server Error",
                                     why: "Lambda authorizer \(a.name) answered no usable policyDocument: an invalid response, 500 (http-api.md §7.2 rule 9 [DOC D10])")
            }
            allowed = decision.allowed
            how = decision.why + " for \(arn)"
        }
        guard allowed else {
            throw GatewayFailure(.accessDenied, status: 403, message: "Forbidden",
                                 why: "Lambda authorizer \(a.name) denies (\(how)): 403 {\"message\":\"Forbidden\"} (http-api.md §7.2 rule 9; bytes UNCONFIRMED at REC level)")
        }
        let context = o["context"] ?? .obj([:])
        // 2.0 integrations see requestContext.authorizer.lambda (§7.2 rule 10 [REC R7]); 1.0 ones, like REST, the
        // context's keys with principalId (assumption).
        if route.integration?.payloadFormatVersion == "1.0" {
            var flat = context.objectValue ?? JSONObject()
            if let p = o["principalId"] { flat["principalId"] = p }
            x.http?.authorizer = .object(flat)
        } else {
            x.http?.authorizer = .obj(["lambda": context])
        }
        x.trace.append(TraceEvent(stage: stage, millis: env.clock.millis, summary: "Lambda authorizer \(a.name) (\(function)) allows: \(how)",
                                  fields: [("authorizer", a.name), ("type", "REQUEST"), ("function", function), ("identitySource", values.joined(separator: ",")),
                                           ("context", context.serialized())],
                                  why: "the function's answer allows the call; its context reaches the integration (http-api.md §7.2 rule 10)"))
    }

    /// `arn:aws:execute-api:REGION:ACCOUNT:API/STAGE/METHOD/PATH` (http-api.md §7.2 rule 12 [DOC D10]).
    static func routeArn(_ x: Exchange, _ env: GatewayEnvironment, route: HttpRoute) -> String {
        "arn:aws:execute-api:\(env.world.region):\(env.world.account):\(x.apiId ?? "")/\(x.stageName ?? "$default")/\(x.request.method)\(x.path)"
    }

    /// The payload 2.0 authorizer event (lambda-payloads.md §5.5 rule 47): the 2.0 request event with type, routeArn
    /// and the identity values.
    static func v2Event(_ x: Exchange, _ env: GatewayEnvironment, values: [String], route: HttpRoute) -> JSONValue {
        guard case .object(var e) = HttpLambdaEvent.v2(x, env) else { return .null }
        var out = JSONObject([("version", "2.0"), ("type", "REQUEST"), ("routeArn", .string(routeArn(x, env, route: route))),
                              ("identitySource", .array(values.map(JSONValue.string)))])
        e["version"] = nil
        e["body"] = nil
        e["isBase64Encoded"] = nil
        for (k, v) in e { out[k] = v }
        return .object(out)
    }

    /// The payload 1.0 authorizer event (rule 48): methodArn, identitySource and authorizationToken (the values
    /// joined with commas), then the 1.0 request fields.
    static func v1Event(_ x: Exchange, _ env: GatewayEnvironment, values: [String], route: HttpRoute) -> JSONValue {
        guard case .object(var e) = HttpLambdaEvent.v1(x, env) else { return .null }
        let joined = JSONValue.string(values.joined(separator: ","))
        var out = JSONObject([("version", "1.0"), ("type", "REQUEST"), ("methodArn", .string(routeArn(x, env, route: route))),
                              ("identitySource", joined), ("authorizationToken", joined)])
        e["version"] = nil
        e["body"] = nil
        e["isBase64Encoded"] = nil
        for (k, v) in e { out[k] = v }
        return .object(out)
    }
}

/// The IAM policy an authorizer returns, evaluated for one `execute-api:Invoke` resource by the Policy engine
/// (policy.md §2.4): an explicit Deny wins, then an Allow, else deny. Nil when it is not a usable policy.
public enum AuthorizerPolicy {
    public static func decide(_ document: JSONValue?, resource: String) -> (allowed: Bool, why: String)? {
        guard let document, let policy = try? PolicyDocument.parse(document) else { return nil }
        switch policy.evaluate(AuthorizationRequest(principal: .anonymous, resource: resource), resourcePolicy: false) {
        case .allow(let s): return (true, "\(s) allows")
        case .explicitDeny(let s): return (false, "\(s) denies explicitly")
        case .neither: return (false, "no statement allows")
        }
    }
}
