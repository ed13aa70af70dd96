import Foundation
import Gateway
import GatewayModel
import Testing

/// Loads a model from YAML text (as `model.yaml`).
func world(_ yaml: String) throws -> GatewayWorld {
    try ModelLoader.load(text: yaml, file: "model.yaml", baseDirectory: nil)
}

/// The first REST API of a YAML model.
func api(_ yaml: String) throws -> RestApi {
    try #require(try world(yaml).restApis.first)
}

/// A Lambda stand-in: every function in `names` exists and answers with `handler`; every invocation is recorded.
final class TestLambda: LambdaInvoker, @unchecked Sendable {
    let names: Set<String>
    let handler: (LambdaInvocation) -> LambdaResult
    private let lock = NSLock()
    private var calls: [LambdaInvocation] = []

    init(_ names: Set<String> = ["fn"], handler: @escaping (LambdaInvocation) -> LambdaResult) {
        self.names = names
        self.handler = handler
    }

    /// A function that returns `payload` (JSON text).
    convenience init(returning payload: String, durationMillis: Int = 0) {
        self.init { _ in LambdaResult(outcome: .success(payload: payload), durationMillis: durationMillis) }
    }

    func hasFunction(_ name: String) -> Bool { names.contains(name) }

    func invoke(_ invocation: LambdaInvocation) -> LambdaResult {
        lock.lock()
        calls.append(invocation)
        lock.unlock()
        return handler(invocation)
    }

    var invocations: [LambdaInvocation] {
        lock.lock(); defer { lock.unlock() }
        return calls
    }

    /// The event the function received last, parsed.
    var lastEvent: JSONValue? { invocations.last.flatMap { try? JSONValue.parse($0.payload) } }
}

/// An environment at the session start (2026-03-05T12:00:00Z) with seed 0 by default.
func env(_ yaml: String, seed: UInt64 = 0, lambda: (any LambdaInvoker)? = nil) throws -> GatewayEnvironment {
    GatewayEnvironment(world: try world(yaml), seed: seed, lambda: lambda)
}

func request(_ method: String, _ rawPath: String, headers: [(String, String)] = [], body: String? = nil) -> ClientRequest {
    ClientRequest(method: method, rawPath: rawPath, headers: HeaderFields(headers), body: body.map { Array($0.utf8) })
}

extension Exchange {
    /// The execution-log messages (Test-log scope, no prefixes).
    var messages: [String] { ExecutionLog.messages(self) }
    var status: Int? { response?.status }
    var bodyText: String? { response?.bodyText }
    func header(_ name: String) -> String? { response?.headers[name] }
    /// Response header names in order.
    var headerNames: [String] { response?.headers.fields.map(\.name) ?? [] }
}

/// Models used across the suites.
enum Models {
    /// A MOCK API: `GET /pets` (200 `{"ok": true}`) and `POST /pets/{petId}` (rest-request-flow.md §5.3's shape).
    static func mock(endpoint: String = "EDGE") -> String {
        #"""
        restApis:
          - id: a1b2c3d4e5
            name: pets
            endpointConfiguration: {types: [\#(endpoint)]}
            resources:
              /pets:
                GET:
                  integration:
                    type: MOCK
                    requestTemplates:
                      application/json: '{"statusCode": 200}'
                    integrationResponses:
                      "200":
                        responseTemplates:
                          application/json: '{"ok": true}'
                  methodResponses:
                    "200": {}
              /pets/{petId}:
                POST:
                  integration:
                    type: MOCK
                    requestTemplates:
                      application/json: '{"statusCode": 200}'
                    integrationResponses:
                      "200":
                        responseTemplates:
                          application/json: '{"petId": "123"}'
                  methodResponses:
                    "200": {}
            stages:
              - stageName: dev
        """#
    }

    /// rest-request-flow.md §2.2's API: `/{proxy+}` and `/hardcoded`, both ANY, AWS_PROXY, stage `stage`.
    static func proxy(endpoint: String = "EDGE", stageVariables: String = "", binary: String = "[]", integrationMethod: String = "POST") -> String {
        #"""
        restApis:
          - id: h4k9v2m7qe
            endpointConfiguration: {types: [\#(endpoint)]}
            binaryMediaTypes: \#(binary)
            resources:
              /{proxy+}:
                ANY:
                  integration: {type: AWS_PROXY, httpMethod: \#(integrationMethod), uri: "lambda:fn"}
              /hardcoded:
                ANY:
                  integration: {type: AWS_PROXY, uri: "lambda:fn"}
            stages:
              - stageName: stage
        \#(stageVariables)
        """#
    }
}

/// Headers grouped by lower-cased name, each group's "Name: value" in order — compares header lists without
/// pinning the order of different names.
func grouped(_ headers: [(name: String, value: String)]) -> [String: [String]] {
    var out: [String: [String]] = [:]
    for h in headers { out[h.name.lowercased(), default: []].append("\(h.name): \(h.value)") }
    return out
}
