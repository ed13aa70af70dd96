import Gateway
import GatewayModel
import Testing

/// The REST Lambda proxy event (payload 1.0) as the function receives it (lambda-payloads.md §1).
@Suite struct ProxyEventTests {
    /// Sends `request` to §2.2's proxy API with a function that answers 200 and returns the exchange and the event.
    func send(_ r: ClientRequest, endpoint: String = "EDGE", stageVariables: String = "") throws -> (Exchange, JSONValue) {
        let fn = TestLambda(returning: #"{"statusCode": 200}"#)
        let x = try env(Models.proxy(endpoint: endpoint, stageVariables: stageVariables), lambda: fn).send(r)
        #expect(x.status == 200)
        let event = try #require(fn.lastEvent)
        #expect(x.lambdaEvent == event)  // the exchange records what the function got
        return (x, event)
    }

    // MARK: - §2.2 recorded table

    struct Row: Sendable, CustomTestStringConvertible {
        let rawPath: String
        let resource: String
        let path: String
        let proxy: String?
        let requestContextPath: String
        var testDescription: String { rawPath }
    }

    @Test(arguments: [
        Row(rawPath: "/stage/proxy-value", resource: "/{proxy+}", path: "/proxy-value", proxy: "proxy-value", requestContextPath: "/stage/proxy-value"),
        Row(rawPath: "/stage/proxy-value/", resource: "/{proxy+}", path: "/proxy-value/", proxy: "proxy-value", requestContextPath: "/stage/proxy-value/"),
        Row(rawPath: "/stage/proxy-value//double-slash", resource: "/{proxy+}", path: "/proxy-value//double-slash", proxy: "proxy-value//double-slash",
            requestContextPath: "/stage/proxy-value//double-slash"),
        Row(rawPath: "//stage/proxy-value", resource: "/{proxy+}", path: "/proxy-value", proxy: "proxy-value", requestContextPath: "/stage/proxy-value"),
        Row(rawPath: "/stage//proxy-value", resource: "/{proxy+}", path: "/proxy-value", proxy: "proxy-value", requestContextPath: "/stage//proxy-value"),
        Row(rawPath: "/stage//hardcoded", resource: "/hardcoded", path: "/hardcoded", proxy: nil, requestContextPath: "/stage//hardcoded"),
        Row(rawPath: "/stage/proxy-value/?urlparam=test", resource: "/{proxy+}", path: "/proxy-value/", proxy: "proxy-value", requestContextPath: "/stage/proxy-value/"),
        Row(rawPath: "/stage/proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com", resource: "/{proxy+}",
            path: "/proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com",
            proxy: "proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com",
            requestContextPath: "/stage/proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com"),
    ])
    func recordedPathRow(_ row: Row) throws {
        let (x, e) = try send(request("GET", row.rawPath))
        #expect(e["resource"] == .string(row.resource))
        #expect(e["path"] == .string(row.path))
        #expect(e["pathParameters"] == (row.proxy.map { JSONValue.obj(["proxy": .string($0)]) } ?? .null))
        #expect(e["requestContext"]?["path"] == .string(row.requestContextPath))
        #expect(e["requestContext"]?["resourcePath"] == .string(row.resource))
        #expect(e["requestContext"]?["resourceId"] == .string(ModelLoader.derivedId(apiId: "h4k9v2m7qe", path: row.resource)))
        #expect(e["httpMethod"] == "GET")  // ANY is resolved to the client's method
        #expect(e["requestContext"]?["httpMethod"] == "GET")
        #expect(x.resourcePath == row.resource)
    }

    // MARK: - Nulls and absent keys

    @Test func plainGetHasNullsWhereTheRecordingHasThem() throws {
        let (_, e) = try send(request("GET", "/stage/hardcoded"))
        #expect(e["queryStringParameters"] == .null)
        #expect(e["multiValueQueryStringParameters"] == .null)
        #expect(e["pathParameters"] == .null)
        #expect(e["stageVariables"] == .null)
        #expect(e["body"] == .null)
        #expect(e["isBase64Encoded"] == .bool(false))
        #expect(e["version"] == nil)  // REST events carry no version (rule 1)
        #expect(e["requestContext"]?["authorizer"] == nil)  // no authorizer key without an authorizer (rule 13)
    }

    @Test func topLevelKeysInTheConsoleOrder() throws {
        let (_, e) = try send(request("GET", "/stage/hardcoded"))
        // rest-request-flow.md §5.4 (recorded Test log): the event's key order.
        #expect(e.objectValue?.keys == [
            "resource", "path", "httpMethod", "headers", "multiValueHeaders", "queryStringParameters",
            "multiValueQueryStringParameters", "pathParameters", "stageVariables", "requestContext", "body", "isBase64Encoded",
        ])
    }

    @Test func requestContextKeysAndValues() throws {
        let (x, e) = try send(request("GET", "/stage/hardcoded", headers: [("User-Agent", "curl/8.0")]))
        let rc = try #require(e["requestContext"]?.objectValue)
        // The recorded order of the first 13 keys (§5.4), and exactly the 16 recorded keys (lambda-payloads.md §1.4).
        #expect(Array(rc.keys.prefix(13)) == [
            "resourceId", "resourcePath", "httpMethod", "extendedRequestId", "requestTime", "path", "accountId", "protocol",
            "stage", "domainPrefix", "requestTimeEpoch", "requestId", "identity",
        ])
        #expect(Set(rc.keys) == [
            "accountId", "apiId", "deploymentId", "domainName", "domainPrefix", "extendedRequestId", "httpMethod", "identity",
            "path", "protocol", "requestId", "requestTime", "requestTimeEpoch", "resourceId", "resourcePath", "stage",
        ])
        #expect(rc["accountId"] == "111111111111")
        #expect(rc["apiId"] == "h4k9v2m7qe")
        #expect(rc["domainName"] == "h4k9v2m7qe.execute-api.us-east-1.amazonaws.com")
        #expect(rc["domainPrefix"] == "h4k9v2m7qe")
        #expect(rc["protocol"] == "HTTP/1.1")
        #expect(rc["stage"] == "stage")
        #expect(rc["requestTime"] == "05/Mar/2026:12:00:00 +0000")
        #expect(rc["requestTimeEpoch"] == .int(1_772_712_000_000))
        #expect(rc["requestId"] == .string(x.requestId))
        #expect(rc["extendedRequestId"] == .string(x.extendedRequestId))
        #expect(rc["deploymentId"] == .string(x.edge.deploymentId))
        #expect(x.edge.deploymentId.count == 6)
    }

    @Test func identityHasExactlyTheRecordedTwelveKeys() throws {
        let (_, e) = try send(request("GET", "/stage/hardcoded", headers: [("User-Agent", "python-requests/testing")]))
        let identity = try #require(e["requestContext"]?["identity"]?.objectValue)
        #expect(Set(identity.keys) == [
            "accessKey", "accountId", "caller", "cognitoAuthenticationProvider", "cognitoAuthenticationType", "cognitoIdentityId",
            "cognitoIdentityPoolId", "principalOrgId", "sourceIp", "user", "userAgent", "userArn",
        ])
        #expect(identity.count == 12)
        for (k, v) in identity where k != "sourceIp" && k != "userAgent" {
            #expect(v == .null, "identity.\(k)")
        }
        #expect(identity["sourceIp"] == "203.0.113.10")
        #expect(identity["userAgent"] == "python-requests/testing")
    }

    @Test func identityUserAgentIsNullWithoutTheHeader() throws {
        let (_, e) = try send(request("GET", "/stage/hardcoded"))
        #expect(e["requestContext"]?["identity"]?["userAgent"] == .null)
    }

    // MARK: - Query strings

    @Test func repeatedQueryKeysLastWinsInTheSingleMap() throws {
        let (_, e) = try send(request("GET", "/stage/proxy-value?category=electronics&category=books&price=10&price=20&price=30"))
        #expect(e["queryStringParameters"]?.serialized() == #"{"category":"books","price":"30"}"#)
        #expect(e["multiValueQueryStringParameters"]?.serialized() == #"{"category":["electronics","books"],"price":["10","20","30"]}"#)
    }

    @Test func queryValuesAreFormDecoded() throws {
        let (_, e) = try send(request("GET",
            "/stage/proxy-value?dateTimeOffset=2023-06-12T18:05:10.123456+00:00&email=test%2Balias@gmail.com&plus=test+alias@gmail.com&url=https://www.google.com/&whitespace=foo%20bar&zhash=abort/#"))
        // rest-request-flow.md §2.2 rule 42, recorded.
        #expect(e["queryStringParameters"] == .obj([
            "dateTimeOffset": "2023-06-12T18:05:10.123456 00:00", "email": "test+alias@gmail.com", "plus": "test alias@gmail.com",
            "url": "https://www.google.com/", "whitespace": "foo bar", "zhash": "abort/",
        ]))
        #expect(e["multiValueQueryStringParameters"]?["zhash"] == ["abort/"])
        #expect(e["path"] == "/proxy-value")
    }

    // MARK: - Headers

    /// The recorded request of lambda-payloads.md §1.5 on an EDGE API.
    static let recordedHeaders: [(String, String)] = [
        ("User-Agent", "python-requests/testing"), ("Accept-Encoding", "gzip, deflate"), ("Accept", "*/*"),
        ("Connection", "keep-alive"), ("Content-Type", "application/json;charset=utf-8"),
        ("aUThorization", "Bearer token123;API key456"), ("Content-Length", "26"),
    ]

    @Test func edgeEventHeadersAreTheRecordedSet() throws {
        let (x, e) = try send(request("POST", "/stage/proxy-value?category=electronics&category=books&price=10&price=20&price=30",
                                      headers: Self.recordedHeaders, body: #"{"message": "hello world"}"#))
        let headers = try #require(e["headers"]?.objectValue)
        #expect(Set(headers.keys) == [
            "Accept", "Accept-Encoding", "Authorization", "CloudFront-Forwarded-Proto", "CloudFront-Is-Desktop-Viewer",
            "CloudFront-Is-Mobile-Viewer", "CloudFront-Is-SmartTV-Viewer", "CloudFront-Is-Tablet-Viewer", "CloudFront-Viewer-ASN",
            "CloudFront-Viewer-Country", "Content-Type", "Host", "User-Agent", "Via", "X-Amz-Cf-Id", "X-Amzn-Trace-Id",
            "X-Forwarded-For", "X-Forwarded-Port", "X-Forwarded-Proto",
        ])
        #expect(headers["Authorization"] == "Bearer token123;API key456")
        #expect(headers["Content-Type"] == "application/json;charset=utf-8")
        #expect(headers["Accept-Encoding"] == "gzip, deflate")
        #expect(headers["CloudFront-Forwarded-Proto"] == "https")
        #expect(headers["CloudFront-Is-Desktop-Viewer"] == "true")
        #expect(headers["CloudFront-Is-Mobile-Viewer"] == "false")
        #expect(headers["CloudFront-Is-SmartTV-Viewer"] == "false")
        #expect(headers["CloudFront-Is-Tablet-Viewer"] == "false")
        #expect(headers["Host"] == "h4k9v2m7qe.execute-api.us-east-1.amazonaws.com")
        #expect(headers["X-Forwarded-Port"] == "443")
        #expect(headers["X-Forwarded-Proto"] == "https")
        #expect(headers["Via"] == .string(x.edge.via))
        #expect(headers["X-Amz-Cf-Id"] == .string(x.edge.cfId))
        #expect(headers["X-Amzn-Trace-Id"] == .string(x.edge.traceId))
        // multiValueHeaders: the same names, each value a list.
        let multi = try #require(e["multiValueHeaders"]?.objectValue)
        #expect(multi.keys == headers.keys)
        for (k, v) in headers { #expect(multi[k] == .array([v]), "multiValueHeaders.\(k)") }
        #expect(e["body"] == #"{"message": "hello world"}"#)
        #expect(e["isBase64Encoded"] == false)
        #expect(e["httpMethod"] == "POST")
        #expect(e["requestContext"]?["identity"]?["userAgent"] == "python-requests/testing")
    }

    @Test func edgeNormalisesAuthorizationUserAgentAndCookieOnly() throws {
        let (_, e) = try send(request("GET", "/stage/proxy-value", headers: [
            ("authorization", "random-value"), ("user-Agent", "ua"), ("cookie", "a=1"), ("tEsT-HEADeR", "aValUE"), ("accept", "*/*"),
        ]))
        let names = try #require(e["headers"]?.objectValue?.keys)
        #expect(names.contains("Authorization"))
        #expect(names.contains("User-Agent"))
        #expect(names.contains("Cookie"))
        #expect(names.contains("tEsT-HEADeR"))  // other names keep the client's spelling
        #expect(names.contains("accept"))
        #expect(!names.contains("authorization"))
        #expect(!names.contains("user-Agent"))
        #expect(e["headers"]?["tEsT-HEADeR"] == "aValUE")
    }

    @Test func regionalKeepsNamesAndAddsNoCloudFrontHeaders() throws {
        let (x, e) = try send(request("POST", "/stage/proxy-value", headers: Self.recordedHeaders + [("Via", "1.1 client-proxy")], body: "{}"),
                              endpoint: "REGIONAL")
        let headers = try #require(e["headers"]?.objectValue)
        #expect(Set(headers.keys) == [
            "Accept", "Accept-Encoding", "aUThorization", "Content-Type", "Host", "User-Agent", "Via", "X-Amzn-Trace-Id",
            "X-Forwarded-For", "X-Forwarded-Port", "X-Forwarded-Proto",
        ])
        #expect(headers["Via"] == "1.1 client-proxy")  // the client's Via passes on REGIONAL
        #expect(headers["X-Forwarded-For"] == "203.0.113.10")
        #expect(headers["X-Amzn-Trace-Id"] == .string(x.edge.traceId))
    }

    /// lambda-payloads.md §1.3 rule 11 (recorded, REGIONAL): which client headers reach the event.
    @Test(arguments: [
        ("Connection", false), ("Content-Length", false), ("Content-MD5", false), ("Expect", false), ("Max-Forwards", false),
        ("Proxy-Authenticate", false), ("Server", false), ("TE", false), ("Transfer-Encoding", false), ("Trailer", false),
        ("Upgrade", false), ("WWW-Authenticate", false),
        ("Accept", true), ("Accept-Charset", true), ("Accept-Encoding", true), ("Age", true), ("Authorization", true),
        ("Content-Encoding", true), ("Content-Type", true), ("Date", true), ("Pragma", true), ("Range", true), ("Referer", true),
        ("User-Agent", true), ("Warn", true),
    ] as [(String, Bool)])
    func regionalHeaderPassesOrIsDropped(_ name: String, _ passes: Bool) throws {
        let (_, e) = try send(request("GET", "/stage/proxy-value", headers: [(name, "v1")]), endpoint: "REGIONAL")
        #expect((e["headers"]?[name] != nil) == passes)
        #expect((e["multiValueHeaders"]?[name] != nil) == passes)
    }

    @Test(arguments: ["Connection", "Content-Length"])
    func edgeDropsConnectionAndContentLength(_ name: String) throws {
        let (_, e) = try send(request("POST", "/stage/proxy-value", headers: [(name, "5")], body: "hello"))
        let names = try #require(e["headers"]?.objectValue?.keys)
        #expect(!names.contains { $0.caseInsensitiveCompare(name) == .orderedSame })
    }

    @Test func repeatedHeadersLastInSingleMapAllInMulti() throws {
        let (_, e) = try send(request("GET", "/stage/proxy-value", headers: [("X-Multi", "a"), ("x-multi", "b")]))
        #expect(e["headers"]?["X-Multi"] == "b")
        #expect(e["headers"]?["x-multi"] == nil)
        #expect(e["multiValueHeaders"]?["X-Multi"] == ["a", "b"])
    }

    // MARK: - Stage variables and body

    @Test func stageVariablesAreAnObject() throws {
        let (_, e) = try send(request("GET", "/stage/hardcoded"), stageVariables: "        variables: {color: blue, size: \"3\"}")
        #expect(e["stageVariables"] == .obj(["color": "blue", "size": "3"]))
    }

    @Test func bodyIsTheRequestBodyAsAString() throws {
        let (_, e) = try send(request("PUT", "/stage/proxy-value", body: "plain text\nline 2"))
        #expect(e["body"] == "plain text\nline 2")
        #expect(e["isBase64Encoded"] == false)
        let (_, empty) = try send(request("PUT", "/stage/proxy-value", body: ""))
        #expect(empty["body"] == "")
    }
}
