import Foundation
import Gateway
import GatewayModel
import Testing

/// HTTP APIs stage by stage (reference/http-api.md, lambda-payloads.md §4, mapping.md §5).
@Suite struct HttpApiTests {
    static func route(_ key: String, fn: String = "fn", version: String = "2.0", extra: String = "") -> String {
        "      \(JSONValue.quoted(key)): { integration: { integrationType: AWS_PROXY, integrationUri: \"lambda:\(fn)\", payloadFormatVersion: \"\(version)\"\(extra) } }"
    }

    static func model(_ routes: [String], stages: String = #"[ { stageName: "$default" } ]"#, cors: String = "") -> String {
        """
        httpApis:
          - apiId: a1b2c3d4e5
            protocolType: HTTP
        \(cors.isEmpty ? "" : "    corsConfiguration: \(cors)\n")    routes:
        \(routes.joined(separator: "\n"))
            stages: \(stages)
        """
    }

    /// The documented example (http-api.md §2.2 rule 9 [DOC D1]) and the tie-breaks of rule 10.
    @Test(arguments: [
        ("GET", "/pets/dog/1", "GET /pets/dog/1"),
        ("GET", "/pets/dog/2", "GET /pets/dog/{id}"),
        ("GET", "/pets/cat/1", "GET /pets/{proxy+}"),
        ("POST", "/test/5", "ANY /{proxy+}"),
        ("GET", "/", "$default"),
        ("GET", "/pets/dog/collars/1", "GET /pets/dog/{proxy+}"),
        ("GET", "/pets", "ANY /pets"),
    ])
    func routePriority(_ method: String, _ path: String, _ expected: String) throws {
        let routes = ["GET /pets/dog/1", "GET /pets/dog/{id}", "GET /pets/{proxy+}", "GET /pets/dog/{proxy+}", "ANY /{proxy+}", "ANY /pets", "$default"]
            .map { Self.route($0) }
        let fn = TestLambda(returning: #"{"statusCode": 200}"#)
        let x = try env(Self.model(routes), lambda: fn).send(request(method, path))
        #expect(x.http?.route?.routeKey == expected)
        #expect(x.response?.status == 200)
        #expect(fn.lastEvent?["routeKey"] == .string(expected))
    }

    /// Class before method: `ANY /pets/{id}` beats `GET /{proxy+}`; a greedy variable needs a segment (§2.2 rule 10, §2.1 rule 3).
    @Test func classBeforeMethodAndGreedyNeedsASegment() throws {
        let e = try env(Self.model([Self.route("ANY /pets/{id}"), Self.route("GET /{proxy+}"), Self.route("GET /pets/{proxy+}")]), lambda: TestLambda(returning: "{}"))
        #expect(e.send(request("GET", "/pets/1")).http?.route?.routeKey == "ANY /pets/{id}")
        // `GET /pets/{proxy+}` needs a segment after /pets; `GET /{proxy+}` takes "pets".
        let pets = e.send(request("GET", "/pets"))
        #expect(pets.http?.route?.routeKey == "GET /{proxy+}" && pets.pathParameters.first?.value == "pets")
        // Nothing takes the root: `/{proxy+}` needs one segment, and there is no $default.
        #expect(e.send(request("GET", "/")).response?.status == 404)
    }

    /// No route: 404 {"message":"Not Found"}, 23 bytes, and only date, content-type, content-length, connection,
    /// apigw-requestid (§2.3 rules 14–15); other methods of a path are 404 too, not 405 (rule 11).
    @Test func noRouteIs404WithTheHttpApiHeaders() throws {
        let e = try env(Self.model([Self.route("GET /items"), Self.route("POST /items")]), lambda: TestLambda(returning: "{}"))
        for (m, p) in [("GET", "/nothing"), ("PUT", "/items"), ("HEAD", "/items")] {
            let x = e.send(request(m, p))
            #expect(x.response?.status == 404)
            #expect(x.response?.headers.map(\.name) == ["Date", "Content-Type", "Content-Length", "Connection", "apigw-requestid"])
            #expect(x.response?.headers["Content-Length"] == "23")
            #expect(x.response?.bodyText == (m == "HEAD" ? "" : #"{"message":"Not Found"}"#))
            #expect(x.response?.headers["apigw-requestid"] == x.requestId)
        }
    }

    /// Stages: a named stage by its first segment, else $default with the whole path, else 404 (§3 rules 1–3).
    @Test func stageSelection() throws {
        let both = try env(Self.model([Self.route("ANY /{proxy+}"), Self.route("GET /dog")],
                                      stages: #"[ { stageName: "$default" }, { stageName: pets } ]"#), lambda: TestLambda(returning: "{}"))
        let x = both.send(request("GET", "/pets/dog"))
        #expect(x.stageName == "pets" && x.http?.route?.routeKey == "GET /dog")
        #expect(x.http?.rawPath == "/pets/dog")
        let y = both.send(request("GET", "/nope/dog"))
        #expect(y.stageName == "$default" && y.http?.route?.routeKey == "ANY /{proxy+}" && y.pathParameters.first?.value == "nope/dog")
        let named = try env(Self.model([Self.route("GET /dog")], stages: "[ { stageName: pets } ]"), lambda: TestLambda(returning: "{}"))
        #expect(named.send(request("GET", "/nope/dog")).response?.status == 404)
        #expect(named.send(request("GET", "/pets/dog")).response?.status == 200)
    }

    /// The recorded decoding table (§2.4 rule 18 [REC R3]).
    @Test(arguments: [
        ("/capture/plain", "/capture/plain"),
        ("/capture/space%20value", "/capture/space value"),
        ("/capture/question%3Fvalue", "/capture/question"),
        ("/capture/hash%23value", "/capture/hash#value"),
        ("/capture/slash%2Fvalue", "/capture/slash/value"),
        ("/capture/unicode-%CE%BB-%E4%B8%96%E7%95%8C", "/capture/unicode-λ-世界"),
        ("/capture/literal%252Fvalue", "/capture/literal/value"),
        ("/capture/literal%253Fvalue", "/capture/literal?value"),
        ("/capture/literal%2525value", "/capture/literal%value"),
        ("/capture/percent%25done", nil),
    ] as [(String, String?)])
    func pathDecoding(_ sent: String, _ received: String?) throws {
        let fn = TestLambda(returning: "{}")
        let x = try env(Self.model([Self.route("$default")]), lambda: fn).send(request("GET", sent))
        if let received {
            #expect(fn.lastEvent?["rawPath"] == .string(received))
            #expect(fn.lastEvent?["requestContext"]?["http"]?["path"] == .string(received))
        } else {
            #expect(x.response?.status == 400)
            #expect(fn.invocations.isEmpty)  // rejected before any invocation
        }
    }

    /// Payload 2.0 responses (lambda-payloads.md §4.3 rules 38–39) and 1.0's strictness (rule 40).
    @Test(arguments: [
        ("2.0", #""Hello from Lambda!""#, 200, "application/json", "Hello from Lambda!"),
        ("2.0", #"{"message": "Hello"}"#, 200, "application/json", #"{"message": "Hello"}"#),
        ("2.0", #"{"body": "hi"}"#, 200, "application/json", #"{"body": "hi"}"#),
        ("2.0", "{", 500, "application/json", #"{"message":"Internal Server Error"}"#),
        ("2.0", #"{"statusCode": 201, "body": "made"}"#, 201, "text/plain; charset=utf-8", "made"),
        ("2.0", #"{"statusCode": 200, "body": "aGk=", "isBase64Encoded": true}"#, 200, "text/plain; charset=utf-8", "hi"),
        ("1.0", #"{"statusCode": 201, "headers": {"content-type": "application/json"}, "body": "{}"}"#, 201, "application/json", "{}"),
        ("1.0", #""Hello from Lambda!""#, 500, "application/json", #"{"message":"Internal Server Error"}"#),
        ("1.0", #"{"message": "Hello"}"#, 500, "application/json", #"{"message":"Internal Server Error"}"#),
    ])
    func lambdaAnswers(_ version: String, _ payload: String, _ status: Int, _ contentType: String, _ body: String) throws {
        let x = try env(Self.model([Self.route("GET /x", version: version)]), lambda: TestLambda(returning: payload)).send(request("GET", "/x"))
        #expect(x.response?.status == status)
        #expect(x.response?.headers["Content-Type"] == contentType)
        #expect(x.response?.bodyText == body)
    }

    /// Cookies become set-cookie headers (rule 39); function errors are 500, a slow function 503 (http-api.md §4.3).
    @Test func cookiesErrorsAndTimeouts() throws {
        let cookies = try env(Self.model([Self.route("GET /x")]), lambda: TestLambda(returning: #"{"statusCode": 200, "cookies": ["a=1", "b=2"]}"#)).send(request("GET", "/x"))
        #expect(cookies.response?.headers.values("set-cookie") == ["a=1", "b=2"])
        let failing = TestLambda { _ in LambdaResult(outcome: .functionError(error: .obj(["errorMessage": "boom"]), kind: "Unhandled")) }
        let err = try env(Self.model([Self.route("GET /x")]), lambda: failing).send(request("GET", "/x"))
        #expect(err.response?.status == 500 && err.response?.bodyText == #"{"message":"Internal Server Error"}"#)
        let slow = TestLambda { _ in LambdaResult(outcome: .success(payload: "{}"), durationMillis: 31_000) }
        let timeout = try env(Self.model([Self.route("GET /x")]), lambda: slow).send(request("GET", "/x"))
        #expect(timeout.response?.status == 503 && timeout.response?.bodyText == #"{"message":"Service Unavailable"}"#)
        #expect(timeout.response?.headers["x-amzn-ErrorType"] == nil)
    }

    /// The seed's mapping: responseParameters by the integration's status, `overwrite:statuscode` (mapping.md §5.3),
    /// with headers appended and removed.
    @Test func responseParameterMapping() throws {
        let extra = #", responseParameters: { "500": { "overwrite:statuscode": "404", "append:header.x-from": "$context.routeKey", "remove:header.x-internal": "''" } }"#
        let e = try env(Self.model([Self.route("GET /items/{id}", extra: extra)]),
                        lambda: TestLambda { inv in
                            let id = (try? JSONValue.parse(inv.payload))?["pathParameters"]?["id"]?.stringValue ?? ""
                            return LambdaResult(outcome: .success(payload: id == "1" ? #"{"statusCode": 200, "body": "ok"}"#
                                                                  : #"{"statusCode": 500, "headers": {"x-internal": "db-7"}, "body": "none"}"#))
                        })
        let found = e.send(request("GET", "/items/1"))
        #expect(found.response?.status == 200 && found.response?.headers["x-from"] == nil)
        let missing = e.send(request("GET", "/items/9"))
        #expect(missing.response?.status == 404)
        #expect(missing.response?.headers["x-from"] == "GET /items/{id}")
        #expect(missing.response?.headers["x-internal"] == nil)
        #expect(missing.response?.bodyText == "none")
    }

    /// Request parameter mapping: headers, query strings and the path the integration sees (mapping.md §5.1–5.2).
    @Test func requestParameterMapping() throws {
        let extra = #", requestParameters: { "append:header.x-caller": "${request.querystring.who} via $context.stage", "remove:querystring.who": "''", "overwrite:querystring.v": "2" }"#
        let fn = TestLambda(returning: "{}")
        _ = try env(Self.model([Self.route("GET /x", extra: extra)]), lambda: fn).send(request("GET", "/x?who=ann&v=1"))
        let event = try #require(fn.lastEvent)
        #expect(event["headers"]?["x-caller"] == "ann via $default")
        #expect(event["queryStringParameters"] == .obj(["v": "2"]))
    }

    /// Route and stage throttling (throttling.md §10): routeSettings for a route key, else defaultRouteSettings;
    /// a refusal is 429 {"message":"Too Many Requests"} (UNCONFIRMED body), before the authorizer and integration.
    @Test func routeThrottling() throws {
        let stages = #"[ { stageName: "$default", defaultRouteSettings: { throttlingRateLimit: 1, throttlingBurstLimit: 3 }, routeSettings: { "GET /slow": { throttlingRateLimit: 1, throttlingBurstLimit: 1 } } } ]"#
        let fn = TestLambda(returning: "{}")
        let e = try env(Self.model([Self.route("GET /slow"), Self.route("GET /fast")], stages: stages), lambda: fn)
        #expect(e.send(request("GET", "/slow")).response?.status == 200)
        let refused = e.send(request("GET", "/slow"))
        #expect(refused.response?.status == 429 && refused.response?.bodyText == #"{"message":"Too Many Requests"}"#)
        #expect(refused.failure?.type == .throttled)
        #expect(fn.invocations.count == 1)
        // The other route has the stage default: burst 3.
        #expect((0..<4).map { _ in e.send(request("GET", "/fast")).response?.status ?? 0 } == [200, 200, 200, 429])
        e.clock.advance(millis: 1000)
        #expect(e.send(request("GET", "/slow")).response?.status == 200)
    }

    /// `$request.body.PATH` and `$response.body.PATH` values (mapping.md §5.2).
    @Test func bodyValuesInMappings() throws {
        let extra = #", requestParameters: { "append:header.x-user": "$request.body.user.name" }, responseParameters: { "200": { "append:header.x-total": "$response.body.items[1]" } }"#
        let fn = TestLambda(returning: #"{"statusCode": 200, "body": "{\"items\": [5, 7]}"}"#)
        let x = try env(Self.model([Self.route("POST /x", extra: extra)]), lambda: fn).send(request("POST", "/x", body: #"{"user": {"name": "ann"}}"#))
        #expect(fn.lastEvent?["headers"]?["x-user"] == "ann")
        #expect(x.response?.headers["x-total"] == "7")
    }

    /// CORS: the preflight answered by API Gateway when no route takes OPTIONS (204), the configured headers on
    /// responses, backend CORS headers ignored (http-api.md §6).
    @Test func cors() throws {
        let cors = #"{ allowOrigins: ["http://localhost:5173"], allowMethods: [GET, POST], allowHeaders: [content-type], allowCredentials: true, maxAge: 300 }"#
        let e = try env(Self.model([Self.route("GET /user")], cors: cors),
                        lambda: TestLambda(returning: #"{"statusCode": 200, "headers": {"Access-Control-Allow-Origin": "*"}, "body": "{}"}"#))
        let pre = e.send(request("OPTIONS", "/user", headers: [("Origin", "http://localhost:5173"), ("Access-Control-Request-Method", "GET")]))
        #expect(pre.response?.status == 204 && pre.response?.body.isEmpty == true)
        #expect(pre.response?.headers["access-control-allow-origin"] == "http://localhost:5173")
        #expect(pre.response?.headers["access-control-allow-methods"] == "GET,POST")
        #expect(pre.response?.headers["access-control-max-age"] == "300")
        let bare = e.send(request("OPTIONS", "/user", headers: [("Origin", "http://localhost:5173")]))
        #expect(bare.response?.status == 204 && bare.response?.headers["access-control-allow-origin"] == nil)  // [REC R2]: no request method, no CORS headers
        let get = e.send(request("GET", "/user", headers: [("Origin", "http://localhost:5173")]))
        #expect(get.response?.headers.values("access-control-allow-origin") == ["http://localhost:5173"])
        #expect(get.response?.headers["vary"] == "origin" && get.response?.headers["access-control-allow-credentials"] == "true")
        let other = e.send(request("GET", "/user", headers: [("Origin", "https://evil.example")]))
        #expect(other.response?.headers["access-control-allow-origin"] == nil)
    }

    /// The loader refuses what CreateRoute and CreateIntegration refuse (http-api.md §2.1, §4.1–4.2).
    @Test(arguments: [
        (#""get /x""#, "invalid route key"),
        (#""GET /x/""#, "invalid route key"),
        (#""GET /{proxy+}/more""#, "invalid route key"),
    ])
    func badRouteKeys(_ key: String, _ message: String) {
        let yaml = "httpApis:\n  - apiId: a1b2c3d4e5\n    routes:\n      \(key): { integration: { integrationType: AWS_PROXY, integrationUri: \"lambda:f\", payloadFormatVersion: \"2.0\" } }\n"
        #expect(throws: ModelError.self) { try world(yaml) }
        do { _ = try world(yaml) } catch let error as ModelError { #expect(error.message.contains(message), "\(error.message)") } catch {}
    }

    @Test func loaderRefusesMockAndConflictsAndMissingVersion() {
        func fails(_ routes: String, _ text: String) {
            do {
                _ = try world("httpApis:\n  - apiId: a1b2c3d4e5\n    routes:\n" + routes)
                Issue.record("loaded: \(routes)")
            } catch let error as ModelError { #expect(error.message.contains(text), "\(error.message)") } catch { Issue.record("\(error)") }
        }
        fails("      \"GET /x\": { integration: { integrationType: MOCK, integrationUri: x, payloadFormatVersion: \"1.0\" } }\n", "not available on HTTP APIs")
        fails("      \"GET /x\": { integration: { integrationType: AWS_PROXY, integrationUri: \"lambda:f\" } }\n", "payloadFormatVersion")
        fails("      \"GET /x\": { integration: { integrationType: HTTP_PROXY, integrationUri: \"https://a.example\", payloadFormatVersion: \"2.0\" } }\n", "not valid for HTTP_PROXY")
        fails("      \"GET /p/{id}\": {}\n      \"GET /p/{petId}\": {}\n", "same route")
        // Reserved headers and unknown mapping keys (mapping.md §5.1–5.2).
        let mapping = "      \"GET /x\": { integration: { integrationType: AWS_PROXY, integrationUri: \"lambda:f\", payloadFormatVersion: \"2.0\", "
        fails(mapping + "requestParameters: { \"overwrite:header.apigw-requestid\": x } } }\n", "reserved header")
        fails(mapping + "responseParameters: { \"200\": { \"append:header.Access-Control-Allow-Origin\": \"*\" } } } }\n", "reserved header")
        fails(mapping + "requestParameters: { \"rename:header.a\": x } } }\n", "not an HTTP API parameter mapping")
        fails(mapping + "responseParameters: { \"200\": { \"overwrite:path\": x } } } }\n", "not an HTTP API parameter mapping")
    }

    /// HTTP_PROXY: the URI as written for a route without variables, Host/Forwarded/Via set, the client's query
    /// forwarded (http-api.md §4.4 [REC R10]).
    @Test func httpProxyRequest() throws {
        let yaml = """
            backends:
              httpbin.org: { behaviour: echo }
            httpApis:
              - apiId: a1b2c3d4e5
                routes:
                  "GET /ack-route-key": { integration: { integrationType: HTTP_PROXY, integrationMethod: GET, integrationUri: "https://httpbin.org/get", payloadFormatVersion: "1.0" } }
                  "GET /pets/{id}": { integration: { integrationType: HTTP_PROXY, integrationUri: "https://httpbin.org/p/{id}", payloadFormatVersion: "1.0" } }
                stages: [ { stageName: ack-stage } ]
            """
        let e = try env(yaml)
        let x = e.send(request("GET", "/ack-stage/ack-route-key", headers: [("User-Agent", "curl/7.64.1")]))
        let req = try #require(x.backendRequest)
        #expect(req.url == "https://httpbin.org/get" && req.headers["Host"] == "httpbin.org")
        #expect(req.headers["Forwarded"]?.hasPrefix("by=") == true && req.headers["Via"] == "HTTP/1.1 AmazonAPIGateway")
        #expect(req.headers["Content-Type"] == nil && req.headers["Content-Length"] == "0")
        #expect(x.response?.status == 200 && x.response?.headers["apigw-requestid"] != nil)
        let y = e.send(request("GET", "/ack-stage/pets/7?q=1"))
        #expect(y.backendRequest?.url == "https://httpbin.org/p/7?q=1")
    }
}
