/// The pipeline's stages, in REST order (rest-request-flow.md §1.1). Names are what `expect trace` and
/// `help trace` use.
public enum StageName: String, Sendable, CaseIterable {
    /// Requests by URL: DNS, CloudFront, TLS and the certificate, custom domain and base path mapping (domains.md).
    case edge
    case endpoint
    case route
    case auth
    case usagePlan = "usage-plan"
    case methodRequest = "method-request"
    case integrationRequest = "integration-request"
    case integration
    case integrationResponse = "integration-response"
    case methodResponse = "method-response"
    /// HTTP APIs: response parameter mapping and CORS headers.
    case response

    public var summary: String {
        switch self {
        case .edge: return "requests by URL: DNS, CloudFront, TLS certificate by SNI, custom domain and base path mapping"
        case .endpoint: return "host and stage: which API and stage the request is for (first path segment)"
        case .route: return "resource and method matching (literal > {param} > {proxy+}, ANY)"
        case .auth: return "authorization type (NONE, AWS_IAM, CUSTOM, COGNITO_USER_POOLS) and resource policy"
        case .usagePlan: return "API key, usage plan, throttling and quota"
        case .methodRequest: return "method request: parameters, validation, the execution log's request lines"
        case .integrationRequest: return "integration request: mapping template or Lambda proxy event"
        case .integration: return "the integration call: MOCK, Lambda (AWS_PROXY)"
        case .integrationResponse: return "integration response: selection pattern or proxy response parsing"
        case .methodResponse: return "method response: status, headers and body the client gets"
        case .response: return "HTTP APIs: response parameter mapping by status, CORS headers, apigw-requestid"
        }
    }
}

/// One structured trace event: which stage, what it decided, with fields that `expect trace` can check.
public struct TraceEvent: Sendable, Equatable {
    public enum Outcome: String, Sendable { case ok, failed, cancelled }

    public var stage: StageName
    public var millis: Int64
    public var outcome: Outcome
    /// One line: what happened.
    public var summary: String
    /// Structured details (`expect trace route.resource == /orders/{id}`), in a stable order.
    public var fields: [(key: String, value: String)]
    /// Why, in plain language, with the reference where AWS's behaviour is cited or unconfirmed.
    public var why: String?

    public init(stage: StageName, millis: Int64, outcome: Outcome = .ok, summary: String,
                fields: [(String, String)] = [], why: String? = nil) {
        self.stage = stage
        self.millis = millis
        self.outcome = outcome
        self.summary = summary
        self.fields = fields.map { (key: $0.0, value: $0.1) }
        self.why = why
    }

    public func field(_ key: String) -> String? { fields.first { $0.key == key }?.value }

    public static func == (a: TraceEvent, b: TraceEvent) -> Bool {
        a.stage == b.stage && a.millis == b.millis && a.outcome == b.outcome && a.summary == b.summary && a.why == b.why
            && a.fields.count == b.fields.count && zip(a.fields, b.fields).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

/// One execution-log message (without its timestamp or request-id prefix), and where AWS prints it.
///
/// The maps and bodies of the log (`Method request headers: {…}`) cost more to format than the rest of a
/// request costs to simulate, and most requests' logs are never read: such a line keeps what it needs and is
/// formatted (and truncated as AWS truncates, `AWSLog.truncated`) when read.
public struct LogLine: Sendable, Equatable {
    /// `undated`: the Test log's first line, `Execution log for request <id>`, which has no date prefix (rule 78).
    public enum Scope: Sendable { case both, cloudWatchOnly, undated }
    enum Text: Sendable {
        case ready(String)
        case truncatedWhenRead(@Sendable () -> String)
    }
    public var millis: Int64
    var storage: Text
    public var scope: Scope

    public var text: String {
        switch storage {
        case .ready(let s): return s
        case .truncatedWhenRead(let make): return AWSLog.truncated(make())
        }
    }

    public init(millis: Int64, text: String, scope: Scope = .both) {
        self.millis = millis
        self.storage = .ready(text)
        self.scope = scope
    }

    /// A line formatted when read, then truncated at AWS's 1,024 characters.
    public static func truncated(millis: Int64, scope: Scope = .both, _ make: @escaping @Sendable () -> String) -> LogLine {
        var line = LogLine(millis: millis, text: "", scope: scope)
        line.storage = .truncatedWhenRead(make)
        return line
    }

    public static func == (a: LogLine, b: LogLine) -> Bool {
        a.millis == b.millis && a.scope == b.scope && a.text == b.text
    }
}
