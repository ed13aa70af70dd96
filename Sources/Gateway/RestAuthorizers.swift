import Foundation
import GatewayModel
import Policy

/// What an authorizer said about the caller, as the rest of the request sees it: `$context.authorizer.*`, the
/// proxy event's `requestContext.authorizer`, and the API key of `apiKeySource: AUTHORIZER`.
public struct AuthorizerOutput: Sendable {
    /// Lambda authorizers: the output's `principalId`.
    public var principalId: String?
    /// Lambda authorizers: the output's `context` (string, number and boolean values), in the order returned.
    public var context: [(key: String, value: JSONValue)] = []
    /// Cognito authorizers: the token's claims.
    public var claims: JSONObject?
    /// Lambda authorizers: `usageIdentifierKey`, the API key when the API's key source is AUTHORIZER.
    public var usageIdentifierKey: String?
    /// The authorizer call's latency (`requestContext.authorizer.integrationLatency`); 0 for a cached answer.
    public var integrationLatency: Int = 0

    /// `requestContext.authorizer` of the proxy event (lambda-payloads.md §1.4 rule 14): principalId, the context's
    /// keys and integrationLatency for a Lambda authorizer; `claims` for Cognito. Context values keep their JSON type
    /// (UNCONFIRMED: rule 14); templates see them as strings (mapping.md §4.4 rule 45).
    public var requestContextValue: JSONValue {
        if let claims { return .obj(["claims": .object(claims)]) }
        var o = JSONObject()
        for (k, v) in context { o[k] = v }
        o["principalId"] = principalId.map(JSONValue.string) ?? .null
        o["integrationLatency"] = .int(integrationLatency)
        return .object(o)
    }
}

/// A Lambda authorizer's answer kept for its TTL, keyed by authorizer and identity-source values — not by method
/// (policy.md §6 rules 4–5): the next method with the same token is judged by the same policy.
struct CachedAuthorizerAnswer {
    var answer: JSONObject
    var storedAtMillis: Int64
    var expiresAtMillis: Int64
    var methodArn: String
}

/// REST API methods with `authorizationType: CUSTOM` (policy.md §2.1 rule 2, §6; lambda-payloads.md §5.1–5.4).
enum RestLambdaAuthorizer {
    static func run(_ x: inout Exchange, _ env: GatewayEnvironment, api: RestApi, authorizer a: RestAuthorizer, stage: StageName) throws(GatewayFailure) {
        let t = env.clock.millis
        let arn = x.methodArn(api, env)
        // Phase 1: an explicit Deny in the resource policy refuses the caller before the authorizer runs (policy.md
        // §2.1 rule 2 [DOC D1]). That this comes before the identity-source check is gwsh's reading ("first").
        let resourceDecision = try ResourcePolicyCheck.preAuthorizer(&x, env, api: api, methodArn: arn, stage: stage, authorizer: a.name)

        // The identity sources: all present and non-empty, else 401 without a call (policy.md §6 [DOC D13] [REC P24]).
        var values: [String] = []
        for s in a.identitySource {
            // A header (case-insensitive), a query parameter, a stage variable or a $context value (lambda-payloads.md §5.2).
            guard let v = ParameterMapping.requestSource(s, x, env), !v.isEmpty else {
                throw GatewayFailure(.unauthorized, why: "authorizer \(a.name): identity source \(s) is missing or empty, so API Gateway answers 401 without invoking \(a.functionName ?? "the function") (policy.md §6 [DOC D13] [REC P24])")
            }
            values.append(v)
        }
        if let re = a.identityValidationExpression, let token = values.first, !SelectionPattern.matches(re, token) {
            throw GatewayFailure(.unauthorized, why: "authorizer \(a.name): the token does not match identityValidationExpression \(re) (whole-string match), so API Gateway answers 401 without invoking the function (rest-request-flow.md §1.4; bytes UNCONFIRMED)")
        }
        let function = a.functionName ?? ""
        let cacheKey = api.id + "\u{1}" + a.id + "\u{1}" + values.joined(separator: "\u{1}")
        var answer: JSONObject
        var cachedFrom: CachedAuthorizerAnswer?
        var latency = 0
        if a.resultTtlSeconds > 0, let hit = env.authorizerCache[cacheKey], hit.expiresAtMillis > t {
            answer = hit.answer
            cachedFrom = hit
        } else {
            answer = try invoke(&x, env, api: api, authorizer: a, function: function, values: values, methodArn: arn, stage: stage, latency: &latency)
            if x.cancelled { return }
            if a.resultTtlSeconds > 0 {
                env.authorizerCache[cacheKey] = CachedAuthorizerAnswer(answer: answer, storedAtMillis: t, expiresAtMillis: t + Int64(a.resultTtlSeconds) * 1000, methodArn: arn)
            }
        }

        // Context values: strings, numbers and booleans only (lambda-payloads.md §5.3 rule 43); an object or array is
        // taken as an invalid answer (gwsh's assumption: rule 43 leaves it UNCONFIRMED).
        var output = AuthorizerOutput(principalId: answer["principalId"]?.stringValue, usageIdentifierKey: answer["usageIdentifierKey"]?.stringValue, integrationLatency: latency)
        if let ctx = answer["context"], !ctx.isNull {
            guard case .object(let o) = ctx else { throw configurationError(&x, env, a, "answered a context that is not an object") }
            for (k, v) in o {
                switch v {
                case .object, .array: throw configurationError(&x, env, a, "answered a context whose \(k) is not a string, number or boolean (only strings, numbers and booleans are allowed: lambda-payloads.md §5.3 rule 43)")
                case .null: continue
                default: output.context.append((k, v))
                }
            }
        }
        // Phase 2: the authorizer's policy for this method ARN, with the resource policy by Table A (policy.md §2.2).
        guard let policy = try? PolicyDocument.parse(answer["policyDocument"] ?? .null) else {
            throw configurationError(&x, env, a, "answered no usable policyDocument")
        }
        let decision = policy.evaluate(AuthorizationRequest(principal: .anonymous, resource: arn), resourcePolicy: false)
        let principal = answer["principalId"]?.stringValue
        if principal == nil, !decision.isDeny {
            // principalId is required (lambda-payloads.md §5.3 rule 42 [DOC L6]); a Deny without one is still a 403.
            throw configurationError(&x, env, a, "answered no principalId")
        }
        let cacheNote = cachedFrom.map { "the cached answer of \(VirtualClock(millis: $0.storedAtMillis).iso8601) (first given for \($0.methodArn); TTL \(a.resultTtlSeconds) s, \(($0.expiresAtMillis - t + 999) / 1000) s left)" }
        let source = cacheNote ?? "its answer"
        let outcome = ExecuteApi.combine(caller: decision, resource: resourceDecision, crossAccount: false)
        let why = "authorizer \(a.name) (\(source)): \(IamAuthorization.describe(decision)) for \(arn); resource policy: \(resourceDecision.map(IamAuthorization.describe) ?? "none"); Table A (policy.md §2.2)"
        switch outcome {
        case .allow: break
        case .explicitDeny:
            throw GatewayFailure(.accessDenied, message: AuthorizerText.explicitDeny, why: why + "; the authorizer's Deny decides (policy.md §6 [REC P20, P24])")
        case .implicitDeny:
            var hint = ""
            if let cachedFrom, cachedFrom.methodArn != arn {
                hint = "; the classic cache pitfall: the cached policy names \(cachedFrom.methodArn), not this method. Return a wildcard resource (…/*/*) or set authorizerResultTtlInSeconds: 0 (policy.md §6 rule 5 [DOC D16])"
            }
            throw GatewayFailure(.accessDenied, message: AuthorizerText.implicitDeny, why: why + " → implicit deny (policy.md §6 [REC P19])" + hint)
        }
        if principal != nil {
            x.log.append(LogLine(millis: env.clock.millis, text: AWSLog.usingAuthorizerPolicy(maskedPrincipal: AWSLog.mask(principal ?? "")), scope: .cloudWatchOnly))
        }
        x.log.append(LogLine(millis: env.clock.millis, text: AWSLog.authorizerSucceeded, scope: .cloudWatchOnly))

        x.authorizer = output
        x.trace.append(TraceEvent(stage: stage, millis: env.clock.millis,
                                  summary: "Lambda authorizer \(a.name) (\(a.type.rawValue), \(function)) allows \(principal ?? "?") on \(arn)" + (cachedFrom != nil ? " [cached]" : ""),
                                  fields: [("authorizer", a.name), ("authorizerId", a.id), ("type", a.type.rawValue), ("function", function),
                                           ("identity", values.joined(separator: ",")), ("principalId", principal ?? ""), ("cached", String(cachedFrom != nil)),
                                           ("methodArn", arn)] + output.context.map { ("context.\($0.key)", $0.value.stringValue ?? $0.value.serialized()) },
                                  why: why))
    }

    /// Calls the function and returns its answer as a JSON object, or throws the client's answer (policy.md §6,
    /// lambda-payloads.md §5.4).
    static func invoke(_ x: inout Exchange, _ env: GatewayEnvironment, api: RestApi, authorizer a: RestAuthorizer, function: String,
                       values: [String], methodArn arn: String, stage: StageName, latency: inout Int) throws(GatewayFailure) -> JSONObject {
        let t = env.clock.millis
        x.log.append(LogLine(millis: t, text: AWSLog.startingAuthorizer(a.id, requestId: x.requestId), scope: .cloudWatchOnly))
        if a.type == .token { x.log.append(LogLine(millis: t, text: AWSLog.incomingIdentity(AWSLog.mask(values.first ?? "")), scope: .cloudWatchOnly)) }
        guard let lambda = env.lambda, lambda.hasFunction(function) else {
            throw configurationError(&x, env, a, "names function '\(function)', which no plugin registers: API Gateway cannot invoke it (lambda-payloads.md §5.4 [DOC L10])")
        }
        let event = requestEvent(x, env, api: api, authorizer: a, values: values, methodArn: arn)
        let payload = event.serialized()
        x.log.append(LogLine(millis: t, text: AWSLog.endpointRequestURI(LambdaText.invokeURL(region: env.world.region, account: env.world.account, function: function)), scope: .cloudWatchOnly))
        x.log.append(LogLine(millis: t, text: AWSLog.endpointRequestHeaders("{X-Amz-Source-Arn=\(AWSLog.authorizerSourceArn(region: env.world.region, account: env.world.account, apiId: api.id, authorizerId: a.id))}"), scope: .cloudWatchOnly))
        x.log.append(LogLine(millis: t, text: AWSLog.endpointRequestBody(payload), scope: .cloudWatchOnly))
        let result = lambda.call(function, payload: payload, requestId: env.ids.uuid(), env)
        if case .cancelled = result.outcome {
            x.cancelWhile("the authorizer \(function)", stage: stage, millis: env.clock.millis)
            return JSONObject()
        }
        latency = result.integrationLatencyMillis
        env.clock.advance(millis: Int64(latency))
        switch result.outcome {
        case .success(let body):
            x.log.append(LogLine(millis: env.clock.millis, text: AWSLog.authorizerResultBody(body), scope: .cloudWatchOnly))
            guard let v = try? JSONValue.parse(body), case .object(let o) = v else {
                throw configurationError(&x, env, a, "answered \(body.prefix(200)), which is not an authorizer output (a JSON object with principalId and policyDocument)")
            }
            return o
        case .functionError(let error, _):
            let message = error["errorMessage"]?.stringValue
            // Exactly "Unauthorized" is the documented way to say 401 (lambda-payloads.md §5.4 [DOC L7]).
            if message == "Unauthorized" {
                throw GatewayFailure(.unauthorized, why: "authorizer \(a.name): \(function) failed with errorMessage \"Unauthorized\", the documented way to answer 401 (lambda-payloads.md §5.4 [DOC L7])")
            }
            throw configurationError(&x, env, a, "failed with \(message.map { "\"\($0)\"" } ?? error.serialized()); any error but exactly \"Unauthorized\" is a 500 (lambda-payloads.md §5.4 [DOC L7] [REC P22])")
        case .timedOut(let after):
            // A timed-out authorizer: a configuration error like any other function failure (assumption, UNCONFIRMED).
            throw configurationError(&x, env, a, "did not answer within its timeout (\(after) ms); gwsh treats this like any function error (UNCONFIRMED)")
        case .cancelled:
            return JSONObject()
        }
    }

    /// 500 `{"message":null}` AuthorizerConfigurationException, with its two execution-log lines (rest-request-flow.md
    /// §5.6 rule 97 [REC policy.md P21]).
    static func configurationError(_ x: inout Exchange, _ env: GatewayEnvironment, _ a: RestAuthorizer, _ what: String) -> GatewayFailure {
        x.log.append(LogLine(millis: env.clock.millis, text: AWSLog.authorizerConfigurationError))
        x.log.append(LogLine(millis: env.clock.millis, text: "AuthorizerConfigurationException"))
        return GatewayFailure(.authorizerConfigurationError, why: "authorizer \(a.name) \(what): 500 {\"message\":null} (policy.md §6)")
    }

    /// The event: TOKEN `{type, authorizationToken, methodArn}` (lambda-payloads.md §5.1); REQUEST the proxy event's
    /// request fields without the body, after `type` and `methodArn` (§5.2).
    static func requestEvent(_ x: Exchange, _ env: GatewayEnvironment, api: RestApi, authorizer a: RestAuthorizer, values: [String], methodArn: String) -> JSONValue {
        if a.type == .token {
            return .obj(["type": "TOKEN", "authorizationToken": .string(values.first ?? ""), "methodArn": .string(methodArn)])
        }
        guard let stage = x.currentStage(env),
              case .object(let e) = LambdaProxy.event(x, api: api, stage: stage, accountId: env.world.account, requestTimeMillis: x.startMillis,
                                                      requestTime: VirtualClock(millis: x.startMillis).clfDate) else { return .null }
        var out = JSONObject([("type", "REQUEST"), ("methodArn", .string(methodArn))])
        for (k, v) in e where k != "body" && k != "isBase64Encoded" { out[k] = v }
        return .object(out)
    }
}

/// The 403 messages of a Lambda authorizer's policy (policy.md §6 [REC P19, P20, P24]); both go out with the capital
/// `Message` key of ACCESS_DENIED.
enum AuthorizerText {
    static let explicitDeny = "User is not authorized to access this resource with an explicit deny"
    static let implicitDeny = "User is not authorized to access this resource"
}

extension ResourcePolicyCheck {
    /// The pre-authorizer phase (policy.md §2.1 rule 2): an explicit Deny ends the request; anything else is kept for
    /// phase 2. Nil when the API has no resource policy.
    static func preAuthorizer(_ x: inout Exchange, _ env: GatewayEnvironment, api: RestApi, methodArn arn: String, stage: StageName,
                              authorizer: String) throws(GatewayFailure) -> PolicyDecision? {
        guard api.hasResourcePolicy else { return nil }
        let decision = try anonymousDecision(x, env, api: api, methodArn: arn)
        if case .explicitDeny(let s) = decision {
            throw GatewayFailure(.accessDenied, message: ExecuteApi.denialMessage(caller: .anonymous, methodArn: arn, ownerAccount: env.world.account, explicit: true),
                                 why: "the resource policy's \(s) denies \(arn) explicitly, so API Gateway refuses the caller before invoking authorizer \(authorizer) (policy.md §2.1 rule 2 [DOC D1])")
        }
        return decision
    }
}

/// REST API methods with `authorizationType: COGNITO_USER_POOLS` (policy.md §2.1 rule 4, §7): the token must be one of
/// the configured user pools', unexpired, and — with authorizationScopes on the method — an access token with one of
/// them; then the resource policy is evaluated on its own (Table A, as policy.md §2.1 rule 4 settles).
enum CognitoAuthorizer {
    static func run(_ x: inout Exchange, _ env: GatewayEnvironment, api: RestApi, authorizer a: RestAuthorizer, method: Method, stage: StageName) throws(GatewayFailure) {
        let t = env.clock.millis
        func unauthorized(_ why: String) -> GatewayFailure {
            GatewayFailure(.unauthorized, why: "Cognito authorizer \(a.name): \(why): 401 (policy.md §7 rule 1; the body by analogy with Lambda authorizers, UNCONFIRMED)")
        }
        let source = a.identitySource.first ?? "method.request.header.Authorization"
        guard let token = ParameterMapping.requestSource(source, x, env), !token.isEmpty else {
            throw unauthorized("no token at \(source)")
        }
        if let re = a.identityValidationExpression, !SelectionPattern.matches(re, token) {
            throw unauthorized("the token does not match identityValidationExpression \(re)")
        }
        let decoded: JWT.Decoded
        do throws(JWT.Problem) { decoded = try JWT.decode(token) } catch {
            throw unauthorized(error == .notBase64JSON ? "the token is not a JWT (base64url JSON header and claims)" : "the token is not a JWT (three dot-separated parts)")
        }
        let c = decoded.claims
        let pools = a.providerARNs.map { String($0.split(separator: "/").last ?? "") }
        let iss = c["iss"]?.stringValue ?? ""
        guard let pool = pools.first(where: { iss == CognitoUser.issuer(userPoolId: $0) }) else {
            throw unauthorized("the token's issuer \(iss.isEmpty ? "(none)" : iss) is none of the user pools \(pools.joined(separator: ", "))")
        }
        guard JWT.verify(decoded) else {
            throw unauthorized("the token's signature is not user pool \(pool)'s (gwsh's simulated pools sign with one RS256 key, kid \(SimulatedIssuerKey.shared.kid))")
        }
        let exp = c["exp"]?.intValue.map(Int64.init) ?? 0
        guard exp * 1000 > t else {
            throw unauthorized("the token expired at \(VirtualClock(millis: exp * 1000).iso8601) (now \(VirtualClock(millis: t).iso8601))")
        }
        let use = c["token_use"]?.stringValue ?? ""
        // Without scopes on the method the ID token is what the authorizer checks; with scopes, the access token and one
        // of its scopes (policy.md §7; which token a method without scopes accepts is gwsh's reading of the docs).
        if method.authorizationScopes.isEmpty {
            guard use == "id" else { throw unauthorized("the method has no authorizationScopes, so it takes an ID token; this is a\(use == "access" ? "n access" : " '\(use)'") token") }
        } else {
            let scopes = (c["scope"]?.stringValue ?? "").split(separator: " ").map(String.init)
            guard use == "access", method.authorizationScopes.contains(where: scopes.contains) else {
                throw unauthorized("the method requires one of the scopes \(method.authorizationScopes) in an access token; the token is \(use) with scopes \(scopes)")
            }
        }
        // Authenticated: the resource policy decides on its own, Table A (policy.md §2.1 rule 4, §2.2).
        let arn = x.methodArn(api, env)
        var resource: PolicyDecision?
        if api.hasResourcePolicy {
            resource = try ResourcePolicyCheck.anonymousDecision(x, env, api: api, methodArn: arn)
        }
        let outcome = ExecuteApi.combine(caller: .allow(statement: "user pool \(pool)"), resource: resource, crossAccount: false)
        let why = "Cognito user pool \(pool) authenticated \(c["cognito:username"]?.stringValue ?? c["username"]?.stringValue ?? "?"); resource policy: \(resource.map(IamAuthorization.describe) ?? "none"); Table A (policy.md §2.1 rule 4: the page's Cognito paragraph asks for an explicit Allow, its Table A does not — gwsh follows Table A, UNCONFIRMED)"
        guard outcome == .allow else {
            throw GatewayFailure(.accessDenied, message: ExecuteApi.denialMessage(caller: .anonymous, methodArn: arn, ownerAccount: env.world.account, explicit: outcome == .explicitDeny),
                                 why: why)
        }
        var claims = JSONObject()
        for (k, v) in c { claims[k] = .string(v.stringValue ?? v.serialized()) }
        x.authorizer = AuthorizerOutput(claims: claims)
        x.trace.append(TraceEvent(stage: stage, millis: t, summary: "Cognito authorizer \(a.name): \(use) token of \(c["cognito:username"]?.stringValue ?? c["username"]?.stringValue ?? "?") from \(pool) accepted",
                                  fields: [("authorizer", a.name), ("type", "COGNITO_USER_POOLS"), ("userPool", pool), ("token_use", use),
                                           ("sub", c["sub"]?.stringValue ?? ""), ("methodArn", arn)],
                                  why: why + "; signature (RS256, kid \(decoded.header["kid"]?.stringValue ?? "?")), issuer and expiry checked"))
    }
}
