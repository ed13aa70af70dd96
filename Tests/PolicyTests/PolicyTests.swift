import Foundation
import GatewayModel
import Policy
import Testing

/// The IAM policy engine (reference/policy.md §1–2, §4).
@Suite struct PolicyTests {
    func doc(_ json: String) throws -> PolicyDocument { try PolicyDocument.parse(try JSONValue.parse(json)) }

    @Test func wildcards() {
        #expect(PolicyMatch.glob("execute-api:*", "execute-api:Invoke"))
        #expect(PolicyMatch.glob("EXECUTE-API:invoke", "execute-api:Invoke", caseInsensitive: true))
        #expect(!PolicyMatch.glob("execute-api:Invoke", "execute-api:InvalidateCache"))
        #expect(PolicyMatch.glob("a?c*", "abcdef") && !PolicyMatch.glob("a?c", "ac"))
        let arn = "arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/dev/GET/pets/a1b2"
        #expect(PolicyMatch.arn("arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/*", arn))       // * crosses /
        #expect(PolicyMatch.arn("arn:aws:execute-api:*:*:*", arn))
        #expect(PolicyMatch.arn("arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/*/GET/pets/*", arn))
        #expect(!PolicyMatch.arn("arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/*/GET/pets", arn))
        #expect(!PolicyMatch.arn("arn:aws:execute-api:us-east-1:111111111111:A1B2C3D4E5/*", arn))       // case-sensitive
        #expect(!PolicyMatch.arn("arn:aws:execute-api:*:a1b2c3d4e5/*", arn))                             // segments, not one glob
    }

    @Test func principals() {
        let alice = AuthorizationRequest.Principal.aws(arn: "arn:aws:iam::111111111111:user/Alice")
        let session = AuthorizationRequest.Principal.aws(arn: "arn:aws:sts::111111111111:assumed-role/Deploy/ci-42")
        #expect(PolicyMatch.principal(.anyone, .anonymous))
        #expect(!PolicyMatch.principal(.aws(["111111111111"]), .anonymous))  // an unsigned caller matches only "*"
        #expect(PolicyMatch.principal(.aws(["111111111111"]), alice))
        #expect(PolicyMatch.principal(.aws(["arn:aws:iam::111111111111:root"]), session))
        #expect(PolicyMatch.principal(.aws(["arn:aws:iam::111111111111:role/team/Deploy"]), session))
        #expect(!PolicyMatch.principal(.aws(["arn:aws:iam::111111111111:role/Other"]), session))
        #expect(!PolicyMatch.principal(.aws(["arn:aws:iam::222222222222:root"]), alice))
        #expect(AuthorizationRequest.Principal.aws(arn: "arn:aws:sts::222222222222:assumed-role/R/s").account == "222222222222")
    }

    @Test func explicitDenyBeatsAllowBeatsNothing() throws {
        let r = AuthorizationRequest(principal: .anonymous, resource: "arn:aws:execute-api:us-east-1:1:api/dev/GET/x")
        let allow = #"{"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "*"}"#
        let deny = #"{"Effect": "Deny", "Principal": "*", "Action": "execute-api:*", "Resource": "arn:aws:execute-api:*:*:api/dev/*"}"#
        #expect(try doc(#"{"Statement": "# + allow + "}").evaluate(r, resourcePolicy: true) == .allow(statement: "Statement[0]"))
        #expect(try doc(#"{"Statement": ["# + allow + "," + deny + "]}").evaluate(r, resourcePolicy: true) == .explicitDeny(statement: "Statement[1]"))
        #expect(try doc(#"{"Statement": []}"#).evaluate(r, resourcePolicy: true) == .neither)
        // Identity policies carry no principal; a resource-policy statement without one names nobody.
        let identity = #"{"Statement": {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"}}"#
        #expect(try doc(identity).evaluate(r, resourcePolicy: false).isAllow)
        #expect(try doc(identity).evaluate(r, resourcePolicy: true) == .neither)
    }

    @Test func notElements() throws {
        let carol = AuthorizationRequest(principal: .aws(arn: "arn:aws:iam::1:user/Carol"), resource: "arn:aws:execute-api:us-east-1:1:api/dev/GET/x")
        let exempt = AuthorizationRequest(principal: .aws(arn: "arn:aws:iam::1:user/Alice"), resource: carol.resource)
        let p = try doc(#"{"Statement": {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::1:user/Alice"}, "Action": "execute-api:Invoke", "Resource": "*"}}"#)
        #expect(p.evaluate(carol, resourcePolicy: true).isDeny)
        #expect(p.evaluate(exempt, resourcePolicy: true) == .neither)
        let notAction = try doc(#"{"Statement": {"Effect": "Allow", "Principal": "*", "NotAction": "execute-api:InvalidateCache", "NotResource": "arn:aws:execute-api:*:*:api/admin/*"}}"#)
        #expect(notAction.evaluate(carol, resourcePolicy: true).isAllow)
        #expect(notAction.evaluate(AuthorizationRequest(principal: .anonymous, resource: "arn:aws:execute-api:us-east-1:1:api/admin/GET/x"), resourcePolicy: true) == .neither)
    }

    /// Missing keys: false, except negated operators, IfExists and Null (policy.md §2.4 rule 4 [DOC D6]).
    @Test(arguments: [
        ("StringEquals", "aws:SourceVpce", ["vpce-1"], nil, false),
        ("StringNotEquals", "aws:SourceVpce", ["vpce-1"], nil, true),
        ("StringEqualsIfExists", "aws:SourceVpce", ["vpce-1"], nil, true),
        ("StringEquals", "aws:SourceVpce", ["vpce-1"], ["vpce-1"], true),
        ("StringNotEquals", "aws:SourceVpce", ["vpce-1"], ["vpce-2"], true),
        ("StringLike", "aws:UserAgent", ["curl/*"], ["curl/8.6.0"], true),
        ("StringEqualsIgnoreCase", "aws:UserAgent", ["CURL"], ["curl"], true),
        ("Null", "aws:SourceVpce", ["true"], nil, true),
        ("Null", "aws:SourceVpce", ["false"], nil, false),
        ("IpAddress", "aws:SourceIp", ["203.0.113.0/24"], ["203.0.113.5"], true),
        ("IpAddress", "aws:SourceIp", ["203.0.113.0/24"], ["198.51.100.5"], false),
        ("NotIpAddress", "aws:SourceIp", ["203.0.113.0/24"], ["198.51.100.5"], true),
        ("IpAddress", "aws:SourceIp", ["2001:db8::/32"], ["2001:db8:1::5"], true),
        ("IpAddress", "aws:SourceIp", ["2001:db8::/32"], ["203.0.113.5"], false),
        ("IpAddress", "aws:SourceIp", ["203.0.113.5"], ["203.0.113.5"], true),
        ("DateGreaterThan", "aws:CurrentTime", ["2026-01-01T00:00:00Z"], ["2026-03-05T12:00:00Z"], true),
        ("DateLessThan", "aws:CurrentTime", ["2026-01-01T00:00:00Z"], ["2026-03-05T12:00:00Z"], false),
        ("NumericLessThanEquals", "aws:MultiFactorAuthAge", ["3600"], ["120"], true),
        ("Bool", "aws:SecureTransport", ["true"], ["True"], true),
        ("ArnLike", "aws:PrincipalArn", ["arn:aws:iam::1:role/*"], ["arn:aws:iam::1:role/Deploy"], true),
        ("ForAnyValue:StringEquals", "aws:PrincipalTag/team", ["a", "b"], ["c", "b"], true),
        ("ForAllValues:StringEquals", "aws:PrincipalTag/team", ["a", "b"], ["c", "b"], false),
        ("ForAllValues:StringEquals", "aws:PrincipalTag/team", ["a", "b"], nil, true),
        ("ForAnyValue:StringEquals", "aws:PrincipalTag/team", ["a", "b"], nil, false),
    ] as [(String, String, [String], [String]?, Bool)])
    func conditions(_ op: String, _ key: String, _ want: [String], _ have: [String]?, _ holds: Bool) throws {
        let values = "[" + want.map { JSONValue.quoted($0) }.joined(separator: ",") + "]"
        let p = try doc(#"{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*", "Condition": {"\#(op)": {"\#(key)": \#(values)}}}}"#)
        let r = AuthorizationRequest(principal: .anonymous, resource: "arn:aws:execute-api:us-east-1:1:api/dev/GET/x", keys: have.map { [key: $0] } ?? [:])
        #expect(p.evaluate(r, resourcePolicy: true).isAllow == holds)
    }

    @Test(arguments: [
        (#"[]"#, "must be a JSON object"),
        (#"{"Version": "2012-10-17"}"#, "needs a `Statement`"),
        (#"{"Statement": {"Effect": "Maybe", "Action": "*", "Resource": "*"}}"#, "Effect"),
        (#"{"Statement": {"Effect": "Allow", "Resource": "*"}}"#, "exactly one of `Action` and `NotAction`"),
        (#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringSorta": {"k": "v"}}}}"#, "unknown condition operator"),
        (#"{"Statement": {"Sid": "s1", "Effect": "Allow", "Action": "*", "Resource": "*", "Principle": "*"}}"#, #"statement "s1": unknown element `Principle`"#),
    ])
    func parseErrors(_ json: String, _ message: String) {
        do { _ = try doc(json); Issue.record("parsed \(json)") } catch let e as PolicyError { #expect(e.message.contains(message), "\(e.message)") } catch { Issue.record("\(error)") }
    }

    /// Tables A and B of policy.md §2.2–2.3 [DOC D1], all eighteen rows.
    @Test func tablesAAndB() {
        let d: [PolicyDecision] = [.allow(statement: "s"), .neither, .explicitDeny(statement: "s")]
        let tableA: [ExecuteApi.Outcome] = [.allow, .allow, .explicitDeny, .allow, .implicitDeny, .explicitDeny, .explicitDeny, .explicitDeny, .explicitDeny]
        let tableB: [ExecuteApi.Outcome] = [.allow, .implicitDeny, .explicitDeny, .implicitDeny, .implicitDeny, .explicitDeny, .explicitDeny, .explicitDeny, .explicitDeny]
        var row = 0
        for caller in d {
            for resource in d {
                #expect(ExecuteApi.combine(caller: caller, resource: resource, crossAccount: false) == tableA[row], "table A row \(row + 1)")
                #expect(ExecuteApi.combine(caller: caller, resource: resource, crossAccount: true) == tableB[row], "table B row \(row + 1)")
                row += 1
            }
        }
    }

    @Test func arnsAndMessages() {
        #expect(ExecuteApi.methodArn(region: "us-west-2", account: "111122222543", apiId: "vd2gh6uqw3", stage: "api", method: "GET", path: "/")
                == "arn:aws:execute-api:us-west-2:111122222543:vd2gh6uqw3/api/GET/")
        #expect(ExecuteApi.methodArn(region: "r", account: "a", apiId: "i", stage: "Prod", method: "GET", path: "/test//") == "arn:aws:execute-api:r:a:i/Prod/GET/test//")
        #expect(ExecuteApi.expand("execute-api:/*", region: "us-east-2", account: "123456789012", apiId: "aabbccddee") == "arn:aws:execute-api:us-east-2:123456789012:aabbccddee/*")
        #expect(ExecuteApi.denialMessage(caller: .anonymous, methodArn: "arn:aws:execute-api:us-west-2:111122222543:vd2gh6uqw3/api/GET/", ownerAccount: "111122222543", explicit: false)
                == "User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-west-2:********2543:vd2gh6uqw3/api/GET/")
    }
}
