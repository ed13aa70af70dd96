/// A REST API's authorizer (botocore's Authorizer shape; reference/policy.md §6–7, lambda-payloads.md §5.1–5.3):
/// a Lambda function called with a token (TOKEN) or with request values (REQUEST), or an Amazon Cognito user pool
/// (COGNITO_USER_POOLS).
public struct RestAuthorizer: Sendable {
    public enum Kind: String, Sendable, CaseIterable { case token = "TOKEN", request = "REQUEST", cognito = "COGNITO_USER_POOLS" }

    public var id: String
    public var name: String
    public var type: Kind
    /// `authorizerUri`: the function (`lambda:NAME` or the invocation ARN). Lambda authorizers only.
    public var authorizerUri: String?
    /// The identity sources, in the order written: `method.request.header.NAME`, `method.request.querystring.NAME`,
    /// `stageVariables.NAME`, `context.NAME` (AWS's field is one comma-separated string).
    public var identitySource: [String]
    /// TOKEN and Cognito authorizers: a regular expression the token must match, else 401 without a call.
    public var identityValidationExpression: String?
    /// Result cache TTL: 300 s by default, at most 3600, 0 = no cache (policy.md §6 rule 4 [DOC D13]).
    public var resultTtlSeconds: Int
    /// Cognito: the user pools (`arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID`).
    public var providerARNs: [String]
    public var location: SourceLocation

    public var functionName: String? { Integration.lambdaFunctionName(uri: authorizerUri) }
    public var isLambda: Bool { type != .cognito }
}

extension ModelKeys {
    /// botocore's Authorizer shape.
    static let restAuthorizer = KeySet(
        known: ["id", "name", "type", "providerARNs", "authType", "authorizerUri", "authorizerCredentials", "identitySource",
                "identityValidationExpression", "authorizerResultTtlInSeconds"],
        simulated: ["id", "name", "type", "providerARNs", "authType", "authorizerUri", "identitySource",
                    "identityValidationExpression", "authorizerResultTtlInSeconds"])
}

extension ModelLoader {
    /// `authorizers` as a map name → authorizer (the conformance corpus's form) or a list of authorizers with `name`
    /// (GetAuthorizers' form).
    static func loadRestAuthorizers(_ node: ModelNode, apiId: String, path: String, ctx: inout LoadContext) throws(ModelError) -> [RestAuthorizer] {
        var out: [RestAuthorizer] = []
        var entries: [(name: String?, location: SourceLocation, node: ModelNode, path: String)] = []
        if case .sequence(let items, _) = node {
            for (i, item) in items.enumerated() { entries.append((nil, item.location, item, path + "[\(i)]")) }
        } else {
            for e in try node.mapping("authorizers") { entries.append((e.key, e.keyLocation, e.value, path + ".\(e.key)")) }
        }
        for e in entries {
            let m = try MapReader(e.node, keys: ModelKeys.restAuthorizer, path: e.path, ctx: &ctx)
            var given = e.name
            if given == nil { given = try m["name"]?.string("name") }
            guard let name = given else {
                throw ModelError(e.location, "an authorizer in a list needs a `name`", hint: "or write authorizers as a map: { NAME: { type: TOKEN, … } }")
            }
            if out.contains(where: { $0.name == name }) { throw ModelError(e.location, "authorizer \(name) is defined twice") }
            let typeText = try m["type"]?.string("type") ?? ""
            guard let type = RestAuthorizer.Kind(rawValue: typeText) else {
                let valid = RestAuthorizer.Kind.allCases.map(\.rawValue)
                throw ModelError(m["type"]?.location ?? e.location, m["type"] == nil ? "authorizer \(name) needs a `type`" : "unknown authorizer type '\(typeText)'",
                                 hint: Suggest.closest(to: typeText, in: valid).map { "did you mean \($0)?" } ?? "use one of \(valid.joined(separator: ", "))")
            }
            let sourceText = try m["identitySource"]?.string("identitySource") ?? (type == .request ? "" : "method.request.header.Authorization")
            let sources = sourceText.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            for s in sources {
                let ok = s.hasPrefix("method.request.header.") || (type == .request && (s.hasPrefix("method.request.querystring.")
                    || s.hasPrefix("method.request.multivalueheader.") || s.hasPrefix("method.request.multivaluequerystring.")
                    || s.hasPrefix("stageVariables.") || s.hasPrefix("context.")))
                guard ok else {
                    throw ModelError(m["identitySource"]?.location ?? e.location, "identity source '\(s)' of authorizer \(name) is not one API Gateway accepts for a \(type.rawValue) authorizer",
                                     hint: type == .request ? "method.request.header.NAME, method.request.querystring.NAME, stageVariables.NAME or context.NAME"
                                        : "a \(type.rawValue) authorizer reads one header: method.request.header.NAME")
                }
            }
            if type != .request, sources.count != 1 {
                throw ModelError(m["identitySource"]?.location ?? e.location, "a \(type.rawValue) authorizer has exactly one identity source (a header), not \(sources.count)",
                                 hint: "identitySource: method.request.header.Authorization")
            }
            let ttl = try m["authorizerResultTtlInSeconds"]?.int("authorizerResultTtlInSeconds") ?? 300
            guard (0...3600).contains(ttl) else {
                throw ModelError(m["authorizerResultTtlInSeconds"]!.location, "authorizerResultTtlInSeconds is 0 to 3600, not \(ttl)", hint: "0 turns the cache off (policy.md §6 rule 4)")
            }
            // With caching on, a REQUEST authorizer needs identity sources: they are the cache key (policy.md §6 rule 4).
            if type == .request, sources.isEmpty, ttl > 0 {
                throw ModelError(e.location, "REQUEST authorizer \(name) caches results (TTL \(ttl) s) but has no identity source to key the cache on",
                                 hint: "add identitySource: method.request.header.NAME, … or set authorizerResultTtlInSeconds: 0")
            }
            let uri = try m["authorizerUri"]?.string("authorizerUri")
            var providers: [String] = []
            for p in try m["providerARNs"]?.list("providerARNs") ?? [] { providers.append(try p.string("providerARNs")) }
            if type == .cognito {
                guard !providers.isEmpty else {
                    throw ModelError(e.location, "Cognito authorizer \(name) names no user pool", hint: "providerARNs: [arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID]")
                }
            } else if Integration.lambdaFunctionName(uri: uri)?.isEmpty ?? true {
                throw ModelError(m["authorizerUri"]?.location ?? e.location, "Lambda authorizer \(name) needs an `authorizerUri` naming its function",
                                 hint: "authorizerUri: lambda:NAME (a function a plugin registers) or the function's invocation ARN")
            }
            var validation: String?
            if let v = m["identityValidationExpression"] {
                validation = try v.string("identityValidationExpression")
                if type == .request {
                    ctx.notes.append(ModelNote(location: v.location, path: e.path + ".identityValidationExpression",
                                               message: "ignored: only TOKEN and Cognito authorizers validate their token"))
                    validation = nil
                }
            }
            out.append(RestAuthorizer(id: try m["id"]?.string("id") ?? derivedId(apiId: apiId, path: "authorizer:" + name), name: name, type: type,
                                      authorizerUri: uri, identitySource: sources, identityValidationExpression: validation,
                                      resultTtlSeconds: ttl, providerARNs: providers, location: e.location))
        }
        return out
    }
}
