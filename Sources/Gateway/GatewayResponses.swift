import GatewayModel

/// REST gateway responses: the one table of the errors the gateway itself answers, each row citing
/// ../shared/reference/gateway-responses.json and rest-request-flow.md §3.
///
/// Two byte families (rest-request-flow.md §3.3): failures before the method request (routing, stage,
/// authorization, API keys, usage plans) render the default template `{"message":$context.error.messageString}`
/// compactly; failures from request validation onwards put one space after the colon.
public enum GatewayResponseType: String, Sendable, CaseIterable {
    case accessDenied = "ACCESS_DENIED"
    case apiConfigurationError = "API_CONFIGURATION_ERROR"
    case authorizerConfigurationError = "AUTHORIZER_CONFIGURATION_ERROR"
    case authorizerFailure = "AUTHORIZER_FAILURE"
    case badRequestParameters = "BAD_REQUEST_PARAMETERS"
    case badRequestBody = "BAD_REQUEST_BODY"
    case expiredToken = "EXPIRED_TOKEN"
    case integrationFailure = "INTEGRATION_FAILURE"
    case integrationTimeout = "INTEGRATION_TIMEOUT"
    case invalidApiKey = "INVALID_API_KEY"
    case invalidSignature = "INVALID_SIGNATURE"
    case missingAuthenticationToken = "MISSING_AUTHENTICATION_TOKEN"
    case quotaExceeded = "QUOTA_EXCEEDED"
    case requestTooLarge = "REQUEST_TOO_LARGE"
    case resourceNotFound = "RESOURCE_NOT_FOUND"
    case throttled = "THROTTLED"
    case unauthorized = "UNAUTHORIZED"
    case unsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE"
    case wafFiltered = "WAF_FILTERED"
    case default4XX = "DEFAULT_4XX"
    case default5XX = "DEFAULT_5XX"
}

public enum BodyFamily: Sendable {
    /// `{"message":"…"}` — stages before the method request (rest-request-flow.md §3.3 rule 58).
    case compact
    /// `{"message": "…"}` — request validation and integration stages (rule 59).
    case spaced
}

/// One row of the table: the built-in default of a gateway response type.
public struct GatewayResponseDefault: Sendable {
    public let type: GatewayResponseType
    public let status: Int
    /// `$context.error.message`; nil renders `null` (AUTHORIZER_CONFIGURATION_ERROR).
    public let message: String?
    /// `x-amzn-ErrorType`, nil where AWS sends none or it is unknown.
    public let errorType: String?
    public let family: BodyFamily
    /// Where the row comes from.
    public let evidence: String
}

extension GatewayResponseType {
    /// The built-in defaults (gateway-responses.json; rest-request-flow.md §3.1 table).
    public var defaults: GatewayResponseDefault {
        switch self {
        case .accessDenied:
            return .init(type: self, status: 403, message: "User is not authorized to access this resource with an explicit deny",
                         errorType: "AccessDeniedException", family: .compact, evidence: "gateway-responses.json ACCESS_DENIED [REC U1]")
        case .apiConfigurationError:
            return .init(type: self, status: 500, message: "Internal server error", errorType: "InternalServerErrorException",
                         family: .spaced, evidence: "gateway-responses.json API_CONFIGURATION_ERROR; rest-request-flow.md §1.6")
        case .authorizerConfigurationError:
            return .init(type: self, status: 500, message: nil, errorType: "AuthorizerConfigurationException",
                         family: .compact, evidence: "rest-request-flow.md §3.2 rule 56 [REC U1]")
        case .authorizerFailure:
            // Message and header UNCONFIRMED (gateway-responses.json AUTHORIZER_FAILURE): gwsh placeholder.
            return .init(type: self, status: 500, message: "Internal server error", errorType: "AuthorizerFailureException",
                         family: .compact, evidence: "gateway-responses.json AUTHORIZER_FAILURE (UNCONFIRMED message)")
        case .badRequestParameters:
            return .init(type: self, status: 400, message: "Missing required request parameters: []", errorType: "BadRequestException",
                         family: .spaced, evidence: "rest-request-flow.md §1.5 rule 19 [REC U10]")
        case .badRequestBody:
            return .init(type: self, status: 400, message: "Invalid request body", errorType: "BadRequestException",
                         family: .spaced, evidence: "rest-request-flow.md §1.5 rule 20 [REC U13]")
        case .expiredToken:
            return .init(type: self, status: 403, message: "The security token included in the request is expired",
                         errorType: "ExpiredTokenException", family: .compact, evidence: "gateway-responses.json EXPIRED_TOKEN (UNCONFIRMED)")
        case .integrationFailure:
            return .init(type: self, status: 504, message: "Network error communicating with endpoint", errorType: "InternalServerErrorException",
                         family: .spaced, evidence: "rest-request-flow.md §1.6 [REC U11]")
        case .integrationTimeout:
            return .init(type: self, status: 504, message: "Endpoint request timed out", errorType: "InternalServerErrorException",
                         family: .spaced, evidence: "rest-request-flow.md §1.6, §6 [REC U8]; header UNCONFIRMED")
        case .invalidApiKey:
            return .init(type: self, status: 403, message: "Forbidden", errorType: "ForbiddenException",
                         family: .compact, evidence: "gateway-responses.json INVALID_API_KEY [DOC D4]")
        case .invalidSignature:
            return .init(type: self, status: 403,
                         message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
                         errorType: "InvalidSignatureException", family: .compact, evidence: "rest-request-flow.md §1.4 [DOC D4]")
        case .missingAuthenticationToken:
            return .init(type: self, status: 403, message: "Missing Authentication Token", errorType: "MissingAuthenticationTokenException",
                         family: .compact, evidence: "rest-request-flow.md §2.1 rule 36 [REC test_routing_not_found]")
        case .quotaExceeded:
            return .init(type: self, status: 429, message: "Limit Exceeded", errorType: "LimitExceededException",
                         family: .compact, evidence: "throttling.md §7 [SEED]")
        case .requestTooLarge:
            return .init(type: self, status: 413, message: "Request Too Long", errorType: nil,
                         family: .compact, evidence: "rest-request-flow.md §3.3 rule 60 (message UNCONFIRMED)")
        case .resourceNotFound:
            return .init(type: self, status: 404, message: "Not Found", errorType: "ResourceNotFoundException",
                         family: .compact, evidence: "gateway-responses.json RESOURCE_NOT_FOUND (UNCONFIRMED)")
        case .throttled:
            return .init(type: self, status: 429, message: "Too Many Requests", errorType: "TooManyRequestsException",
                         family: .compact, evidence: "throttling.md §7 [REC P4]")
        case .unauthorized:
            return .init(type: self, status: 401, message: "Unauthorized", errorType: "UnauthorizedException",
                         family: .compact, evidence: "rest-request-flow.md §1.4 [REC U1]")
        case .unsupportedMediaType:
            return .init(type: self, status: 415, message: "Unsupported Media Type", errorType: "BadRequestException",
                         family: .spaced, evidence: "mapping.md §2.2 rule 18 (UNCONFIRMED body)")
        case .wafFiltered:
            return .init(type: self, status: 403, message: "Forbidden", errorType: "ForbiddenException",
                         family: .compact, evidence: "gateway-responses.json WAF_FILTERED [DOC D8]")
        case .default4XX:
            return .init(type: self, status: 400, message: nil, errorType: nil, family: .compact, evidence: "fallback, no status of its own [REC]")
        case .default5XX:
            return .init(type: self, status: 500, message: nil, errorType: nil, family: .spaced, evidence: "fallback, no status of its own [REC]")
        }
    }
}

/// A failure that ends the request with a gateway response.
public struct GatewayFailure: Error, Sendable {
    public var type: GatewayResponseType
    /// Overrides the type's default status (e.g. 502 for a malformed Lambda proxy response).
    public var status: Int?
    /// Overrides the default message (e.g. the parameter list of BAD_REQUEST_PARAMETERS).
    public var message: String?
    /// The execution-log line that explains it (already in AWS's words), if AWS logs one.
    public var logLine: String?
    /// Overrides the `x-amzn-ErrorType` header (the unknown-stage 403 is no gateway response type of its own).
    public var errorTypeOverride: String?
    /// A plain-language reason for the trace and `explain`.
    public var why: String
    /// Headers of the answer besides the usual (HTTP APIs: `www-authenticate` of a JWT authorizer).
    public var headers: [(String, String)] = []

    public init(_ type: GatewayResponseType, status: Int? = nil, message: String? = nil, errorType: String? = nil,
                logLine: String? = nil, why: String) {
        self.type = type
        self.status = status
        self.message = message
        self.errorTypeOverride = errorType
        self.logLine = logLine
        self.why = why
    }
}

extension GatewayFailure {
    /// The customisation that shapes this failure's answer, if the API has one: the type's own, else the
    /// customised DEFAULT_4XX / DEFAULT_5XX by status class (status, parameters and templates), except for
    /// UNAUTHORIZED, which has no fallback (rest-request-flow.md §3.1 rules 49–50).
    public func customization(in api: RestApi) -> GatewayResponseCustomization? {
        if let own = api.gatewayResponses.first(where: { $0.responseType == type.rawValue }) { return own }
        guard type != .unauthorized, type != .requestTooLarge else { return nil }
        let fallback = (status ?? type.defaults.status) >= 500 ? "DEFAULT_5XX" : "DEFAULT_4XX"
        return api.gatewayResponses.first { $0.responseType == fallback }
    }

    /// The response the client gets, with the built-in default template of the type.
    /// Customised gateway responses (`gatewayResponses` in the model) are not simulated yet: the loader notes them.
    public func render() -> (status: Int, body: String, errorType: String?) {
        let d = type.defaults
        if type == .requestTooLarge {
            // Payloads over 10 MB get a plain-text body, not the JSON shape (rest-request-flow.md §3.3 rule 60).
            return (status ?? d.status, "HTTP content length exceeded 10485760 bytes.", d.errorType)
        }
        let msg = message ?? d.message
        let status = status ?? d.status
        // Exact bytes: compact `{"message":"…"}` or spaced `{"message": "…"}` (rest-request-flow.md §3.3).
        let value = msg.map { JSONValue.quoted($0) } ?? "null"
        let key = type == .accessDenied ? "Message" : "message"  // capital M (rest-request-flow.md §1.4 rule 17)
        let body = d.family == .compact ? "{\"\(key)\":\(value)}" : "{\"\(key)\": \(value)}"
        return (status, body, d.errorType)
    }
}
