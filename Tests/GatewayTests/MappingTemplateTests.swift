import Foundation
import Gateway
import GatewayModel
import Testing

/// Mapping templates in the pipeline: $input/$context/$util as AWS has them, overrides, failures
/// (reference/mapping.md §3.5, §4).
@Suite struct MappingTemplateTests {
    static let petModel = #"""
        restApis:
          - id: m0ck5e1ect
            resources:
              /pets/{petId}:
                POST:
                  integration:
                    type: MOCK
                    requestTemplates: {application/json: '{"statusCode": 200}'}
                    integrationResponses:
                      "200":
                        responseTemplates:
                          application/json: |-
                            {"petId": "$input.params('petId')", "q": "$input.params('q')", "stage": "$context.stage", "missing": "$context.nothing"}
                  methodResponses: {"200": {}}
            stages: [{stageName: dev, variables: {color: blue}}]
        """#

    @Test func responseTemplateReadsParamsAndContext() throws {
        let x = try env(Self.petModel).send(request("POST", "/dev/pets/123?q=a&q=b", body: #"{"foo": "bar"}"#))
        #expect(x.response?.status == 200)
        // A repeated query key gives its last value; an unknown $context member renders nothing (mapping.md §4.5 rule 49).
        #expect(x.response?.bodyText == #"{"petId": "123", "q": "b", "stage": "dev", "missing": ""}"#)
        let event = try #require(x.events(for: .integrationResponse).last)
        #expect(event.field("template") == "application/json")
    }

    /// The MOCK status comes from the rendered request template: a template that computes it selects the response.
    @Test func mockStatusFromARenderedTemplate() throws {
        let yaml = #"""
            restApis:
              - id: m0ck5e1ect
                resources:
                  /x:
                    GET:
                      integration:
                        type: MOCK
                        requestTemplates:
                          application/json: |-
                            #if($input.params('fail') == "yes")#set($code = 404)#else#set($code = 200)#end
                            {"statusCode": $code}
                        integrationResponses:
                          "200": {}
                          "404": {selectionPattern: "404", responseTemplates: {application/json: '{"error": "not found"}'}}
                      methodResponses: {"200": {}, "404": {}}
                stages: [{stageName: dev}]
            """#
        let e = try env(yaml)
        #expect(e.send(request("GET", "/dev/x")).response?.status == 200)
        let failed = e.send(request("GET", "/dev/x?fail=yes"))
        #expect(failed.response?.status == 404)
        #expect(failed.response?.bodyText == #"{"error": "not found"}"#)
    }

    /// A request template may set the response's status and headers; they apply with no response template and
    /// no method response of that status (mapping.md §3.5 rule 36 [REC status 444]).
    @Test func responseOverrideFromTheRequestTemplate() throws {
        let yaml = #"""
            restApis:
              - id: m0ck5e1ect
                resources:
                  /x:
                    GET:
                      integration:
                        type: MOCK
                        requestTemplates:
                          application/json: |-
                            {"statusCode": 200}
                            #set($context.responseOverride.status = 444)
                            #set($context.responseOverride.header.foo = "bar")
                        integrationResponses: {"200": {}}
                      methodResponses: {"200": {}}
                stages: [{stageName: dev}]
            """#
        let x = try env(yaml).send(request("GET", "/dev/x"))
        #expect(x.response?.status == 444)
        #expect(x.response?.headers["foo"] == "bar")
        #expect(x.response?.bodyText == "")
        #expect(x.messages.contains("Method completed with status: 444"))
    }

    /// What a request template puts in requestOverride is readable in the response template (rule 46).
    @Test func requestOverrideSurvivesToTheResponseTemplate() throws {
        let yaml = #"""
            restApis:
              - id: m0ck5e1ect
                resources:
                  /x:
                    POST:
                      integration:
                        type: MOCK
                        requestTemplates:
                          application/json: |-
                            #set($context.requestOverride.path.body = $input.body)
                            #set($context.requestOverride.querystring["q"] = "v")
                            {"statusCode": 200}
                        integrationResponses:
                          "200": {responseTemplates: {application/json: '$context.requestOverride.path.body|$context.requestOverride.querystring.q'}}
                      methodResponses: {"200": {}}
                stages: [{stageName: dev}]
            """#
        let x = try env(yaml).send(request("POST", "/dev/x", body: #"{"a":1}"#))
        #expect(x.response?.bodyText == #"{"a":1}|v"#)
    }

    /// A status override outside 100–599 is ignored, and the trace says why (rule 48, UNCONFIRMED on AWS).
    @Test func anInvalidStatusOverrideIsIgnored() throws {
        let yaml = #"""
            restApis:
              - id: m0ck5e1ect
                resources:
                  /x:
                    GET:
                      integration:
                        type: MOCK
                        requestTemplates: {application/json: '{"statusCode": 200}'}
                        integrationResponses:
                          "200": {responseTemplates: {application/json: '#set($context.responseOverride.status = "teapot")ok'}}
                      methodResponses: {"200": {}}
                stages: [{stageName: dev}]
            """#
        let x = try env(yaml).send(request("GET", "/dev/x"))
        #expect(x.response?.status == 200)
        #expect(x.response?.bodyText == "ok")
        #expect(x.events(for: .methodResponse).last?.why?.contains("is ignored") == true)
    }

    /// A template that cannot parse fails the request with 500 and the template's line:column in the trace
    /// (AWS's exact answer is UNCONFIRMED: mapping.md §4.6 rule 54).
    @Test func aBrokenTemplateIs500WithItsPosition() throws {
        let yaml = #"""
            restApis:
              - id: m0ck5e1ect
                resources:
                  /x:
                    GET:
                      integration:
                        type: MOCK
                        requestTemplates:
                          application/json: |-
                            {"statusCode": 200}
                            #if($x
                        integrationResponses: {"200": {}}
                      methodResponses: {"200": {}}
                stages: [{stageName: dev}]
            """#
        let x = try env(yaml).send(request("GET", "/dev/x"))
        #expect(x.response?.status == 500)
        #expect(x.response?.bodyText == #"{"message": "Internal server error"}"#)
        let why = try #require(x.failure?.why)
        #expect(why.contains("request template application/json"))
        #expect(why.contains("template line 2"))
        #expect(x.events(for: .integration).isEmpty)
    }

    /// $input.path over a non-proxy Lambda's answer: objects print as {k=v}, arrays as JSON (rule 42).
    @Test func inputPathPrintsLikeAWS() throws {
        let yaml = #"""
            restApis:
              - id: l4mbd4vtl0
                resources:
                  /x:
                    GET:
                      integration:
                        type: AWS
                        uri: lambda:fn
                        integrationResponses:
                          "200": {responseTemplates: {application/json: '$input.path("$.a")|$input.path("$.l")|$input.json("$.a")|$input.path("$.none")|#if($input.path("$.none") == "")empty#end'}}
                      methodResponses: {"200": {}}
                stages: [{stageName: dev}]
            """#
        let fn = TestLambda(returning: #"{"a": {"k": "v", "n": 1}, "l": [{"x": 1}, "s"]}"#)
        let x = try env(yaml, lambda: fn).send(request("GET", "/dev/x"))
        #expect(x.response?.bodyText == #"{k=v, n=1}|[{"x":1},"s"]|{"k":"v","n":1}||empty"#)
    }

    static func mock(requestTemplate: String) -> String {
        """
        restApis:
          - id: m0ck5e1ect
            resources:
              /x:
                POST:
                  integration:
                    type: MOCK
                    requestTemplates:
                      application/json: '\(requestTemplate.replacingOccurrences(of: "'", with: "''"))'
                    integrationResponses: {"200": {responseTemplates: {application/json: '$input.path(''$'')'}}}
                  methodResponses: {"200": {}}
            stages: [{stageName: dev}]
        """
    }

    /// "Overrides are final": a second write is a 5XX (mapping.md §4.4 rule 47 [DOC D9]).
    @Test func anOverrideSetTwiceFailsTheRequest() throws {
        let x = try env(Self.mock(requestTemplate: #"#set($context.responseOverride.status = 400)#set($context.responseOverride.status = 401){"statusCode": 200}"#))
            .send(request("POST", "/dev/x"))
        #expect(x.response?.status == 500)
        #expect(x.failure?.why.contains("responseOverride.status set more than once") == true)
    }

    /// A map that holds itself must not crash the conversion of the overrides (review finding).
    @Test func aSelfReferencingOverrideIsAFailedRenderNotACrash() throws {
        let x = try env(Self.mock(requestTemplate: #"#set($m = $context.requestOverride)$m.put("me", $m){"statusCode": 200}"#))
            .send(request("POST", "/dev/x"))
        #expect(x.response?.status == 500)
        #expect(x.failure?.why.contains("StackOverflowError") == true)
    }

    /// A form post: `$input.path('$')` is the raw text (assumption, see GatewayInput.root).
    @Test func inputPathOfANonJSONBodyIsItsText() throws {
        let yaml = Self.mock(requestTemplate: #"#set($context.responseOverride.header.X-Parts = $input.path('$').split('&').size()){"statusCode": 200}"#)
        let x = try env(yaml).send(request("POST", "/dev/x", headers: [("Content-Type", "application/json")], body: "a=1&b=2"))
        #expect(x.response?.status == 200)
        #expect(x.response?.headers["X-Parts"] == "2")
    }

    /// `{statusCode: 2000}` is not a status code (review finding: the loose reader took its first 3 digits).
    @Test func aFourDigitMockStatusIsUnreadable() throws {
        let x = try env(Self.mock(requestTemplate: "{statusCode: 2000}")).send(request("POST", "/dev/x"))
        #expect(x.response?.status == 500)
    }
}
