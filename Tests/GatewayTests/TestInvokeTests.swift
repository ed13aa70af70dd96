import Foundation
import Gateway
import GatewayModel
import Testing

/// TestInvokeMethod, the console's Test button (rest-request-flow.md §5.1–5.2).
@Suite struct TestInvokeTests {
    static let model = #"""
        restApis:
          - id: t3st1nv0k3
            resources:
              /pets/{petId}:
                id: petid1
                GET:
                  authorizationType: AWS_IAM
                  apiKeyRequired: true
                  integration:
                    type: MOCK
                    requestTemplates: {application/json: '{"statusCode": 200}'}
                    integrationResponses: {"200": {responseTemplates: {application/json: '$input.params(''petId'')|$context.stage|$stageVariables.v'}}}
                  methodResponses: {"200": {}}
              /any:
                id: any001
                ANY:
                  integration: {type: MOCK, requestTemplates: {application/json: '{"statusCode": 200}'}, integrationResponses: {"200": {}}}
                  methodResponses: {"200": {}}
            stages: []
        """#

    func run(_ input: TestInvokeInput) throws -> Exchange {
        guard case .invoked(let x) = try env(Self.model).testInvoke(input) else { throw Failure.apiError }
        return x
    }
    enum Failure: Error { case apiError }

    /// No authorizer, no usage plan, no stage needed; the Test log's first line has no date (rules 76, 78).
    @Test func skipsAuthAndUsagePlanAndLogsLikeTheConsole() throws {
        let x = try run(TestInvokeInput(apiId: "t3st1nv0k3", resourceId: "petid1", httpMethod: "GET", pathWithQueryString: "/pets/7",
                                        stageVariables: [("v", "vee")]))
        #expect(x.response?.status == 200)
        #expect(x.response?.bodyText == "7|test-invoke-stage|vee")
        #expect(x.response?.headers.fields.map(\.name) == ["Content-Type"])  // no Content-Length (rule 73)
        let log = ExecutionLog.awsFormat(x)
        #expect(log.first == "Execution log for request \(x.requestId)")
        #expect(log.dropFirst().allSatisfy { $0.hasPrefix("Thu Mar 05 12:00:00 UTC 2026 : ") })
        #expect(!x.messages.contains { $0.hasPrefix("Verifying Usage Plan") })
    }

    @Test(arguments: [
        (nil, "/pets/{petId}", "{petId}"),  // no path: the parameter is its own name in braces (rule 75)
        ("/random/test", "/random/test", ""),  // a path that does not fit: no parameters
    ] as [(String?, String, String)])
    func pathParameters(_ path: String?, _ logged: String, _ petId: String) throws {
        let x = try run(TestInvokeInput(apiId: "t3st1nv0k3", resourceId: "petid1", httpMethod: "GET", pathWithQueryString: path))
        #expect(x.messages.contains("HTTP Method: GET, Resource Path: \(logged)"))
        #expect(x.response?.bodyText == "\(petId)|test-invoke-stage|")
    }

    @Test func unknownResourceOrMethodIsAnAPIError() throws {
        let e = try env(Self.model)
        guard case .apiError(404, "NotFoundException", "Invalid Resource identifier specified") =
                e.testInvoke(TestInvokeInput(apiId: "t3st1nv0k3", resourceId: "nope", httpMethod: "GET")) else {
            Issue.record("expected Invalid Resource identifier"); return
        }
        guard case .apiError(404, "NotFoundException", "Invalid Method identifier specified") =
                e.testInvoke(TestInvokeInput(apiId: "t3st1nv0k3", resourceId: "petid1", httpMethod: "POST")) else {
            Issue.record("expected Invalid Method identifier"); return
        }
        // ANY serves any method.
        guard case .invoked(let x) = e.testInvoke(TestInvokeInput(apiId: "t3st1nv0k3", resourceId: "any001", httpMethod: "PATCH")) else {
            Issue.record("ANY should serve PATCH"); return
        }
        #expect(x.response?.status == 200)
    }
}
