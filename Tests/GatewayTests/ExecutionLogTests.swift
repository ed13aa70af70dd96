import Foundation
import Gateway
import GatewayModel
import Testing

/// Execution-log formats: dates, truncation, Java maps, masking, and the MOCK line sequence (rest-request-flow.md §5).
@Suite struct ExecutionLogTests {
    // MARK: - Dates

    @Test func sessionStartFormats() {
        let c = VirtualClock.sessionStart
        #expect(c.millis == 1_772_712_000_000)
        #expect(c.javaDateString == "Thu Mar 05 12:00:00 UTC 2026")
        #expect(c.httpDate == "Thu, 05 Mar 2026 12:00:00 GMT")
        #expect(c.clfDate == "05/Mar/2026:12:00:00 +0000")
        #expect(c.amzDate == "20260305T120000Z")
        #expect(c.iso8601 == "2026-03-05T12:00:00Z")
        #expect(c.iso8601Millis == "2026-03-05T12:00:00.000Z")
    }

    /// Java's Date.toString(): zero-padded day, 24-hour clock, literal UTC (rule 78; README exact string 17).
    @Test(arguments: [
        ("2022-03-05T15:47:32Z", "Sat Mar 05 15:47:32 UTC 2022"),
        ("2025-09-29T19:28:50Z", "Mon Sep 29 19:28:50 UTC 2025"),
        ("2026-01-01T00:00:00Z", "Thu Jan 01 00:00:00 UTC 2026"),
        ("2024-02-29T23:59:59.999Z", "Thu Feb 29 23:59:59 UTC 2024"),
    ] as [(String, String)])
    func javaDateString(_ iso: String, _ expected: String) throws {
        let c = try #require(VirtualClock.parse(iso))
        #expect(c.javaDateString == expected)
    }

    @Test func clockParsingAndMillis() throws {
        #expect(VirtualClock.parse("2026-03-05T12:00:00Z") == .sessionStart)
        #expect(VirtualClock.parse("2026-03-05")?.millis == 1_772_668_800_000)
        #expect(VirtualClock.parse("2026-03-05T12:00:01.5Z")?.iso8601 == "2026-03-05T12:00:01.500Z")
        #expect(VirtualClock.parse("yesterday") == nil)
        var c = VirtualClock.sessionStart
        c.advance(millis: 1500)
        #expect(c.iso8601Millis == "2026-03-05T12:00:01.500Z")
        c.advance(millis: -10)  // time never goes back
        #expect(c.millis == VirtualClock.sessionStart.millis + 1500)
    }

    @Test(arguments: [("500ms", 500), ("2s", 2000), ("1.5s", 1500), ("10m", 600_000), ("1h", 3_600_000), ("1d", 86_400_000)] as [(String, Int64)])
    func durations(_ s: String, _ ms: Int64) {
        #expect(VirtualClock.parseDuration(s) == ms)
    }

    @Test(arguments: ["", "5", "-1s", "abc", "1x"])
    func badDurations(_ s: String) {
        #expect(VirtualClock.parseDuration(s) == nil)
    }

    // MARK: - Truncation (rule 80)

    @Test(arguments: [0, 1, 1023, 1024])
    func shortMessagesAreKept(_ n: Int) {
        let s = String(repeating: "x", count: n)
        #expect(AWSLog.truncated(s) == s)
    }

    @Test(arguments: [1025, 1036, 5000])
    func longMessagesAreCutAt1024(_ n: Int) {
        let s = String((0..<n).map { Character(UnicodeScalar(UInt8(97 + $0 % 26))) })
        let t = AWSLog.truncated(s)
        #expect(t == String(s.prefix(1024)) + " [TRUNCATED]")
        #expect(t.count == 1036)
    }

    // MARK: - Java maps (rule 79) and masking (rule 81)

    @Test func javaMapFormat() {
        #expect(AWSLog.javaMap([]) == "{}")
        #expect(AWSLog.javaMap([("petId", "123")]) == "{petId=123}")
        #expect(AWSLog.javaMap([("Accept", "application/json, text/plain, */*"), ("Debug-Log-Enabled", "false")])
                == "{Accept=application/json, text/plain, */*, Debug-Log-Enabled=false}")
        #expect(AWSLog.javaMap([("k", ""), ("q", "\"x\"")]) == "{k=, q=\"x\"}")  // no quoting, no escaping
    }

    @Test(arguments: [
        ("AKIAIOSFODNN7EXAMPLE", "**************XAMPLE"),
        ("1234567", "*234567"),
        ("123456", "123456"),
        ("abc", "abc"),
        ("", ""),
    ] as [(String, String)])
    func maskKeepsTheLastSix(_ s: String, _ masked: String) {
        #expect(AWSLog.mask(s) == masked)
        #expect(AWSLog.mask(s).count == s.count)
    }

    // MARK: - The AWS strings

    @Test func usagePlanLinesKeepBothSpacesWithoutAKey() {
        #expect(AWSLog.verifyingUsagePlan(requestId: "r1", maskedKey: "", apiId: "h733q2j6gb", stage: "Prod")
                == "Verifying Usage Plan for request: r1. API Key:  API Stage: h733q2j6gb/Prod")
        #expect(AWSLog.keyNotRequired(maskedKey: "", method: "POST", resourcePath: "/verifyReceipt")
                == "API Key  authorized because method 'POST /verifyReceipt' does not require API Key. Request will not contribute to throttle or quota limits")
        #expect(AWSLog.usagePlanSucceeded(maskedKey: "", apiId: "h733q2j6gb", stage: "Prod")
                == "Usage Plan check succeeded for API Key  and API Stage h733q2j6gb/Prod")
    }

    @Test func configurationErrorStrings() {
        #expect(AWSLog.malformedProxyResponse == "Execution failed due to configuration error: Malformed Lambda proxy response")
        #expect(AWSLog.lambdaFunctionError(message: "boom", lambdaRequestId: "abc")
                == "Lambda execution failed with status 200 due to customer function error: boom. Lambda request id: abc")
        #expect(AWSLog.noOutputMapping(status: "400")
                == "Execution failed due to configuration error: No match for output mapping and no default output mapping configured. Endpoint Response Status Code: 400")
        #expect(AWSLog.invalidMethodResponse(status: "404") == "Execution failed due to configuration error: Output mapping refers to an invalid method response: 404")
        #expect(AWSLog.invalidLambdaPermissions == "Execution failed due to configuration error: Invalid permissions on Lambda function")
        #expect(AWSLog.integrationEndpointRequestId("x") == "AWS Integration Endpoint RequestId : x")
        #expect(AWSLog.xrayTracingId("1-a-b") == "X-ray Tracing ID : 1-a-b")
        #expect(AWSLog.methodCompleted(status: 502) == "Method completed with status: 502")
        #expect(AWSLog.receivedResponse(status: 200, latencyMillis: 241) == "Received response. Status: 200, Integration latency: 241 ms")
        #expect(LambdaText.taskTimedOut(isoDate: "2019-02-26T15:29:43.123Z", requestId: "57593f79", afterMillis: 10000)
                == "2019-02-26T15:29:43.123Z 57593f79 Task timed out after 10.00 seconds")
        #expect(LambdaText.invokeURL(region: "eu-west-2", account: "958845080241", function: "f")
                == "https://lambda.eu-west-2.amazonaws.com/2015-03-31/functions/arn:aws:lambda:eu-west-2:958845080241:function:f/invocations")
    }

    // MARK: - The MOCK line sequence (rest-request-flow.md §5.3)

    @Test func mockLogMatchesTheRecordedLineSet() throws {
        let x = try env(Models.mock(endpoint: "REGIONAL")).send(request("POST", "/dev/pets/123", body: #"{"foo": "bar"}"#))
        #expect(x.status == 200)
        #expect(x.bodyText == #"{"petId": "123"}"#)
        let id = x.requestId
        #expect(x.messages == [
            "Verifying Usage Plan for request: \(id). API Key:  API Stage: a1b2c3d4e5/dev",
            "API Key  authorized because method 'POST /pets/{petId}' does not require API Key. Request will not contribute to throttle or quota limits",
            "Usage Plan check succeeded for API Key  and API Stage a1b2c3d4e5/dev",
            // §5.3's lines from here on.
            "Starting execution for request: \(id)",
            "HTTP Method: POST, Resource Path: /pets/123",
            "Method request path: {petId=123}",
            "Method request query string: {}",
            "Method request headers: {Host=a1b2c3d4e5.execute-api.us-east-1.amazonaws.com, X-Amzn-Trace-Id=\(x.edge.traceId), X-Forwarded-For=203.0.113.10, X-Forwarded-Port=443, X-Forwarded-Proto=https}",
            #"Method request body before transformations: {"foo": "bar"}"#,
            #"Method response body after transformations: {"petId": "123"}"#,
            "Method response headers: {Content-Type=application/json}",
            "Successfully completed execution",
            "Method completed with status: 200",
        ])
        // MOCK has no endpoint lines (rule 85).
        #expect(!x.messages.contains { $0.hasPrefix("Endpoint ") || $0.hasPrefix("Sending request") || $0.hasPrefix("Received response") })
    }

    @Test func mockQueryStringLine() throws {
        let x = try env(Models.mock()).send(request("POST", "/dev/pets/123?foo=bar", body: "{}"))
        #expect(x.messages.contains("Method request query string: {foo=bar}"))
    }

    @Test func awsFormatPrefixesEveryLineWithTheJavaDate() throws {
        let x = try env(Models.mock()).send(request("GET", "/dev/pets"))
        let lines = ExecutionLog.awsFormat(x)
        #expect(lines.count == x.messages.count)
        #expect(lines.first == "Thu Mar 05 12:00:00 UTC 2026 : Verifying Usage Plan for request: \(x.requestId). API Key:  API Stage: a1b2c3d4e5/dev")
        #expect(lines.last == "Thu Mar 05 12:00:00 UTC 2026 : Method completed with status: 200")
        for (line, message) in zip(lines, x.messages) { #expect(line == "Thu Mar 05 12:00:00 UTC 2026 : " + message) }
    }

    @Test func cloudWatchFormatForMock() throws {
        let x = try env(Models.mock()).send(request("GET", "/dev/pets"))
        let cw = ExecutionLog.cloudWatchFormat(x)
        let p = "(\(x.requestId)) "
        #expect(cw.first == p + "Extended Request Id: \(x.extendedRequestId)")
        #expect(cw.dropFirst().first == p + x.messages[0])
        // No Lambda: no integration-endpoint trailer; the X-ray trailer is the root without `Root=`.
        let root = String(x.edge.traceId.dropFirst("Root=".count))
        #expect(cw.last == "\(p)X-ray Tracing ID : \(root)")
        #expect(!cw.contains { $0.contains("AWS Integration Endpoint RequestId") })
        #expect(cw.count == x.log.count + 1)
    }

    @Test func longMethodRequestBodyIsTruncated() throws {
        let body = String(repeating: "b", count: 2000)
        let x = try env(Models.mock()).send(request("POST", "/dev/pets/123", body: body))
        let line = try #require(x.messages.first { $0.hasPrefix("Method request body before transformations: ") })
        #expect(line == String(("Method request body before transformations: " + body).prefix(1024)) + " [TRUNCATED]")
    }
}
