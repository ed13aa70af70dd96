import Foundation
import Gateway
import GatewayModel
import Testing

/// The non-proxy Lambda integration (`type: AWS`): passthrough event, selection against the function error's
/// errorMessage (lambda-payloads.md §3; mapping.md §3.1–3.2), the execution-log lines of rest-request-flow.md §5.5.
@Suite struct LambdaNonProxyTests {
    /// A POST /test non-proxy Lambda method; `responses` are (status, selectionPattern) integration responses.
    static func model(responses: [(String, String?)] = [("200", nil), ("400", ".*Raising 400.*"), ("502", ".+")]) -> String {
        let lines = responses.map { status, pattern in
            "              \"\(status)\": { statusCode: \"\(status)\"" + (pattern.map { ", selectionPattern: \"\($0)\"" } ?? "") + " }"
        }.joined(separator: "\n")
        return """
            restApis:
              - id: n0npr0xy01
                resources:
                  /test:
                    POST:
                      methodResponses: { "200": {}, "400": {}, "502": {} }
                      integration:
                        type: AWS
                        httpMethod: POST
                        uri: lambda:fn
                        integrationResponses:
            \(lines)
                stages:
                  - stageName: dev
            """
    }

    static func raising(_ message: String) -> TestLambda {
        TestLambda { _ in
            LambdaResult(outcome: .functionError(error: .obj(["errorMessage": .string(message), "errorType": "Exception"]), kind: "Unhandled"))
        }
    }

    @Test func theBodyPassesThroughAndTheResultIsTheResponseBody() throws {
        // Recorded: POST {"message": "hello world"} with no template → echo → the same JSON (lambda-aws/echo-passthrough).
        let lambda = TestLambda { LambdaResult(outcome: .success(payload: $0.payload)) }
        let e = try env(Self.model(), lambda: lambda)
        let x = e.send(request("POST", "/dev/test", body: #"{"message": "hello world"}"#))
        #expect(x.response?.status == 200)
        #expect(x.response?.bodyText == #"{"message": "hello world"}"#)
        #expect(lambda.invocations.last?.payload == #"{"message": "hello world"}"#)
        #expect(x.response?.headers["Content-Type"] == "application/json")
    }

    @Test func anEmptyBodyReachesTheFunctionAsAnEmptyObject() throws {
        let lambda = TestLambda(returning: #""ok""#)
        let x = try env(Self.model(), lambda: lambda).send(request("POST", "/dev/test"))
        #expect(lambda.invocations.last?.payload == "{}")
        #expect(x.messages.contains("Endpoint request body after transformations: "))
    }

    @Test func aFunctionErrorIsSelectedByItsErrorMessage() throws {
        // `.*Raising 400.*` (405 in the recording) wins over `.+`: the lowest status among matches (rule 26).
        let x = try env(Self.model(), lambda: Self.raising("Error: Raising 400 from within the Lambda function"))
            .send(request("POST", "/dev/test", body: "{}"))
        #expect(x.response?.status == 400)
        #expect(x.response?.bodyText == #"{"errorMessage": "Error: Raising 400 from within the Lambda function", "errorType": "Exception"}"#)
        #expect(x.events(for: .integrationResponse).last?.field("pattern") == ".*Raising 400.*")
        // No "Lambda execution failed" line for a mapped non-proxy error (rest-request-flow.md §5.5).
        #expect(!x.messages.contains { $0.hasPrefix("Lambda execution failed") })
        #expect(x.messages.suffix(4) == [
            #"Method response body after transformations: {"errorMessage": "Error: Raising 400 from within the Lambda function", "errorType": "Exception"}"#,
            "Method response headers: {X-Amzn-Trace-Id=\(x.edge.traceId);Sampled=0, Content-Type=application/json}",
            "Successfully completed execution",
            "Method completed with status: 400",
        ])
    }

    @Test func anotherErrorTakesTheCatchAll() throws {
        let x = try env(Self.model(), lambda: Self.raising("Error: Raising five hundred from within the Lambda function"))
            .send(request("POST", "/dev/test", body: "{}"))
        #expect(x.response?.status == 502)
    }

    @Test func aSuccessIsMatchedAsTheEmptyString() throws {
        // `.+` and `200` do not match "", so the default applies; `.*` would (mapping.md §3.2 rules 23, 27).
        let x = try env(Self.model(), lambda: TestLambda(returning: #""Pass""#)).send(request("POST", "/dev/test", body: "{}"))
        #expect(x.response?.status == 200)
        #expect(x.response?.bodyText == #""Pass""#)
        let catchAll = Self.model(responses: [("200", nil), ("400", ".*")])
        let y = try env(catchAll, lambda: TestLambda(returning: #""Pass""#)).send(request("POST", "/dev/test", body: "{}"))
        #expect(y.response?.status == 400)
    }

    @Test func noMatchAndNoDefaultIsA500WithTheLogLine() throws {
        let noDefault = Self.model(responses: [("400", ".*Raising 400.*")])
        let x = try env(noDefault, lambda: TestLambda(returning: #""Pass""#)).send(request("POST", "/dev/test", body: "{}"))
        #expect(x.response?.status == 500)
        #expect(x.response?.bodyText == #"{"message": "Internal server error"}"#)
        #expect(x.messages.suffix(2) == [
            "Execution failed due to configuration error: No match for output mapping and no default output mapping configured. Endpoint Response Status Code: 200",
            "Method completed with status: 500",
        ])
    }

    @Test func theInvokeHeadersUseTheNonProxyOrder() throws {
        let x = try env(Self.model(), lambda: TestLambda(returning: "1")).send(request("POST", "/dev/test", body: "{}"))
        let line = try #require(x.messages.first { $0.hasPrefix("Endpoint request headers: ") })
        let names = line.dropFirst("Endpoint request headers: {".count).split(separator: ", ").compactMap { $0.split(separator: "=").first.map(String.init) }
        // rest-request-flow.md §5.5 rule 88 (the line is cut at 1024 characters inside the token).
        #expect(names == ["x-amzn-lambda-integration-tag", "Authorization", "X-Amz-Date", "x-amzn-apigateway-api-id", "Accept", "User-Agent", "X-Amz-Security-Token"])
    }

    @Test func aNonLambdaAWSIntegrationIsNotSimulated() throws {
        let yaml = Self.model().replacingOccurrences(of: "uri: lambda:fn", with: "uri: arn:aws:apigateway:us-east-1:sqs:path/111111111111/queue")
        let x = try env(yaml, lambda: TestLambda(returning: "1")).send(request("POST", "/dev/test", body: "{}"))
        #expect(x.response == nil)
        #expect(x.unsupported?.contains("non-Lambda AWS service") == true)
    }
}
