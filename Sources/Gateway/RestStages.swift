import Foundation
import GatewayModel
import Policy

/// Stage 2: the host and the stage segment (rest-request-flow.md §1.3), and what CloudFront adds on EDGE APIs.
public struct EndpointStage: PipelineStage {
    public var name: StageName { .endpoint }
    public init() {}

    public func run(_ x: inout Exchange, _ env: GatewayEnvironment) throws(GatewayFailure) {
        if let ti = x.testInvoke, let api = env.restApi(id: ti.apiId) {
            runTestInvoke(&x, env, api: api)
            return
        }
        guard let api = env.currentApi else {
            x.markUnsupported("the model has no REST API to send to (load a model with `restApis`)", stage: name, millis: env.clock.millis)
            return
        }
        x.apiId = api.id
        if let body = x.request.body, body.count > 10_485_760 {
            // 10 MB payload limit (rest-request-flow.md §6); checked at the front door — where exactly AWS checks is UNCONFIRMED.
            throw GatewayFailure(.requestTooLarge, why: "the request body is \(body.count) bytes; API Gateway accepts at most 10 MB (10485760 bytes)")
        }
        x.host = x.request.host ?? x.request.headers["Host"] ?? "\(api.id).execute-api.\(env.world.region).amazonaws.com"
        if api.endpointType == .private, x.request.sourceVpce == nil {
            // Outside any VPC a private API cannot be reached at all: no HTTP answer (policy.md §3 rules 1, 4; what the
            // client sees is UNCONFIRMED — gwsh fails the connection, not a 403).
            x.failConnection("API \(api.id) is PRIVATE: it is reached only from a VPC through an interface VPC endpoint for execute-api; send it with --via vpce-… (policy.md §3 rules 1, 4)",
                             stage: name, millis: env.clock.millis)
            return
        }
        x.edge = EdgeValues.draw(&env.ids, nowMillis: env.clock.millis)

        // Nothing after `#` reaches API Gateway (lambda-payloads.md §1.2 rule 6). The delimiters are ASCII, so the
        // path is cut on its UTF-8 bytes (the indices stay valid String indices).
        let rawPath = x.request.rawPath
        let bytes = rawPath.utf8
        let end = bytes.firstIndex(of: UInt8(ascii: "#")) ?? bytes.endIndex
        var pathEnd = end, queryPart: Substring = ""
        if let q = bytes[..<end].firstIndex(of: UInt8(ascii: "?")) {
            pathEnd = q
            queryPart = rawPath[bytes.index(after: q)..<end]
        }
        x.query = QueryString.parse(queryPart)
        // Extra slashes before the stage are ignored (rest-request-flow.md §1.3 rule 11).
        let slash = UInt8(ascii: "/")
        let pathBytes = bytes[..<pathEnd]
        let stageStart = pathBytes.firstIndex { $0 != slash } ?? pathEnd
        let stageEnd = pathBytes[stageStart...].firstIndex(of: slash) ?? pathEnd
        let stageSegment = rawPath[stageStart..<stageEnd]
        let rest = rawPath[stageEnd..<pathEnd]
        x.requestContextPath = "/" + stageSegment + rest
        let afterStart = pathBytes[stageEnd...].firstIndex { $0 != slash } ?? pathEnd
        x.path = "/" + rawPath[afterStart..<pathEnd]

        guard let stage = api.stage(named: String(stageSegment)) else {
            let known = api.stages.map(\.stageName).joined(separator: ", ")
            // Unknown or missing stage → 403 {"message":"Forbidden"}, ForbiddenException, not Missing
            // Authentication Token (rest-request-flow.md §1.3 rule 12 [REC U7, U12]).
            throw GatewayFailure(.default4XX, status: 403, message: "Forbidden", errorType: "ForbiddenException",
                                 why: stageSegment.isEmpty
                                    ? "the path has no stage segment; REST API paths start with the stage name (\(known))"
                                    : "API \(api.id) has no stage '\(stageSegment)' (stages: \(known.isEmpty ? "none" : known)); the first path segment is always the stage")
        }
        // Only the default endpoint is disabled; custom domains keep working (domains.md §1.2 rules 1–2).
        if api.disableExecuteApiEndpoint, x.host.lowercased() == "\(api.id.lowercased()).execute-api.\(env.world.region).amazonaws.com" {
            // The default endpoint is disabled: 403 for REST APIs (rest-request-flow.md §1.2 rule 7; body UNCONFIRMED,
            // gwsh uses the compact Forbidden body).
            throw GatewayFailure(.default4XX, status: 403, message: "Forbidden", errorType: "ForbiddenException",
                                 why: "API \(api.id) has disableExecuteApiEndpoint: true; it can only be called through a custom domain (rest-request-flow.md §1.2 rule 7; the body is UNCONFIRMED)")
        }
        x.stageName = stage.stageName
        x.methodRequestHeaders = EdgeHeaders.methodRequestHeaders(x, endpoint: api.endpointType)
        x.trace.append(TraceEvent(
            stage: name, millis: env.clock.millis,
            summary: "\(x.host) → API \(api.name) (\(api.id)), stage \(stage.stageName), \(api.endpointType.rawValue)",
            fields: [("api", api.id), ("stage", stage.stageName), ("host", x.host), ("endpointType", api.endpointType.rawValue),
                     ("path", x.path), ("requestId", x.requestId)] + (x.request.sourceVpce.map { [("sourceVpce", $0), ("sourceVpc", x.request.sourceVpc ?? "")] } ?? []),
            why: api.endpointType == .edge ? "EDGE API: the request passes through CloudFront, which adds CloudFront-*, Via and X-Amz-Cf-Id headers (rest-request-flow.md §1.2)" : nil))
    }
}

extension EndpointStage {
    /// A Test-button call skips the endpoint: no host, stage segment or CloudFront; the log starts with
    /// `Execution log for request <id>` (rest-request-flow.md §5.1–5.2).
    func runTestInvoke(_ x: inout Exchange, _ env: GatewayEnvironment, api: RestApi) {
        x.apiId = api.id
        x.host = TestInvokeInput.domainName
        x.edge = EdgeValues.draw(&env.ids, nowMillis: env.clock.millis)
        var raw = Substring(x.request.rawPath)
        var queryPart: Substring = ""
        if let q = raw.firstIndex(of: "?") {
            queryPart = raw[raw.index(after: q)...]
            raw = raw[..<q]
        }
        x.query = QueryString.parse(queryPart)
        x.path = raw.isEmpty ? "/" : String(raw)
        x.requestContextPath = x.path
        x.stageName = TestInvokeInput.stageName
        x.methodRequestHeaders = x.request.headers
        x.log.append(LogLine(millis: env.clock.millis, text: "Execution log for request \(x.requestId)", scope: .undated))
        x.trace.append(TraceEvent(stage: name, millis: env.clock.millis,
                                  summary: "Test invoke (the console's Test button) on API \(api.name) (\(api.id)), stage test-invoke-stage",
                                  fields: [("api", api.id), ("stage", TestInvokeInput.stageName), ("path", x.path), ("requestId", x.requestId)],
                                  why: "TestInvokeMethod runs one method directly: no endpoint, custom domain, authorizer or usage plan (rest-request-flow.md §5.1 rules 71–77)"))
    }
}

/// Stage 3: resource and method matching (rest-request-flow.md §2).
public struct RouteStage: PipelineStage {
    public var name: StageName { .route }
    public init() {}

    public func run(_ x: inout Exchange, _ env: GatewayEnvironment) throws(GatewayFailure) {
        guard let api = x.apiId.flatMap({ env.restApi(id: $0) }) else { return }
        if let ti = x.testInvoke, let resource = api.resources.first(where: { $0.id == ti.resourceId }) {
            // The method is named by the call; the path only fills parameters (rule 75): no path → `{name}`
            // placeholders, a path that does not fit → none.
            x.resourcePath = resource.path
            x.resourceId = resource.id
            let wanted = ti.httpMethod.uppercased()
            x.httpMethod = resource.methods.contains(where: { $0.httpMethod == wanted }) ? wanted : "ANY"
            x.method = resource.method(x.httpMethod!)
            x.pathParameters = ti.pathWithQueryString == nil ? TestInvokePaths.placeholders(resource.path)
                : (TestInvokePaths.parameters(resource.path, x.path) ?? [])
            x.trace.append(TraceEvent(stage: name, millis: env.clock.millis,
                                      summary: "\(x.httpMethod!) \(resource.path) (resource \(resource.id)), named by the Test call",
                                      fields: [("resource", resource.path), ("resourceId", resource.id), ("method", x.httpMethod!)]
                                        + x.pathParameters.map { ("path.\($0.name)", $0.value) }))
            return
        }
        let router = env.router(for: api)
        guard let m = router.match(method: x.request.method, path: x.path) else {
            let pathExists = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"].contains { router.match(method: $0, path: x.path) != nil }
            if let incomplete = IncompleteSignature.failure(x.request.headers) { throw incomplete }
            // No resource, or a resource without the method: both 403 Missing Authentication Token (rule 36).
            throw GatewayFailure(.missingAuthenticationToken,
                                 why: pathExists
                                    ? "resource \(x.path) exists but has no \(x.request.method) (or ANY) method; API Gateway answers an unknown method like an unknown path (rest-request-flow.md §2.1 rule 36)"
                                    : "no resource of API \(api.id) matches \(x.request.method) \(x.path); API Gateway answers 403 Missing Authentication Token, not 404 (rest-request-flow.md §2.1 rule 36)")
        }
        x.resourcePath = m.resource
        x.resourceId = m.resourceId
        x.httpMethod = m.method
        x.method = env.method(apiId: api.id, path: m.resource, httpMethod: m.method)
        x.pathParameters = m.orderedParameters
        let params = m.orderedParameters.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
        x.trace.append(TraceEvent(
            stage: name, millis: env.clock.millis,
            summary: "\(x.request.method) \(x.path) → \(m.method) \(m.resource) (resource \(m.resourceId))" + (params.isEmpty ? "" : "  {\(params)}"),
            fields: [("resource", m.resource), ("resourceId", m.resourceId), ("method", m.method)]
                + m.orderedParameters.map { ("path.\($0.name)", $0.value) },
            why: m.method == "ANY" && x.request.method != "ANY" ? "no explicit \(x.request.method) method on \(m.resource); its ANY method serves it" : nil))
    }
}

/// Stage 4: authorization. This slice simulates `NONE`; the others stop the request as not simulated
/// rather than letting it through (a wrong answer would teach wrong behaviour).
public struct AuthStage: PipelineStage {
    public var name: StageName { .auth }
    public init() {}

    public func run(_ x: inout Exchange, _ env: GatewayEnvironment) throws(GatewayFailure) {
        guard let method = currentMethod(x, env) else { return }
        if x.testInvoke != nil {
            x.trace.append(TraceEvent(stage: name, millis: env.clock.millis, summary: "skipped: a Test call runs no authorizer or resource policy",
                                      fields: [("authorizationType", method.authorizationType)], why: "rest-request-flow.md §5.1 rule 76"))
            return
        }
        if let api = x.apiId.flatMap({ env.restApi(id: $0) }), api.endpointType == .private, !api.hasResourcePolicy {
            // "Until you do so, all calls to the API will fail." (policy.md §3 rule 1 [DOC D7]); the body is UNCONFIRMED:
            // gwsh answers the anonymous implicit deny.
            let arn = x.methodArn(api, env)
            throw GatewayFailure(.accessDenied, message: ExecuteApi.denialMessage(caller: .anonymous, methodArn: arn, ownerAccount: env.world.account, explicit: false),
                                 why: "private API \(api.id) has no resource policy; until it has one that admits VPC endpoints, every call fails (policy.md §3 rule 1 [DOC D7]; the body is UNCONFIRMED)")
        }
        if method.authorizationType == "AWS_IAM", let api = x.apiId.flatMap({ env.restApi(id: $0) }) {
            try IamAuthorization.run(&x, env, api: api, stage: name)
            return
        }
        if method.authorizationType == "CUSTOM" || method.authorizationType == "COGNITO_USER_POOLS",
           let api = x.apiId.flatMap({ env.restApi(id: $0) }), let a = method.authorizer.flatMap(api.authorizer) {
            if a.type == .cognito {
                try CognitoAuthorizer.run(&x, env, api: api, authorizer: a, method: method, stage: name)
            } else {
                try RestLambdaAuthorizer.run(&x, env, api: api, authorizer: a, stage: name)
            }
            return
        }
        if let api = x.apiId.flatMap({ env.restApi(id: $0) }), api.hasResourcePolicy {
            try ResourcePolicyCheck.anonymous(&x, env, api: api, stage: name)
            return
        }
        x.trace.append(TraceEvent(stage: name, millis: env.clock.millis, summary: "authorizationType NONE: no authorization",
                                  fields: [("authorizationType", "NONE")]))
    }
}

/// Stage 5: API key, usage plan, throttling and quota (rest-request-flow.md §1.1 rule 4; throttling.md).
public struct UsagePlanStage: PipelineStage {
    public var name: StageName { .usagePlan }
    public init() {}

    public func run(_ x: inout Exchange, _ env: GatewayEnvironment) throws(GatewayFailure) {
        guard let method = currentMethod(x, env), let apiId = x.apiId, let stageName = x.stageName,
              let api = env.restApi(id: apiId) else { return }
        if x.testInvoke != nil {
            x.trace.append(TraceEvent(stage: name, millis: env.clock.millis, summary: "skipped: a Test call uses no API key or usage plan",
                                      fields: [("apiKeyRequired", String(method.apiKeyRequired))], why: "rest-request-flow.md §5.1 rule 76"))
            return
        }
        let t = env.clock.millis
        let httpMethod = x.httpMethod ?? x.request.method
        let resourcePath = x.resourcePath ?? ""
        // HEADER: the key is the x-api-key header (throttling.md §6 rule 2); AUTHORIZER: the Lambda authorizer's
        // usageIdentifierKey (rule 3 [DOC D7]). Masked: all but the last 6 (§8.2).
        let fromAuthorizer = api.apiKeySource == "AUTHORIZER"
        let keyValue = !method.apiKeyRequired ? nil : fromAuthorizer ? x.authorizer?.usageIdentifierKey : x.methodRequestHeaders["x-api-key"]
        x.apiKeyMasked = keyValue.map(AWSLog.mask)
        let masked = x.apiKeyMasked ?? ""
        x.log.append(LogLine(millis: t, text: AWSLog.extendedRequestId(x.extendedRequestId), scope: .cloudWatchOnly))
        x.log.append(LogLine(millis: t, text: AWSLog.verifyingUsagePlan(requestId: x.requestId, maskedKey: masked, apiId: apiId, stage: stageName)))

        var checks: [Limiter.Check] = []
        var plan: UsagePlan?
        var key: ApiKey?
        if method.apiKeyRequired {
            let plans = env.world.usagePlans.filter { $0.covers(apiId: apiId, stage: stageName) != nil }
            key = keyValue.flatMap { v in plans.lazy.flatMap(\.apiKeys).first { $0.value == v } }
            plan = key.flatMap { k in plans.first { $0.apiKeys.contains { $0.id == k.id } } }
            guard let key, key.enabled, let plan else {
                // A missing, unknown, disabled or plan-less key: 403 INVALID_API_KEY (throttling.md §6–7).
                x.log.append(LogLine(millis: t, text: AWSLog.keyNotAuthorized(maskedKey: masked, method: httpMethod, resourcePath: resourcePath,
                                                                              apiId: apiId, stage: stageName, stageInAPlan: !plans.isEmpty)))
                let reason: String
                if keyValue == nil, fromAuthorizer {
                    reason = "the API's apiKeySource is AUTHORIZER and " + (x.authorizer == nil ? "the method has no Lambda authorizer to supply the key" : "the authorizer's answer has no usageIdentifierKey")
                } else if keyValue == nil { reason = "the method requires an API key and the request has no x-api-key header" }
                else if let k = env.world.usagePlans.lazy.flatMap(\.apiKeys).first(where: { $0.value == keyValue }), !k.enabled { reason = "API key \(k.id) is disabled" }
                else if plans.isEmpty { reason = "stage \(apiId)/\(stageName) is in no usage plan, so no key can call it" }
                else { reason = "the key is in no usage plan for \(apiId)/\(stageName)" }
                throw GatewayFailure(.invalidApiKey, why: reason + " (throttling.md §6 rule 7, §7)")
            }
            // The plan's per-method throttle for this API stage, else the plan's throttle (throttling.md §3 rule 1a;
            // instead-of rather than in-addition-to is UNCONFIRMED).
            let methodKey = "/" + (resourcePath == "/" ? "" : String(resourcePath.dropFirst())) + "/" + httpMethod
            if let s = plan.covers(apiId: apiId, stage: stageName)?.methodThrottles[methodKey] ?? plan.throttle {
                checks.append(.init(key: "key:\(plan.id):\(key.id):\(methodKey)", settings: s, kind: .usagePlanKey(planId: plan.id)))
            }
        }
        // The stage's method setting (method key, else */*), then the account in this Region (§3, §4 rule 4).
        let stageKey = (resourcePath == "/" ? "" : String(resourcePath.dropFirst())) + "/" + httpMethod
        if let stage = api.stage(named: stageName), let s = stage.methodThrottles[stageKey] ?? stage.methodThrottles["*/*"] {
            checks.append(.init(key: "stage:\(apiId)/\(stageName):\(stageKey)", settings: s, kind: .stage))
        }
        checks.append(.init(key: "account", settings: env.world.accountThrottle, kind: .account))

        if let refused = env.limiter.admit(checks, now: t) {
            let s = refused.settings
            let resourceId = x.resourceId ?? ""
            let line: String?
            let which: String
            switch refused.kind {
            case .usagePlanKey(let planId):
                line = AWSLog.keyThrottled(maskedKey: masked, apiId: apiId, stage: stageName, planId: planId, resourceId: resourceId,
                                           method: httpMethod, rate: s.rateLimit, burst: s.burstLimit)
                which = "usage plan \(planId)'s throttle for this key"
            case .stage:
                line = AWSLog.stageThrottled(apiId: apiId, stage: stageName, resourceId: resourceId, method: httpMethod, rate: s.rateLimit, burst: s.burstLimit)
                which = "the stage's methodSettings throttle"
            case .account:
                line = nil  // its log line is UNCONFIRMED (throttling.md §3 rule 3)
                which = "the account's throttle in \(env.world.region)"
            }
            throw GatewayFailure(.throttled, logLine: line,
                                 why: "\(which) (rate \(AWSLog.twoDecimals(s.rateLimit))/s, burst \(s.burstLimit)) has no token left: 429 Too Many Requests (throttling.md §1, §7)")
        }
        if let plan, let key, let quota = plan.quota, !env.limiter.consumeQuota(key: Limiter.quotaKey(planId: plan.id, keyId: key.id), quota, now: t) {
            throw GatewayFailure(.quotaExceeded,
                                 logLine: AWSLog.quotaExceeded(maskedKey: masked, apiId: apiId, stage: stageName, planId: plan.id, limit: quota.limit, period: quota.period),
                                 why: "usage plan \(plan.id)'s quota of \(quota.limit) per \(quota.period) is used up for key \(key.id): 429 Limit Exceeded (throttling.md §5, §7)")
        }
        if !method.apiKeyRequired {
            x.log.append(LogLine(millis: t, text: AWSLog.keyNotRequired(maskedKey: masked, method: httpMethod, resourcePath: resourcePath)))
        }
        x.log.append(LogLine(millis: t, text: AWSLog.usagePlanSucceeded(maskedKey: masked, apiId: apiId, stage: stageName)))
        let tokens = checks.first.flatMap { env.limiter.tokens($0.key, now: t) }
        x.trace.append(TraceEvent(stage: name, millis: t,
                                  summary: method.apiKeyRequired
                                    ? "API key \(key?.id ?? "") in usage plan \(plan?.id ?? ""): admitted" + (tokens.map { ", \(AWSLog.twoDecimals($0)) tokens left" } ?? "")
                                    : "no API key required: not counted against throttle or quota limits",
                                  fields: [("apiKeyRequired", String(method.apiKeyRequired))] + (key.map { [("apiKey", $0.id)] } ?? [])
                                    + (plan.map { [("usagePlan", $0.id)] } ?? []) + checks.map { ("limit.\($0.key)", "\(AWSLog.twoDecimals($0.settings.rateLimit))/\($0.settings.burstLimit)") },
                                  why: checks.count > 1 ? "limits apply in AWS's order: usage plan per key and method, stage method settings, account (throttling.md §3); a usage plan's limits count only requests to methods that require a key" : nil))
    }
}

/// Stage 6: the method request (rest-request-flow.md §1.5; its execution-log lines, §5.3).
public struct MethodRequestStage: PipelineStage {
    public var name: StageName { .methodRequest }
    public init() {}

    public func run(_ x: inout Exchange, _ env: GatewayEnvironment) throws(GatewayFailure) {
        guard let method = currentMethod(x, env), let api = x.apiId.flatMap({ env.restApi(id: $0) }) else { return }
        let t = env.clock.millis
        x.log.append(LogLine(millis: t, text: AWSLog.startingExecution(x.requestId)))
        x.log.append(LogLine(millis: t, text: AWSLog.truncated(AWSLog.httpMethod(x.request.method, resourcePath: x.path))))
        if let key = x.apiKeyMasked { x.log.append(LogLine(millis: t, text: AWSLog.apiKeyLine(key))) }  // throttling.md §8.5 [REC L1]
        // The maps and the body are formatted when the log is read (LogLine).
        let path = x.pathParameters, query = x.query, headers = x.methodRequestHeaders, request = x.request
        x.log.append(.truncated(millis: t) { AWSLog.methodRequestPath(AWSLog.javaMap(path.map { ($0.name, $0.value) })) })
        x.log.append(.truncated(millis: t) {
            // One entry per name, the last value winning, in first-seen order (Java's map of the query).
            var queryMap: [(String, String)] = []
            for (k, v) in query {
                if let i = queryMap.firstIndex(where: { $0.0 == k }) { queryMap[i].1 = v } else { queryMap.append((k, v)) }
            }
            return AWSLog.methodRequestQuery(AWSLog.javaMap(queryMap))
        })
        x.log.append(.truncated(millis: t) { AWSLog.methodRequestHeaders(AWSLog.javaMap(headers.grouped.map { ($0.name, $0.values.last ?? "") })) })
        x.log.append(.truncated(millis: t) { AWSLog.methodRequestBody(request.bodyText ?? "") })
        if let vname = method.requestValidator, let validator = api.requestValidators[vname] {
            try RequestValidation.validate(x: &x, env: env, api: api, method: method, validator: validator, stage: name)
        }
        x.trace.append(TraceEvent(stage: name, millis: t,
                                  summary: Plural.count(x.methodRequestHeaders.count, "header") + ", " + Plural.count(x.query.count, "query parameter")
                                    + ", body " + Plural.count(x.request.body?.count ?? 0, "byte"),
                                  fields: [("headers", String(x.methodRequestHeaders.count)), ("query", String(x.query.count)),
                                           ("bodyBytes", String(x.request.body?.count ?? 0))]))
    }
}

/// Stage 7: the integration request: a mapping template (MOCK) or the Lambda proxy event.
public struct IntegrationRequestStage: PipelineStage {
    public var name: StageName { .integrationRequest }
    public init() {}

    public func run(_ x: inout Exchange, _ env: GatewayEnvironment) throws(GatewayFailure) {
        guard let method = currentMethod(x, env), let api = x.apiId.flatMap({ env.restApi(id: $0) }),
              let stage = x.currentStage(env) else { return }
        guard let integration = method.integration else {
            throw GatewayFailure(.apiConfigurationError,
                                 why: "\(method.httpMethod) \(x.resourcePath ?? "") has no integration (AWS refuses to deploy such a method); add `integration:` at \(method.location)")
        }
        let t = env.clock.millis
        // Parameter mapping first: a mapping API Gateway refuses fails the call before anything else (mapping.md §1.3).
        let mapped = try ParameterMapping.request(integration, x, env)
        if !integration.requestParameters.isEmpty {
            x.trace.append(TraceEvent(stage: name, millis: t, summary: "requestParameters: " + Plural.count(mapped.headers.count + mapped.query.count + mapped.path.count, "value") + " mapped",
                                      fields: mapped.trace,
                                      why: integration.type == .awsProxy ? "a Lambda proxy event is built from the method request; requestParameters do not change it (mapping.md §1.3 rule 7)" : nil))
        }
        switch integration.type {
        case .mock:
            guard let body = try selectRequestTemplate(integration, &x, stageName: name, env: env) else { return }
            x.integrationRequestBody = body
        case .awsProxy:
            // Lambda is called with POST; another integration httpMethod fails at run time with 500 (MODEL.md).
            if let hm = integration.httpMethod, hm != "POST" {
                throw GatewayFailure(.apiConfigurationError,
                                     why: "a Lambda integration must call Lambda with POST, not \(hm) (integration httpMethod at \(integration.location))")
            }
            let event = LambdaProxy.event(x, api: api, stage: stage, accountId: env.world.account,
                                          requestTimeMillis: t, requestTime: env.clock.clfDate)
            x.lambdaEvent = event
            x.integrationRequestBody = event.serialized()
            x.trace.append(TraceEvent(stage: name, millis: t, summary: "Lambda proxy event (payload 1.0), \(x.integrationRequestBody!.utf8.count) bytes",
                                      fields: [("type", "AWS_PROXY"), ("function", integration.lambdaFunctionName ?? "")],
                                      why: "proxy integrations pass the whole request to the function; templates and passthroughBehavior do not apply (mapping.md §2.2)"))
        case .aws where integration.isLambda:
            if let hm = integration.httpMethod, hm != "POST" {
                throw GatewayFailure(.apiConfigurationError,
                                     why: "a Lambda integration must call Lambda with POST, not \(hm) (integration httpMethod at \(integration.location))")
            }
            // Non-proxy Lambda: the function's event is the integration request body — the template's output or
            // the passthrough body (lambda-payloads.md §3 rule 27).
            guard let body = try selectRequestTemplate(integration, &x, stageName: name, env: env) else { return }
            x.integrationRequestBody = body
        case .http:
            guard let body = try selectRequestTemplate(integration, &x, stageName: name, env: env) else { return }
            x.integrationRequestBody = body
            x.backendRequest = try HTTPIntegration.request(x, env, integration: integration, stage: stage, body: body, mapped: mapped)
        case .httpProxy:
            // The request passes through: no template, no passthrough rules (mapping.md §2.2).
            let body = x.request.bodyText ?? ""
            x.integrationRequestBody = body
            x.backendRequest = try HTTPIntegration.request(x, env, integration: integration, stage: stage, body: body, mapped: mapped)
            x.trace.append(TraceEvent(stage: name, millis: t, summary: "HTTP_PROXY: the request goes to \(x.backendRequest!.url) as sent",
                                      fields: [("type", "HTTP_PROXY"), ("url", x.backendRequest!.url)],
                                      why: "proxy integrations pass the method request through; templates and passthroughBehavior do not apply (mapping.md §2.2)"))
        case .aws:
            x.markUnsupported("integration type AWS with a non-Lambda AWS service is not simulated yet (AWS service integrations come with the REST fidelity work)",
                              stage: name, millis: t)
        }
    }

    /// Template selection by the request's MIME type (no Content-Type → application/json) and the
    /// passthrough table (mapping.md §2.1–2.2).
    func selectRequestTemplate(_ integration: Integration, _ x: inout Exchange, stageName: StageName, env: GatewayEnvironment) throws(GatewayFailure) -> String? {
        let t = env.clock.millis
        let contentType = MediaType.essence(x.request.headers["Content-Type"]) ?? "application/json"
        guard let api = x.apiId.flatMap({ env.restApi(id: $0) }),
              let payload = try ContentHandling.requestPayload(&x, api, integration, stage: stageName, env: env) else { return nil }
        if let chosen = integration.requestTemplates.first(where: { $0.contentType.lowercased() == contentType }) {
            let mapper = LuaMapperReference.name(chosen.template)
            let what = "request template \(chosen.contentType)" + (mapper.map { " (Lua mapper \($0))" } ?? "")
            switch MappingTemplates.render(chosen.template, name: what, payload: payload, &x, env) {
            case .rendered(let output):
                x.trace.append(TraceEvent(stage: stageName, millis: t, summary: "\(what) → \(TraceText.short(output))",
                                          fields: [("template", chosen.contentType), ("body", output)] + (mapper.map { [("mapper", $0), ("input", payload)] } ?? [])
                                            + MappingTemplates.overrideFields(x)))
                return output
            case .failed(let e):
                throw MappingTemplates.failure(e, what: what, location: integration.location)
            }
        }
        let behaviour = integration.passthroughBehavior
        let passes = behaviour == "WHEN_NO_MATCH" || (behaviour == "WHEN_NO_TEMPLATES" && integration.requestTemplates.isEmpty)
        guard passes else {
            throw GatewayFailure(.unsupportedMediaType,
                                 why: "no request template for \(contentType) and passthroughBehavior \(behaviour) forbids passing the body through (mapping.md §2.2)")
        }
        let body = payload
        x.trace.append(TraceEvent(stage: stageName, millis: t, summary: "no template for \(contentType): body passed through (\(behaviour))",
                                  fields: [("template", ""), ("passthrough", behaviour), ("body", body)]))
        return body
    }
}

/// Stage 8: the integration call.
public struct IntegrationStage: PipelineStage {
    public var name: StageName { .integration }
    public init() {}

    public func run(_ x: inout Exchange, _ env: GatewayEnvironment) throws(GatewayFailure) {
        guard let integration = currentMethod(x, env)?.integration else { return }
        switch integration.type {
        case .mock: try runMock(&x, env)
        case .awsProxy: try runLambda(&x, env, integration: integration, proxy: true)
        case .aws where integration.isLambda: try runLambda(&x, env, integration: integration, proxy: false)
        case .http, .httpProxy: try HTTPIntegration.call(&x, env, integration: integration, stage: name)
        default: return
        }
    }

    /// A MOCK makes no call: its status is the `statusCode` of the request template's output (mapping.md §3.1).
    func runMock(_ x: inout Exchange, _ env: GatewayEnvironment) throws(GatewayFailure) {
        let body = x.integrationRequestBody ?? ""
        let status: Int?
        if body.allSatisfy(\.isWhitespace) {
            status = 200  // assumption: no template output reads as the documented default {"statusCode": 200}
        } else {
            status = MockStatus.read(body)
        }
        guard let status else {
            throw GatewayFailure(.apiConfigurationError, logLine: AWSLog.unableToParseStatusCode,
                                 why: "the MOCK request template's output has no readable statusCode: \(body) (mapping.md §3.1; the log line is LocalStack's, UNCONFIRMED on AWS)")
        }
        x.integrationStatus = String(status)
        x.integrationResponseBody = ""
        x.trace.append(TraceEvent(stage: name, millis: env.clock.millis, summary: "MOCK: status \(status) from the request template",
                                  fields: [("type", "MOCK"), ("status", String(status))]))
    }

    func runLambda(_ x: inout Exchange, _ env: GatewayEnvironment, integration: Integration, proxy: Bool) throws(GatewayFailure) {
        let function = integration.lambdaFunctionName ?? ""
        let region = env.world.region, account = env.world.account
        let url = LambdaText.invokeURL(region: region, account: account, function: function)
        let t = env.clock.millis
        let lambdaRequestId = env.ids.uuid()
        x.lambdaRequestId = lambdaRequestId
        let body = x.integrationRequestBody ?? ""
        // An empty non-proxy body reaches the function as {} (lambda-payloads.md §3 rule 27 [REC]); the log still
        // shows the empty body (mapping.md §2.2 rule 19).
        let payload = !proxy && body.isEmpty ? "{}" : body
        let requestHeaders = LambdaRequestHeaders.forInvoke(x, env, payload: payload, function: function)
        x.log.append(LogLine(millis: t, text: AWSLog.endpointRequestURI(url)))
        x.log.append(.truncated(millis: t) { AWSLog.endpointRequestHeaders(AWSLog.javaMap(proxy ? requestHeaders.proxyOrder : requestHeaders.nonProxyOrder)) })
        x.log.append(.truncated(millis: t) { AWSLog.endpointRequestBody(body) })
        guard let lambda = env.lambda, lambda.hasFunction(function) else {
            throw GatewayFailure(.apiConfigurationError, logLine: AWSLog.invalidLambdaPermissions,
                                 why: "no Lambda function named '\(function)': no loaded plugin registers it with gateway.lambda(\"\(function)\", …)"
                                    + " (the log line is AWS's for a function API Gateway cannot invoke; its text for a missing function is UNCONFIRMED)")
        }
        x.log.append(LogLine(millis: t, text: AWSLog.sendingRequest(url)))
        let result = lambda.call(function, payload: payload, requestId: lambdaRequestId, env)
        x.lambdaResult = result
        if case .cancelled = result.outcome {
            x.cancelWhile(function, stage: name, millis: env.clock.millis)
            return
        }
        let latency = result.integrationLatencyMillis
        if latency > integration.timeoutInMillis {
            // API Gateway stops waiting at timeoutInMillis: 504 Endpoint request timed out (rest-request-flow.md §1.6,
            // §6). Its execution-log line for this is UNCONFIRMED, so gwsh writes none besides the status line.
            env.clock.advance(millis: Int64(integration.timeoutInMillis))
            x.trace.append(TraceEvent(stage: name, millis: env.clock.millis, outcome: .failed,
                                      summary: "Lambda \(function) still running after \(integration.timeoutInMillis) ms: integration timeout",
                                      fields: [("type", integration.type.rawValue), ("function", function), ("timeoutInMillis", String(integration.timeoutInMillis))]))
            throw GatewayFailure(.integrationTimeout,
                                 why: "the function needs \(latency) ms but the integration's timeoutInMillis is \(integration.timeoutInMillis) (at most 29000 on REST APIs); API Gateway gives up and answers 504 while the function keeps running")
        }
        env.clock.advance(millis: Int64(latency))
        let now = env.clock.millis
        var functionError: (message: String, body: String, kind: String)?
        let responseBody: String
        switch result.outcome {
        case .success(let p):
            responseBody = p
        case .functionError(let error, let kind):
            // Error objects as a Python runtime writes them (the seed's functions are Python; lambda-payloads.md §3 rule 29).
            responseBody = error.serialized(.spaced)
            functionError = (error["errorMessage"]?.stringValue ?? error["errorMessage"].map { $0.serialized() } ?? "", responseBody, kind)
        case .timedOut(let after):
            let message = LambdaText.taskTimedOut(isoDate: VirtualClock(millis: t + Int64(after)).iso8601Millis, requestId: lambdaRequestId, afterMillis: after)
            // Lambda's own timeout error object is compact JSON (rest-request-flow.md §5.6 rule 98 [REC U4]).
            let error: JSONValue = .obj(["errorMessage": .string(message)])
            responseBody = error.serialized(.compact)
            functionError = (message, responseBody, "Unhandled")
        case .cancelled:
            return
        }
        x.integrationStatus = "200"
        x.integrationResponseBody = responseBody
        x.log.append(LogLine(millis: now, text: AWSLog.receivedResponse(status: 200, latencyMillis: latency)))
        x.log.append(LogLine(millis: now, text: AWSLog.truncated(AWSLog.endpointResponseHeaders(AWSLog.javaMap(
            LambdaRequestHeaders.lambdaResponse(x, env, body: responseBody, lambdaRequestId: lambdaRequestId, functionError: functionError?.kind))))))
        x.log.append(.truncated(millis: now) { AWSLog.endpointResponseBody(responseBody) })
        var fields: [(String, String)] = [("type", integration.type.rawValue), ("function", function), ("lambdaRequestId", lambdaRequestId),
                                          ("latencyMillis", String(latency))]
        for (i, line) in result.logs.enumerated() { fields.append(("log[\(i)]", line)) }
        if let functionError, !proxy {
            // Non-proxy: a function error is not a gateway error; its errorMessage is what the integration
            // responses' selection patterns are matched against (lambda-payloads.md §3 rules 29–32).
            fields.append(("errorMessage", functionError.message))
            x.lambdaErrorMessage = functionError.message
            x.trace.append(TraceEvent(stage: name, millis: now, outcome: .ok, summary: "Lambda \(function) raised a function error: \(functionError.message)",
                                      fields: fields,
                                      why: "with a non-proxy (AWS) integration the error object goes on to the integration responses, whose selectionPattern is matched against its errorMessage"))
            return
        }
        if let functionError {
            fields.append(("errorMessage", functionError.message))
            x.trace.append(TraceEvent(stage: name, millis: now, outcome: .failed, summary: "Lambda \(function) failed: \(functionError.message)",
                                      fields: fields))
            // A proxy integration turns a function error into 502 (rest-request-flow.md §1.6, §5.4 rule 87).
            throw GatewayFailure(.default5XX, status: 502, message: "Internal server error", errorType: "InternalServerErrorException",
                                 logLine: AWSLog.lambdaFunctionError(message: functionError.message, lambdaRequestId: lambdaRequestId),
                                 why: "the function failed; with a Lambda proxy integration API Gateway answers 502 Internal server error (lambda-payloads.md §6)")
        }
        x.trace.append(TraceEvent(stage: name, millis: now, summary: "Lambda \(function) returned \(responseBody.utf8.count) bytes in \(latency) ms", fields: fields))
    }
}

/// Stage 9: integration response — selection for MOCK, the proxy response contract for AWS_PROXY.
public struct IntegrationResponseStage: PipelineStage {
    public var name: StageName { .integrationResponse }
    public init() {}

    public func run(_ x: inout Exchange, _ env: GatewayEnvironment) throws(GatewayFailure) {
        guard let method = currentMethod(x, env), let integration = method.integration else { return }
        switch integration.type {
        case .mock:
            let status = x.integrationStatus ?? "200"
            try select(&x, env, method: method, integration: integration, against: status, endpointStatus: status)
        case .aws where integration.isLambda:
            // Lambda: the errorMessage of a function error, the empty string for a success (mapping.md §3.1, §3.2 rule 23).
            try select(&x, env, method: method, integration: integration, against: x.lambdaErrorMessage ?? "", endpointStatus: "200")
        case .http:
            // HTTP: the backend's status code (mapping.md §3.1, §3.2 rule 28).
            let status = x.integrationStatus ?? "200"
            try select(&x, env, method: method, integration: integration, against: status, endpointStatus: status)
        case .awsProxy: try parseProxy(&x, env)
        case .httpProxy: HTTPIntegration.proxyResponse(&x, env, stage: name)
        default: return
        }
    }

    func parseProxy(_ x: inout Exchange, _ env: GatewayEnvironment) throws(GatewayFailure) {
        let payload = x.integrationResponseBody ?? ""
        let api = x.apiId.flatMap { env.restApi(id: $0) }
        let accept = MediaType.firstAccepted(x.request.headers)
        let binary = accept.map { MediaType.matches($0, any: api?.binaryMediaTypes ?? []) } ?? false
        switch LambdaProxy.parse(payload: payload, acceptsBinary: binary) {
        case .failure(.malformed(let why)):
            throw GatewayFailure(.default5XX, status: 502, message: "Internal server error", logLine: AWSLog.malformedProxyResponse,
                                 why: "malformed Lambda proxy response: \(why) (lambda-payloads.md §2.3)")
        case .failure(.invalidBase64):
            throw GatewayFailure(.default5XX, status: 500, message: "Internal server error", errorType: "InternalServerErrorException",
                                 why: "isBase64Encoded is true and the Accept type is binary, but the body is not valid base64 (lambda-payloads.md §2.3 rule 24)")
        case .success(let r):
            var headers = HeaderFields(r.headers.map { (EdgeHeaders.remapped($0.name), $0.value) })
            let gateway = ResponseHeaders.gateway(x, env, contentLength: r.body.count, error: false, traceId: true)
            for (k, v) in gateway { headers.add(k, v) }
            let bodyText = String(decoding: r.body, as: UTF8.self)
            let t = env.clock.millis
            x.log.append(.truncated(millis: t) { AWSLog.methodResponseBody(bodyText) })
            let traceId = EdgeHeaders.responseTraceId(x), answered = r.headers
            x.log.append(.truncated(millis: t) { AWSLog.methodResponseHeaders(AWSLog.javaMap(answered.map { ($0.name, $0.value) } + [("X-Amzn-Trace-Id", traceId)])) })
            x.log.append(LogLine(millis: t, text: AWSLog.successfullyCompleted))
            x.log.append(LogLine(millis: t, text: AWSLog.methodCompleted(status: r.statusCode)))
            x.response = GatewayHTTPResponse(status: r.statusCode, headers: headers, body: r.body)
            x.trace.append(TraceEvent(stage: name, millis: t, summary: "proxy response: status \(r.statusCode), " + Plural.count(r.headers.count, "header") + ", body " + Plural.count(r.body.count, "byte"),
                                      fields: [("status", String(r.statusCode)), ("body", bodyText)],
                                      why: "proxy integrations ignore integration responses: the function's statusCode passes through (lambda-payloads.md §2.2)"))
        }
    }

    /// Selection for MOCK: the status code string against each selectionPattern, whole-string Java regex
    /// (mapping.md §3.2 rules 22, 24–26, 29).
    /// Selection: `status` is what the patterns are matched against (the MOCK/HTTP status code, or a Lambda
    /// function's errorMessage); `endpointStatus` is the integration's HTTP status for the log line.
    func select(_ x: inout Exchange, _ env: GatewayEnvironment, method: Method, integration: Integration,
                against status: String, endpointStatus: String) throws(GatewayFailure) {
        let t = env.clock.millis
        let isLambda = integration.type == .aws
        let shown = isLambda ? (status.isEmpty ? "the empty string (a successful invocation has no error message)" : "errorMessage " + JSONValue.quoted(status)) : status
        let label = isLambda ? (status.isEmpty ? "success" : "errorMessage " + JSONValue.quoted(status.count > 60 ? String(status.prefix(57)) + "..." : status)) : status
        let matching = integration.integrationResponses.filter { r in
            guard let p = r.selectionPattern, !p.isEmpty else { return false }
            return SelectionPattern.matches(p, status)
        }
        var chosen: IntegrationResponse?
        var why: String
        if !matching.isEmpty {
            // Several matches: AWS's order is UNCONFIRMED (mapping.md §3.2 rule 26); gwsh takes the lowest status.
            chosen = matching.min { (Int($0.statusCode) ?? 0) < (Int($1.statusCode) ?? 0) }
            why = "selectionPattern \(chosen!.selectionPattern!) matches the whole of \(shown) (Java regex, whole-string match: mapping.md §3.2 rule 22)"
            if matching.count > 1 { why += "; \(matching.count) patterns matched and gwsh took the lowest status (AWS's order is UNCONFIRMED, mapping.md §3.2 rule 26)" }
        } else {
            chosen = integration.integrationResponses.first { $0.isDefault }
            why = "no selectionPattern matched \(shown): the default response (no pattern) applies"
        }
        guard let response = chosen else {
            throw GatewayFailure(.apiConfigurationError, logLine: AWSLog.noOutputMapping(status: endpointStatus),
                                 why: "no integration response matches \(shown) and none is the default (mapping.md §3.2 rule 25)")
        }
        guard method.methodResponses[response.statusCode] != nil else {
            throw GatewayFailure(.apiConfigurationError, logLine: AWSLog.invalidMethodResponse(status: response.statusCode),
                                 why: "integration response \(response.statusCode) has no method response \(response.statusCode); add it under methodResponses (mapping.md §3.2 rule 29)")
        }
        // Response template by Accept (MIME only), else application/json, else the first (mapping.md §3.5 rule 34).
        let accept = MediaType.firstAccepted(x.request.headers) ?? "application/json"
        let template = response.responseTemplates.first { $0.contentType.lowercased() == accept }
            ?? response.responseTemplates.first { $0.contentType.lowercased() == "application/json" }
            ?? response.responseTemplates.first
        var body = x.integrationResponseBody ?? ""
        if let template {
            let what = "response template \(template.contentType) of integration response \(response.statusCode)"
                + (LuaMapperReference.name(template.template).map { " (Lua mapper \($0))" } ?? "")
            switch MappingTemplates.render(template.template, name: what, payload: body, &x, env) {
            case .rendered(let text): body = text
            case .failed(let e): throw MappingTemplates.failure(e, what: what, location: response.location)
            }
        }
        x.methodResponseBody = body
        x.selectedIntegrationResponse = response
        x.methodResponseHeaders = ParameterMapping.response(response.responseParameters, x, env).map { (name: $0.0, value: $0.1) }
        x.trace.append(TraceEvent(stage: name, millis: t,
                                  summary: "\(label) → integration response \(response.statusCode)" + (response.isDefault ? " (default)" : " (pattern \(response.selectionPattern!))"),
                                  fields: [("status", response.statusCode), ("pattern", response.selectionPattern ?? ""),
                                           ("template", template?.contentType ?? ""), ("body", body)]
                                    + (template.flatMap { LuaMapperReference.name($0.template) }.map { [("mapper", $0)] } ?? []) + MappingTemplates.overrideFields(x)
                                    + x.methodResponseHeaders.map { ("header.\($0.name)", $0.value) },
                                  why: why))
        x.integrationStatus = response.statusCode
    }
}

/// Stage 10: the method response the client gets (non-proxy integrations).
public struct MethodResponseStage: PipelineStage {
    public var name: StageName { .methodResponse }
    public init() {}

    public func run(_ x: inout Exchange, _ env: GatewayEnvironment) throws(GatewayFailure) {
        guard x.response == nil else {
            // A proxy integration already produced the response; record it for `expect trace method-response.*`.
            if let r = x.response {
                x.trace.append(TraceEvent(stage: name, millis: env.clock.millis, summary: "\(r.status) \(HTTPStatus.reason(r.status))",
                                          fields: [("status", String(r.status))]))
            }
            return
        }
        guard var status = x.integrationStatus.flatMap(Int.init), let api = x.apiId.flatMap({ env.restApi(id: $0) }) else { return }
        let body = x.methodResponseBody ?? x.integrationResponseBody ?? ""
        let t = env.clock.millis
        // Text to bytes: contentHandling and binary Accept types (mapping.md §3.6).
        let (bytes, conversion) = try ContentHandling.responseBody(body, x, api, x.selectedIntegrationResponse)
        // $context.responseOverride from a request or response template (mapping.md §3.5 rule 36, §4.4 rule 46):
        // the status needs no method response of its own [REC status 444].
        var why: [String] = conversion.map { [$0] } ?? []
        let (overridden, ignored) = MappingTemplates.overrideStatus(x)
        if let overridden {
            why.append("$context.responseOverride.status sets the status to \(overridden) (was \(status))")
            status = overridden
        }
        if let ignored {
            why.append("$context.responseOverride.status \(ignored) is not a status code in 100–599 and is ignored (LocalStack's rule; AWS's is UNCONFIRMED, mapping.md §4.4 rule 48)")
        }
        // Non-proxy responses carry Content-Type application/json (rest-request-flow.md §4.2 rule 68); after a
        // Lambda call the trace id comes first in the log's map (§5.5 rule 88), MOCK has none (§4.1).
        // HTTP integrations answer with the trace id too [REC parameter-mapping/http-all-headers-mapped].
        let calledLambda = x.lambdaResult != nil || x.backendRequest != nil
        var headers = HeaderFields([("Content-Type", "application/json")])
        var logged: [(String, String)] = calledLambda
            ? [("X-Amzn-Trace-Id", EdgeHeaders.responseTraceId(x)), ("Content-Type", "application/json")]
            : [("Content-Type", "application/json")]
        // responseParameters: reserved names come back as x-amzn-Remapped-NAME, Transfer-Encoding is dropped
        // (mapping.md §3.4 rule 32 [REC]).
        for (k, v) in x.methodResponseHeaders {
            guard k.lowercased() != "transfer-encoding" else { continue }
            headers.set(EdgeHeaders.remapped(k), v)
            logged.removeAll { HeaderFields.sameName($0.0, k) }
            logged.append((k, v))
        }
        for (k, v) in MappingTemplates.overrideHeaders(x) where k.lowercased() != "transfer-encoding" {
            // An override header replaces one of the same name (assumption: AWS's merge order is UNCONFIRMED);
            // Transfer-Encoding is dropped as for responseParameters (mapping.md §3.4 rule 32).
            headers.set(EdgeHeaders.remapped(k), v)
            logged.removeAll { $0.0.lowercased() == k.lowercased() }
            logged.append((k, v))
            why.append("$context.responseOverride.header.\(k) sets \(k): \(v)")
        }
        for (k, v) in ResponseHeaders.gateway(x, env, contentLength: bytes.count, error: false, traceId: calledLambda) { headers.add(k, v) }
        let loggedHeaders = logged
        x.log.append(.truncated(millis: t) { AWSLog.methodResponseBody(body) })
        x.log.append(.truncated(millis: t) { AWSLog.methodResponseHeaders(AWSLog.javaMap(loggedHeaders)) })
        x.log.append(LogLine(millis: t, text: AWSLog.successfullyCompleted))
        x.log.append(LogLine(millis: t, text: AWSLog.methodCompleted(status: status)))
        x.response = GatewayHTTPResponse(status: status, headers: headers, body: bytes)
        x.trace.append(TraceEvent(stage: name, millis: t, summary: "\(status) \(HTTPStatus.reason(status)), Content-Type \(headers["Content-Type"] ?? "none")",
                                  fields: [("status", String(status)), ("body", body)],
                                  why: why.isEmpty ? nil : why.joined(separator: "; ")))
    }
}

/// The method the route stage chose.
public func currentMethod(_ x: Exchange, _ env: GatewayEnvironment) -> Method? {
    x.method
}
