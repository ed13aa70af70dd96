/// The gateway model: one "world" of accounts and APIs, in AWS's own names and shapes (MODEL.md).
public struct GatewayWorld: Sendable {
    public var region: String
    public var account: String
    /// Plugin files, resolved against the model file's directory (or embedded sources for the default model).
    public var plugins: [PluginReference]
    public var restApis: [RestApi]
    /// HTTP APIs (`httpApis`, API Gateway v2).
    public var httpApis: [HttpApi] = []
    /// Who can send signed requests (`identities`), by name.
    public var identities: [Identity] = []
    /// Interface VPC endpoints for execute-api that requests can come through (`send --via vpce-…`; gwsh's own key
    /// `vpcEndpoints`, in EC2's names).
    public var vpcEndpoints: [VpcEndpoint] = []
    /// DNS, certificates, custom domain names and CloudFront distributions (`dns`, `certificates`, `domainNames`,
    /// `cloudFront`: reference/domains.md).
    public var edge = EdgeWorld()
    /// HTTP backends that HTTP and HTTP_PROXY integrations reach, by host (gwsh's own key `backends`).
    public var backends: [Backend] = []
    /// Usage plans with their API keys (`usagePlans`).
    public var usagePlans: [UsagePlan] = []
    /// The account's throttle in this Region (`settings.throttle`; default 10,000 rps, burst 5,000, or
    /// 2,500 / 1,250 in the Regions that have less: throttling.md §2).
    public var accountThrottle = ThrottleSettings(rateLimit: 10_000, burstLimit: 5_000)
    /// Settings AWS has that gwsh reads but does not simulate yet.
    public var notes: [ModelNote]
    /// The file the model came from (for messages).
    public var sourceName: String

    public init(region: String = "us-east-1", account: String = "111111111111", plugins: [PluginReference] = [],
                restApis: [RestApi] = [], notes: [ModelNote] = [], sourceName: String = "model") {
        self.region = region
        self.account = account
        self.plugins = plugins
        self.restApis = restApis
        self.notes = notes
        self.sourceName = sourceName
    }

    public func restApi(id: String) -> RestApi? { restApis.first { $0.id == id } }
    public func httpApi(id: String) -> HttpApi? { httpApis.first { $0.apiId == id } }
    public func identity(accessKeyId: String) -> Identity? { identities.first { $0.accessKeyId == accessKeyId } }
    public func vpcEndpoint(id: String) -> VpcEndpoint? { vpcEndpoints.first { $0.vpcEndpointId == id } }

    public func backend(host: String) -> Backend? {
        let h = host.lowercased()
        return backends.first { $0.host.lowercased() == h }
    }
}

/// A stand-in for an HTTP server that integrations call: a fixed answer, or an echo of what it received
/// (the conformance corpus's `backends`, conformance/README.md).
public struct Backend: Sendable {
    public enum Behaviour: Sendable {
        case fixed(status: Int, headers: [(name: String, value: String)], body: String)
        /// 200, application/json `{"method", "path", "query", "headers", "body"}` of the request it got.
        case echo
    }
    public var host: String
    public var behaviour: Behaviour
    /// How long the backend takes to answer (virtual time); nil: gwsh's default network latency.
    public var latencyMillis: Int?
    public var location: SourceLocation

    public init(host: String, behaviour: Behaviour, latencyMillis: Int? = nil, location: SourceLocation) {
        self.host = host
        self.behaviour = behaviour
        self.latencyMillis = latencyMillis
        self.location = location
    }
}

public struct ThrottleSettings: Sendable, Equatable {
    public var rateLimit: Double
    public var burstLimit: Int
    public init(rateLimit: Double, burstLimit: Int) {
        self.rateLimit = rateLimit
        self.burstLimit = burstLimit
    }
}

public struct QuotaSettings: Sendable, Equatable {
    public var limit: Int
    /// DAY, WEEK or MONTH.
    public var period: String
    public var offset: Int

    public init(limit: Int, period: String, offset: Int) {
        self.limit = limit
        self.period = period
        self.offset = offset
    }
}

public struct ApiKey: Sendable {
    public var id: String
    public var name: String
    public var value: String
    public var enabled: Bool
    public var location: SourceLocation
}

/// A usage plan (throttling.md §5): the API stages it covers (with per-method throttles keyed
/// `/{resourcePath}/{httpMethod}`), its throttle and quota, and its API keys.
public struct UsagePlan: Sendable {
    public struct ApiStage: Sendable {
        public var apiId: String
        public var stage: String
        public var methodThrottles: [String: ThrottleSettings]
    }
    public var id: String
    public var name: String
    public var apiStages: [ApiStage]
    public var throttle: ThrottleSettings?
    public var quota: QuotaSettings?
    public var apiKeys: [ApiKey]
    public var location: SourceLocation

    public func covers(apiId: String, stage: String) -> ApiStage? { apiStages.first { $0.apiId == apiId && $0.stage == stage } }
}

public struct PluginReference: Sendable, Equatable {
    /// The path as written in the model.
    public var path: String
    /// The path resolved against the model's directory (nil for embedded plugins).
    public var resolvedPath: String?
    public var location: SourceLocation
    /// The plugin's own instruction budget per call (`{ path: …, limits: { instructions: N } }`), else the host's.
    public var instructionBudget: Int? = nil
}

/// An interface VPC endpoint for execute-api (EC2's VpcEndpoint shape: `VpcEndpointId`, `VpcId`, `OwnerId`; gwsh
/// writes them lower camel case like the rest of the model).
public struct VpcEndpoint: Sendable {
    public var vpcEndpointId: String
    public var vpcId: String
    /// The account that owns the endpoint (a consumer account, for the seed's cross-account private API).
    public var ownerId: String
    public var location: SourceLocation
}

public enum EndpointType: String, Sendable, CaseIterable {
    case edge = "EDGE", regional = "REGIONAL", `private` = "PRIVATE"
}

public struct RestApi: Sendable {
    public var id: String
    public var name: String
    public var endpointType: EndpointType
    public var binaryMediaTypes: [String]
    /// Every resource, the implicit parents included, sorted by path.
    public var resources: [Resource]
    public var stages: [Stage]
    /// Settings that change answers and are not simulated yet; requests that depend on them stop as
    /// "not simulated" instead of getting an answer AWS would not give.
    /// The resource policy (`policy`), as JSON: an object, or the JSON text AWS's API returns.
    public var resourcePolicy: JSONValue?
    public var resourcePolicyLocation: SourceLocation?
    public var hasResourcePolicy: Bool { resourcePolicy != nil }
    public var disableExecuteApiEndpoint = false
    /// The model's customised gateway responses (`gatewayResponses`), by type name.
    public var gatewayResponses: [GatewayResponseCustomization] = []
    /// HEADER (the `x-api-key` header) or AUTHORIZER (throttling.md §6 rule 1).
    public var apiKeySource = "HEADER"
    /// Request validators by name (`requestValidators`).
    public var requestValidators: [String: RequestValidator] = [:]
    /// Models (JSON Schema draft 4) by name (`models`).
    public var models: [String: ModelSchema] = [:]
    /// Lambda and Cognito authorizers (`authorizers`), in the order written.
    public var authorizers: [RestAuthorizer] = []

    /// The authorizer a method names: by name (`authorizer`) or by id (`authorizerId`).
    public func authorizer(_ ref: String) -> RestAuthorizer? { authorizers.first { $0.name == ref } ?? authorizers.first { $0.id == ref } }

    /// The schema of a `$ref` among `models` (for JSONSchema's resolver).
    public static func modelSchema(_ models: [String: ModelSchema], _ ref: String) -> JSONValue? {
        let name = ref.split(separator: "/").last.map(String.init) ?? ref
        return models[name]?.schema
    }

    /// The schema a `$ref` names: `https://apigateway.amazonaws.com/restapis/{api}/models/{name}` (any API id, as
    /// AWS stores its own), or a bare model name.
    public func model(forRef ref: String) -> ModelSchema? {
        let name = ref.split(separator: "/").last.map(String.init) ?? ref
        return models[name]
    }
    public var location: SourceLocation

    public func resource(path: String) -> Resource? { resources.first { $0.path == path } }
    public func stage(named name: String) -> Stage? { stages.first { $0.stageName == name } }

    /// The number of methods over all resources.
    public var methodCount: Int { resources.reduce(0) { $0 + $1.methods.count } }
}

/// A customised gateway response (PutGatewayResponse): it replaces the type's whole default, so an omitted
/// field means the default's (rest-request-flow.md §3.1 rule 51).
public struct GatewayResponseCustomization: Sendable {
    public var responseType: String
    public var statusCode: Int?
    /// `gatewayresponse.header.NAME` → source (`'static'`, `method.request.header.X`, …), in the order written.
    public var responseParameters: [(target: String, source: String)]
    public var responseTemplates: [(contentType: String, template: String)]
    public var location: SourceLocation

    public init(responseType: String, statusCode: Int?, responseParameters: [(target: String, source: String)],
                responseTemplates: [(contentType: String, template: String)], location: SourceLocation) {
        self.responseType = responseType
        self.statusCode = statusCode
        self.responseParameters = responseParameters
        self.responseTemplates = responseTemplates
        self.location = location
    }
}

public struct RequestValidator: Sendable {
    public var name: String
    public var validateRequestBody: Bool
    public var validateRequestParameters: Bool
}

/// A model: a JSON Schema (draft 4) for a content type.
public struct ModelSchema: Sendable {
    public var name: String
    public var contentType: String
    public var schema: JSONValue
    public var location: SourceLocation
}

public struct Resource: Sendable {
    public var id: String
    /// The full path template, e.g. `/orders/{id}`; the root is `/`.
    public var path: String
    /// Methods keyed by HTTP method (`GET`, …, `ANY`), in the order written.
    public var methods: [Method]
    public var location: SourceLocation

    /// The last path part (`{id}`), empty for the root.
    public var pathPart: String { path == "/" ? "" : String(path.split(separator: "/").last ?? "") }

    public func method(_ name: String) -> Method? { methods.first { $0.httpMethod == name } }
}

public struct Method: Sendable {
    public var httpMethod: String
    public var authorizationType: String
    public var apiKeyRequired: Bool
    public var requestValidator: String?
    /// Declared method request parameters (`method.request.header.X: true` = required), in the order written.
    public var requestParameters: [(name: String, required: Bool)] = []
    /// Request body models by content type (`requestModels`), in the order written.
    public var requestModels: [(contentType: String, model: String)] = []
    /// The authorizer of a CUSTOM or COGNITO_USER_POOLS method, by name or id as written.
    public var authorizer: String?
    /// OAuth scopes a Cognito access token must carry one of (`authorizationScopes`).
    public var authorizationScopes: [String] = []
    public var integration: Integration?
    /// Method responses keyed by status code.
    public var methodResponses: [String: MethodResponse]
    public var location: SourceLocation
}

public struct MethodResponse: Sendable {
    public var statusCode: String
    public var responseParameters: [String: Bool]
}

public enum IntegrationType: String, Sendable, CaseIterable {
    case mock = "MOCK", aws = "AWS", awsProxy = "AWS_PROXY", http = "HTTP", httpProxy = "HTTP_PROXY"
}

public struct Integration: Sendable {
    public var type: IntegrationType
    public var uri: String?
    /// The HTTP method of the integration request (for Lambda: POST, MODEL.md).
    public var httpMethod: String?
    /// Request templates keyed by content type, in the order written.
    public var requestTemplates: [(contentType: String, template: String)]
    /// `integration.request.{path,querystring,header}.NAME` ← source expression, in the order written.
    public var requestParameters: [(target: String, source: String)] = []
    /// `CONVERT_TO_TEXT` or `CONVERT_TO_BINARY`; nil: passthrough (mapping.md §3.6).
    public var contentHandling: String?
    public var passthroughBehavior: String
    public var timeoutInMillis: Int
    /// Integration responses, in the order written (keyed by status code in the file).
    public var integrationResponses: [IntegrationResponse]
    public var location: SourceLocation

    /// Whether the URI names a Lambda function (`lambda:NAME` or an invocation ARN with `:lambda:path/`).
    public var isLambda: Bool {
        guard let uri else { return false }
        return uri.hasPrefix("lambda:") || uri.contains(":lambda:path/")
    }

    /// For Lambda integrations: the function's name, from `lambda:NAME` or a function ARN in the URI.
    public var lambdaFunctionName: String? { Integration.lambdaFunctionName(uri: uri) }

    public static func lambdaFunctionName(uri: String?) -> String? {
        guard let uri else { return nil }
        if uri.hasPrefix("lambda:") { return String(uri.dropFirst("lambda:".count)) }
        // arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/arn:aws:lambda:REGION:ACCOUNT:function:NAME/invocations
        guard let r = uri.range(of: ":function:") else { return nil }
        var rest = uri[r.upperBound...]
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        // An alias or version qualifier (NAME:live) is part of the invoked name on AWS; keep the function name.
        return String(rest.split(separator: ":").first ?? "")
    }
}

public struct IntegrationResponse: Sendable {
    public var statusCode: String
    /// nil or empty: the default response (MODEL.md; AWS stores both).
    public var selectionPattern: String?
    public var responseTemplates: [(contentType: String, template: String)]
    /// `method.response.header.NAME` ← source expression, in the order written.
    public var responseParameters: [(target: String, source: String)] = []
    /// `CONVERT_TO_TEXT` or `CONVERT_TO_BINARY`; nil: passthrough (mapping.md §3.6).
    public var contentHandling: String?
    public var location: SourceLocation

    public var isDefault: Bool { (selectionPattern ?? "").isEmpty }
}

public struct Stage: Sendable {
    public var stageName: String
    public var variables: [(name: String, value: String)]
    /// Whether `methodSettings` is given.
    public var hasMethodSettings = false
    /// Stage and method throttles from `methodSettings`, keyed `*/*` or `path/METHOD` (no leading slash:
    /// throttling.md §4 rules 2, 7).
    public var methodThrottles: [String: ThrottleSettings] = [:]
    public var location: SourceLocation

    public init(stageName: String, variables: [(name: String, value: String)], hasMethodSettings: Bool = false, location: SourceLocation) {
        self.stageName = stageName
        self.variables = variables
        self.hasMethodSettings = hasMethodSettings
        self.location = location
    }
}
