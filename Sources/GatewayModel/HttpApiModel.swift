import Foundation

/// An HTTP API (API Gateway v2, `protocolType: HTTP`), in the AWS API's names (MODEL.md: `httpApis`, routes keyed
/// by route key). Reference: reference/http-api.md.
public struct HttpApi: Sendable {
    public var apiId: String
    public var name: String
    public var routes: [HttpRoute]
    public var stages: [HttpStage]
    public var cors: CorsConfiguration?
    public var disableExecuteApiEndpoint = false
    /// Authorizers by name (the model's key; routes name them with `authorizer` or `authorizerId`).
    public var authorizers: [String: HttpAuthorizer] = [:]
    public var location: SourceLocation

    public func stage(named name: String) -> HttpStage? { stages.first { $0.stageName == name } }
    public var defaultStage: HttpStage? { stage(named: "$default") }
}

/// A route: `$default`, or `METHOD /path` with `{name}` and a last `{name+}` (http-api.md §2.1).
public struct HttpRoute: Sendable {
    public enum Segment: Sendable, Equatable {
        case literal(String)
        case variable(String)
        case greedy(String)
    }
    public var routeKey: String
    /// nil for `$default`.
    public var method: String?
    public var segments: [Segment]
    public var authorizationType: String
    public var authorizer: String?
    public var authorizationScopes: [String]
    public var integration: HttpIntegration?
    public var location: SourceLocation

    public var isDefault: Bool { method == nil }
    public var isGreedy: Bool { if case .greedy? = segments.last { return true } else { return false } }
    /// The route's path (`/pets/{id}`), `$default` for the default route.
    public var path: String {
        guard method != nil else { return "$default" }
        return "/" + segments.map { s in
            switch s {
            case .literal(let l): return l
            case .variable(let v): return "{\(v)}"
            case .greedy(let g): return "{\(g)+}"
            }
        }.joined(separator: "/")
    }

    /// Parses a route key; nil with a reason when AWS would refuse it (http-api.md §2.1 rules 1–4).
    public static func parse(_ key: String) -> (method: String?, segments: [Segment])? {
        if key == "$default" { return (nil, []) }
        let parts = key.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"].contains(String(parts[0])) else { return nil }
        let path = String(parts[1])
        guard path.hasPrefix("/"), path == "/" || !path.hasSuffix("/") else { return nil }
        var segments: [Segment] = []
        let raw = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for (i, s) in raw.enumerated() where !(raw.count == 1 && s.isEmpty) {
            guard !s.isEmpty else { return nil }
            if s.hasPrefix("{") && s.hasSuffix("+}") {
                guard i == raw.count - 1, s.count > 3 else { return nil }
                segments.append(.greedy(String(s.dropFirst().dropLast(2))))
            } else if s.hasPrefix("{") && s.hasSuffix("}") {
                guard s.count > 2 else { return nil }
                segments.append(.variable(String(s.dropFirst().dropLast())))
            } else {
                segments.append(.literal(s))
            }
        }
        return (String(parts[0]), segments)
    }
}

public struct HttpIntegration: Sendable {
    /// `AWS_PROXY` (Lambda) or `HTTP_PROXY`; HTTP APIs have no MOCK, AWS or HTTP types (http-api.md §4.1 rule 1).
    public var type: String
    public var uri: String
    public var method: String?
    /// "1.0" or "2.0" (Lambda); HTTP_PROXY takes only 1.0 (http-api.md §4.1 rule 2).
    public var payloadFormatVersion: String
    /// 50–30,000 ms, default 30 s (http-api.md §4.6 rule 20).
    public var timeoutInMillis: Int
    /// `append:header.x`, `overwrite:querystring.y`, `remove:header.z`, `overwrite:path` → value (mapping.md §5).
    public var requestParameters: [(key: String, value: String)]
    /// By status code: `overwrite:statuscode`, `append:header.x`, … (mapping.md §5).
    public var responseParameters: [(status: String, mappings: [(key: String, value: String)])]
    public var location: SourceLocation

    public var lambdaFunctionName: String? { Integration.lambdaFunctionName(uri: uri) }
}

/// A JWT or Lambda (REQUEST) authorizer (http-api.md §7; botocore apigatewayv2 CreateAuthorizerRequest).
public struct HttpAuthorizer: Sendable {
    public var name: String
    /// `JWT` or `REQUEST`.
    public var type: String
    /// `$request.header.Authorization`, `$request.querystring.x`, `$context.x`, `$stageVariables.x`.
    public var identitySource: [String]
    /// REQUEST: the function (`lambda:NAME` or the invocation ARN).
    public var uri: String?
    public var payloadFormatVersion: String
    public var enableSimpleResponses: Bool
    public var resultTtlInSeconds: Int
    /// JWT: the issuer and the audiences a token must name.
    public var issuer: String?
    public var audience: [String]
    public var location: SourceLocation

    public var lambdaFunctionName: String? { Integration.lambdaFunctionName(uri: uri) }
}

public struct HttpStage: Sendable {
    public var stageName: String
    public var autoDeploy: Bool
    public var variables: [(name: String, value: String)]
    /// `defaultRouteSettings` throttling, and `routeSettings` by route key (throttling.md §10 rule 1).
    public var defaultThrottle: ThrottleSettings?
    public var routeThrottles: [String: ThrottleSettings] = [:]
    public var location: SourceLocation
}

/// The API's CORS configuration (http-api.md §6.1).
public struct CorsConfiguration: Sendable {
    public var allowOrigins: [String] = []
    public var allowMethods: [String] = []
    public var allowHeaders: [String] = []
    public var exposeHeaders: [String] = []
    public var allowCredentials = false
    public var maxAge: Int?
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

extension ModelKeys {
    /// botocore apigatewayv2's Api shape, plus `routes` and `stages` inside the API (MODEL.md).
    static let httpApi = KeySet(
        known: ["apiId", "name", "protocolType", "description", "routes", "stages", "corsConfiguration", "disableExecuteApiEndpoint",
                "routeSelectionExpression", "apiKeySelectionExpression", "apiEndpoint", "createdDate", "tags", "version", "warnings",
                "disableSchemaValidation", "ipAddressType", "authorizers", "integrations"],
        simulated: ["apiId", "name", "protocolType", "description", "routes", "stages", "corsConfiguration", "disableExecuteApiEndpoint",
                    "routeSelectionExpression", "createdDate", "tags", "version", "authorizers"])
    static let httpRoute = KeySet(
        known: ["authorizationType", "authorizer", "authorizerId", "authorizationScopes", "integration", "target", "apiKeyRequired",
                "operationName", "requestParameters", "requestModels", "routeResponseSelectionExpression", "modelSelectionExpression"],
        simulated: ["authorizationType", "integration", "operationName", "authorizer", "authorizerId", "authorizationScopes"])
    static let httpIntegration = KeySet(
        known: ["integrationType", "integrationUri", "integrationMethod", "payloadFormatVersion", "timeoutInMillis", "requestParameters",
                "responseParameters", "connectionType", "connectionId", "credentialsArn", "description", "integrationSubtype",
                "tlsConfig", "requestTemplates", "templateSelectionExpression", "passthroughBehavior", "contentHandling"],
        simulated: ["integrationType", "integrationUri", "integrationMethod", "payloadFormatVersion", "timeoutInMillis",
                    "requestParameters", "responseParameters", "description"])
    static let httpStage = KeySet(
        known: ["stageName", "autoDeploy", "stageVariables", "description", "deploymentId", "defaultRouteSettings", "routeSettings",
                "accessLogSettings", "clientCertificateId", "tags", "createdDate", "lastUpdatedDate", "apiGatewayManaged"],
        simulated: ["stageName", "autoDeploy", "stageVariables", "description", "deploymentId", "tags", "createdDate", "lastUpdatedDate",
                    "defaultRouteSettings", "routeSettings"])
    static let httpAuthorizer = KeySet(
        known: ["authorizerType", "identitySource", "authorizerUri", "authorizerPayloadFormatVersion", "enableSimpleResponses",
                "authorizerResultTtlInSeconds", "jwtConfiguration", "authorizerCredentialsArn", "identityValidationExpression", "name", "authorizerId"],
        simulated: ["authorizerType", "identitySource", "authorizerUri", "authorizerPayloadFormatVersion", "enableSimpleResponses",
                    "authorizerResultTtlInSeconds", "jwtConfiguration", "name", "authorizerId"])
    static let routeSettings = KeySet(known: ["throttlingRateLimit", "throttlingBurstLimit", "detailedMetricsEnabled", "dataTraceEnabled", "loggingLevel"],
                                      simulated: ["throttlingRateLimit", "throttlingBurstLimit"])
    static let jwtConfiguration = KeySet(known: ["issuer", "audience"], simulated: ["issuer", "audience"])
    static let cors = KeySet(known: ["allowOrigins", "allowMethods", "allowHeaders", "exposeHeaders", "allowCredentials", "maxAge"],
                             simulated: ["allowOrigins", "allowMethods", "allowHeaders", "exposeHeaders", "allowCredentials", "maxAge"])
}

extension ModelLoader {
    static func loadHttpApi(_ node: ModelNode, path: String, ctx: inout LoadContext) throws(ModelError) -> HttpApi {
        let m = try MapReader(node, keys: ModelKeys.httpApi, path: path, ctx: &ctx)
        guard let idNode = m["apiId"] else {
            throw ModelError(node.location, "an HTTP API needs an `apiId`", hint: "add e.g. `apiId: a1b2c3d4e5` (10 lower-case letters or digits, like AWS's ids)")
        }
        let id = try idNode.string("apiId")
        if let p = m["protocolType"] {
            let t = try p.string("protocolType")
            guard t == "HTTP" else {
                throw ModelError(p.location, "protocolType \(t) is not simulated", hint: t == "WEBSOCKET" ? "WebSocket APIs are not part of gwsh" : "HTTP APIs have protocolType: HTTP")
            }
        }
        var api = HttpApi(apiId: id, name: try m["name"]?.string("name") ?? id, routes: [], stages: [], location: node.location)
        if let d = m["disableExecuteApiEndpoint"] { api.disableExecuteApiEndpoint = try d.bool("disableExecuteApiEndpoint") }
        for e in try m["authorizers"]?.mapping("authorizers") ?? [] {
            api.authorizers[e.key] = try loadHttpAuthorizer(e.key, e.value, path: path + ".authorizers.\(e.key)", ctx: &ctx)
        }
        for e in try m["routes"]?.mapping("routes") ?? [] {
            let routePath = path + ".routes.\(e.key)"
            guard let (method, segments) = HttpRoute.parse(e.key) else {
                throw ModelError(e.keyLocation, "invalid route key '\(e.key)'",
                                 hint: "`$default`, or an upper-case method (GET POST PUT PATCH DELETE HEAD OPTIONS ANY), one space and a path such as /pets/{id} or /{proxy+}; no trailing / and {name+} last (http-api.md §2.1)")
            }
            let rm = try MapReader(e.value, keys: ModelKeys.httpRoute, path: routePath, ctx: &ctx)
            var route = HttpRoute(routeKey: e.key, method: method, segments: segments, authorizationType: try rm["authorizationType"]?.string("authorizationType") ?? "NONE",
                                  authorizer: try (rm["authorizer"] ?? rm["authorizerId"])?.string("authorizer"),
                                  authorizationScopes: try rm["authorizationScopes"].map { n throws(ModelError) in try n.list("authorizationScopes").map { i throws(ModelError) in try i.string("authorizationScopes[]") } } ?? [],
                                  integration: nil, location: e.keyLocation)
            guard ["NONE", "AWS_IAM", "CUSTOM", "JWT"].contains(route.authorizationType) else {
                throw ModelError(e.keyLocation, "authorizationType \(route.authorizationType) is not one of NONE, AWS_IAM, CUSTOM, JWT")
            }
            // Two keys that differ only in parameter names are the same route: ConflictException (§2.1 rule 5).
            if let other = api.routes.first(where: { $0.method == route.method && Self.shape($0.segments) == Self.shape(segments) }) {
                throw ModelError(e.keyLocation, "route '\(e.key)' is the same route as '\(other.routeKey)' (only the parameter names differ)",
                                 hint: "AWS refuses it with ConflictException (http-api.md §2.1 rule 5); keep one")
            }
            if let i = rm["integration"] { route.integration = try loadHttpIntegration(i, path: routePath + ".integration", ctx: &ctx) }
            if route.authorizationType == "JWT" || route.authorizationType == "CUSTOM" {
                let want = route.authorizationType == "JWT" ? "JWT" : "REQUEST"
                guard let name = route.authorizer, let a = api.authorizers[name] else {
                    throw ModelError(e.keyLocation, "route '\(e.key)' has authorizationType \(route.authorizationType) but " + (route.authorizer.map { "no authorizer named '\($0)'" } ?? "no `authorizer`"),
                                     hint: "name one of the API's authorizers: " + (api.authorizers.keys.sorted().joined(separator: ", ").nilIfEmpty ?? "(none; add `authorizers:` to the API)"))
                }
                guard a.type == want else {
                    throw ModelError(e.keyLocation, "authorizationType \(route.authorizationType) needs a \(want) authorizer; '\(name)' is \(a.type)")
                }
            }
            api.routes.append(route)
        }
        for (i, sn) in try (m["stages"]?.list("stages") ?? []).enumerated() {
            let sm = try MapReader(sn, keys: ModelKeys.httpStage, path: path + ".stages[\(i)]", ctx: &ctx)
            guard let nameNode = sm["stageName"] else { throw ModelError(sn.location, "a stage needs a `stageName`", hint: "`$default` serves the API's base URL") }
            let name = try nameNode.string("stageName")
            // `$default`, or up to 128 alphanumerics, '-' and '_' (http-api.md §3 rule 5).
            guard name == "$default" || (!name.isEmpty && name.count <= 128 && name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })) else {
                throw ModelError(nameNode.location, "invalid stage name '\(name)'", hint: "`$default`, or letters, digits, '-' and '_' (at most 128)")
            }
            guard api.stage(named: name) == nil else { throw ModelError(nameNode.location, "stage \(name) is defined twice") }
            var vars: [(name: String, value: String)] = []
            for e in try sm["stageVariables"]?.mapping("stageVariables") ?? [] { vars.append((e.key, try e.value.string(e.key))) }
            var stage = HttpStage(stageName: name, autoDeploy: try sm["autoDeploy"]?.bool("autoDeploy") ?? false, variables: vars, location: sn.location)
            if let d = sm["defaultRouteSettings"] {
                stage.defaultThrottle = try loadRouteSettings(d, path: path + ".stages[\(i)].defaultRouteSettings", ctx: &ctx)
            }
            for e in try sm["routeSettings"]?.mapping("routeSettings") ?? [] {
                guard api.routes.contains(where: { $0.routeKey == e.key }) else {
                    throw ModelError(e.keyLocation, "routeSettings names route '\(e.key)', which the API does not have",
                                     hint: "routes: " + api.routes.map(\.routeKey).joined(separator: ", "))
                }
                if let t = try loadRouteSettings(e.value, path: path + ".stages[\(i)].routeSettings.\(e.key)", ctx: &ctx) { stage.routeThrottles[e.key] = t }
            }
            api.stages.append(stage)
        }
        if let c = m["corsConfiguration"] {
            let cm = try MapReader(c, keys: ModelKeys.cors, path: path + ".corsConfiguration", ctx: &ctx)
            var cors = CorsConfiguration()
            func strings(_ k: String) throws(ModelError) -> [String] {
                try cm[k].map { n throws(ModelError) in try n.list(k).map { i throws(ModelError) in try i.string(k + "[]") } } ?? []
            }
            cors.allowOrigins = try strings("allowOrigins")
            cors.allowMethods = try strings("allowMethods")
            cors.allowHeaders = try strings("allowHeaders")
            cors.exposeHeaders = try strings("exposeHeaders")
            cors.allowCredentials = try cm["allowCredentials"]?.bool("allowCredentials") ?? false
            cors.maxAge = try cm["maxAge"]?.int("maxAge")
            api.cors = cors
        }
        return api
    }

    static func loadHttpAuthorizer(_ name: String, _ node: ModelNode, path: String, ctx: inout LoadContext) throws(ModelError) -> HttpAuthorizer {
        let m = try MapReader(node, keys: ModelKeys.httpAuthorizer, path: path, ctx: &ctx)
        let type = try m["authorizerType"]?.string("authorizerType") ?? "REQUEST"
        guard type == "JWT" || type == "REQUEST" else {
            throw ModelError(m["authorizerType"]?.location ?? node.location, "authorizerType \(type) is not one of JWT, REQUEST")
        }
        var sources: [String] = []
        if let s = m["identitySource"] {
            if case .scalar(let text, _, _) = s { sources = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            else { sources = try s.list("identitySource").map { i throws(ModelError) in try i.string("identitySource[]") } }
        }
        var a = HttpAuthorizer(name: name, type: type, identitySource: sources, uri: try m["authorizerUri"]?.string("authorizerUri"),
                               payloadFormatVersion: try m["authorizerPayloadFormatVersion"]?.string("authorizerPayloadFormatVersion") ?? "1.0",
                               enableSimpleResponses: try m["enableSimpleResponses"]?.bool("enableSimpleResponses") ?? false,
                               resultTtlInSeconds: try m["authorizerResultTtlInSeconds"]?.int("authorizerResultTtlInSeconds") ?? 0,
                               issuer: nil, audience: [], location: node.location)
        if type == "JWT" {
            guard let jc = m["jwtConfiguration"] else {
                throw ModelError(node.location, "a JWT authorizer needs `jwtConfiguration` with an `issuer`", hint: "http-api.md §7.1 rule 1")
            }
            let jm = try MapReader(jc, keys: ModelKeys.jwtConfiguration, path: path + ".jwtConfiguration", ctx: &ctx)
            guard let iss = jm["issuer"] else { throw ModelError(jc.location, "a JWT authorizer needs an `issuer` (http-api.md §7.1 rule 1)") }
            a.issuer = try iss.string("issuer")
            a.audience = try jm["audience"].map { n throws(ModelError) in try n.list("audience").map { i throws(ModelError) in try i.string("audience[]") } } ?? []
            guard a.identitySource.count == 1 else {
                throw ModelError(node.location, "a JWT authorizer takes exactly one identitySource", hint: "e.g. [\"$request.header.Authorization\"] (http-api.md §7.1 rule 1)")
            }
        } else {
            guard a.uri != nil else { throw ModelError(node.location, "a REQUEST authorizer needs an `authorizerUri`", hint: "e.g. authorizerUri: lambda:my-authorizer") }
            guard a.payloadFormatVersion == "1.0" || a.payloadFormatVersion == "2.0" else {
                throw ModelError(node.location, "authorizerPayloadFormatVersion is 1.0 or 2.0, not \(a.payloadFormatVersion)")
            }
            if a.enableSimpleResponses && a.payloadFormatVersion != "2.0" {
                throw ModelError(node.location, "enableSimpleResponses needs authorizerPayloadFormatVersion 2.0 (lambda-payloads.md §5.5 rule 49)")
            }
        }
        return a
    }

    /// apigatewayv2's RouteSettings: the throttle, when it sets one (an unset rate or burst is the account's,
    /// 10,000 / 5,000 — assumption, as for REST method settings).
    static func loadRouteSettings(_ node: ModelNode, path: String, ctx: inout LoadContext) throws(ModelError) -> ThrottleSettings? {
        let m = try MapReader(node, keys: ModelKeys.routeSettings, path: path, ctx: &ctx)
        guard m["throttlingRateLimit"] != nil || m["throttlingBurstLimit"] != nil else { return nil }
        let rate = m["throttlingRateLimit"], burst = m["throttlingBurstLimit"]
        var t = ThrottleSettings(rateLimit: 10_000, burstLimit: 5_000)
        if let rate {
            let text = try rate.string("throttlingRateLimit")
            guard let v = Double(text), v.isFinite, v >= 0 else { throw ModelError(rate.location, "throttlingRateLimit is requests per second, a number ≥ 0, not '\(text)'") }
            t.rateLimit = v
        }
        if let burst {
            let v = try burst.int("throttlingBurstLimit")
            guard v >= 0 else { throw ModelError(burst.location, "throttlingBurstLimit is a whole number ≥ 0") }
            t.burstLimit = v
        }
        return t
    }

    /// Headers no HTTP API mapping may target (mapping.md §5.2 rule 59 [DOC D10]).
    public static func reservedHttpApiHeader(_ name: String) -> Bool {
        let n = name.lowercased()
        return n.hasPrefix("access-control-") || n.hasPrefix("apigw-") || n.hasPrefix("x-amz-") || n.hasPrefix("x-amzn-")
            || ["authorization", "connection", "content-encoding", "content-length", "content-location", "forwarded", "keep-alive", "origin",
                "proxy-authenticate", "proxy-authorization", "te", "trailers", "transfer-encoding", "upgrade", "x-forwarded-for",
                "x-forwarded-host", "x-forwarded-proto", "via"].contains(n)
    }

    /// `<append|overwrite|remove>:<header|querystring>.NAME`, `overwrite:path`, and on responses `overwrite:statuscode`
    /// (mapping.md §5.1); a reserved header is refused at load time (rule 59: whether AWS refuses it then or ignores
    /// it at run time is UNCONFIRMED — gwsh's choice).
    static func checkHttpMapping(_ key: String, at loc: SourceLocation, response: Bool) throws(ModelError) {
        let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
        let targets = response ? "append|overwrite|remove:header.NAME or overwrite:statuscode" : "append|overwrite|remove:header.NAME / querystring.NAME, or overwrite:path"
        guard parts.count == 2, ["append", "overwrite", "remove"].contains(parts[0]) else {
            throw ModelError(loc, "'\(key)' is not an HTTP API parameter mapping", hint: targets + " (mapping.md §5.1)")
        }
        let target = parts[1]
        if response, target.lowercased() == "statuscode", parts[0] == "overwrite" { return }
        if !response, target == "path", parts[0] == "overwrite" { return }
        let kinds = response ? ["header."] : ["header.", "querystring."]
        guard let kind = kinds.first(where: { target.hasPrefix($0) }), target.count > kind.count else {
            throw ModelError(loc, "'\(key)' is not an HTTP API parameter mapping", hint: targets + " (mapping.md §5.1)")
        }
        if kind == "header.", reservedHttpApiHeader(String(target.dropFirst(kind.count))) {
            throw ModelError(loc, "'\(key)' targets a reserved header", hint: "HTTP APIs do not let mappings change \(target.dropFirst(kind.count)) (mapping.md §5.2 rule 59)")
        }
    }

    /// A route's shape without parameter names (for the conflict rule).
    static func shape(_ segments: [HttpRoute.Segment]) -> [String] {
        segments.map { s in
            switch s {
            case .literal(let l): return "l:" + l
            case .variable: return "{}"
            case .greedy: return "{+}"
            }
        }
    }

    static func loadHttpIntegration(_ node: ModelNode, path: String, ctx: inout LoadContext) throws(ModelError) -> HttpIntegration {
        let m = try MapReader(node, keys: ModelKeys.httpIntegration, path: path, ctx: &ctx)
        let type = try m["integrationType"]?.string("integrationType") ?? "AWS_PROXY"
        guard type == "AWS_PROXY" || type == "HTTP_PROXY" else {
            throw ModelError(m["integrationType"]?.location ?? node.location, "integrationType \(type) is not available on HTTP APIs",
                             hint: "HTTP APIs have AWS_PROXY (Lambda) and HTTP_PROXY; MOCK, AWS and HTTP are REST (and WebSocket) types (http-api.md §4.1 rule 1)")
        }
        guard let uriNode = m["integrationUri"] else {
            throw ModelError(node.location, "an integration needs an `integrationUri`", hint: type == "AWS_PROXY" ? "e.g. integrationUri: lambda:hello" : "e.g. integrationUri: https://backend.example.com/{proxy}")
        }
        // "Required for HTTP APIs" (http-api.md §4.1 rule 2): gwsh asks for it rather than guessing a default.
        guard let pfv = m["payloadFormatVersion"] else {
            throw ModelError(node.location, "an HTTP API integration needs a `payloadFormatVersion`",
                             hint: type == "AWS_PROXY" ? "\"2.0\" (the console's default) or \"1.0\" (http-api.md §4.2)" : "HTTP_PROXY takes \"1.0\"")
        }
        let version = try pfv.string("payloadFormatVersion")
        guard version == "1.0" || (version == "2.0" && type == "AWS_PROXY") else {
            throw ModelError(pfv.location, "payloadFormatVersion \(version) is not valid for \(type)",
                             hint: "Lambda proxy integrations take 1.0 or 2.0, every other type only 1.0 (http-api.md §4.1 rule 2)")
        }
        var timeout = 30_000
        if let t = m["timeoutInMillis"] {
            timeout = try t.int("timeoutInMillis")
            guard (50...30_000).contains(timeout) else {
                throw ModelError(t.location, "timeoutInMillis \(timeout) is out of range", hint: "HTTP APIs take 50 to 30000 ms (http-api.md §4.6 rule 20)")
            }
        }
        var request: [(key: String, value: String)] = []
        for e in try m["requestParameters"]?.mapping("requestParameters") ?? [] {
            try checkHttpMapping(e.key, at: e.keyLocation, response: false)
            request.append((e.key, try e.value.mappingValue(e.key)))
        }
        var response: [(status: String, mappings: [(key: String, value: String)])] = []
        for e in try m["responseParameters"]?.mapping("responseParameters") ?? [] {
            try checkStatus(e.key, at: e.keyLocation)
            var maps: [(key: String, value: String)] = []
            for p in try e.value.mapping("responseParameters.\(e.key)") {
                try checkHttpMapping(p.key, at: p.keyLocation, response: true)
                maps.append((p.key, try p.value.mappingValue(p.key)))
            }
            response.append((e.key, maps))
        }
        return HttpIntegration(type: type, uri: try uriNode.string("integrationUri"), method: try m["integrationMethod"]?.string("integrationMethod"),
                               payloadFormatVersion: version, timeoutInMillis: timeout, requestParameters: request,
                               responseParameters: response, location: node.location)
    }
}
