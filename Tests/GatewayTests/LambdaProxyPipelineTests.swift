import Gateway
import GatewayModel
import Testing

/// AWS_PROXY through the whole pipeline: success, function errors, malformed responses, timeouts, missing
/// functions, binary bodies, and the execution log (rest-request-flow.md §1.6, §5.4; lambda-payloads.md §2, §6).
@Suite struct LambdaProxyPipelineTests {
    static let url = "https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:111111111111:function:fn/invocations"
    static let internalError = #"{"message": "Internal server error"}"#

    func send(_ fn: TestLambda, _ r: ClientRequest = request("GET", "/stage/test1"), binary: String = "[]",
              integrationMethod: String = "POST") throws -> Exchange {
        try env(Models.proxy(binary: binary, integrationMethod: integrationMethod), lambda: fn).send(r)
    }

    /// `Root=1-…` → `root=1-…;sampled=0`, as Lambda's response header shows it.
    func lambdaTrace(_ x: Exchange) -> String { "root=\(x.edge.traceId.dropFirst("Root=".count));sampled=0" }

    // MARK: - Success

    static let helloPayload = #"{"statusCode": 200, "headers": {"Content-Type": "text/plain"}, "body": "Hello, CDK! You have hit /test1\n"}"#

    @Test func successPassesTheFunctionResponseThrough() throws {
        let x = try send(TestLambda(returning: Self.helloPayload))
        #expect(x.status == 200)
        #expect(x.bodyText == "Hello, CDK! You have hit /test1\n")
        #expect(x.header("Content-Type") == "text/plain")
        #expect(x.header("Content-Length") == "32")
        #expect(x.response?.headers.values("Content-Type") == ["text/plain"])
    }

    /// rest-request-flow.md §4.1, recorded: EDGE, AWS_PROXY, function returned `test-header` and `header-bool`.
    @Test func successHeadersAreTheRecordedSet() throws {
        let x = try send(TestLambda(returning: #"{"statusCode": 200, "headers": {"test-header": "value", "header-bool": true}}"#))
        #expect(Set(x.headerNames) == [
            "Connection", "Content-Length", "Content-Type", "Date", "Via", "X-Amz-Cf-Id", "X-Amz-Cf-Pop", "X-Amzn-Trace-Id", "X-Cache",
            "header-bool", "test-header", "x-amz-apigw-id", "x-amzn-RequestId",
        ])
        #expect(x.header("header-bool") == "true")
        #expect(x.header("Content-Type") == "application/json")
        #expect(x.header("Content-Length") == "0")
        #expect(x.header("X-Cache") == "Miss from cloudfront")
        // The generated root; rest-request-flow.md §5.4 shows `Root=…;Sampled=0` after a Lambda call.
        #expect(x.header("X-Amzn-Trace-Id")?.hasPrefix(x.edge.traceId) == true)
    }

    /// rest-request-flow.md §4.1 rule 63: a full client trace header is echoed; a bare Root gets a Parent.
    @Test func clientTraceIdIsEchoed() throws {
        let full = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
        let x = try send(TestLambda(returning: "{}"), request("GET", "/stage/test1", headers: [("X-Amzn-Trace-Id", full)]))
        #expect(x.header("X-Amzn-Trace-Id") == full)
        let y = try send(TestLambda(returning: "{}"), request("GET", "/stage/test1", headers: [("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793")]))
        let echoed = try #require(y.header("X-Amzn-Trace-Id"))
        #expect(echoed.wholeMatch(of: #/Root=1-5759e988-bd862e3fe1be46a994272793;Parent=[0-9a-f]{16}(;.*)?/#) != nil)
    }

    @Test func invocationCarriesTheEventAndIds() throws {
        let fn = TestLambda(returning: "{}")
        let x = try send(fn)
        let inv = try #require(fn.invocations.first)
        #expect(fn.invocations.count == 1)
        #expect(inv.functionName == "fn")
        #expect(inv.functionArn == "arn:aws:lambda:us-east-1:111111111111:function:fn")
        #expect(inv.timeoutMillis == 3000)  // Lambda's default
        #expect(inv.nowMillis == VirtualClock.sessionStart.millis)
        #expect(inv.awsRequestId == x.lambdaRequestId)
        #expect(inv.awsRequestId != x.requestId)
        #expect(inv.payload == x.integrationRequestBody)
        #expect(try JSONValue.parse(inv.payload) == x.lambdaEvent)
        #expect(inv.payload == x.lambdaEvent?.serialized())  // compact JSON, as API Gateway sends it
    }

    @Test func integrationLatencyAdvancesTheClock() throws {
        let e = try env(Models.proxy(), lambda: TestLambda(returning: "{}", durationMillis: 500))
        let x = e.send(request("GET", "/stage/test1"))
        #expect(e.clock.millis == VirtualClock.sessionStart.millis + 512)
        #expect(x.messages.contains("Received response. Status: 200, Integration latency: 512 ms"))
    }

    // MARK: - The execution log (rest-request-flow.md §5.4)

    @Test func successLogFollowsTheRecordedSequence() throws {
        let x = try send(TestLambda(returning: Self.helloPayload))
        let lines = Array(x.messages.dropFirst(3))  // after the three usage-plan lines
        let prefixes = [
            "Starting execution for request: ", "HTTP Method: ", "Method request path: ", "Method request query string: ",
            "Method request headers: ", "Method request body before transformations: ", "Endpoint request URI: ",
            "Endpoint request headers: ", "Endpoint request body after transformations: ", "Sending request to ",
            "Received response. Status: ", "Endpoint response headers: ", "Endpoint response body before transformations: ",
            "Method response body after transformations: ", "Method response headers: ", "Successfully completed execution",
            "Method completed with status: ",
        ]
        #expect(lines.count == prefixes.count)
        for (line, prefix) in zip(lines, prefixes) { #expect(line.hasPrefix(prefix), "\(line)") }
        guard lines.count == prefixes.count else { return }
        #expect(lines[0] == "Starting execution for request: \(x.requestId)")
        #expect(lines[1] == "HTTP Method: GET, Resource Path: /test1")
        #expect(lines[2] == "Method request path: {proxy=test1}")
        #expect(lines[3] == "Method request query string: {}")
        #expect(lines[5] == "Method request body before transformations: ")  // empty body keeps the space (rule 82)
        #expect(lines[6] == "Endpoint request URI: \(Self.url)")
        #expect(lines[8] == AWSLog.truncated("Endpoint request body after transformations: " + (x.integrationRequestBody ?? "")))
        #expect(lines[9] == "Sending request to \(Self.url)")
        #expect(lines[10] == "Received response. Status: 200, Integration latency: 12 ms")
        let lambdaId = try #require(x.lambdaRequestId)
        #expect(lines[11] == "Endpoint response headers: {Date=Thu, 05 Mar 2026 12:00:00 GMT, Content-Type=application/json, Content-Length=\(Self.helloPayload.utf8.count), Connection=keep-alive, x-amzn-RequestId=\(lambdaId), x-amzn-Remapped-Content-Length=0, X-Amz-Executed-Version=$LATEST, X-Amzn-Trace-Id=\(lambdaTrace(x))}")
        #expect(lines[12] == "Endpoint response body before transformations: \(Self.helloPayload)")
        #expect(lines[13] == "Method response body after transformations: Hello, CDK! You have hit /test1\n")  // the proxy body (rule 86)
        #expect(lines[14].hasPrefix("Method response headers: {Content-Type=text/plain, X-Amzn-Trace-Id=\(x.edge.traceId)"))
        #expect(lines[16] == "Method completed with status: 200")
    }

    @Test func endpointRequestHeadersLine() throws {
        let x = try send(TestLambda(returning: "{}"))
        let line = try #require(x.messages.first { $0.hasPrefix("Endpoint request headers: ") })
        // Longer than 1024 characters (the security token): cut at 1024 and marked (rule 80).
        #expect(line.count == 1024 + " [TRUNCATED]".count)
        #expect(line.hasSuffix(" [TRUNCATED]"))
        let map = line.dropFirst("Endpoint request headers: {".count).dropLast(" [TRUNCATED]".count)
        let entries = map.components(separatedBy: ", ")
        let keys = entries.map { String($0.prefix { $0 != "=" }) }
        // The 2022+ proxy order (rule 90).
        #expect(keys == ["X-Amz-Date", "x-amzn-apigateway-api-id", "Accept", "User-Agent", "Host", "X-Amz-Content-Sha256",
                         "X-Amzn-Trace-Id", "x-amzn-lambda-integration-tag", "Authorization", "X-Amz-Source-Arn", "X-Amz-Security-Token"])
        func value(_ k: String) -> String? { entries.first { $0.hasPrefix(k + "=") }.map { String($0.dropFirst(k.count + 1)) } }
        #expect(value("X-Amz-Date") == "20260305T120000Z")
        #expect(value("x-amzn-apigateway-api-id") == "h4k9v2m7qe")
        #expect(value("Accept") == "application/json")
        #expect(value("User-Agent") == "AmazonAPIGateway_h4k9v2m7qe")
        #expect(value("Host") == "lambda.us-east-1.amazonaws.com")
        #expect(value("X-Amz-Content-Sha256")?.wholeMatch(of: #/[0-9a-f]{64}/#) != nil)
        #expect(value("x-amzn-lambda-integration-tag") == x.requestId)
        #expect(value("X-Amz-Source-Arn") == "arn:aws:execute-api:us-east-1:111111111111:h4k9v2m7qe/stage/GET/test1")
        // Authorization masked: every character `*` but the last 6 (rule 81).
        let auth = try #require(value("Authorization"))
        #expect(auth.count > 6)
        #expect(auth.dropLast(6).allSatisfy { $0 == "*" })
        #expect(auth.suffix(6).allSatisfy { $0 != "*" })
    }

    @Test func cloudWatchFormatEndsWithTheTrailers() throws {
        let x = try send(TestLambda(returning: "{}"))
        let cw = ExecutionLog.cloudWatchFormat(x)
        let p = "(\(x.requestId)) "
        #expect(cw.allSatisfy { $0.hasPrefix(p) })
        #expect(cw.first == p + "Extended Request Id: \(x.extendedRequestId)")
        let lambdaId = try #require(x.lambdaRequestId)
        let root = String(x.edge.traceId.dropFirst("Root=".count))
        let expected: [String] = [
            "\(p)Method completed with status: 200",
            "\(p)AWS Integration Endpoint RequestId : \(lambdaId)",
            "\(p)X-ray Tracing ID : \(root)",
        ]
        #expect(Array(cw.suffix(3)) == expected)
        #expect(cw.count == x.log.count + 2)
    }

    // MARK: - Function error → 502

    @Test func functionErrorIs502WithTheRecordedLogLines() throws {
        let message = "'LambdaContext' object has no attribute 'succeed'"
        let fn = TestLambda { _ in
            LambdaResult(outcome: .functionError(error: .obj(["errorMessage": .string(message), "errorType": "AttributeError"]), kind: "Unhandled"))
        }
        let x = try send(fn)
        #expect(x.status == 502)
        #expect(x.bodyText == Self.internalError)
        #expect(x.response?.body.count == 36)
        #expect(x.header("Content-Length") == "36")
        #expect(x.header("x-amzn-ErrorType") == "InternalServerErrorException")
        #expect(x.header("X-Cache") == "Error from cloudfront")
        let lambdaId = try #require(x.lambdaRequestId)
        let errorBody = #"{"errorMessage": "'LambdaContext' object has no attribute 'succeed'", "errorType": "AttributeError"}"#
        #expect(Array(x.messages.suffix(4)) == [
            "Endpoint response headers: {Date=Thu, 05 Mar 2026 12:00:00 GMT, Content-Type=application/json, Content-Length=\(errorBody.utf8.count), Connection=keep-alive, x-amzn-RequestId=\(lambdaId), X-Amz-Function-Error=Unhandled, x-amzn-Remapped-Content-Length=0, X-Amz-Executed-Version=$LATEST, X-Amzn-Trace-Id=\(lambdaTrace(x))}",
            "Endpoint response body before transformations: \(errorBody)",
            "Lambda execution failed with status 200 due to customer function error: \(message). Lambda request id: \(lambdaId)",
            "Method completed with status: 502",
        ])
        #expect(!x.messages.contains("Successfully completed execution"))  // rule 87
        #expect(x.trace.last?.stage == .integration)
        #expect(x.trace.last?.outcome == .failed)
    }

    struct TimeoutRow: Sendable, CustomTestStringConvertible {
        let afterMillis: Int
        let date: String
        let seconds: String
        var testDescription: String { "\(afterMillis) ms" }
    }

    /// A Lambda timeout is a function error (rest-request-flow.md §5.6 rule 98).
    @Test(arguments: [
        TimeoutRow(afterMillis: 3000, date: "2026-03-05T12:00:03.000Z", seconds: "3.00"),
        TimeoutRow(afterMillis: 10000, date: "2026-03-05T12:00:10.000Z", seconds: "10.00"),
        TimeoutRow(afterMillis: 1500, date: "2026-03-05T12:00:01.500Z", seconds: "1.50"),
    ])
    func timeoutIsAFunctionError(_ row: TimeoutRow) throws {
        let fn = TestLambda { _ in LambdaResult(outcome: .timedOut(afterMillis: row.afterMillis), durationMillis: row.afterMillis) }
        let x = try send(fn)
        #expect(x.status == 502)
        #expect(x.bodyText == Self.internalError)
        let lambdaId = try #require(x.lambdaRequestId)
        let message = "\(row.date) \(lambdaId) Task timed out after \(row.seconds) seconds"
        let tail = Array(x.messages.suffix(3))
        #expect(tail.count == 3)
        guard tail.count == 3 else { return }
        // Lambda's error object for a timeout: {"errorMessage": "<date> <id> Task timed out after N.00 seconds"}.
        let prefix = "Endpoint response body before transformations: "
        #expect(tail[0].hasPrefix(prefix))
        #expect(try JSONValue.parse(String(tail[0].dropFirst(prefix.count))) == .obj(["errorMessage": .string(message)]))
        #expect(tail[1] == "Lambda execution failed with status 200 due to customer function error: \(message). Lambda request id: \(lambdaId)")
        #expect(tail[2] == "Method completed with status: 502")
        #expect(x.messages.contains("Received response. Status: 200, Integration latency: \(row.afterMillis + 12) ms"))
    }

    // MARK: - Integration timeout → 504 (rest-request-flow.md §1.6, lambda-payloads.md §6)

    static func timeoutModel(_ millis: Int) -> String {
        """
        restApis:
          - id: h4k9v2m7qe
            resources:
              /slow:
                GET:
                  integration: {type: AWS_PROXY, uri: "lambda:fn", timeoutInMillis: \(millis)}
            stages: [{stageName: stage}]
        """
    }

    @Test func functionSlowerThanTheIntegrationTimeoutIs504() throws {
        let e = try env(Self.timeoutModel(1000), lambda: TestLambda(returning: "{}", durationMillis: 2000))
        let x = e.send(request("GET", "/stage/slow"))
        #expect(x.status == 504)
        #expect(x.bodyText == #"{"message": "Endpoint request timed out"}"#)
        #expect(x.failure?.type == .integrationTimeout)
        #expect(x.messages.last == "Method completed with status: 504")
        #expect(!x.messages.contains { $0.hasPrefix("Received response") })
        #expect(e.clock.millis == VirtualClock.sessionStart.millis + 1000)  // API Gateway stops waiting at the timeout
    }

    @Test func latencyExactlyAtTheIntegrationTimeoutIsServed() throws {
        // 988 ms in the function + the 12 ms invoke overhead = 1000 ms: not over the limit.
        let x = try env(Self.timeoutModel(1000), lambda: TestLambda(returning: "{}", durationMillis: 988)).send(request("GET", "/stage/slow"))
        #expect(x.status == 200)
        #expect(x.messages.contains("Received response. Status: 200, Integration latency: 1000 ms"))
    }

    /// A function that declares its own timeout (Lambda's default is 3 s).
    final class LongTimeoutLambda: LambdaInvoker, @unchecked Sendable {
        var seen: [Int] = []
        func hasFunction(_ name: String) -> Bool { true }
        func functionTimeoutMillis(_ name: String) -> Int? { 60_000 }
        func invoke(_ invocation: LambdaInvocation) -> LambdaResult {
            seen.append(invocation.timeoutMillis)
            return LambdaResult(outcome: .success(payload: "{}"), durationMillis: 35_000)
        }
    }

    @Test func functionTimeoutAboveTheDefaultIntegrationTimeoutStillGets504() throws {
        let fn = LongTimeoutLambda()
        let x = try env(Models.proxy(), lambda: fn).send(request("GET", "/stage/long"))
        #expect(fn.seen == [60_000])  // the function's own timeout reaches the invocation
        #expect(x.status == 504)  // but API Gateway gives up at 29 s (the default timeoutInMillis)
        #expect(x.bodyText == #"{"message": "Endpoint request timed out"}"#)
    }

    // MARK: - Malformed response → 502

    @Test(arguments: [
        #"{"statusCode": 200, "wrongValue": "value"}"#, #""justAString""#, #"{"statusCode": "test"}"#,
        #"{"statusCode": 200, "multiValueHeaders": {"test-multi-invalid": "value1"}}"#, "hello from some_text_handler",
    ])
    func malformedResponseIs502(_ payload: String) throws {
        let x = try send(TestLambda(returning: payload))
        #expect(x.status == 502)
        #expect(x.bodyText == Self.internalError)
        #expect(x.response?.body.count == 36)
        #expect(Array(x.messages.suffix(3)) == [
            "Endpoint response body before transformations: \(payload)",
            "Execution failed due to configuration error: Malformed Lambda proxy response",
            "Method completed with status: 502",
        ])
        #expect(x.trace.last?.stage == .integrationResponse)
        #expect(x.trace.last?.outcome == .failed)
    }

    // MARK: - 500s: the function cannot be invoked

    @Test func unknownFunctionIs500InvalidPermissions() throws {
        let fn = TestLambda(["other"]) { _ in LambdaResult(outcome: .success(payload: "{}")) }
        let x = try send(fn)
        #expect(x.status == 500)
        #expect(x.bodyText == Self.internalError)
        #expect(x.header("x-amzn-ErrorType") == "InternalServerErrorException")
        #expect(Array(x.messages.suffix(2)) == [
            "Execution failed due to configuration error: Invalid permissions on Lambda function",
            "Method completed with status: 500",
        ])
        #expect(fn.invocations.isEmpty)
    }

    @Test func noLambdaInvokerIs500() throws {
        let x = try env(Models.proxy()).send(request("GET", "/stage/test1"))
        #expect(x.status == 500)
        #expect(x.bodyText == Self.internalError)
        #expect(x.messages.suffix(2).first == "Execution failed due to configuration error: Invalid permissions on Lambda function")
    }

    /// lambda-payloads.md §6 rule 52 (recorded): an AWS_PROXY integration whose httpMethod is not POST → 500.
    @Test func nonPostIntegrationMethodIs500() throws {
        let fn = TestLambda(returning: "{}")
        let x = try send(fn, integrationMethod: "GET")
        #expect(x.status == 500)
        #expect(x.bodyText == Self.internalError)
        #expect(x.messages.last == "Method completed with status: 500")
        #expect(fn.invocations.isEmpty)
    }

    // MARK: - Binary responses (lambda-payloads.md §2.3 rule 24)

    static let base64Hello = #"{"statusCode": 200, "body": "aGVsbG8=", "isBase64Encoded": true}"#

    @Test(arguments: [
        ("[image/png]", "image/png", "hello"),
        ("[image/png]", "image/png, text/html", "hello"),
        ("[image/png]", "text/html, image/png", "aGVsbG8="),  // only the first Accept type counts
        ("[image/png]", nil, "aGVsbG8="),
        ("[image/png]", "IMAGE/PNG;q=0.9", "hello"),
        ("[]", "image/png", "aGVsbG8="),
        ("['*/*']", "application/json", "hello"),
    ] as [(String, String?, String)])
    func base64BodyIsDecodedOnlyForABinaryAccept(_ binary: String, _ accept: String?, _ body: String) throws {
        let headers = accept.map { [("Accept", $0)] } ?? []
        let x = try send(TestLambda(returning: Self.base64Hello), request("GET", "/stage/test1", headers: headers), binary: binary)
        #expect(x.status == 200)
        #expect(x.bodyText == body)
        #expect(x.header("Content-Length") == String(body.utf8.count))
    }

    @Test func invalidBase64WithBinaryAcceptIs500() throws {
        let x = try send(TestLambda(returning: #"{"body": "%%% not base64", "isBase64Encoded": true}"#),
                         request("GET", "/stage/test1", headers: [("Accept", "image/png")]), binary: "[image/png]")
        #expect(x.status == 500)
        #expect(x.bodyText == Self.internalError)
        #expect(x.header("x-amzn-ErrorType") == "InternalServerErrorException")
    }

    // MARK: - Cancellation inside the function

    @Test func cancelledInvocationEndsWithoutResponse() throws {
        let x = try send(TestLambda { _ in LambdaResult(outcome: .cancelled) })
        #expect(x.cancelled)
        #expect(x.response == nil)
        #expect(x.isFinished)
        #expect(x.trace.last?.stage == .integration)
        #expect(x.trace.last?.outcome == .cancelled)
        #expect(!x.messages.contains { $0.hasPrefix("Method completed") })
    }
}
