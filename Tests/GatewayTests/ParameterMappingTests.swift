import Foundation
import Gateway
import GatewayModel
import Testing

/// REST parameter mapping and HTTP / HTTP_PROXY integrations (reference/mapping.md §1, §3.4;
/// rest-request-flow.md §4.1).
@Suite struct ParameterMappingTests {
    static let model = #"""
        backends:
          echo.internal: { behaviour: echo }
          fixed.internal: { status: 201, headers: { Server: gunicorn, X-Up: "1" }, body: '{"n": {"k": [1, 2]}, "s": "str"}' }
        restApis:
          - id: p4r4mm4p01
            endpointConfiguration: { types: [REGIONAL] }
            resources:
              /items/{id}:
                GET:
                  requestParameters: { method.request.path.id: true }
                  integration:
                    type: HTTP
                    httpMethod: POST
                    uri: http://echo.internal/v2/{id}?fixed=1
                    requestParameters:
                      integration.request.path.id: method.request.path.id
                      integration.request.querystring.q: method.request.querystring.q
                      integration.request.querystring.all: method.request.multivaluequerystring.q
                      integration.request.header.X-Static: "'yes'"
                      integration.request.header.X-Stage: stageVariables.v
                      integration.request.header.X-Resource: context.resourceId
                      integration.request.header.X-Missing: method.request.header.X-Absent
                      integration.request.header.Connection: "'close'"
                    integrationResponses: { "200": { statusCode: "200" } }
                  methodResponses: { "200": {} }
              /fixed:
                GET:
                  integration:
                    type: HTTP
                    httpMethod: GET
                    uri: http://fixed.internal/
                    integrationResponses:
                      "200":
                        statusCode: "200"
                        responseParameters:
                          method.response.header.X-Body-K: integration.response.body.n.k
                          method.response.header.X-S: integration.response.body.s
                          method.response.header.X-Up: integration.response.header.X-Up
                          method.response.header.Server: integration.response.header.Server
                          method.response.header.Transfer-Encoding: "'chunked'"
                  methodResponses: { "200": {} }
              /proxy/{proxy+}:
                ANY:
                  integration:
                    type: HTTP_PROXY
                    httpMethod: ANY
                    uri: http://fixed.internal/{proxy}
                    requestParameters: { integration.request.path.proxy: method.request.path.proxy }
              /lambda:
                GET:
                  integration:
                    type: AWS_PROXY
                    uri: lambda:fn
                    requestParameters: { integration.request.header.Authorization: "'x'" }
            stages: [{ stageName: dev, variables: { v: vee } }]
        """#

    @Test func requestParametersReachTheBackend() throws {
        let x = try env(Self.model).send(request("GET", "/dev/items/a%20b?q=1&q=2", headers: [("Accept", "text/html")]))
        #expect(x.response?.status == 200)
        let b = try #require(x.backendRequest)
        #expect(b.method == "POST")
        #expect(b.path == "/v2/a%20b")
        #expect(b.query.map { "\($0.name)=\($0.value)" } == ["fixed=1", "q=2", "all=1,2"])
        #expect(b.headers["X-Static"] == "yes")
        #expect(b.headers["X-Stage"] == "vee")
        #expect(b.headers["X-Resource"] == x.resourceId)
        #expect(!b.headers.contains("X-Missing"))  // a missing source maps nothing (rule 4)
        #expect(!b.headers.contains("Connection"))  // accepted, never reaches an HTTP backend (rule 9)
        #expect(b.headers["Accept"] == "application/json")  // HTTP sends its own Accept [REC]
        #expect(x.response?.headers.contains("X-Amzn-Trace-Id") == true)
    }

    /// $context.requestOverride.path wins over a requestParameters mapping of the same name (review finding).
    @Test func aPathOverrideWinsOverAMapping() throws {
        let yaml = #"""
            backends:
              echo.internal: { behaviour: echo }
            restApis:
              - id: p4thov3rd3
                resources:
                  /items/{id}:
                    GET:
                      integration:
                        type: HTTP
                        httpMethod: GET
                        uri: http://echo.internal/items/{id}
                        requestParameters: { integration.request.path.id: method.request.path.id }
                        requestTemplates: { application/json: '#set($context.requestOverride.path.id = "over")' }
                        integrationResponses: { "200": {} }
                      methodResponses: { "200": {} }
                stages: [{ stageName: dev }]
            """#
        let x = try env(yaml).send(request("GET", "/dev/items/42"))
        #expect(x.backendRequest?.path == "/items/over")
    }

    @Test func responseParametersBecomeHeadersWithAWSsRemapping() throws {
        let x = try env(Self.model).send(request("GET", "/dev/fixed"))
        let r = try #require(x.response)
        #expect(r.status == 200)  // the default response: 201 matches no pattern
        #expect(r.headers["X-Body-K"] == "[1,2]")
        #expect(r.headers["X-S"] == "str")
        #expect(r.headers["X-Up"] == "1")
        #expect(r.headers["x-amzn-Remapped-Server"] == "gunicorn")
        #expect(!r.headers.contains("Server"))
        #expect(!r.headers.contains("Transfer-Encoding"))
    }

    @Test func httpProxyPassesThroughBothWays() throws {
        let x = try env(Self.model).send(request("PATCH", "/dev/proxy/x/y?z=1", headers: [("X-Custom", "c"), ("Connection", "close")], body: "raw"))
        let b = try #require(x.backendRequest)
        #expect(b.method == "PATCH")
        #expect(b.path == "/x/y")
        #expect(b.query.map(\.name) == ["z"])
        #expect(b.headers["X-Custom"] == "c")
        #expect(b.headers["Host"] == "fixed.internal")
        #expect(!b.headers.contains("Connection"))
        #expect(b.body == "raw")
        let r = try #require(x.response)
        #expect(r.status == 201)  // the backend's status passes through
        #expect(r.bodyText == #"{"n": {"k": [1, 2]}, "s": "str"}"#)
        #expect(r.headers["x-amzn-Remapped-Server"] == "gunicorn")
        #expect(r.headers["X-Up"] == "1")
        #expect(r.headers["x-amzn-Remapped-Content-Length"] == r.headers["Content-Length"])
        #expect(!r.headers.contains("X-Amzn-Trace-Id"))  // none of API Gateway's own on HTTP_PROXY [REC]
    }

    /// Mapping Authorization on a Lambda integration fails every call with 500 before the call (rule 8 [REC]).
    @Test func aForbiddenHeaderMappingIs500BeforeTheCall() throws {
        let fn = TestLambda(returning: #"{"statusCode": 200}"#)
        let x = try env(Self.model, lambda: fn).send(request("GET", "/dev/lambda"))
        #expect(x.response?.status == 500)
        #expect(x.response?.bodyText == #"{"message": "Internal server error"}"#)
        #expect(x.response?.headers["x-amzn-ErrorType"] == "InternalServerErrorException")
        #expect(fn.invocations.isEmpty)
    }
}

/// Simulated backend latency moves the virtual clock; past the integration's timeout API Gateway answers 504
/// (rest-request-flow.md §1.6).
@Suite struct BackendLatencyTests {
    static let model = #"""
        backends:
          slow.internal: { status: 200, body: 'late', latencyMillis: 2500 }
        restApis:
          - id: s10wb4ck3d
            resources:
              /ok:
                GET:
                  integration: { type: HTTP_PROXY, httpMethod: GET, uri: http://slow.internal/ }
              /impatient:
                GET:
                  integration: { type: HTTP_PROXY, httpMethod: GET, uri: http://slow.internal/, timeoutInMillis: 1000 }
            stages: [{ stageName: dev }]
        """#

    @Test func latencyMovesTheClockAndTimesOut() throws {
        let e = try env(Self.model)
        let start = e.clock.millis
        let ok = e.send(request("GET", "/dev/ok"))
        #expect(ok.response?.status == 200)
        #expect(e.clock.millis - start == 2500)
        #expect(ok.messages.contains("Received response. Status: 200, Integration latency: 2500 ms"))
        let late = e.send(request("GET", "/dev/impatient"))
        #expect(late.response?.status == 504)
        #expect(late.response?.bodyText == #"{"message": "Endpoint request timed out"}"#)
        #expect(e.clock.millis - start == 3500)
    }
}
