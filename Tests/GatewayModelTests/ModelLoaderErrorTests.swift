import GatewayModel
import Testing

/// Models that do not load: every error points at file:line:column and says how to fix it.
@Suite struct ModelLoaderErrorTests {
    struct ErrorCase: Sendable, CustomTestStringConvertible {
        let name: String
        let yaml: String
        let line: Int
        let column: Int
        let message: String
        let hint: String?
        var testDescription: String { name }
    }

    static let cases: [ErrorCase] = [
        ErrorCase(name: "unknown key integraton", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /orders:
                    GET:
                      integraton:
                        type: MOCK
            """#, line: 6, column: 11, message: "unknown key `integraton` in restApis[0].resources./orders.GET",
            hint: "did you mean `integration`?"),
        ErrorCase(name: "unknown key without a close match lists the known keys", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /orders:
                    GET:
                      frobnicate: 1
            """#, line: 6, column: 11, message: "unknown key `frobnicate` in restApis[0].resources./orders.GET",
            hint: "known keys here: httpMethod, authorizationType, authorizer, authorizerId, apiKeyRequired, requestValidator, requestValidatorId, operationName, requestParameters, requestModels, methodResponses, integration, methodIntegration, authorizationScopes"),
        ErrorCase(name: "unknown gateway response type", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                gatewayResponses:
                  MISSING_AUTHENTICATON_TOKEN: { statusCode: "404" }
            """#, line: 4, column: 7, message: "unknown gateway response type `MISSING_AUTHENTICATON_TOKEN`",
            hint: "did you mean `MISSING_AUTHENTICATION_TOKEN`?"),
        ErrorCase(name: "gateway response parameter that is not a header", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                gatewayResponses:
                  DEFAULT_4XX:
                    responseParameters: { method.response.header.X: "'1'" }
            """#, line: 5, column: 31, message: "gateway response parameters are `gatewayresponse.header.NAME`, not `method.response.header.X`",
            hint: "e.g. gatewayresponse.header.Access-Control-Allow-Origin: \"'*'\""),
        ErrorCase(name: "REQUEST_TOO_LARGE cannot be customised", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                gatewayResponses:
                  REQUEST_TOO_LARGE: { statusCode: "400" }
            """#, line: 4, column: 7, message: "AWS does not support customising REQUEST_TOO_LARGE",
            hint: "remove it; the 413 for a body over 10 MB is fixed"),
        ErrorCase(name: "backend with an unknown behaviour", yaml: #"""
            backends:
              api.example.com: { behaviour: mirror }
            """#, line: 2, column: 33, message: "unknown backend behaviour 'mirror'",
            hint: "`behaviour: echo` answers what the backend received; or give status, headers and body"),
        ErrorCase(name: "a quoted true for a method request parameter", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /x:
                    GET:
                      requestParameters: { method.request.querystring.q: "true" }
            """#, line: 6, column: 62,
            message: "Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: true]",
            hint: "the value says whether the parameter is required: true or false, unquoted"),
        ErrorCase(name: "one parameter name in two places", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /x:
                    GET:
                      requestParameters:
                        method.request.querystring.id: false
                        method.request.header.id: false
            """#, line: 8, column: 13, message: "Parameter names must be unique across querystring, header and path",
            hint: "id is declared as a querystring parameter too"),
        ErrorCase(name: "a mapping to something that is not a target", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /x:
                    GET:
                      integration:
                        type: MOCK
                        requestParameters: { method.request.header.X: "'1'" }
            """#, line: 8, column: 34, message: "`method.request.header.X` is not a target requestParameters can map to",
            hint: "targets: integration.request.path.NAME, integration.request.querystring.NAME, integration.request.header.NAME, integration.request.multivaluequerystring.NAME, integration.request.multivalueheader.NAME; e.g. integration.request.header.X-Id: method.request.header.X-Id"),
        ErrorCase(name: "a method names a validator the API lacks", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /x:
                    POST:
                      requestValidator: strict
            """#, line: 6, column: 11, message: "POST /x uses request validator 'strict', which the API does not define",
            hint: "add requestValidators: { strict: { validateRequestBody: true, validateRequestParameters: true } }"),
        ErrorCase(name: "a method maps a model the API lacks", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                models:
                  Order: { contentType: application/json, schema: { type: object } }
                resources:
                  /x:
                    POST:
                      requestModels: { application/json: Ordr }
            """#, line: 8, column: 11, message: "POST /x maps application/json to model 'Ordr', which the API does not define",
            hint: "models: Order"),
        ErrorCase(name: "a model that is not a valid schema", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                models:
                  Order: { schema: { type: objet } }
            """#, line: 4, column: 24, message: "model Order is not a valid JSON Schema (draft 4): #/type: unknown type 'objet'",
            hint: "API Gateway models are JSON Schema draft 4"),
        ErrorCase(name: "unknown top-level key", yaml: "restApi: []\n", line: 1, column: 1,
                  message: "unknown key `restApi` in the model", hint: "did you mean `restApis`?"),
        ErrorCase(name: "unknown stage key", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                stages:
                  - stageNme: dev
            """#, line: 4, column: 9, message: "unknown key `stageNme` in restApis[0].stages[0]", hint: "did you mean `stageName`?"),
        ErrorCase(name: "unknown integration response key", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /orders:
                    GET:
                      integration:
                        type: MOCK
                        integrationResponses:
                          "200":
                            selectionPatern: x
            """#, line: 10, column: 17, message: "unknown key `selectionPatern` in restApis[0].resources./orders.GET.integration.integrationResponses.200",
            hint: "did you mean `selectionPattern`?"),
        ErrorCase(name: "boolean expected, string found", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /orders:
                    GET:
                      apiKeyRequired: maybe
            """#, line: 6, column: 27, message: "`apiKeyRequired` must be true or false, found a string", hint: nil),
        ErrorCase(name: "boolean expected, number found", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /orders:
                    GET:
                      apiKeyRequired: 1
            """#, line: 6, column: 27, message: "`apiKeyRequired` must be true or false, found a number", hint: nil),
        ErrorCase(name: "mapping expected, list found", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  - /orders
            """#, line: 4, column: 7, message: "`resources` must be a mapping, found a list", hint: nil),
        ErrorCase(name: "list expected, mapping found", yaml: "restApis: {}\n", line: 1, column: 11,
                  message: "`restApis` must be a list, found a mapping", hint: nil),
        ErrorCase(name: "top level is a list", yaml: "- a\n- b\n", line: 1, column: 1,
                  message: "expected a mapping at the top level, found a list", hint: nil),
        ErrorCase(name: "method is a string", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /orders:
                    GET: yes
            """#, line: 5, column: 14, message: "expected a mapping at restApis[0].resources./orders.GET, found a string", hint: nil),
        ErrorCase(name: "whole number expected", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /orders:
                    GET:
                      integration:
                        type: MOCK
                        timeoutInMillis: fast
            """#, line: 8, column: 30, message: "`timeoutInMillis` must be a whole number, found a string", hint: nil),
        ErrorCase(name: "timeout below 50 ms", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /orders:
                    GET:
                      integration:
                        type: MOCK
                        timeoutInMillis: 10
            """#, line: 8, column: 30, message: "timeoutInMillis must be at least 50", hint: "AWS accepts 50 to 29000 ms"),
        ErrorCase(name: "template is not a string", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /orders:
                    GET:
                      integration:
                        type: MOCK
                        requestTemplates:
                          application/json: {statusCode: 200}
            """#, line: 9, column: 33, message: "the template for application/json must be a string, found a mapping",
            hint: "quote the template; YAML block scalars (|) keep it verbatim"),
        ErrorCase(name: "integration without type", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /orders:
                    GET:
                      integration:
                        uri: lambda:x
            """#, line: 7, column: 13, message: "an integration needs a `type`", hint: "one of MOCK, AWS, AWS_PROXY, HTTP, HTTP_PROXY"),
        ErrorCase(name: "integration type MOCKK", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /orders:
                    GET:
                      integration:
                        type: MOCKK
            """#, line: 7, column: 19, message: "unknown integration type 'MOCKK'", hint: "did you mean MOCK?"),
        ErrorCase(name: "integration type AWS_PROXI", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /orders:
                    GET:
                      integration:
                        type: AWS_PROXI
                        uri: lambda:x
            """#, line: 7, column: 19, message: "unknown integration type 'AWS_PROXI'", hint: "did you mean AWS_PROXY?"),
        ErrorCase(name: "integration type far from any", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /orders:
                    GET:
                      integration:
                        type: LAMBDA
            """#, line: 7, column: 19, message: "unknown integration type 'LAMBDA'", hint: "one of MOCK, AWS, AWS_PROXY, HTTP, HTTP_PROXY"),
        ErrorCase(name: "authorizationType typo", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /orders:
                    GET:
                      authorizationType: AWS_IAMM
            """#, line: 6, column: 30, message: "unknown authorizationType 'AWS_IAMM'", hint: "did you mean AWS_IAM?"),
        ErrorCase(name: "passthroughBehavior unknown", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /orders:
                    GET:
                      integration:
                        type: MOCK
                        passthroughBehavior: WHEN_NO_MATCHES
            """#, line: 8, column: 34, message: "unknown passthroughBehavior 'WHEN_NO_MATCHES'", hint: "one of WHEN_NO_MATCH, WHEN_NO_TEMPLATES, NEVER"),
        ErrorCase(name: "invalid selectionPattern regex", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /orders:
                    GET:
                      integration:
                        type: MOCK
                        integrationResponses:
                          "400":
                            selectionPattern: '4(\d{2}'
            """#, line: 10, column: 35, message: #"selectionPattern is not a valid regular expression: 4(\d{2}"#,
            hint: "API Gateway uses Java regular expressions matched against the whole string, e.g. .*Raising 400.*"),
        ErrorCase(name: "integration response status not a number", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /orders:
                    GET:
                      integration:
                        type: MOCK
                        integrationResponses:
                          "2xx": {}
            """#, line: 9, column: 15, message: "'2xx' is not an HTTP status code", hint: #"use a number from 100 to 599, e.g. "200""#),
        ErrorCase(name: "integration response statusCode field out of range", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /orders:
                    GET:
                      integration:
                        type: MOCK
                        integrationResponses:
                          default:
                            statusCode: "99"
            """#, line: 10, column: 29, message: "'99' is not an HTTP status code", hint: #"use a number from 100 to 599, e.g. "200""#),
        ErrorCase(name: "method response status out of range", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /orders:
                    GET:
                      methodResponses:
                        "600": {}
            """#, line: 7, column: 13, message: "'600' is not an HTTP status code", hint: #"use a number from 100 to 599, e.g. "200""#),
        ErrorCase(name: "method response status defined twice", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /orders:
                    GET:
                      methodResponses:
                        "200": {}
                        ok: {statusCode: "200"}
            """#, line: 8, column: 13, message: "method response 200 is defined twice", hint: "keep one entry per status code"),
        ErrorCase(name: "method response parameter not a boolean", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /orders:
                    GET:
                      methodResponses:
                        "200":
                          responseParameters:
                            method.response.header.X-A: maybe
            """#, line: 9, column: 45, message: "`method.response.header.X-A` must be true or false, found a string", hint: nil),
        ErrorCase(name: "AWS_PROXY with a non-Lambda URI", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /orders:
                    GET:
                      integration:
                        type: AWS_PROXY
                        uri: http://backend/x
            """#, line: 8, column: 18, message: "an AWS_PROXY integration calls a Lambda function; 'http://backend/x' is not a Lambda URI",
            hint: "write `lambda:NAME` for a function a plugin registers, or the function's invocation ARN"),
        ErrorCase(name: "timeout above 29 s on an EDGE API", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /orders:
                    GET:
                      integration:
                        type: MOCK
                        timeoutInMillis: 30000
            """#, line: 8, column: 30, message: "timeoutInMillis 30000 is above 29000, the limit for EDGE APIs",
            hint: "use at most 29000, or a REGIONAL endpoint (which can go higher after a quota increase)"),
        ErrorCase(name: "child of {proxy+}", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /{proxy+}:
                    ANY:
                      integration: {type: MOCK}
                  /{proxy+}/extra:
                    GET:
                      integration: {type: MOCK}
            """#, line: 8, column: 9, message: "Cannot create a child of a resource with a greedy path variable: {proxy+}",
            hint: "a {name+} resource matches every deeper path itself; remove /{proxy+}/extra"),
        ErrorCase(name: "implicit child of {proxy+}", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /{proxy+}/extra/deeper:
                    GET:
                      integration: {type: MOCK}
            """#, line: 5, column: 9, message: "Cannot create a child of a resource with a greedy path variable: {proxy+}",
            hint: "a {name+} resource matches every deeper path itself; remove /{proxy+}/extra"),
        ErrorCase(name: "child of {path+} deeper in the tree", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /files/{path+}:
                    GET: {integration: {type: MOCK}}
                  /files/{path+}/{x}:
                    GET: {integration: {type: MOCK}}
            """#, line: 7, column: 9, message: "Cannot create a child of a resource with a greedy path variable: {path+}",
            hint: "a {name+} resource matches every deeper path itself; remove /files/{path+}/{x}"),
        ErrorCase(name: "two variable siblings", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /users/{id}:
                    GET: {integration: {type: MOCK}}
                  /users/{name}:
                    GET: {integration: {type: MOCK}}
            """#, line: 7, column: 9, message: "A sibling ({id}) of this resource already has a variable path part -- only one is allowed",
            hint: "one level of the resource tree can hold one {variable}; rename or merge /users/{name}"),
        ErrorCase(name: "duplicate stage", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                stages:
                  - stageName: dev
                  - stageName: dev
            """#, line: 5, column: 20, message: "stage dev is defined twice", hint: nil),
        ErrorCase(name: "stage without a name", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                stages:
                  - variables: {a: b}
            """#, line: 4, column: 9, message: "a stage needs a `stageName`", hint: nil),
        ErrorCase(name: "API without id", yaml: "restApis:\n  - name: shop\n", line: 2, column: 5,
                  message: "a REST API needs an `id`", hint: "add e.g. `id: a1b2c3d4e5` (10 lower-case letters or digits, like AWS's ids)"),
        ErrorCase(name: "two APIs with one id", yaml: "restApis:\n  - id: a1b2c3d4e5\n  - id: a1b2c3d4e5\n", line: 3, column: 5,
                  message: "two REST APIs have the id a1b2c3d4e5", hint: "give each API its own id"),
        ErrorCase(name: "resource path without a leading slash", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  orders:
                    GET: {integration: {type: MOCK}}
            """#, line: 4, column: 7, message: "resource paths start with '/': 'orders'", hint: "write /orders"),
        ErrorCase(name: "unbalanced braces", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /orders/{id:
                    GET: {integration: {type: MOCK}}
            """#, line: 4, column: 7, message: "unbalanced braces in path part '{id'", hint: "a path variable is written {name} or {name+}"),
        ErrorCase(name: "empty path part", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /a//b:
                    GET: {integration: {type: MOCK}}
            """#, line: 4, column: 7, message: "empty path part in '/a//b'", hint: nil),
        ErrorCase(name: "resource defined twice", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /orders:
                    GET: {integration: {type: MOCK}}
                  /orders/:
                    POST: {integration: {type: MOCK}}
            """#, line: 7, column: 9, message: "resource /orders is defined twice", hint: nil),
        ErrorCase(name: "two endpoint types", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                endpointConfiguration:
                  types: [EDGE, REGIONAL]
            """#, line: 4, column: 14, message: "endpointConfiguration.types must hold exactly one of EDGE, REGIONAL, PRIVATE", hint: nil),
        ErrorCase(name: "Lambda URI without a function name", yaml: #"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /orders:
                    GET:
                      integration:
                        type: AWS_PROXY
                        uri: "lambda:"
            """#, line: 8, column: 18, message: "cannot read a Lambda function name from 'lambda:'",
            hint: "write `lambda:NAME` or the function's invocation ARN"),
        ErrorCase(name: "YAML syntax error", yaml: "region: us-east-1\nname: a: b\n", line: 2, column: 8,
                  message: "YAML syntax error: mapping values are not allowed in this context",
                  hint: "check the indentation and the quoting around this position"),
    ]

    @Test(arguments: cases)
    func errorPointsAtTheProblem(_ c: ErrorCase) throws {
        let e = try #require(loadError(c.yaml), "the model loaded")
        #expect(e.message == c.message)
        #expect(e.location == SourceLocation(file: "model.yaml", line: c.line, column: c.column))
        #expect(e.hint == c.hint)
    }

    @Test(arguments: ["dev.1", "my stage", "", "ümlaut", "a/b", String(repeating: "a", count: 129)])
    func invalidStageName(_ name: String) throws {
        let e = try #require(loadError("restApis:\n  - id: a1b2c3d4e5\n    stages:\n      - stageName: \"\(name)\"\n"))
        #expect(e.message == "invalid stage name '\(name)'")
        #expect(e.location == SourceLocation(file: "model.yaml", line: 4, column: 20))
        #expect(e.hint == "AWS allows letters, digits, '-' and '_' (at most 128 characters)")
    }

    @Test(arguments: ["dev", "Prod", "v1_beta-2", "0", String(repeating: "a", count: 128)])
    func validStageName(_ name: String) throws {
        let w = try loadModel("restApis:\n  - id: a1b2c3d4e5\n    stages:\n      - stageName: \"\(name)\"\n")
        #expect(w.restApis[0].stages.map(\.stageName) == [name])
    }

    @Test(arguments: ["AWS_PROXY", "AWS"])
    func lambdaIntegrationNeedsAUri(_ type: String) throws {
        let e = try #require(loadError("restApis:\n  - id: a1b2c3d4e5\n    resources:\n      /o:\n        GET:\n          integration:\n            type: \(type)\n"))
        #expect(e.message.hasSuffix("integration needs a `uri`"))
        #expect(e.message.contains(type))
        #expect(e.location == SourceLocation(file: "model.yaml", line: 7, column: 13))
        #expect(e.hint == "for a Lua Lambda write `uri: lambda:NAME`")
    }

    @Test(arguments: ["HTTP", "HTTP_PROXY"])
    func httpIntegrationNeedsAUri(_ type: String) throws {
        let e = try #require(loadError("restApis:\n  - id: a1b2c3d4e5\n    resources:\n      /o:\n        GET:\n          integration:\n            type: \(type)\n"))
        #expect(e.message.hasSuffix("integration needs a `uri`"))
        #expect(e.hint == "e.g. uri: http://backend/path")
    }

    /// AWS names the sibling that already exists: creating a variable resource next to `{proxy+}` fails with
    /// `A sibling ({proxy+}) of this resource already has a variable path part -- only one is allowed`
    /// (rest-request-flow.md §2.1 rule 26, recorded). In a model file the resource written first is the one that
    /// "already exists", so the error should be reported at `/{id}`, naming `{proxy+}`.
    @Test func variableSiblingErrorNamesTheSiblingWrittenFirst() throws {
        let e = try #require(loadError(#"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /{proxy+}:
                    ANY: {integration: {type: MOCK}}
                  /{id}:
                    GET: {integration: {type: MOCK}}
            """#))
        #expect(e.message == "A sibling ({proxy+}) of this resource already has a variable path part -- only one is allowed")
        #expect(e.location == SourceLocation(file: "model.yaml", line: 7, column: 9))
    }

    @Test func errorDescriptionCarriesFileLineColumnAndHint() throws {
        let e = try #require(loadError(Self.cases[0].yaml))
        #expect(e.description == "model.yaml:6:11: unknown key `integraton` in restApis[0].resources./orders.GET\n  hint: did you mean `integration`?")
        let noHint = ModelError(SourceLocation(file: "m.yaml", line: 2, column: 3), "bad")
        #expect(noHint.description == "m.yaml:2:3: bad")
    }

    @Test func missingFileIsAnErrorWithAHint() {
        do {
            _ = try ModelLoader.load(path: "/nonexistent/dir/model.yaml", displayName: "model.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "cannot read the model file")
            #expect(error.location == .unknown("model.yaml"))
            #expect(error.hint == "no such file; check the path")
        }
    }

    /// Mapping templates are limited to 300 KB (mapping.md §4.1 rule 40): one byte more does not load.
    @Test(arguments: [300 * 1024, 300 * 1024 + 1])
    func templateSizeLimit(_ size: Int) throws {
        let template = String(repeating: "x", count: size)
        let yaml = """
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /x:
                    GET:
                      integration:
                        type: MOCK
                        requestTemplates: {application/json: '\(template)'}
            """
        let e = loadError(yaml)
        if size <= 300 * 1024 {
            #expect(e == nil)
        } else {
            #expect(e?.message == "the template for application/json is \(size) bytes; API Gateway accepts mapping templates of at most 300 KB")
            #expect(e?.location == SourceLocation(file: "model.yaml", line: 8, column: 50))
        }
    }
}
