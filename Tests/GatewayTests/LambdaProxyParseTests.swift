import Gateway
import GatewayModel
import Testing

/// The proxy response contract: every recorded row of lambda-payloads.md §2.2, and rules 17–24.
@Suite struct LambdaProxyParseTests {
    enum Outcome: Sendable {
        /// Status, headers as "Name: value" (grouped by name in `grouped`), body text.
        case ok(Int, [(String, String)], String)
        case malformed
        case invalidBase64
    }

    struct Row: Sendable, CustomTestStringConvertible {
        let key: String
        let payload: String
        let acceptsBinary: Bool
        let expected: Outcome
        init(_ key: String, _ payload: String, binary: Bool = false, _ expected: Outcome) {
            self.key = key
            self.payload = payload
            self.acceptsBinary = binary
            self.expected = expected
        }
        var testDescription: String { key }
    }

    static let json = ("Content-Type", "application/json")

    static let rows: [Row] = [
        // lambda-payloads.md §2.2, recorded (key names as recorded).
        Row("invoke-api-no-body", #"{"statusCode": 200}"#, .ok(200, [json], "")),
        Row("invoke-api-with-headers", #"{"statusCode": 200, "headers": {"test-header": "value", "header-bool": true}}"#,
            .ok(200, [json, ("test-header", "value"), ("header-bool", "true")], "")),
        Row("invoke-api-with-headers-null", #"{"statusCode": 200, "headers": null}"#, .ok(200, [json], "")),
        Row("invoke-api-wrong-format", #"{"statusCode": 200, "wrongValue": "value"}"#, .malformed),
        Row("invoke-api-b64-encoded-true", #"{"statusCode": 200, "body": "dGVzdC1kYXRh", "isBase64Encoded": true}"#,
            .ok(200, [json], "dGVzdC1kYXRh")),
        Row("invoke-api-b64-encoded-false", #"{"statusCode": 200, "body": "dGVzdC1kYXRh"}"#, .ok(200, [json], "dGVzdC1kYXRh")),
        Row("invoke-api-multi-headers-valid", #"{"statusCode": 200, "multiValueHeaders": {"test-multi": ["value1", "value2"]}}"#,
            .ok(200, [json, ("test-multi", "value1"), ("test-multi", "value2")], "")),
        Row("invoke-api-multi-headers-overwrite", #"{"statusCode": 200, "multiValueHeaders": {"test-multi": ["value-multi"]}, "headers": {"test-multi": "value-solo"}}"#,
            .ok(200, [json, ("test-multi", "value-multi"), ("test-multi", "value-solo")], "")),
        Row("invoke-api-multi-headers-overwrite-casing", #"{"statusCode": 200, "multiValueHeaders": {"tesT-Multi": ["value-multi"]}, "headers": {"test-multi": "value-solo"}}"#,
            .ok(200, [json, ("tesT-Multi", "value-multi"), ("tesT-Multi", "value-solo")], "")),
        Row("invoke-api-multi-headers-invalid", #"{"statusCode": 200, "multiValueHeaders": {"test-multi-invalid": "value1"}}"#, .malformed),
        Row("invoke-api-invalid-status-code", #"{"statusCode": "test"}"#, .malformed),
        Row("invoke-api-status-code-str", #"{"statusCode": "201"}"#, .ok(201, [json], "")),
        Row("invoke-api-just-string", #""justAString""#, .malformed),
        Row("invoke-api-only-headers", #"{"headers": {"test-header": "value"}}"#, .ok(200, [json, ("test-header", "value")], "")),
        // Also recorded (§2.2 notes).
        Row("empty object", "{}", .ok(200, [json], "")),
        Row("proxy ignores integration responses: 300 application/xml",
            #"{"isBase64Encoded": false, "statusCode": 300, "headers": {"content-type": "application/xml"}, "body": "<message>completed</message>"}"#,
            .ok(300, [("content-type", "application/xml")], "<message>completed</message>")),
        Row("rest-request-flow §5.4: text/plain wins", #"{"statusCode": 200, "headers": {"Content-Type": "text/plain"}, "body": "Hello, CDK! You have hit /test1\n"}"#,
            .ok(200, [("Content-Type", "text/plain")], "Hello, CDK! You have hit /test1\n")),

        // Rule 17: every key optional.
        Row("rule 17: only a body", #"{"body": "hi"}"#, .ok(200, [json], "hi")),
        // Rule 18: unknown keys, `cookies` included (UNCONFIRMED → 502).
        Row("rule 18: cookies is unknown on REST", #"{"statusCode": 200, "cookies": ["a=b"]}"#, .malformed),
        Row("rule 18: unknown key alone", #"{"foo": 1}"#, .malformed),
        // Rule 19: statusCode.
        Row("rule 19: statusCode number 201", #"{"statusCode": 201}"#, .ok(201, [json], "")),
        Row("rule 19: statusCode string 404", #"{"statusCode": "404"}"#, .ok(404, [json], "")),
        Row("rule 19: statusCode empty string", #"{"statusCode": ""}"#, .malformed),
        Row("rule 19: statusCode with a letter O", #"{"statusCode": "2O0"}"#, .malformed),
        Row("rule 19: statusCode a list", #"{"statusCode": [200]}"#, .malformed),
        // Rule 20: header values.
        Row("rule 20: false renders false", #"{"headers": {"x-flag": false}}"#, .ok(200, [json, ("x-flag", "false")], "")),
        Row("rule 20: number header value (3P → 502)", #"{"headers": {"x-n": 1}}"#, .malformed),
        Row("rule 20: object header value (3P → 502)", #"{"headers": {"x-o": {}}}"#, .malformed),
        Row("rule 20: headers a list", #"{"headers": ["a"]}"#, .malformed),
        // Rule 21: multiValueHeaders must hold lists; merge multi first, then single, multi's spelling.
        Row("rule 21: multiValueHeaders null", #"{"multiValueHeaders": null}"#, .ok(200, [json], "")),
        Row("rule 21: multiValueHeaders value an object", #"{"multiValueHeaders": {"a": {"b": "c"}}}"#, .malformed),
        Row("rule 21: multiValueHeaders a list", #"{"multiValueHeaders": ["a"]}"#, .malformed),
        Row("rule 21: identical pair appears once", #"{"multiValueHeaders": {"X-A": ["1", "2"]}, "headers": {"x-a": "1"}}"#,
            .ok(200, [json, ("X-A", "1"), ("X-A", "2")], "")),
        Row("rule 21: single after all multi values", #"{"headers": {"x-a": "3"}, "multiValueHeaders": {"X-A": ["1", "2"]}}"#,
            .ok(200, [json, ("X-A", "1"), ("X-A", "2"), ("X-A", "3")], "")),
        Row("rule 21: Content-Type in multiValueHeaders stops the default", #"{"multiValueHeaders": {"content-TYPE": ["text/html"]}}"#,
            .ok(200, [("content-TYPE", "text/html")], "")),
        // Rule 22: body must be a string; a bare value is not a response.
        Row("rule 22: body an object (→ 502)", #"{"body": {"a": 1}}"#, .malformed),
        Row("rule 22: body a number (→ 502)", #"{"body": 1}"#, .malformed),
        Row("rule 22: bare number", "42", .malformed),
        Row("rule 22: bare list", #"[{"statusCode": 200}]"#, .malformed),
        Row("rule 22: null", "null", .malformed),
        Row("not JSON at all", "hello from some_text_handler", .malformed),
        Row("empty payload", "", .malformed),
        // Rule 24: base64 decoded only when the first Accept type is binary.
        Row("rule 24: decoded with a binary Accept", #"{"statusCode": 200, "body": "dGVzdC1kYXRh", "isBase64Encoded": true}"#, binary: true,
            .ok(200, [json], "test-data")),
        Row("rule 24: not base64-flagged stays verbatim with a binary Accept", #"{"body": "dGVzdC1kYXRh"}"#, binary: true,
            .ok(200, [json], "dGVzdC1kYXRh")),
        Row("rule 24: invalid base64 with a binary Accept → 500", #"{"body": "%%% not base64", "isBase64Encoded": true}"#, binary: true,
            .invalidBase64),
        Row("rule 24: invalid base64 without a binary Accept is verbatim", #"{"body": "%%% not base64", "isBase64Encoded": true}"#,
            .ok(200, [json], "%%% not base64")),
    ]

    @Test(arguments: rows)
    func parse(_ row: Row) {
        let result = LambdaProxy.parse(payload: row.payload, acceptsBinary: row.acceptsBinary)
        switch (row.expected, result) {
        case let (.ok(status, headers, body), .success(r)):
            #expect(r.statusCode == status)
            #expect(grouped(r.headers) == grouped(headers.map { (name: $0.0, value: $0.1) }))
            #expect(String(decoding: r.body, as: UTF8.self) == body)
        case (.malformed, .failure(.malformed(let why))):
            #expect(!why.isEmpty)
        case (.invalidBase64, .failure(.invalidBase64)):
            break
        default:
            Issue.record("expected \(row.expected), got \(result)")
        }
    }

    @Test func defaultContentTypeComesFirst() throws {
        let r = try LambdaProxy.parse(payload: #"{"headers": {"b": "1"}, "multiValueHeaders": {"a": ["2"]}}"#, acceptsBinary: false).get()
        #expect(r.headers.map { "\($0.name): \($0.value)" } == ["Content-Type: application/json", "a: 2", "b: 1"])
    }

    @Test func decodedBinaryBodyIsRawBytes() throws {
        // 0xFF 0x00 0x10 is not UTF-8: the bytes must pass unchanged.
        let r = try LambdaProxy.parse(payload: #"{"body": "/wAQ", "isBase64Encoded": true}"#, acceptsBinary: true).get()
        #expect(r.body == [0xFF, 0x00, 0x10])
    }

    @Test func malformedReasonNamesTheProblem() {
        guard case .failure(.malformed(let why)) = LambdaProxy.parse(payload: #"{"statusCode": 200, "wrongValue": "value"}"#, acceptsBinary: false) else {
            Issue.record("expected malformed")
            return
        }
        #expect(why.contains("wrongValue"))
    }
}
