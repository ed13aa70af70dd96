import Foundation
import GatewayModel
import Policy
import Templates
import Throttling

/// Everything shared by the requests of one simulation: the model, the virtual clock, the id generator
/// and the handler registries. One per shell session or conformance case.
public final class GatewayEnvironment {
    public var world: GatewayWorld {
        didSet {
            routers = [:]; templates = [:]; schemas = [:]; methods = [:]; policies = [:]; apiIndex = Self.index(world); limiter = Limiter()
            authorizerCache = [:]
        }
    }
    /// REST APIs by id, and methods by "apiId path METHOD": looked up by every stage of every request.
    private var apiIndex: [String: Int] = [:]
    private var methods: [String: Method?] = [:]
    /// Parsed resource policies by API id.
    var policies: [String: Result<PolicyDocument, PolicyError>] = [:]
    /// Lambda authorizer answers kept for their TTL, by API, authorizer and identity-source values (policy.md §6 rule 4).
    var authorizerCache: [String: CachedAuthorizerAnswer] = [:]
    /// Temporary credentials handed out by `assume-role` (sts:AssumeRole), valid until their expiry.
    public var temporaryCredentials: [TemporaryCredentials] = []
    /// The identity an access key belongs to: the model's, or a role session's.
    public func identity(accessKeyId: String) -> (Identity, TemporaryCredentials?)? {
        if let t = temporaryCredentials.last(where: { $0.identity.accessKeyId == accessKeyId }) { return (t.identity, t) }
        return world.identity(accessKeyId: accessKeyId).map { ($0, nil) }
    }
    /// How many authorizer answers are cached (and not yet expired) now.
    public var cachedAuthorizerAnswers: Int { authorizerCache.values.filter { $0.expiresAtMillis > clock.millis }.count }
    /// Forgets every cached authorizer answer (as AWS's "flush authorizer cache" does for a stage).
    public func flushAuthorizerCache() { authorizerCache = [:] }

    private static func index(_ world: GatewayWorld) -> [String: Int] {
        var out: [String: Int] = [:]
        for (i, api) in world.restApis.enumerated() where out[api.id] == nil { out[api.id] = i }
        return out
    }

    /// The REST API with this id (the first, if the model repeats one).
    public func restApi(id: String) -> RestApi? { apiIndex[id].map { world.restApis[$0] } }

    /// The method of a resource of an API, looked up once per model.
    func method(apiId: String, path: String, httpMethod: String) -> Method? {
        let key = apiId + " " + path + " " + httpMethod
        if let m = methods[key] { return m }
        let m = restApi(id: apiId)?.resource(path: path)?.method(httpMethod)
        methods[key] = m
        return m
    }
    /// Token buckets and quota counters, on the virtual clock.
    public var limiter = Limiter()
    /// Routers by API id, built on first use: the resource tree does not change between requests.
    private var routers: [String: Router] = [:]
    /// Parsed mapping templates by source text: each is parsed once per model.
    var templates: [String: Result<VelocityTemplate, VelocityError>] = [:]
    /// Compiled request models by "apiId/modelName".
    private var schemas: [String: JSONSchema] = [:]

    func schema(_ model: ModelSchema, in api: RestApi) -> JSONSchema {
        let key = api.id + "/" + model.name
        if let s = schemas[key] { return s }
        let models = api.models
        let s = JSONSchema(model.schema, resolveRef: { ref in RestApi.modelSchema(models, ref) })
        schemas[key] = s
        return s
    }
    public var clock: VirtualClock
    public var ids: IdGenerator
    public var lambda: (any LambdaInvoker)?
    /// Plugin stage hooks (`gateway.on`), if the model's plugins register any.
    public var hooks: (any StageHooks)?
    /// The API `send METHOD PATH` goes to (the model's first REST API unless `use` chose another).
    public var currentApiId: String?
    /// Polled between stages; Ctrl-C sets it (through the shell) to cancel a request.
    public var isCancelled: () -> Bool = { false }

    public init(world: GatewayWorld, clock: VirtualClock = .sessionStart, seed: UInt64 = 0, lambda: (any LambdaInvoker)? = nil) {
        self.world = world
        self.apiIndex = Self.index(world)
        self.clock = clock
        self.ids = IdGenerator(seed: seed)
        self.lambda = lambda
        self.currentApiId = world.restApis.first?.id ?? world.httpApis.first?.apiId
    }

    public var currentApi: RestApi? { currentApiId.flatMap { world.restApi(id: $0) } }

    func router(for api: RestApi) -> Router {
        if let r = routers[api.id] { return r }
        let r = Router(api: api)
        routers[api.id] = r
        return r
    }
}

/// A request in flight: what came in, what each stage decided, what goes out. Stages read and write it;
/// the Stepper lets the shell inspect it between stages.
public struct Exchange: Sendable {
    public var request: ClientRequest
    public var requestId: String
    public var extendedRequestId: String
    public var startMillis: Int64

    // endpoint
    public var apiId: String?
    public var stageName: String?
    public var host: String = ""
    /// The path after the stage, leading slashes collapsed (the proxy event's `path`).
    public var path: String = "/"
    /// The path with the stage, as sent except for slashes before the stage (`requestContext.path`).
    public var requestContextPath: String = "/"
    /// Query parameters, form-decoded, in order sent.
    public var query: [(name: String, value: String)] = []
    /// The headers the method request sees (the client's, as changed by CloudFront on EDGE APIs).
    public var methodRequestHeaders = HeaderFields()
    /// Volatile edge values chosen for this request (deterministic from the id seed).
    public var edge = EdgeValues()

    // route
    public var resourcePath: String?
    public var resourceId: String?
    public var httpMethod: String?
    /// The model's method for apiId, resourcePath and httpMethod, resolved by the route stage.
    public var method: Method?
    public var pathParameters: [(name: String, value: String)] = []

    // integration
    public var integrationRequestBody: String?
    public var lambdaEvent: JSONValue?
    public var lambdaRequestId: String?
    public var lambdaResult: LambdaResult?
    /// A non-proxy Lambda's function error message: what selection patterns are matched against.
    public var lambdaErrorMessage: String?
    public var integrationStatus: String?
    /// The integration's answer, before any response template ("before transformations").
    public var integrationResponseBody: String?
    /// The body after the selected integration response's template (non-proxy integrations).
    public var methodResponseBody: String?
    /// The selected integration response (non-proxy): its status, pattern and contentHandling.
    public var selectedIntegrationResponse: IntegrationResponse?
    /// Method response headers from the selected integration response's responseParameters.
    public var methodResponseHeaders: [(name: String, value: String)] = []
    /// The integration response's headers (HTTP backends), for `integration.response.header.*`.
    public var integrationResponseHeaders = HeaderFields()
    /// What an HTTP integration sent to its backend.
    public var backendRequest: BackendRequest?
    /// `$context.requestOverride` / `$context.responseOverride` as the last template left them: they carry
    /// from the request template to the response template and the method response (mapping.md §4.4 rule 46,
    /// §3.5 rule 36).
    public var requestOverride = JSONObject()
    public var responseOverride = JSONObject()

    /// The request's API key as the logs show it (masked), when the method requires one.
    public var apiKeyMasked: String?
    /// The signed caller, once an AWS_IAM method has verified the request's signature.
    public var caller: Identity?
    /// What a Lambda or Cognito authorizer said about the caller, once it allowed the request.
    public var authorizer: AuthorizerOutput?
    /// Set for a request to an HTTP API: its API, stage, route and answer (HttpApiStages.swift).
    public var http: HttpApiState?
    /// Set for a Test-button call (TestInvokeMethod): no endpoint, stage, authorizer or usage plan.
    public var testInvoke: TestInvokeInput?

    // outcome
    public var response: GatewayHTTPResponse?
    public var failure: GatewayFailure?
    /// A feature of the model that gwsh cannot simulate yet: the request stops with no response.
    public var unsupported: String?
    /// The client never reached API Gateway (a private API from outside its VPCs): no HTTP answer at all.
    public var connectionError: String?
    /// Requests by URL: what DNS, TLS and CloudFront did (reference/domains.md).
    public var edgeInfo: EdgeInfo?
    /// An answer of the edge itself (no API chosen): the endpoint type whose headers it carries.
    public var edgeEndpointType: EndpointType?
    public var cancelled = false
    public var trace: [TraceEvent] = []
    public var log: [LogLine] = []

    public init(request: ClientRequest, requestId: String, extendedRequestId: String, startMillis: Int64) {
        self.request = request
        self.requestId = requestId
        self.extendedRequestId = extendedRequestId
        self.startMillis = startMillis
    }

    public var isFinished: Bool { response != nil || unsupported != nil || cancelled || connectionError != nil }

    /// The stage the request runs in: the API's, or a Test call's `test-invoke-stage` with the variables it gave.
    func currentStage(_ env: GatewayEnvironment) -> Stage? {
        guard let api = apiId.flatMap({ env.restApi(id: $0) }) else { return nil }
        if let ti = testInvoke {
            return Stage(stageName: TestInvokeInput.stageName, variables: ti.stageVariables, location: api.location)
        }
        return stageName.flatMap { api.stage(named: $0) }
    }

    /// `Root=1-…` of the request's trace header (the client's, else the generated one), without Parent/Sampled.
    var traceRoot: String {
        (methodRequestHeaders["X-Amzn-Trace-Id"] ?? edge.traceId).split(separator: ";").first.map(String.init) ?? edge.traceId
    }

    public func events(for stage: StageName) -> [TraceEvent] { trace.filter { $0.stage == stage } }

    /// Stops the request: the model needs something gwsh does not simulate yet, so no response is invented.
    mutating func failConnection(_ reason: String, stage: StageName, millis: Int64) {
        connectionError = reason
        trace.append(TraceEvent(stage: stage, millis: millis, outcome: .failed, summary: "no connection: \(reason)"))
    }

    mutating func markUnsupported(_ reason: String, stage: StageName, millis: Int64) {
        unsupported = reason
        trace.append(TraceEvent(stage: stage, millis: millis, outcome: .failed, summary: "not simulated: \(reason)"))
    }
}

/// Values that AWS's edge and request handling generate per request; drawn once from the id seed.
public struct EdgeValues: Sendable {
    /// CloudFront's `Via` and `X-Amz-Cf-Id` for this request (one edge node, one request id, both ways).
    public var via = ""
    public var cfId = ""
    public var cfPop = "IAD89-C1"
    /// `Root=1-<8 hex>-<24 hex>`.
    public var traceId = ""
    public var traceParent = ""
    public var deploymentId = ""

    /// Draws every value in a fixed order, so the same seed gives the same values.
    public static func draw(_ ids: inout IdGenerator, nowMillis: Int64) -> EdgeValues {
        var e = EdgeValues()
        e.via = "1.1 \(ids.hex(32)).cloudfront.net (CloudFront)"
        e.cfId = ids.base64URL(bytes: 40)
        e.traceId = "Root=1-" + hexDigits(UInt64(max(0, nowMillis / 1000)), width: 8) + "-" + ids.hex(24)
        e.traceParent = ids.hex(16)
        e.deploymentId = ids.chars(6, from: "abcdefghijklmnopqrstuvwxyz0123456789")
        return e
    }
}
