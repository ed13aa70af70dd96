import GatewayModel

/// execute-api's side of authorization: method ARNs, the resource-policy shorthand, and how the caller's
/// decision (identity policy or authorizer) and the resource policy's combine (reference/policy.md §1–2).
public enum ExecuteApi {
    /// `arn:aws:execute-api:REGION:ACCOUNT:API/STAGE/VERB/PATH`, the path without its leading slash (the root is
    /// a trailing `/`, repeated slashes kept) — policy.md §1 rules 1–3.
    public static func methodArn(region: String, account: String, apiId: String, stage: String, method: String, path: String) -> String {
        let p = path.hasPrefix("/") ? String(path.dropFirst()) : path
        return "arn:aws:execute-api:\(region):\(account):\(apiId)/\(stage)/\(method)/\(p)"
    }

    /// `execute-api:/stage/GET/pets` and `execute-api:/*` expand with the API's Region, account and id
    /// (policy.md §1 rule 4 [DOC D3]).
    public static func expand(_ resource: String, region: String, account: String, apiId: String) -> String {
        guard resource.hasPrefix("execute-api:/") else { return resource }
        return "arn:aws:execute-api:\(region):\(account):\(apiId)/" + resource.dropFirst("execute-api:/".count)
    }

    /// The policy with its shorthand resources expanded.
    public static func expanded(_ doc: PolicyDocument, region: String, account: String, apiId: String) -> PolicyDocument {
        var d = doc
        for i in d.statements.indices {
            d.statements[i].resources = d.statements[i].resources?.map { expand($0, region: region, account: account, apiId: apiId) }
            d.statements[i].notResources = d.statements[i].notResources?.map { expand($0, region: region, account: account, apiId: apiId) }
        }
        return d
    }

    public enum Outcome: Sendable, Equatable {
        case allow
        case explicitDeny
        case implicitDeny
    }

    /// Table A (the caller in the API owner's account, or a Lambda/Cognito caller) and Table B (an IAM caller from
    /// another account) of policy.md §2.2–2.3 [DOC D1]: any explicit Deny denies; in one account either Allow is
    /// enough; across accounts both must allow. `resource` nil: the API has no resource policy.
    public static func combine(caller: PolicyDecision, resource: PolicyDecision?, crossAccount: Bool) -> Outcome {
        let r = resource ?? .neither
        if caller.isDeny || r.isDeny { return .explicitDeny }
        if crossAccount { return caller.isAllow && r.isAllow ? .allow : .implicitDeny }
        return caller.isAllow || r.isAllow ? .allow : .implicitDeny
    }

    /// The 403 message of an IAM or resource-policy denial (policy.md §4 rules 1–3): the caller's ARN or
    /// `anonymous`, the method ARN with the owner's account masked to eight `*` and its last four digits, and
    /// ` with an explicit deny` when a Deny decided.
    public static func denialMessage(caller: AuthorizationRequest.Principal, methodArn: String, ownerAccount: String, explicit: Bool) -> String {
        let who: String
        if case .aws(let arn) = caller { who = arn } else { who = "anonymous" }
        let masked = String(repeating: "*", count: 8) + ownerAccount.suffix(4)
        let arn = methodArn.replacingOccurrences(of: ":\(ownerAccount):", with: ":\(masked):")
        return "User: \(who) is not authorized to perform: execute-api:Invoke on resource: \(arn)" + (explicit ? " with an explicit deny" : "")
    }
}
