import Gateway
import GatewayModel
import Testing

/// The built-in gateway responses against ../shared/reference/gateway-responses.json (status, errorType, body bytes).
@Suite struct GatewayResponseTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let type: GatewayResponseType
        let status: Int
        let errorType: String?
        let body: String
        var testDescription: String { type.rawValue }
    }

    /// Rows copied from gateway-responses.json (every type with bytes of its own and no placeholder).
    static let rows: [Row] = [
        Row(type: .accessDenied, status: 403, errorType: "AccessDeniedException",
            body: #"{"Message":"User is not authorized to access this resource with an explicit deny"}"#),
        Row(type: .apiConfigurationError, status: 500, errorType: "InternalServerErrorException", body: #"{"message": "Internal server error"}"#),
        Row(type: .authorizerConfigurationError, status: 500, errorType: "AuthorizerConfigurationException", body: #"{"message":null}"#),
        Row(type: .authorizerFailure, status: 500, errorType: "AuthorizerFailureException", body: #"{"message":"Internal server error"}"#),
        Row(type: .badRequestBody, status: 400, errorType: "BadRequestException", body: #"{"message": "Invalid request body"}"#),
        Row(type: .expiredToken, status: 403, errorType: "ExpiredTokenException",
            body: #"{"message":"The security token included in the request is expired"}"#),
        Row(type: .integrationFailure, status: 504, errorType: "InternalServerErrorException",
            body: #"{"message": "Network error communicating with endpoint"}"#),
        Row(type: .integrationTimeout, status: 504, errorType: "InternalServerErrorException", body: #"{"message": "Endpoint request timed out"}"#),
        Row(type: .invalidApiKey, status: 403, errorType: "ForbiddenException", body: #"{"message":"Forbidden"}"#),
        Row(type: .missingAuthenticationToken, status: 403, errorType: "MissingAuthenticationTokenException",
            body: #"{"message":"Missing Authentication Token"}"#),
        Row(type: .quotaExceeded, status: 429, errorType: "LimitExceededException", body: #"{"message":"Limit Exceeded"}"#),
        Row(type: .resourceNotFound, status: 404, errorType: "ResourceNotFoundException", body: #"{"message":"Not Found"}"#),
        Row(type: .throttled, status: 429, errorType: "TooManyRequestsException", body: #"{"message":"Too Many Requests"}"#),
        Row(type: .unauthorized, status: 401, errorType: "UnauthorizedException", body: #"{"message":"Unauthorized"}"#),
        Row(type: .unsupportedMediaType, status: 415, errorType: "BadRequestException", body: #"{"message": "Unsupported Media Type"}"#),
        Row(type: .wafFiltered, status: 403, errorType: "ForbiddenException", body: #"{"message":"Forbidden"}"#),
    ]

    @Test(arguments: rows)
    func defaultRendering(_ row: Row) {
        let r = GatewayFailure(row.type, why: "test").render()
        #expect(r.status == row.status)
        #expect(r.body == row.body)
        #expect(r.errorType == row.errorType)
        #expect(row.type.defaults.status == row.status)
        #expect(row.type.defaults.errorType == row.errorType)
    }

    /// README "Exact strings": byte counts of the bodies most often got wrong.
    @Test(arguments: [
        (GatewayResponseType.missingAuthenticationToken, 42), (.unauthorized, 26), (.accessDenied, 82), (.authorizerConfigurationError, 16),
        (.invalidApiKey, 23), (.throttled, 31), (.quotaExceeded, 28), (.apiConfigurationError, 36), (.badRequestBody, 35),
        (.integrationFailure, 56),
    ] as [(GatewayResponseType, Int)])
    func bodyByteCounts(_ type: GatewayResponseType, _ bytes: Int) {
        #expect(GatewayFailure(type, why: "").render().body.utf8.count == bytes)
    }

    @Test func badRequestParametersListsTheNames() {
        let r = GatewayFailure(.badRequestParameters, message: "Missing required request parameters: [x-header-param, issuer, qs1]", why: "").render()
        #expect(r.status == 400)
        #expect(r.body == #"{"message": "Missing required request parameters: [x-header-param, issuer, qs1]"}"#)
        #expect(r.errorType == "BadRequestException")
    }

    @Test func invalidSignatureStartsWithTheRecordedText() {
        let r = GatewayFailure(.invalidSignature, why: "").render()
        #expect(r.status == 403)
        #expect(r.body.hasPrefix(#"{"message":"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."#))
        #expect(r.errorType == "InvalidSignatureException")
    }

    @Test func overridesOfStatusMessageAndErrorType() {
        let f = GatewayFailure(.default4XX, status: 403, message: "Forbidden", errorType: "ForbiddenException", why: "")
        #expect(f.render().status == 403)
        #expect(f.render().body == #"{"message":"Forbidden"}"#)
        #expect(f.errorTypeOverride == "ForbiddenException")
        let g = GatewayFailure(.default5XX, status: 502, message: "Internal server error", why: "")
        #expect(g.render().body == #"{"message": "Internal server error"}"#)
        #expect(g.render().status == 502)
    }

    @Test func messagesAreJSONEscaped() {
        let r = GatewayFailure(.default4XX, status: 400, message: "a \"quoted\"\nline", why: "").render()
        #expect(r.body == #"{"message":"a \"quoted\"\nline"}"#)
    }

    @Test func thereAreExactly21Types() {
        #expect(GatewayResponseType.allCases.count == 21)
    }

    /// gateway-responses.json REQUEST_TOO_LARGE: the only recorded 413 (a payload over 10 MB) has a plain-text body
    /// `HTTP content length exceeded 10485760 bytes.`, not the JSON gateway-response shape (rest-request-flow.md §3.3
    /// rule 60).
    @Test func requestTooLargeIsPlainText() {
        let r = GatewayFailure(.requestTooLarge, why: "").render()
        #expect(r.status == 413)
        #expect(r.body == "HTTP content length exceeded 10485760 bytes.")
    }
}
