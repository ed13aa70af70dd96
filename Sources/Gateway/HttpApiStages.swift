import Foundation
import GatewayModel

/// The HTTP API pipeline (reference/http-api.md §1):
///
///     client ─▶ endpoint (host → API, path decoding, stage selection)
///            ─▶ route (full match > greedy > $default; or the CORS preflight)
///            ─▶ auth (NONE, JWT, Lambda REQUEST authorizers; IAM is not simulated yet)
///            ─▶ integration-request (request parameter mapping, the Lambda event or the HTTP request)
///            ─▶ integration (Lambda payload 1.0 / 2.0, HTTP_PROXY)
///            ─▶ response (response parameter mapping by status, CORS headers, apigw-requestid) ─▶ client
///
/// HTTP APIs have no execution logs (http-api.md §4.3 rule 9): these stages write trace events only.
public enum HttpApiPipeline {
    public static let stages: [any PipelineStage] = [
        HttpEndpointStage(), HttpRouteStage(), HttpAuthStage(), HttpIntegrationRequestStage(), HttpIntegrationStage(), HttpResponseStage(),
    ]
}

/// What an HTTP API exchange carries besides the REST fields it shares (apiId, stageName, path, query, pathParameters).
public struct HttpApiState: Sendable {
    public var api: HttpApi
    public var stage: HttpStage?
    public var route: HttpRoute?
    /// The decoded path with the stage segment (`rawPath`, `requestContext.http.path`).
    public var rawPath: String = "/"
    /// The query string as sent, without `?` (`rawQueryString`).
    public var rawQueryString: String = ""
    /// What the route's authorizer passes to the integration (`requestContext.authorizer`).
    public var authorizer: JSONValue?
    /// Whether API Gateway answers this request itself as a CORS preflight.
    public var preflight = false
    /// The status the integration answered and the headers and body the client gets (before response mapping).
    public var status = 200
    public var headers = HeaderFields()
    public var body: [UInt8] = []
}

extension GatewayEnvironment {
    public func httpApi(id: String) -> HttpApi? { world.httpApi(id: id) }
    public var currentHttpApi: HttpApi? { currentApiId.flatMap { world.httpApi(id: $0) } }

    /// The stages a request to the current API goes through.
    public var pipelineStages: [any PipelineStage] { currentHttpApi != nil ? HttpApiPipeline.stages : RestPipeline.stages }
}

/// HTTP API error answers: `{"message":"<reason phrase>"}`, no space (http-api.md §11; §8 rule 4 for the unrecorded ones).
enum HttpApiErrors {
    static func answer(_ f: GatewayFailure) -> (status: Int, message: String) {
        if let s = f.status, let m = f.message { return (s, m) }
        switch f.type {
        case .resourceNotFound, .missingAuthenticationToken: return (404, "Not Found")      // §2.3 rule 14 [DOC D1]
        case .integrationTimeout: return (503, "Service Unavailable")                        // §4.3 [REC R1]
        case .throttled: return (429, "Too Many Requests")                                  // §8 rule 2, UNCONFIRMED
        case .unauthorized: return (401, "Unauthorized")                                   // §7 [REC R6, R7]
        case .accessDenied: return (403, "Forbidden")                                      // §7
        case .requestTooLarge: return (413, "Request Entity Too Large")                    // §8 rule 3, an assumption
        default: return (500, "Internal Server Error")                                     // §4.3 [REC R1]
        }
    }
}

/// Stage 1: host → API, the path as HTTP APIs decode it, and the stage (http-api.md §2.4, §3).
public struct HttpEndpointStage: PipelineStage {
    public var name: StageName { .endpoint }
    public init() {}

    public func run(_ x: inout Exchange, _ env: GatewayEnvironment) throws(GatewayFailure) {
        guard let api = env.currentHttpApi else { return }
        x.apiId = api.apiId
        // requestContext.requestId = extendedRequestId = the apigw-requestid header (http-api.md §5 rule 1 [REC R9]).
        x.requestId = x.extendedRequestId
        x.http = HttpApiState(api: api)
        if let body = x.request.body, body.count > 10_485_760 {
            throw GatewayFailure(.requestTooLarge, why: "the request body is \(body.count) bytes; HTTP APIs accept at most 10 MB (the answer for more is UNCONFIRMED: http-api.md §8 rule 3)")
        }
        x.host = x.request.host ?? x.request.headers["Host"] ?? "\(api.apiId).execute-api.\(env.world.region).amazonaws.com"
        if api.disableExecuteApiEndpoint, x.host.lowercased() == "\(api.apiId.lowercased()).execute-api.\(env.world.region).amazonaws.com" {
            throw GatewayFailure(.default4XX, status: 403, message: "Forbidden",
                                 why: "API \(api.apiId) has disableExecuteApiEndpoint: true; it can only be called through a custom domain (http-api.md §1 rule 1, UNCONFIRMED at REC level)")
        }
        x.edge = EdgeValues.draw(&env.ids, nowMillis: env.clock.millis)
        let rawPath = x.request.rawPath
        let bytes = rawPath.utf8
        let end = bytes.firstIndex(of: UInt8(ascii: "#")) ?? bytes.endIndex
        var pathEnd = end
        if let q = bytes[..<end].firstIndex(of: UInt8(ascii: "?")) {
            pathEnd = q
            x.http?.rawQueryString = String(rawPath[bytes.index(after: q)..<end])
        }
        x.query = QueryString.parse(Substring(x.http?.rawQueryString ?? ""))
        guard let decoded = HttpPathDecoding.decode(String(rawPath[..<pathEnd])) else {
            throw GatewayFailure(.default4XX, status: 400, message: "Bad Request",
                                 why: "the path decodes to a lone '%' (a percent-encoded %25 not followed by two hex digits); HTTP APIs reject it with 400 before any route (http-api.md §2.4 rule 18 [REC R3]; the body is UNCONFIRMED)")
        }
        x.http?.rawPath = decoded
        x.requestContextPath = decoded
        // A named stage is the first segment; otherwise $default takes the whole path; no $default: 404 (§3 rule 2–3).
        let first = decoded.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: true).first.map(String.init) ?? ""
        if !first.isEmpty, first != "$default", let stage = api.stage(named: first) {
            x.http?.stage = stage
            x.stageName = stage.stageName
            var rest = decoded.drop { $0 == "/" }.dropFirst(first.count)
            if rest.isEmpty { rest = "/" }
            x.path = String(rest)
        } else if let stage = api.defaultStage {
            x.http?.stage = stage
            x.stageName = stage.stageName
            x.path = decoded
        } else {
            let names = api.stages.map(\.stageName).joined(separator: ", ")
            throw GatewayFailure(.resourceNotFound, status: 404, message: "Not Found",
                                 why: first.isEmpty || api.stages.isEmpty
                                    ? "API \(api.apiId) has no $default stage to serve \(decoded) (stages: \(names.isEmpty ? "none" : names)); HTTP APIs answer 404 Not Found (http-api.md §3 rule 2)"
                                    : "API \(api.apiId) has no stage '\(first)' and no $default stage (stages: \(names)); HTTP APIs answer 404 Not Found, not REST's 403 (http-api.md §3 rule 3)")
        }
        x.methodRequestHeaders = x.request.headers
        let stageName = x.stageName ?? ""
        x.trace.append(TraceEvent(stage: name, millis: env.clock.millis,
                                  summary: "\(x.host) → HTTP API \(api.name) (\(api.apiId)), stage \(stageName)" + (decoded == rawPath[..<pathEnd] ? "" : ", path decoded to \(decoded)"),
                                  fields: [("api", api.apiId), ("stage", stageName), ("host", x.host), ("path", x.path), ("rawPath", decoded), ("requestId", x.requestId)],
                                  why: stageName == "$default"
                                    ? "no stage named by the first path segment: the $default stage serves the whole path (http-api.md §3 rule 2)"
                                    : "the first path segment names stage \(stageName); routes match the rest (http-api.md §2.6 rule 26)"))
    }
}

/// HTTP APIs decode the path before routing (http-api.md §2.4 rule 18 [REC R3]), reproducing the recorded table:
/// one decoding in which a decoded `?` ends the path, then a second in which it does not; a `%` left without two
/// hex digits after the first decoding is a 400.
enum HttpPathDecoding {
    static func decode(_ path: String) -> String? {
        guard let once = percentDecode(Array(path.utf8), questionMarkEnds: true, strict: false) else { return nil }
        return percentDecode(once, questionMarkEnds: false, strict: true).map { String(decoding: $0, as: UTF8.self) }
    }

    static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }

    static func percentDecode(_ bytes: [UInt8], questionMarkEnds: Bool, strict: Bool) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "%") {
                if i + 2 < bytes.count, let h = hex(bytes[i + 1]), let l = hex(bytes[i + 2]) {
                    let c = h << 4 | l
                    if questionMarkEnds, c == UInt8(ascii: "?") { return out }
                    out.append(c)
                    i += 3
                    continue
                }
                if strict { return nil }
            }
            out.append(b)
            i += 1
        }
        return out
    }
}

/// Stage 2: which route takes the request (http-api.md §2.2), or the CORS preflight API Gateway answers (§6.2).
public struct HttpRouteStage: PipelineStage {
    public var name: StageName { .route }
    public init() {}

    public func run(_ x: inout Exchange, _ env: GatewayEnvironment) throws(GatewayFailure) {
        guard let state = x.http else { return }
        let api = state.api
        let method = x.request.method.uppercased()
        if let m = HttpRouter.match(api.routes, method: method, path: x.path) {
            x.http?.route = m.route
            x.resourcePath = m.route.path
            x.httpMethod = m.route.method ?? method
            x.pathParameters = m.parameters
            try throttle(&x, env, route: m.route)
            x.trace.append(TraceEvent(stage: name, millis: env.clock.millis,
                                      summary: "\(method) \(x.path) → route \(m.route.routeKey)" + (m.parameters.isEmpty ? "" : "  {" + m.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ", ") + "}"),
                                      fields: [("routeKey", m.route.routeKey)] + m.parameters.map { ("path.\($0.name)", $0.value) },
                                      why: m.why))
            return
        }
        // An OPTIONS no route takes: API Gateway answers the preflight itself when the API has CORS (§6.2 rules 3, 5).
        if method == "OPTIONS", api.cors != nil {
            x.http?.preflight = true
            x.trace.append(TraceEvent(stage: name, millis: env.clock.millis, summary: "OPTIONS \(x.path): no route; API Gateway answers the CORS preflight itself",
                                      fields: [("preflight", "true")],
                                      why: "the API has a CORS configuration and no route matches this OPTIONS request (http-api.md §6.2 rules 3, 5)"))
            return
        }
        let sameMethodPaths = api.routes.filter { $0.method != nil && $0.method != method && $0.method != "ANY" && HttpRouter.pathMatches($0, x.path) != nil }
        throw GatewayFailure(.resourceNotFound, status: 404, message: "Not Found",
                             why: sameMethodPaths.isEmpty
                                ? "no route of API \(api.apiId) matches \(method) \(x.path) and there is no $default route: 404 Not Found (http-api.md §2.3 rule 14; REST would answer 403 Missing Authentication Token)"
                                : "\(x.path) has routes only for \(sameMethodPaths.compactMap(\.method).joined(separator: ", ")); another method gets 404, not 405 (http-api.md §2.2 rule 11)")
    }
}

extension HttpRouteStage {
    /// Route throttling, then the stage's default route settings, then the account (throttling.md §10 rule 1);
    /// after route selection (a route's limit needs its key) and before authorization (http-api.md §1 rule 7, gwsh's
    /// order: AWS's is UNCONFIRMED). HTTP APIs have no API keys or usage plans (§10 rule 2).
    func throttle(_ x: inout Exchange, _ env: GatewayEnvironment, route: HttpRoute) throws(GatewayFailure) {
        guard let state = x.http, let stage = state.stage else { return }
        var checks: [Limiter.Check] = []
        let prefix = "http:\(state.api.apiId)/\(stage.stageName):"
        if let t = stage.routeThrottles[route.routeKey] {
            checks.append(Limiter.Check(key: prefix + route.routeKey, settings: t, kind: .stage))
        } else if let t = stage.defaultThrottle {
            checks.append(Limiter.Check(key: prefix + route.routeKey, settings: t, kind: .stage))
        }
        checks.append(Limiter.Check(key: "account", settings: env.world.accountThrottle, kind: .account))
        guard let refused = env.limiter.admit(checks, now: env.clock.millis) else { return }
        let which = refused.kind == .account ? "the account's throttle in \(env.world.region)"
            : stage.routeThrottles[route.routeKey] != nil ? "stage \(stage.stageName)'s routeSettings for \(route.routeKey)" : "stage \(stage.stageName)'s defaultRouteSettings"
        throw GatewayFailure(.throttled, status: 429, message: "Too Many Requests",
                             why: "\(which) (rate \(AWSLog.twoDecimals(refused.settings.rateLimit))/s, burst \(refused.settings.burstLimit)) has no token left: 429 (throttling.md §10; the body {\"message\":\"Too Many Requests\"} is UNCONFIRMED)")
    }
}

/// Route matching in AWS's order (http-api.md §2.2 rules 8–10 [DOC D1]; tie-breaks from [3P T1]): a route matching the
/// whole path without a greedy variable, then a greedy route, then `$default`; within a class an exact method beats
/// `ANY`; then, segment by segment from the left, a literal beats `{name}`, which beats `{name+}`.
public enum HttpRouter {
    public struct Match: Sendable {
        public var route: HttpRoute
        public var parameters: [(name: String, value: String)]
        public var why: String
    }

    /// The segments of a path for matching: one trailing `/` dropped (never the root's) (§2.5 rule 23).
    static func segments(_ path: String) -> [String] {
        var p = Substring(path)
        while p.hasPrefix("/") { p = p.dropFirst() }
        if p.hasSuffix("/") { p = p.dropLast() }
        return p.isEmpty ? [] : p.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    }

    /// The parameters if the route's path fits `path`, whatever the method.
    static func pathMatches(_ route: HttpRoute, _ path: String) -> [(name: String, value: String)]? {
        let segs = segments(path)
        var params: [(name: String, value: String)] = []
        for (i, s) in route.segments.enumerated() {
            switch s {
            case .literal(let l):
                guard i < segs.count, segs[i] == l else { return nil }
            case .variable(let v):
                guard i < segs.count, !segs[i].isEmpty else { return nil }
                params.append((v, segs[i]))
            case .greedy(let g):
                // A greedy variable needs at least one segment (§2.1 rule 3 [3P T1]).
                guard i < segs.count else { return nil }
                params.append((g, segs[i...].joined(separator: "/")))
                return params
            }
        }
        return segs.count == route.segments.count ? params : nil
    }

    public static func match(_ routes: [HttpRoute], method: String, path: String) -> Match? {
        var candidates: [(route: HttpRoute, params: [(name: String, value: String)])] = []
        for r in routes where !r.isDefault {
            guard r.method == method || r.method == "ANY" else { continue }
            if let p = pathMatches(r, path) { candidates.append((r, p)) }
        }
        func rank(_ r: HttpRoute) -> [Int] {
            // Lower is better: class (full 0, greedy 1), method (exact 0, ANY 1), then per segment literal 0, {x} 1, {x+} 2.
            [r.isGreedy ? 1 : 0, r.method == "ANY" ? 1 : 0] + r.segments.map { s in
                switch s {
                case .literal: return 0
                case .variable: return 1
                case .greedy: return 2
                }
            } + [3]
        }
        if let best = candidates.min(by: { rank($0.route).lexicographicallyPrecedes(rank($1.route)) }) {
            let why = best.route.isGreedy
                ? "no route matches the whole path without a greedy variable; \(best.route.routeKey) is the best greedy route (http-api.md §2.2 rules 8, 10)"
                : "a full match of path and method wins over greedy routes and $default (http-api.md §2.2 rule 8)"
                    + (best.route.method == "ANY" ? "; ANY covers methods without a route of their own (rule 2)" : "")
            return Match(route: best.route, parameters: best.params, why: candidates.count > 1 ? why + "; \(candidates.count) routes fit, this one ranks first (literal > {name} > {name+}, exact method > ANY)" : why)
        }
        if let d = routes.first(where: \.isDefault) {
            return Match(route: d, parameters: [], why: "no other route matches: the $default route catches the request (http-api.md §2.2 rule 8)")
        }
        return nil
    }
}

/// Stage 4: request parameter mapping, then the Lambda event (payload 1.0 or 2.0) or the HTTP request.
public struct HttpIntegrationRequestStage: PipelineStage {
    public var name: StageName { .integrationRequest }
    public init() {}

    public func run(_ x: inout Exchange, _ env: GatewayEnvironment) throws(GatewayFailure) {
        guard let state = x.http, !state.preflight, let route = state.route else { return }
        guard let integration = route.integration else {
            // A route without an integration: UNCONFIRMED answer; gwsh: 500 as for an unusable integration.
            throw GatewayFailure(.apiConfigurationError, status: 500, message: "Internal Server Error",
                                 why: "route \(route.routeKey) has no integration (its target is empty); add `integration:` at \(route.location) (the answer AWS gives is UNCONFIRMED)")
        }
        let t = env.clock.millis
        var mapped = HttpParameterMapping.Request(headers: x.methodRequestHeaders, query: x.query, path: x.path)
        let notes = try HttpParameterMapping.apply(integration.requestParameters, to: &mapped, x, env)
        if !integration.requestParameters.isEmpty {
            x.trace.append(TraceEvent(stage: name, millis: t, summary: "requestParameters: " + Plural.count(integration.requestParameters.count, "mapping") + " applied",
                                      fields: notes, why: "mapping.md §5"))
        }
        x.methodRequestHeaders = mapped.headers
        x.query = mapped.query
        switch integration.type {
        case "AWS_PROXY":
            let event = integration.payloadFormatVersion == "1.0" ? HttpLambdaEvent.v1(x, env) : HttpLambdaEvent.v2(x, env)
            x.lambdaEvent = event
            x.integrationRequestBody = event.serialized()
            x.trace.append(TraceEvent(stage: name, millis: t, summary: "Lambda event, payload \(integration.payloadFormatVersion), \(x.integrationRequestBody!.utf8.count) bytes",
                                      fields: [("type", "AWS_PROXY"), ("payloadFormatVersion", integration.payloadFormatVersion), ("function", integration.lambdaFunctionName ?? "")],
                                      why: integration.payloadFormatVersion == "2.0"
                                        ? "payload 2.0: lower-cased headers joined with commas, rawPath and rawQueryString, cookies, requestContext.http (lambda-payloads.md §4.1)"
                                        : "payload 1.0: the REST proxy event's shape plus version 1.0 (lambda-payloads.md §4.2)"))
        default:
            let req = HttpProxyRequest.build(x, env, integration: integration, path: mapped.path)
            x.backendRequest = req
            x.trace.append(TraceEvent(stage: name, millis: t, summary: "HTTP_PROXY \(req.method) \(req.url)",
                                      fields: [("type", "HTTP_PROXY"), ("url", req.url), ("method", req.method)],
                                      why: "the whole request passes to the backend with Host, Forwarded and Via set by API Gateway (http-api.md §4.4)"))
        }
    }
}

/// Stage 5: the Lambda call (payload 1.0 strict, 2.0 inferred) or the HTTP backend (http-api.md §4).
public struct HttpIntegrationStage: PipelineStage {
    public var name: StageName { .integration }
    public init() {}

    public func run(_ x: inout Exchange, _ env: GatewayEnvironment) throws(GatewayFailure) {
        guard let state = x.http, !state.preflight, let route = state.route, let integration = route.integration else { return }
        if integration.type == "HTTP_PROXY" {
            try HTTPIntegration.call(&x, env, timeoutMillis: integration.timeoutInMillis, typeName: "HTTP_PROXY", stage: name)
            guard !x.isFinished, let status = x.integrationStatus.flatMap(Int.init) else { return }
            x.http?.status = status
            x.http?.headers = HeaderFields(x.integrationResponseHeaders.filter { $0.name.lowercased() != "transfer-encoding" }.map { ($0.name, $0.value) })
            x.http?.body = Array((x.integrationResponseBody ?? "").utf8)
            return
        }
        let function = integration.lambdaFunctionName ?? ""
        guard let lambda = env.lambda, lambda.hasFunction(function) else {
            throw GatewayFailure(.apiConfigurationError, status: 500, message: "Internal Server Error",
                                 why: "no Lambda function named '\(function)': no loaded plugin registers it with gateway.lambda(\"\(function)\", …); API Gateway cannot invoke it and answers 500 (http-api.md §4.3)")
        }
        let lambdaRequestId = env.ids.uuid()
        x.lambdaRequestId = lambdaRequestId
        let result = lambda.call(function, payload: x.integrationRequestBody ?? "{}", requestId: lambdaRequestId, env)
        x.lambdaResult = result
        if case .cancelled = result.outcome {
            x.cancelWhile(function, stage: name, millis: env.clock.millis)
            return
        }
        let latency = result.integrationLatencyMillis
        if latency > integration.timeoutInMillis {
            env.clock.advance(millis: Int64(integration.timeoutInMillis))
            throw GatewayFailure(.integrationTimeout, status: 503, message: "Service Unavailable",
                                 why: "the function needs \(latency) ms but the integration gives up after \(integration.timeoutInMillis) ms: HTTP APIs answer 503 Service Unavailable (http-api.md §4.3 [REC R1])")
        }
        env.clock.advance(millis: Int64(latency))
        let now = env.clock.millis
        let payload: String
        switch result.outcome {
        case .success(let p): payload = p
        case .functionError(let error, _):
            x.trace.append(TraceEvent(stage: name, millis: now, outcome: .failed, summary: "\(function) failed: \(error["errorMessage"]?.stringValue ?? error.serialized())",
                                      fields: [("function", function), ("error", error.serialized())]))
            throw GatewayFailure(.integrationFailure, status: 500, message: "Internal Server Error",
                                 why: "the function raised an error; HTTP APIs answer 500 {\"message\":\"Internal Server Error\"} whatever the payload version (http-api.md §4.3 [REC R1]; REST answers 502)")
        case .timedOut(let after):
            throw GatewayFailure(.integrationFailure, status: 500, message: "Internal Server Error",
                                 why: "the function timed out after \(after) ms (its own timeout, shorter than the integration's): a function error, 500 (lambda-payloads.md §6, UNCONFIRMED for HTTP APIs)")
        case .cancelled: return
        }
        x.integrationResponseBody = payload
        let parsed = integration.payloadFormatVersion == "1.0" ? HttpLambdaResponse.v1(payload) : HttpLambdaResponse.v2(payload)
        switch parsed {
        case .failure(let unusable):
            throw GatewayFailure(.integrationFailure, status: 500, message: "Internal Server Error",
                                 why: "\(function) answered \(payload.count > 80 ? String(payload.prefix(77)) + "..." : payload): " + unusable.why)
        case .success(let r):
            x.integrationStatus = String(r.status)
            x.http?.status = r.status
            x.http?.headers = r.headers
            x.http?.body = r.body
            x.trace.append(TraceEvent(stage: name, millis: now, summary: "\(function) → \(r.status), \(r.body.count) bytes in \(latency) ms" + (r.inferred ? " (inferred: no statusCode)" : ""),
                                      fields: [("function", function), ("lambdaRequestId", lambdaRequestId), ("status", String(r.status)),
                                               ("payload", payload)],
                                      why: r.why))
        }
    }
}

/// Stage 6: response parameter mapping by status, CORS headers, and the headers HTTP APIs add (http-api.md §5, §6).
public struct HttpResponseStage: PipelineStage {
    public var name: StageName { .response }
    public init() {}

    public func run(_ x: inout Exchange, _ env: GatewayEnvironment) throws(GatewayFailure) {
        guard let state = x.http else { return }
        let t = env.clock.millis
        if state.preflight {
            // 204, no body; the CORS headers when the request's origin is allowed (§6.2 rule 4, UNCONFIRMED set).
            var headers = HeaderFields([("Date", env.clock.httpDate)])
            let cors = HttpCors.preflightHeaders(state.api.cors!, x.request.headers)
            for (k, v) in cors { headers.add(k, v) }
            headers.add("apigw-requestid", x.requestId)
            x.response = GatewayHTTPResponse(status: 204, headers: headers, body: [])
            x.trace.append(TraceEvent(stage: name, millis: t, summary: "204 CORS preflight" + (cors.isEmpty ? " without CORS headers" : ""),
                                      fields: cors.map { ("header.\($0.0)", $0.1) },
                                      why: cors.isEmpty
                                        ? "without an Origin and Access-Control-Request-Method the preflight gets no CORS headers (http-api.md §6.2 rule 6, recorded 204 [REC R2])"
                                        : "the configured allowOrigins, allowMethods and allowHeaders answer the preflight (http-api.md §6.2 rule 4, the exact set is UNCONFIRMED)"))
            return
        }
        var status = state.status
        var headers = state.headers
        var why: [String] = []
        if let mappings = state.route?.integration?.responseParameters.first(where: { $0.status == String(state.status) })?.mappings {
            let r = HttpParameterMapping.response(mappings, status: &status, headers: &headers, x, env)
            why += r
        }
        // Backend CORS headers are ignored; the configuration's are added (§6.3 rule 7 [DOC D3]).
        var corsHeaders: [(String, String)] = []
        if let cors = state.api.cors {
            headers = HeaderFields(headers.filter { !$0.name.lowercased().hasPrefix("access-control-") }.map { ($0.name, $0.value) })
            corsHeaders = HttpCors.responseHeaders(cors, x.request.headers)
        }
        let out = HttpResponseHeaders.assemble(headers, bodyCount: state.body.count, cors: corsHeaders, x, env)
        x.response = GatewayHTTPResponse(status: status, headers: out, body: status == 204 || x.request.method == "HEAD" ? [] : state.body)
        x.trace.append(TraceEvent(stage: name, millis: t, summary: "\(status)" + (status != state.status ? " (overwrite:statuscode from \(state.status))" : "") + ", \(state.body.count) bytes",
                                  fields: [("status", String(status)), ("integrationStatus", String(state.status))] + out.map { ("header.\($0.name)", $0.value) },
                                  why: why.isEmpty ? nil : why.joined(separator: "; ")))
    }
}

/// The headers of an HTTP API answer: the integration's, then Date, Content-Type (when none), Content-Length,
/// Connection, the CORS headers and apigw-requestid last (http-api.md §2.3 rule 16, §5).
enum HttpResponseHeaders {
    static func assemble(_ given: HeaderFields, bodyCount: Int, cors: [(String, String)], _ x: Exchange, _ env: GatewayEnvironment) -> HeaderFields {
        var out = HeaderFields()
        out.add("Date", env.clock.httpDate)
        for f in given where !["date", "content-length", "connection", "apigw-requestid"].contains(f.name.lowercased()) { out.add(f.name, f.value) }
        out.add("Content-Length", String(bodyCount))
        out.add("Connection", "keep-alive")
        for (k, v) in cors { out.add(k, v) }
        out.add("apigw-requestid", x.requestId)
        return out
    }

    /// An error answer of the gateway itself.
    static func error(_ body: String, cors: [(String, String)], extra: [(String, String)], _ x: Exchange, _ env: GatewayEnvironment) -> HeaderFields {
        var given = HeaderFields([("Content-Type", "application/json")])
        for (k, v) in extra { given.add(k, v) }
        return assemble(given, bodyCount: body.utf8.count, cors: cors, x, env)
    }
}

/// CORS for HTTP APIs (http-api.md §6).
enum HttpCors {
    /// The origin to allow, if the request's is allowed: the configured `*`, or the matching origin echoed (§6.3 rule 8).
    static func allowedOrigin(_ cors: CorsConfiguration, _ request: HeaderFields) -> (value: String, vary: Bool)? {
        guard let origin = request["Origin"] else { return nil }
        if cors.allowOrigins.contains("*") { return ("*", false) }
        for o in cors.allowOrigins {
            if o == origin { return (origin, true) }
            // `https://*` / `http://*`: any origin of that scheme (§6.1 rule 1 [DOC D3, 2019 text]).
            if o.hasSuffix("://*"), origin.hasPrefix(String(o.dropLast())) { return (origin, true) }
        }
        return nil
    }

    /// On an actual response: origin, vary, credentials, expose-headers (§6.3 rules 7–9 [REC R6]).
    static func responseHeaders(_ cors: CorsConfiguration, _ request: HeaderFields) -> [(String, String)] {
        guard let (origin, vary) = allowedOrigin(cors, request) else { return [] }
        var h: [(String, String)] = [("access-control-allow-origin", origin)]
        if vary { h.append(("vary", "origin")) }
        if cors.allowCredentials { h.append(("access-control-allow-credentials", "true")) }
        if !cors.exposeHeaders.isEmpty { h.append(("access-control-expose-headers", cors.exposeHeaders.joined(separator: ","))) }
        return h
    }

    /// On a preflight: only for an allowed origin that names a method (§6.2 rules 4, 6; UNCONFIRMED set, gwsh's choice).
    static func preflightHeaders(_ cors: CorsConfiguration, _ request: HeaderFields) -> [(String, String)] {
        guard let (origin, vary) = allowedOrigin(cors, request), let method = request["Access-Control-Request-Method"] else { return [] }
        guard cors.allowMethods.contains("*") || cors.allowMethods.contains(where: { $0.uppercased() == method.uppercased() }) else { return [] }
        var h: [(String, String)] = [("access-control-allow-origin", origin)]
        if vary { h.append(("vary", "origin")) }
        if cors.allowCredentials { h.append(("access-control-allow-credentials", "true")) }
        if !cors.allowMethods.isEmpty { h.append(("access-control-allow-methods", cors.allowMethods.joined(separator: ","))) }
        if !cors.allowHeaders.isEmpty { h.append(("access-control-allow-headers", cors.allowHeaders.joined(separator: ","))) }
        if let age = cors.maxAge { h.append(("access-control-max-age", String(age))) }
        return h
    }
}
