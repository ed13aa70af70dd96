import Foundation
import GatewayModel
import Policy
import Testing

let authzCasesPath: String = {
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return repo.deletingLastPathComponent().appendingPathComponent("shared/reference/authz-cases.json").path
}()

/// The rows of authz-cases.json that the policy engine decides on its own: REST methods with NONE or AWS_IAM
/// (signed) authorization, whose outcome is 200 or the §4 denial. The others need the pipeline — SigV4 failures,
/// Lambda and Cognito authorizers, HTTP API IAM and JWT, an unreachable private API — and come with issue 7.
let policyRows: [JSONValue] = {
    guard let data = FileManager.default.contents(atPath: authzCasesPath),
          let all = (try? JSONValue.parse(String(decoding: data, as: UTF8.self)))?.arrayValue else { return [] }
    return all.filter { c in
        let api = c["api"], caller = c["caller"], body = c["expect"]?["body"]?.stringValue ?? ""
        guard api?["type"] == "REST", let auth = api?["authorizationType"]?.stringValue, auth == "NONE" || (auth == "AWS_IAM" && caller?["signed"]?.boolValue == true) else { return false }
        return c["expect"]?["status"]?.intValue == 200 || body.hasPrefix(#"{"Message":"User: "#)
    }
}()

@Suite("authz-cases.json: the policy engine's rows", .enabled(if: !policyRows.isEmpty, "../shared/reference/authz-cases.json is absent: authorization table skipped"))
struct AuthzCaseTests {
    static let region = "us-east-1", owner = "111111111111", apiId = "a1b2c3d4e5"

    @Test("row", arguments: policyRows.map { $0["id"]?.stringValue ?? "" })
    func row(_ id: String) throws {
        let c = try #require(policyRows.first { $0["id"]?.stringValue == id })
        let api = try #require(c["api"]), caller = try #require(c["caller"]), req = try #require(c["request"])
        let signed = caller["signed"]?.boolValue == true
        let principal: AuthorizationRequest.Principal = signed ? .aws(arn: caller["principal"]?.stringValue ?? "") : .anonymous
        let arn = ExecuteApi.methodArn(region: Self.region, account: Self.owner, apiId: Self.apiId, stage: req["stage"]?.stringValue ?? "",
                                       method: req["method"]?.stringValue ?? "", path: req["path"]?.stringValue ?? "/")
        var keys: [String: [String]] = ["aws:SourceIp": [caller["sourceIp"]?.stringValue ?? ""]]
        for (k, field) in [("aws:SourceVpce", "sourceVpce"), ("aws:SourceVpc", "sourceVpc")] {
            if let v = caller[field]?.stringValue { keys[k] = [v] }
        }
        if case .aws(let a) = principal { keys["aws:PrincipalArn"] = [a]; keys["aws:PrincipalAccount"] = [principal.account ?? ""] }
        let request = AuthorizationRequest(principal: principal, resource: arn, keys: keys)

        let given: JSONValue? = { if case .null? = api["resourcePolicy"] { return nil }; return api["resourcePolicy"] }()
        let resourcePolicy = try given.map {
            ExecuteApi.expanded(try PolicyDocument.parse($0), region: Self.region, account: Self.owner, apiId: Self.apiId)
        }
        let resourceDecision = resourcePolicy?.evaluate(request, resourcePolicy: true)
        let outcome: ExecuteApi.Outcome
        if api["authorizationType"] == "NONE" {
            // Resource policy only: an explicit Allow must match (policy.md §2.1 rule 1); no policy: open (rule 5).
            if let d = resourceDecision { outcome = d.isDeny ? .explicitDeny : d.isAllow ? .allow : .implicitDeny } else { outcome = .allow }
        } else {
            var identity = PolicyDecision.neither
            for p in caller["identityPolicies"]?.arrayValue ?? [] {
                switch try PolicyDocument.parse(p).evaluate(request, resourcePolicy: false) {
                case .explicitDeny(let s): identity = .explicitDeny(statement: s)
                case .allow(let s) where !identity.isDeny: identity = .allow(statement: s)
                default: break
                }
            }
            outcome = ExecuteApi.combine(caller: identity, resource: resourceDecision, crossAccount: principal.account != Self.owner)
        }
        let expect = try #require(c["expect"])
        switch outcome {
        case .allow:
            #expect(expect["status"] == 200, "\(id): allowed, expected \(expect["status"]?.serialized() ?? "")")
        case .explicitDeny, .implicitDeny:
            let message = ExecuteApi.denialMessage(caller: principal, methodArn: arn, ownerAccount: Self.owner, explicit: outcome == .explicitDeny)
            #expect(expect["status"] == 403, "\(id): denied (\(outcome)), expected \(expect["status"]?.serialized() ?? "")")
            #expect(expect["body"]?.stringValue == #"{"Message":"# + JSONValue.quoted(message) + "}", "\(id): \(expect["decidedBy"]?.stringValue ?? "")")
        }
    }

    @Test func theTableHasPolicyRows() {
        #expect(policyRows.count >= 50)
    }
}
