import Foundation
import Gateway
import GatewayModel
import Testing

/// REST resource policies for unsigned callers of NONE methods (reference/policy.md §2.1, §4).
@Suite struct ResourcePolicyTests {
    static func model(_ policy: String) -> String {
        """
        restApis:
          - id: a1b2c3d4e5
            policy: \(policy)
            resources:
              /pets:
                GET: { integration: { type: MOCK, requestTemplates: { application/json: '{"statusCode": 200}' }, integrationResponses: { "200": {} } }, methodResponses: { "200": {} } }
            stages: [ { stageName: dev } ]
        """
    }

    @Test func allowDenyAndNeither() throws {
        let allow = #"'{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*"}}'"#
        #expect(try env(Self.model(allow)).send(request("GET", "/dev/pets")).response?.status == 200)
        let deny = #"'{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}, {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": "198.51.100.0/24"}}}]}'"#
        let d = try env(Self.model(deny)).send(request("GET", "/dev/pets"))
        #expect(d.response?.status == 403 && d.response?.headers["x-amzn-ErrorType"] == "AccessDeniedException")
        #expect(d.response?.bodyText == #"{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********1111:a1b2c3d4e5/dev/GET/pets with an explicit deny"}"#)
        // An account principal never names an unsigned caller (policy.md §2.1 rule 6).
        let account = #"'{"Statement": {"Effect": "Allow", "Principal": {"AWS": "111111111111"}, "Action": "execute-api:Invoke", "Resource": "*"}}'"#
        let n = try env(Self.model(account)).send(request("GET", "/dev/pets"))
        #expect(n.response?.status == 403 && n.response?.bodyText.hasSuffix(#"/dev/GET/pets"}"#) == true)
    }

    /// A policy the engine cannot read fails the call as a configuration error, saying where and why.
    @Test func unreadablePolicy() throws {
        let x = try env(Self.model(#"'{"Statement": {"Effect": "Perhaps", "Action": "*", "Resource": "*"}}'"#)).send(request("GET", "/dev/pets"))
        #expect(x.response?.status == 500)
        #expect(x.failure?.why.contains("`Effect` must be Allow or Deny") == true)
    }
}
