import GatewayModel
import Testing

/// Loads `yaml` as `model.yaml`.
func loadModel(_ yaml: String) throws(ModelError) -> GatewayWorld {
    try ModelLoader.load(text: yaml, file: "model.yaml", baseDirectory: nil)
}

/// The error loading `yaml` gives, or nil when it loads.
func loadError(_ yaml: String) -> ModelError? {
    do {
        _ = try loadModel(yaml)
        return nil
    } catch {
        return error
    }
}

/// Models that load: structure, defaults, implicit parents, derived ids, notes.
@Suite struct ModelLoaderTests {
    static let good = #"""
        region: eu-west-1
        account: "222222222222"
        restApis:
          - id: a1b2c3d4e5
            name: shop
            binaryMediaTypes: [image/png, "*/*"]
            resources:
              /orders/{id}:
                GET:
                  integration:
                    type: MOCK
                    requestTemplates:
                      application/json: '{"statusCode": 200}'
                    integrationResponses:
                      "200":
                        responseTemplates:
                          application/json: '{"ok": true}'
                      "400":
                        selectionPattern: '4\d{2}'
                  methodResponses:
                    "200": {}
                    "400":
                DELETE:
                  integration:
                    type: AWS_PROXY
                    uri: lambda:orders
              /health:
                ANY:
                  integration: {type: MOCK}
            stages:
              - stageName: dev
                variables:
                  color: blue
                  size: "3"
              - stageName: prod
        """#

    @Test func goodModelLoads() throws {
        let w = try loadModel(Self.good)
        #expect(w.region == "eu-west-1")
        #expect(w.account == "222222222222")
        #expect(w.sourceName == "model.yaml")
        #expect(w.notes.isEmpty)
        #expect(w.plugins.isEmpty)
        #expect(w.restApis.count == 1)
        let api = try #require(w.restApi(id: "a1b2c3d4e5"))
        #expect(api.name == "shop")
        #expect(api.binaryMediaTypes == ["image/png", "*/*"])
        #expect(api.stages.map(\.stageName) == ["dev", "prod"])
        #expect(api.stages[0].variables.map(\.name) == ["color", "size"])
        #expect(api.stages[0].variables.map(\.value) == ["blue", "3"])
        #expect(api.stages[1].variables.isEmpty)
        #expect(api.methodCount == 3)
    }

    @Test func defaultsWhenNotGiven() throws {
        let w = try loadModel("restApis:\n  - id: a1b2c3d4e5\n")
        #expect(w.region == "us-east-1")
        #expect(w.account == "111111111111")
        let api = try #require(w.restApis.first)
        #expect(api.name == "a1b2c3d4e5")  // the name defaults to the id
        #expect(api.endpointType == .edge)  // AWS's default for a new REST API
        #expect(api.binaryMediaTypes.isEmpty)
        #expect(api.stages.isEmpty)
        #expect(api.resources.map(\.path) == ["/"])  // the root always exists
    }

    @Test func emptyDocumentIsAnEmptyWorld() throws {
        let w = try loadModel("")
        #expect(w.restApis.isEmpty)
        #expect(w.region == "us-east-1")
    }

    @Test(arguments: [("EDGE", EndpointType.edge), ("REGIONAL", .regional), ("PRIVATE", .private)])
    func endpointType(_ name: String, _ expected: EndpointType) throws {
        let w = try loadModel("restApis:\n  - id: a1b2c3d4e5\n    endpointConfiguration:\n      types: [\(name)]\n")
        #expect(w.restApis.first?.endpointType == expected)
    }

    @Test func implicitParentsAreCreatedAndSortedByPath() throws {
        let api = try #require(try loadModel(Self.good).restApis.first)
        #expect(api.resources.map(\.path) == ["/", "/health", "/orders", "/orders/{id}"])
        #expect(api.resource(path: "/orders")?.methods.isEmpty == true)
        #expect(api.resource(path: "/")?.methods.isEmpty == true)
        #expect(api.resource(path: "/orders/{id}")?.methods.map(\.httpMethod) == ["GET", "DELETE"])
        #expect(api.resource(path: "/orders/{id}")?.pathPart == "{id}")
        #expect(api.resource(path: "/")?.pathPart == "")
    }

    @Test func deeplyNestedResourceCreatesEveryAncestor() throws {
        let w = try loadModel(#"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /a/b/{c}/d:
                    GET: {integration: {type: MOCK}}
            """#)
        #expect(w.restApis[0].resources.map(\.path) == ["/", "/a", "/a/b", "/a/b/{c}", "/a/b/{c}/d"])
    }

    /// Resource ids are derived from the API id and the path: stable across loads and runs, 6 characters like
    /// AWS's resource ids (`ya35h0`, rest-request-flow.md §5.4).
    @Test func derivedIdsAreDeterministicAndStable() throws {
        let api1 = try #require(try loadModel(Self.good).restApis.first)
        let api2 = try #require(try loadModel(Self.good).restApis.first)
        #expect(api1.resources.map(\.id) == api2.resources.map(\.id))
        // Pinned values: a change of the derivation changes every recorded trace.
        #expect(api1.resource(path: "/")?.id == "88m4hh")
        #expect(api1.resource(path: "/orders")?.id == "5b0ths")
        #expect(api1.resource(path: "/orders/{id}")?.id == "lvue5u")
        #expect(api1.resource(path: "/health")?.id == "mfqtqm")
        #expect(ModelLoader.derivedId(apiId: "a1b2c3d4e5", path: "/orders") == "5b0ths")
        #expect(ModelLoader.derivedId(apiId: "zzzzzzzzzz", path: "/orders") == "f2c8ql")
        for r in api1.resources {
            #expect(r.id.count == 6)
            #expect(r.id.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) })
            #expect(r.id == ModelLoader.derivedId(apiId: "a1b2c3d4e5", path: r.path))
        }
        #expect(Set(api1.resources.map(\.id)).count == api1.resources.count)
    }

    @Test func explicitResourceIdIsKept() throws {
        let w = try loadModel(#"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /orders:
                    id: abc123
                    GET: {integration: {type: MOCK}}
            """#)
        #expect(w.restApis[0].resource(path: "/orders")?.id == "abc123")
        #expect(w.restApis[0].resource(path: "/")?.id == "88m4hh")
    }

    @Test func methodDefaults() throws {
        let api = try #require(try loadModel(Self.good).restApis.first)
        let get = try #require(api.resource(path: "/orders/{id}")?.method("GET"))
        #expect(get.authorizationType == "NONE")
        #expect(get.apiKeyRequired == false)
        #expect(get.requestValidator == nil)
        #expect(get.methodResponses.keys.sorted() == ["200", "400"])
        let i = try #require(get.integration)
        #expect(i.type == .mock)
        #expect(i.uri == nil)
        #expect(i.passthroughBehavior == "WHEN_NO_MATCH")
        #expect(i.timeoutInMillis == 29000)  // rest-request-flow.md §1.6 rule 25
        #expect(i.requestTemplates.map(\.contentType) == ["application/json"])
        #expect(i.requestTemplates.map(\.template) == [#"{"statusCode": 200}"#])
        #expect(i.integrationResponses.map(\.statusCode) == ["200", "400"])
        #expect(i.integrationResponses[0].selectionPattern == nil)
        #expect(i.integrationResponses[0].isDefault)
        #expect(i.integrationResponses[0].responseTemplates.map(\.template) == [#"{"ok": true}"#])
        #expect(i.integrationResponses[1].selectionPattern == #"4\d{2}"#)
        #expect(!i.integrationResponses[1].isDefault)
    }

    @Test func integrationSettings() throws {
        let w = try loadModel(#"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /x:
                    POST:
                      authorizationType: AWS_IAM
                      apiKeyRequired: true
                      methodIntegration:
                        type: MOCK
                        passthroughBehavior: NEVER
                        timeoutInMillis: 50
                        integrationResponses:
                          default:
                            statusCode: "204"
                            selectionPattern: ""
            """#)
        let m = try #require(w.restApis[0].resource(path: "/x")?.method("POST"))
        #expect(m.authorizationType == "AWS_IAM")
        #expect(m.apiKeyRequired)
        let i = try #require(m.integration)  // `methodIntegration` (GetResources' name) is read as `integration`
        #expect(i.passthroughBehavior == "NEVER")
        #expect(i.timeoutInMillis == 50)
        #expect(i.integrationResponses.map(\.statusCode) == ["204"])
        #expect(i.integrationResponses[0].selectionPattern == "")
        #expect(i.integrationResponses[0].isDefault)  // an empty pattern is the default too
    }

    @Test func regionalApisMayWaitLongerThan29Seconds() throws {
        let w = try loadModel(#"""
            restApis:
              - id: a1b2c3d4e5
                endpointConfiguration: {types: [REGIONAL]}
                resources:
                  /slow:
                    GET:
                      integration: {type: MOCK, timeoutInMillis: 60000}
            """#)
        #expect(w.restApis[0].resource(path: "/slow")?.method("GET")?.integration?.timeoutInMillis == 60000)
    }

    @Test func trailingSlashInResourcePathIsNormalised() throws {
        let w = try loadModel("restApis:\n  - id: a1b2c3d4e5\n    resources:\n      /orders/:\n        GET: {integration: {type: MOCK}}\n")
        #expect(w.restApis[0].resources.map(\.path) == ["/", "/orders"])
    }

    @Test func literalSiblingNextToGreedyIsAllowed() throws {
        // rest-request-flow.md §2.1 rule 26: a literal sibling next to {proxy+} is allowed.
        let w = try loadModel(#"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /{proxy+}:
                    ANY: {integration: {type: MOCK}}
                  /static:
                    GET: {integration: {type: MOCK}}
                  /static/{id}:
                    GET: {integration: {type: MOCK}}
            """#)
        #expect(w.restApis[0].resources.map(\.path) == ["/", "/static", "/static/{id}", "/{proxy+}"])
    }

    @Test func twoApisLoadWithTheirOwnIds() throws {
        let w = try loadModel("restApis:\n  - id: aaaaaaaaaa\n  - id: bbbbbbbbbb\n")
        #expect(w.restApis.map(\.id) == ["aaaaaaaaaa", "bbbbbbbbbb"])
        #expect(w.restApi(id: "aaaaaaaaaa")?.resources[0].id != w.restApi(id: "bbbbbbbbbb")?.resources[0].id)
    }

    // MARK: - Lambda function names

    @Test(arguments: [
        ("lambda:orders", "orders"),
        ("lambda:my-fn_2", "my-fn_2"),
        ("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:111111111111:function:orders/invocations", "orders"),
        ("arn:aws:apigateway:eu-west-2:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-2:958845080241:function:mock-receipt-api/invocations", "mock-receipt-api"),
        ("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:111111111111:function:orders:live/invocations", "orders"),
        ("arn:aws:lambda:us-east-1:111111111111:function:bare", "bare"),
    ] as [(String, String)])
    func lambdaFunctionName(_ uri: String, _ name: String) {
        #expect(Integration.lambdaFunctionName(uri: uri) == name)
    }

    @Test func noLambdaFunctionNameForOtherUris() {
        #expect(Integration.lambdaFunctionName(uri: nil) == nil)
        #expect(Integration.lambdaFunctionName(uri: "http://backend/path") == nil)
    }

    @Test func lambdaNameThroughTheLoader() throws {
        let w = try loadModel(#"""
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /a:
                    POST:
                      integration:
                        type: AWS_PROXY
                        httpMethod: POST
                        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:111111111111:function:orders/invocations
                  /b:
                    POST:
                      integration: {type: AWS_PROXY, uri: "lambda:payments"}
            """#)
        let api = w.restApis[0]
        #expect(api.resource(path: "/a")?.method("POST")?.integration?.lambdaFunctionName == "orders")
        #expect(api.resource(path: "/a")?.method("POST")?.integration?.httpMethod == "POST")
        #expect(api.resource(path: "/b")?.method("POST")?.integration?.lambdaFunctionName == "payments")
        #expect(api.resource(path: "/b")?.method("POST")?.integration?.type == .awsProxy)
    }

    // MARK: - Notes

    @Test func knownButNotSimulatedKeysProduceNotesAndDoNotFail() throws {
        let w = try loadModel(#"""
            region: us-east-1
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /orders:
                    GET:
                      authorizerId:
                        abc123
                      integration:
                        type: MOCK
                        cacheNamespace: ns1
                        tlsConfig: { insecureSkipVerification: true }
                stages:
                  - stageName: dev
                    methodSettings: { "*/*": { cachingEnabled: true } }
            """#)
        #expect(w.restApis[0].resource(path: "/orders")?.method("GET")?.integration?.type == .mock)
        #expect(w.notes.map(\.path) == [
            "restApis[0].resources./orders.GET.integration.tlsConfig",
            "restApis[0].stages[0].methodSettings.*/*.cachingEnabled",
        ])
        #expect(w.notes.allSatisfy { $0.message == "read but not simulated yet" })
        #expect(w.notes.map(\.location) == [
            SourceLocation(file: "model.yaml", line: 12, column: 13),
            SourceLocation(file: "model.yaml", line: 15, column: 36),
        ])
        #expect(w.notes[0].description == "model.yaml:12:13: restApis[0].resources./orders.GET.integration.tlsConfig: read but not simulated yet")
    }

    // MARK: - JSON models (conformance cases)

    @Test func jsonModelLoadsThroughModelNode() throws {
        let json = try JSONValue.parse(#"""
            {"region": "us-east-1", "account": "111111111111", "restApis": [{"id": "h4k9v2m7qe",
              "resources": {"/{proxy+}": {"ANY": {"integration": {"type": "AWS_PROXY", "uri": "lambda:proxy-echo"}}}},
              "stages": [{"stageName": "stage", "variables": {"n": "1"}}]}]}
            """#)
        let w = try ModelLoader.load(node: ModelNode.fromJSON(json, file: "case.json"), file: "case.json", baseDirectory: nil)
        let api = w.restApis[0]
        #expect(api.resources.map(\.path) == ["/", "/{proxy+}"])
        #expect(api.resource(path: "/{proxy+}")?.method("ANY")?.integration?.lambdaFunctionName == "proxy-echo")
        #expect(api.stage(named: "stage")?.variables.map(\.value) == ["1"])
        #expect(api.resource(path: "/")?.id == ModelLoader.derivedId(apiId: "h4k9v2m7qe", path: "/"))
    }

    @Test func jsonModelErrorsNameTheFileWithoutPosition() throws {
        let json = try JSONValue.parse(#"{"restApis": [{"id": "x", "nmae": "y"}]}"#)
        do {
            _ = try ModelLoader.load(node: ModelNode.fromJSON(json, file: "case.json"), file: "case.json", baseDirectory: nil)
            Issue.record("expected an error")
        } catch {
            #expect(error.location == .unknown("case.json"))
            #expect(error.description == "case.json: unknown key `nmae` in restApis[0]\n  hint: did you mean `name`?")
        }
    }

    @Test func pluginsResolveAgainstTheBaseDirectory() throws {
        let w = try ModelLoader.load(text: "plugins: [plugins/a.lua, /abs/b.lua]\n", file: "m.yaml", baseDirectory: "/work/models")
        #expect(w.plugins.map(\.path) == ["plugins/a.lua", "/abs/b.lua"])
        #expect(w.plugins.map(\.resolvedPath) == ["/work/models/plugins/a.lua", "/abs/b.lua"])
        let unresolved = try ModelLoader.load(text: "plugins: [a.lua]\n", file: "m.yaml", baseDirectory: nil)
        #expect(unresolved.plugins.map(\.resolvedPath) == [nil])
    }
}

@Suite struct LuaMapperModelTests {
    @Test func aLuaMapperStandsWhereATemplateStands() throws {
        let w = try ModelLoader.load(text: """
            restApis:
              - id: a1b2c3d4e5
                resources:
                  /x:
                    POST:
                      integration: { type: MOCK, requestTemplates: { application/json: { lua: orders.toBackend } }, integrationResponses: { "200": {} } }
                stages: [ { stageName: dev } ]
            """, file: "m.yaml", baseDirectory: nil)
        let t = try #require(w.restApis[0].resource(path: "/x")?.method("POST")?.integration?.requestTemplates.first?.template)
        #expect(LuaMapperReference.name(t) == "orders.toBackend")
        #expect(LuaMapperReference.name("{\"statusCode\": 200}") == nil)
        #expect(throws: ModelError.self) {
            try ModelLoader.load(text: "restApis: [ { id: a, resources: { /x: { POST: { integration: { type: MOCK, requestTemplates: { application/json: { python: f } } } } } } } ]",
                                 file: "m.yaml", baseDirectory: nil)
        }
    }
}
