import Foundation
import Gateway
import GatewayModel
import Testing

/// Customised gateway responses (rest-request-flow.md §3.1 rules 49–51, §3.2 rules 53–57).
@Suite struct CustomGatewayResponseTests {
    static func model(_ gatewayResponses: String) -> String {
        """
        restApis:
          - id: gw4yr3sp0n
            resources:
              /items/{id}:
                GET:
                  integration:
                    type: MOCK
                    requestTemplates: {application/json: '{"statusCode": 503}'}
                    integrationResponses: {"200": {statusCode: "200", selectionPattern: "2\\\\d{2}"}}
                  methodResponses: {"200": {}}
            gatewayResponses:
        \(gatewayResponses)
            stages: [{stageName: dev, variables: {a: alpha}}]
        """
    }

    /// The type's own customisation: status, headers from parameters, and a template with plain substitution.
    @Test func ownCustomisation() throws {
        let yaml = Self.model(#"""
                  MISSING_AUTHENTICATION_TOKEN:
                    statusCode: "404"
                    responseParameters:
                      gatewayresponse.header.Access-Control-Allow-Origin: "'*'"
                      gatewayresponse.header.X-Request: method.request.header.X-Request
                      gatewayresponse.header.X-Absent: method.request.header.X-Absent
                    responseTemplates:
                      application/json: '{"error": $context.error.messageString, "type": "$context.error.responseType", "stage": "$context.stage", "sv": "$stageVariables.a", "statusCode": "''404''"}'
            """#)
        let x = try env(yaml).send(request("GET", "/dev/nowhere", headers: [("X-Request", "r-1")]))
        let r = try #require(x.response)
        #expect(r.status == 404)
        #expect(r.bodyText == #"{"error": "Missing Authentication Token", "type": "MISSING_AUTHENTICATION_TOKEN", "stage": "dev", "sv": "alpha", "statusCode": "'404'"}"#)
        #expect(r.headers["Access-Control-Allow-Origin"] == "*")
        #expect(r.headers["X-Request"] == "r-1")
        #expect(!r.headers.contains("X-Absent"))
        #expect(r.headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException")
        #expect(r.headers["Content-Length"] == String(r.body.count))
        #expect(x.trace.last?.why?.contains("header omitted") == true)
    }

    /// DEFAULT_5XX customised: a 5XX type without its own customisation takes its status and template (rule 50).
    @Test func defaultFiveXXIsInherited() throws {
        let yaml = Self.model(#"""
                  DEFAULT_5XX:
                    statusCode: "599"
                    responseTemplates: {application/json: '{"oops": $context.error.messageString, "rid": "$context.requestId"}'}
            """#)
        let x = try env(yaml).send(request("GET", "/dev/items/7"))
        // MOCK 503 matches no pattern and there is no default: API_CONFIGURATION_ERROR (mapping.md §3.2 rule 25).
        #expect(x.failure?.type == .apiConfigurationError)
        #expect(x.response?.status == 599)
        #expect(x.response?.bodyText == #"{"oops": "Internal server error", "rid": "\#(x.requestId)"}"#)
        #expect(x.messages.last == "Method completed with status: 599")
        // 4XX errors are untouched.
        let y = try env(yaml).send(request("GET", "/dev/nowhere"))
        #expect(y.response?.status == 403)
        #expect(y.response?.bodyText == #"{"message":"Missing Authentication Token"}"#)
    }

    /// A customisation with only parameters keeps the default status and body (rule 51).
    @Test func parametersOnlyKeepTheDefaultBody() throws {
        let yaml = Self.model(#"""
                  DEFAULT_4XX:
                    responseParameters: {gatewayresponse.header.Access-Control-Allow-Origin: "'https://example.com'"}
            """#)
        let x = try env(yaml).send(request("GET", "/dev/nowhere"))
        #expect(x.response?.status == 403)
        #expect(x.response?.bodyText == #"{"message":"Missing Authentication Token"}"#)
        #expect(x.response?.headers["Access-Control-Allow-Origin"] == "https://example.com")
    }

    /// Gateway response templates are not Velocity: directives stay as written, only variables are replaced (rule 54).
    @Test func templatesAreSubstitutionOnly() throws {
        let yaml = Self.model(#"""
                  MISSING_AUTHENTICATION_TOKEN:
                    responseTemplates: {application/json: '#if($x)y#end ${context.error.message} $util.x $context.nothing. costs $5'}
            """#)
        let x = try env(yaml).send(request("GET", "/dev/nowhere"))
        #expect(x.response?.bodyText == "#if($x)y#end Missing Authentication Token $util.x . costs $5")
    }
}
