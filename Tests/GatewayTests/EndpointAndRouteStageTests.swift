import Gateway
import GatewayModel
import Testing

/// The endpoint and route stages through the whole pipeline: the stage segment, unknown stages, unmatched routes
/// and wrong methods, and the headers AWS adds to responses (rest-request-flow.md §1.3, §2.1 rule 36, §4.1).
@Suite struct EndpointAndRouteStageTests {
    // MARK: - Unknown stage → 403 Forbidden

    @Test(arguments: ["/prod/pets", "/pets", "/", "", "//", "/Dev2/pets", "/dev.x/pets"])
    func unknownStageIsForbidden(_ rawPath: String) throws {
        let x = try env(Models.mock()).send(request("GET", rawPath))
        #expect(x.status == 403)
        #expect(x.bodyText == #"{"message":"Forbidden"}"#)
        #expect(x.response?.body.count == 23)
        #expect(x.header("x-amzn-ErrorType") == "ForbiddenException")
        #expect(x.header("Content-Type") == "application/json")
        #expect(x.header("Content-Length") == "23")
        #expect(x.log.isEmpty)  // nothing reached the method request
        let last = try #require(x.trace.last)
        #expect(last.stage == .endpoint)
        #expect(last.outcome == .failed)
        #expect(last.why?.isEmpty == false)
        #expect(x.events(for: .route).isEmpty)
    }

    @Test func unknownStageExplainsTheStages() throws {
        let x = try env(Models.mock()).send(request("GET", "/prod/pets"))
        #expect(x.trace.last?.why == "API a1b2c3d4e5 has no stage 'prod' (stages: dev); the first path segment is always the stage")
        let y = try env(Models.mock()).send(request("GET", "/"))
        #expect(y.trace.last?.why == "the path has no stage segment; REST API paths start with the stage name (dev)")
    }

    // MARK: - No route → 403 Missing Authentication Token

    @Test(arguments: [
        ("GET", "/dev/nothing"), ("GET", "/dev/pets/1/2"), ("POST", "/dev/pets"), ("HEAD", "/dev/pets"),
        ("DELETE", "/dev/pets/1"), ("GET", "/dev"), ("GET", "/dev/"), ("OPTIONS", "/dev/pets"),
    ] as [(String, String)])
    func unmatchedRouteIsMissingAuthenticationToken(_ method: String, _ rawPath: String) throws {
        let x = try env(Models.mock()).send(request(method, rawPath))
        #expect(x.status == 403)
        #expect(x.bodyText == #"{"message":"Missing Authentication Token"}"#)
        #expect(x.response?.body.count == 42)
        #expect(x.header("x-amzn-ErrorType") == "MissingAuthenticationTokenException")
        #expect(x.header("Content-Length") == "42")
        #expect(x.header("Content-Type") == "application/json")
        #expect(x.log.isEmpty)
        let last = try #require(x.trace.last)
        #expect(last.stage == .route)
        #expect(last.outcome == .failed)
        #expect(last.summary == "403 MISSING_AUTHENTICATION_TOKEN")
        #expect(last.field("body") == #"{"message":"Missing Authentication Token"}"#)
    }

    @Test func wrongMethodAndUnknownPathAreIdenticalOnTheWire() throws {
        let wrong = try env(Models.mock()).send(request("POST", "/dev/pets"))
        let unknown = try env(Models.mock()).send(request("GET", "/dev/nope"))
        #expect(wrong.response == unknown.response)  // same seed, same clock: byte-identical (rule 36)
        #expect(wrong.trace.last?.why?.contains("exists but has no POST (or ANY) method") == true)
        #expect(unknown.trace.last?.why?.contains("no resource of API a1b2c3d4e5 matches GET /nope") == true)
    }

    // MARK: - Rule 37: an unmatched route with a non-SigV4 Authorization header

    @Test func unmatchedRouteWithBareAuthorizationIsIncompleteSignature() throws {
        let x = try env(Models.mock()).send(request("GET", "/dev/nope", headers: [("Authorization", "Bearer")]))
        #expect(x.status == 403)
        #expect(x.header("x-amzn-ErrorType") == "IncompleteSignatureException")
        // policy.md §5 [REC P10].
        #expect(x.bodyText == #"{"message":"Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=Bearer"}"#)
    }

    @Test func unmatchedRouteWithBearerTokenIsHashedKeyValueMessage() throws {
        let x = try env(Models.mock()).send(request("POST", "/dev/pets", headers: [("Authorization", "Bearer token123")]))
        #expect(x.status == 403)
        #expect(x.header("x-amzn-ErrorType") == "IncompleteSignatureException")
        let body = try #require(x.bodyText)
        #expect(body.wholeMatch(of: #/\{"message":"Invalid key=value pair \(missing equal-sign\) in Authorization header \(hashed with SHA-256 and encoded with Base64\): '[A-Za-z0-9+\/]{43}='\."\}/#) != nil)
    }

    /// rest-request-flow.md §2.1 rule 37: "A `Basic …` header gives `Authorization header requires 'Credential'
    /// parameter. …` instead" [REC user transcript].
    @Test func unmatchedRouteWithBasicAuthorizationListsTheMissingSigV4Parts() throws {
        let x = try env(Models.mock()).send(request("GET", "/dev/nope", headers: [("Authorization", "Basic dXNlcjpwYXNz")]))
        #expect(x.status == 403)
        #expect(x.header("x-amzn-ErrorType") == "IncompleteSignatureException")
        #expect(x.bodyText == #"{"message":"Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=Basic dXNlcjpwYXNz"}"#)
    }

    @Test func matchedRouteIgnoresANonSigV4Authorization() throws {
        let x = try env(Models.mock()).send(request("GET", "/dev/pets", headers: [("Authorization", "Bearer token123")]))
        #expect(x.status == 200)
    }

    // MARK: - Path and stage in the exchange

    struct PathRow: Sendable, CustomTestStringConvertible {
        let rawPath: String
        let path: String
        let requestContextPath: String
        var testDescription: String { rawPath }
    }

    /// rest-request-flow.md §1.3 rules 10–11, §2.2 rule 40; lambda-payloads.md §1.2 rule 9.
    @Test(arguments: [
        PathRow(rawPath: "/dev/pets", path: "/pets", requestContextPath: "/dev/pets"),
        PathRow(rawPath: "//dev/pets", path: "/pets", requestContextPath: "/dev/pets"),
        PathRow(rawPath: "///dev/pets", path: "/pets", requestContextPath: "/dev/pets"),
        PathRow(rawPath: "/dev//pets", path: "/pets", requestContextPath: "/dev//pets"),
        PathRow(rawPath: "/dev/pets/", path: "/pets/", requestContextPath: "/dev/pets/"),
        PathRow(rawPath: "/dev/pets?x=1", path: "/pets", requestContextPath: "/dev/pets"),
        PathRow(rawPath: "/dev/pets#frag", path: "/pets", requestContextPath: "/dev/pets"),
        PathRow(rawPath: "/dev", path: "/", requestContextPath: "/dev"),
    ])
    func stageSegmentAndPaths(_ row: PathRow) throws {
        let s = Stepper(request: request("GET", row.rawPath), env: try env(Models.mock()))
        s.step()  // endpoint only
        #expect(s.exchange.stageName == "dev")
        #expect(s.exchange.path == row.path)
        #expect(s.exchange.requestContextPath == row.requestContextPath)
        #expect(s.exchange.host == "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com")
        #expect(s.nextStage == .route)
    }

    @Test func hostComesFromTheRequestWhenGiven() throws {
        var r = request("GET", "/dev/pets")
        r.host = "api.example.com"
        let x = try env(Models.mock()).send(r)
        #expect(x.host == "api.example.com")
        let y = try env(Models.mock()).send(request("GET", "/dev/pets", headers: [("Host", "other.example.com")]))
        #expect(y.host == "other.example.com")
    }

    // MARK: - Query strings

    @Test func queryRepeatedKeysKeepOrder() throws {
        let s = Stepper(request: request("GET", "/dev/pets?category=electronics&category=books&price=10&price=20&price=30"), env: try env(Models.mock()))
        s.step()
        #expect(s.exchange.query.map { "\($0.name)=\($0.value)" } == ["category=electronics", "category=books", "price=10", "price=20", "price=30"])
    }

    struct QueryRow: Sendable, CustomTestStringConvertible {
        let query: String
        let expected: [String]
        var testDescription: String { query }
    }

    /// Form decoding (lambda-payloads.md §1.2 rule 6, rest-request-flow.md §2.2 rule 42).
    @Test(arguments: [
        QueryRow(query: "dateTimeOffset=2023-06-12T18:05:10.123456+00:00", expected: ["dateTimeOffset=2023-06-12T18:05:10.123456 00:00"]),
        QueryRow(query: "email=test%2Balias@gmail.com", expected: ["email=test+alias@gmail.com"]),
        QueryRow(query: "plus=test+alias@gmail.com", expected: ["plus=test alias@gmail.com"]),
        QueryRow(query: "url=https://www.google.com/", expected: ["url=https://www.google.com/"]),
        QueryRow(query: "whitespace=foo%20bar", expected: ["whitespace=foo bar"]),
        QueryRow(query: "zhash=abort/#", expected: ["zhash=abort/"]),
        QueryRow(query: "zhash=abort/#a=b", expected: ["zhash=abort/"]),
        QueryRow(query: "a=1&&b=2", expected: ["a=1", "b=2"]),
        QueryRow(query: "a=1;b=2", expected: ["a=1", "b=2"]),  // rest-request-flow.md §2.2 rule 45: `;` splits the data
        QueryRow(query: "a=x=y", expected: ["a=x=y"]),
        QueryRow(query: "k%20ey=v", expected: ["k ey=v"]),
        QueryRow(query: "", expected: []),
    ])
    func queryIsFormDecoded(_ row: QueryRow) throws {
        let s = Stepper(request: request("GET", "/dev/pets?" + row.query), env: try env(Models.mock()))
        s.step()
        #expect(s.exchange.query.map { "\($0.name)=\($0.value)" } == row.expected)
    }

    // MARK: - Headers AWS adds (rest-request-flow.md §4.1)

    @Test func mockSuccessHeadersOnEdge() throws {
        let x = try env(Models.mock()).send(request("GET", "/dev/pets", headers: [("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793")]))
        #expect(x.status == 200)
        // Recorded set (EDGE, MOCK): no x-amzn-trace-id, even when the client sent one.
        #expect(Set(x.headerNames.map { $0.lowercased() }) == [
            "connection", "content-length", "content-type", "date", "via", "x-amz-apigw-id", "x-amz-cf-id", "x-amz-cf-pop",
            "x-amzn-requestid", "x-cache",
        ])
        #expect(x.header("Connection") == "keep-alive")
        #expect(x.header("Content-Type") == "application/json")
        #expect(x.header("Content-Length") == "12")
        #expect(x.header("Date") == "Thu, 05 Mar 2026 12:00:00 GMT")
        #expect(x.header("X-Cache") == "Miss from cloudfront")
        #expect(x.header("x-amzn-RequestId") == x.requestId)
        #expect(x.header("x-amz-apigw-id") == x.extendedRequestId)
        let via = try #require(x.header("Via"))
        #expect(via.wholeMatch(of: #/1\.1 [0-9a-f]{32}\.cloudfront\.net \(CloudFront\)/#) != nil)
    }

    @Test func mockSuccessHeadersOnRegionalHaveNoCloudFront() throws {
        let x = try env(Models.mock(endpoint: "REGIONAL")).send(request("GET", "/dev/pets"))
        #expect(x.status == 200)
        #expect(Set(x.headerNames.map { $0.lowercased() }) == [
            "connection", "content-length", "content-type", "date", "x-amz-apigw-id", "x-amzn-requestid",
        ])
    }

    @Test func connectionCloseIsEchoed() throws {
        let x = try env(Models.mock()).send(request("GET", "/dev/pets", headers: [("Connection", "close")]))
        #expect(x.header("Connection") == "close")
    }

    @Test func gatewayErrorHeadersOnEdge() throws {
        let x = try env(Models.mock()).send(request("GET", "/dev/nope"))
        #expect(x.header("X-Cache") == "Error from cloudfront")
        #expect(x.header("Via") != nil)
        #expect(x.header("X-Amz-Cf-Pop") != nil)
        #expect(x.header("x-amzn-RequestId") == x.requestId)
        #expect(x.header("x-amz-apigw-id") == x.extendedRequestId)
    }

    /// Recorded set: REGIONAL, gateway error (500): no trace id, no CloudFront headers.
    @Test func regionalIntegrationErrorHeaders() throws {
        let yaml = #"""
            restApis:
              - id: a1b2c3d4e5
                endpointConfiguration: {types: [REGIONAL]}
                resources:
                  /x:
                    GET:
                      integration:
                        type: MOCK
                        requestTemplates: {application/json: '{"statusCode": 200}'}
                        integrationResponses:
                          "400": {selectionPattern: '4\d{2}'}
                      methodResponses: {"400": {}}
                stages: [{stageName: dev}]
            """#
        let x = try env(yaml).send(request("GET", "/dev/x"))
        #expect(x.status == 500)
        #expect(Set(x.headerNames) == ["Connection", "Content-Length", "Content-Type", "Date", "x-amz-apigw-id", "x-amzn-ErrorType", "x-amzn-RequestId"])
        #expect(x.header("Content-Type") == "application/json")
        #expect(x.header("Content-Length") == "36")
    }

    // MARK: - Not simulated

    @Test func modelWithoutApisStopsWithoutResponse() throws {
        let x = try env("region: us-east-1\n").send(request("GET", "/dev/pets"))
        #expect(x.response == nil)
        #expect(x.unsupported != nil)
        #expect(x.isFinished)
        #expect(x.trace.map(\.stage) == [.endpoint])
    }
}
