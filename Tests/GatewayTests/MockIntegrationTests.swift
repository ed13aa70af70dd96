import Gateway
import GatewayModel
import Testing

/// MOCK integrations: the status from the request template, integration-response selection (whole-string Java
/// regex, default response), configuration errors, templates (mapping.md §2–3; rest-request-flow.md §1.6, §5.3).
@Suite struct MockIntegrationTests {
    static let internalError = #"{"message": "Internal server error"}"#

    /// A MOCK `GET /x` whose request template is `template`; each integration response's template answers
    /// `{"from": "<status>"}` so the body shows which one was selected.
    static func model(template: String, responses: [(String, String?)], methodResponses: [String]) -> String {
        var s = """
            restApis:
              - id: m0ck5e1ect
                resources:
                  /x:
                    GET:
                      integration:
                        type: MOCK
                        requestTemplates:
                          application/json: '\(template)'
                        integrationResponses:

            """
        for (status, pattern) in responses {
            s += "              \"\(status)\":\n"
            if let pattern { s += "                selectionPattern: '\(pattern)'\n" }
            s += "                responseTemplates: {application/json: '{\"from\": \"\(status)\"}'}\n"
        }
        s += "          methodResponses:\n"
        for m in methodResponses { s += "            \"\(m)\": {}\n" }
        s += "    stages: [{stageName: dev}]\n"
        return s
    }

    enum Expected: Sendable {
        /// A normal response: the status and which integration response's template produced the body.
        case response(Int, from: String)
        /// A gateway 500 with this execution-log line before `Method completed with status: 500`.
        case failure(String)
    }

    struct Row: Sendable, CustomTestStringConvertible {
        let name: String
        let template: String
        let responses: [(String, String?)]
        let methodResponses: [String]
        let expected: Expected
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(name: #"2\d{2} matches the whole of 200"#, template: #"{"statusCode": 200}"#,
            responses: [("200", #"2\d{2}"#), ("500", nil)], methodResponses: ["200", "500"], expected: .response(200, from: "200")),
        Row(name: "2 does not match 200 (whole-string match): the default applies", template: #"{"statusCode": 200}"#,
            responses: [("201", "2"), ("500", nil)], methodResponses: ["201", "500"], expected: .response(500, from: "500")),
        Row(name: "20 does not match 200 either", template: #"{"statusCode": 200}"#,
            responses: [("201", "20"), ("202", nil)], methodResponses: ["201", "202"], expected: .response(202, from: "202")),
        Row(name: #"mapping §3.2 rule 28: 404 with 4\d{2} → 400"#, template: #"{"statusCode": 404}"#,
            responses: [("200", nil), ("400", #"4\d{2}"#)], methodResponses: ["200", "400"], expected: .response(400, from: "400")),
        Row(name: "mapping §3.2 rule 28: 201 falls to the default 200", template: #"{"statusCode": 201}"#,
            responses: [("200", nil), ("400", #"4\d{2}"#)], methodResponses: ["200", "400"], expected: .response(200, from: "200")),
        Row(name: "an empty selectionPattern is the default", template: #"{"statusCode": 200}"#,
            responses: [("200", "")], methodResponses: ["200"], expected: .response(200, from: "200")),
        Row(name: ".* matches and is not the default", template: #"{"statusCode": 200}"#,
            responses: [("299", ".*")], methodResponses: ["299"], expected: .response(299, from: "299")),
        Row(name: "several matches: gwsh takes the lowest status (AWS's order UNCONFIRMED)", template: #"{"statusCode": 200}"#,
            responses: [("500", ".*"), ("200", #"2\d{2}"#)], methodResponses: ["200", "500"], expected: .response(200, from: "200")),
        Row(name: "statusCode as a string", template: #"{"statusCode": "201"}"#,
            responses: [("200", nil), ("201", "201")], methodResponses: ["200", "201"], expected: .response(201, from: "201")),
        Row(name: "CDK's loose {statusCode: 404} (mapping §4.7 E)", template: "{statusCode: 404}",
            responses: [("200", nil), ("404", "404")], methodResponses: ["200", "404"], expected: .response(404, from: "404")),
        Row(name: "mapping §3.2 rule 25: no match and no default → 500", template: #"{"statusCode": 200}"#,
            responses: [("400", #"4\d{2}"#)], methodResponses: ["400"],
            expected: .failure("Execution failed due to configuration error: No match for output mapping and no default output mapping configured. Endpoint Response Status Code: 200")),
        Row(name: "no integration responses at all → 500", template: #"{"statusCode": 201}"#,
            responses: [], methodResponses: ["200"],
            expected: .failure("Execution failed due to configuration error: No match for output mapping and no default output mapping configured. Endpoint Response Status Code: 201")),
        Row(name: "mapping §3.2 rule 29: integration response without method response → 500", template: #"{"statusCode": 200}"#,
            responses: [("200", nil)], methodResponses: ["400"],
            expected: .failure("Execution failed due to configuration error: Output mapping refers to an invalid method response: 200")),
        Row(name: "selected pattern response without method response → 500", template: #"{"statusCode": 404}"#,
            responses: [("200", nil), ("400", #"4\d{2}"#)], methodResponses: ["200"],
            expected: .failure("Execution failed due to configuration error: Output mapping refers to an invalid method response: 400")),
        Row(name: "no readable statusCode (LocalStack's line, UNCONFIRMED)", template: #"{"foo": 1}"#,
            responses: [("200", nil)], methodResponses: ["200"],
            expected: .failure("Execution failed due to configuration error: Unable to parse statusCode.")),
    ]

    @Test(arguments: rows)
    func selection(_ row: Row) throws {
        let x = try env(Self.model(template: row.template, responses: row.responses, methodResponses: row.methodResponses))
            .send(request("GET", "/dev/x"))
        switch row.expected {
        case .response(let status, let from):
            #expect(x.status == status)
            #expect(x.bodyText == "{\"from\": \"\(from)\"}")
            #expect(x.header("x-amzn-ErrorType") == nil)
            #expect(x.header("Content-Type") == "application/json")
            #expect(x.messages.suffix(2) == ["Successfully completed execution", "Method completed with status: \(status)"])
            #expect(x.failure == nil)
        case .failure(let line):
            #expect(x.status == 500)
            #expect(x.bodyText == Self.internalError)
            #expect(x.response?.body.count == 36)
            #expect(x.header("x-amzn-ErrorType") == "InternalServerErrorException")
            #expect(Array(x.messages.suffix(2)) == [line, "Method completed with status: 500"])
            #expect(!x.messages.contains("Successfully completed execution"))
            #expect(x.failure?.type == .apiConfigurationError)
        }
    }

    // MARK: - Selection patterns (mapping.md §3.2 rules 21–23)

    @Test(arguments: [
        (#"2\d{2}"#, "200", true), ("2", "200", false), ("20", "200", false), ("200", "2000", false), ("200", "200", true),
        (#"4\d{2}"#, "404", true), (#"4\d{2}"#, "4040", false), (".*", "", true), (".+", "", false), ("(\\n|.)*", "a\nb", true),
        (".*Raising 400.*", "Error: Raising 400 from within the Lambda function", true),
        (#".*\[500\].*"#, "[500] first line\nsecond line", false),  // '.' does not match a newline
        ("Invalid*", "Invalid input", false), ("Invalid.*", "Invalid input", true),
        ("abc", "abc\n", false),  // `$` must not match before a final newline
        (#".*5\d\d.*"#, "status 503 here", true),
        (".*([01][0-9][0-9]|2[0-4][0-9]|25[0-5]).*", "249", true),
        ("a|b", "b", true), ("a|b", "ab", false),
        ("(", "(", false),  // an invalid pattern matches nothing
    ] as [(String, String, Bool)])
    func selectionPatternMatchesTheWholeString(_ pattern: String, _ s: String, _ matches: Bool) {
        #expect(SelectionPattern.matches(pattern, s) == matches)
    }

    // MARK: - Success

    @Test func mockSuccess() throws {
        let x = try env(Models.mock()).send(request("GET", "/dev/pets"))
        #expect(x.status == 200)
        #expect(x.bodyText == #"{"ok": true}"#)
        #expect(x.integrationStatus == "200")
        #expect(x.resourcePath == "/pets")
        #expect(x.httpMethod == "GET")
    }

    // MARK: - Request template selection and passthrough (mapping.md §2)

    static func passthroughModel(templates: String, behaviour: String) -> String {
        #"""
        restApis:
          - id: m0ck5e1ect
            resources:
              /x:
                POST:
                  integration:
                    type: MOCK
                    passthroughBehavior: \#(behaviour)
                    requestTemplates: \#(templates)
                    integrationResponses:
                      "200": {}
                      "202": {selectionPattern: "202"}
                  methodResponses: {"200": {}, "202": {}}
            stages: [{stageName: dev}]
        """#
    }

    struct PassRow: Sendable, CustomTestStringConvertible {
        let templates: String
        let behaviour: String
        let contentType: String?
        let status: Int
        var testDescription: String { "\(templates) \(behaviour) \(contentType ?? "no Content-Type") → \(status)" }
    }

    /// The body sent is `{"statusCode": 202}`; templates answer 200 — so 202 means "passed through".
    @Test(arguments: [
        PassRow(templates: "{}", behaviour: "WHEN_NO_MATCH", contentType: "application/json", status: 202),
        PassRow(templates: "{}", behaviour: "WHEN_NO_TEMPLATES", contentType: "application/json", status: 202),
        PassRow(templates: "{}", behaviour: "NEVER", contentType: "application/json", status: 415),
        PassRow(templates: #"{application/json: '{"statusCode": 200}'}"#, behaviour: "NEVER", contentType: "application/json", status: 200),
        PassRow(templates: #"{application/json: '{"statusCode": 200}'}"#, behaviour: "NEVER", contentType: "application/json; charset=UTF-8", status: 200),
        PassRow(templates: #"{application/json: '{"statusCode": 200}'}"#, behaviour: "NEVER", contentType: nil, status: 200),
        PassRow(templates: #"{application/xml: '{"statusCode": 200}'}"#, behaviour: "WHEN_NO_MATCH", contentType: "application/json", status: 202),
        PassRow(templates: #"{application/xml: '{"statusCode": 200}'}"#, behaviour: "WHEN_NO_TEMPLATES", contentType: "application/json", status: 415),
        PassRow(templates: #"{application/xml: '{"statusCode": 200}'}"#, behaviour: "NEVER", contentType: "text/plain", status: 415),
    ])
    func requestTemplateOrPassthrough(_ row: PassRow) throws {
        let headers = row.contentType.map { [("Content-Type", $0)] } ?? []
        let x = try env(Self.passthroughModel(templates: row.templates, behaviour: row.behaviour))
            .send(request("POST", "/dev/x", headers: headers, body: #"{"statusCode": 202}"#))
        #expect(x.status == row.status)
        if row.status == 415 {
            #expect(x.failure?.type == .unsupportedMediaType)
            #expect(x.trace.last?.stage == .integrationRequest)
        }
    }
}
