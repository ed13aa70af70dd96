import Foundation
import GatewayModel
import Policy

/// REST resource policies (reference/policy.md §2; rest-request-flow.md §1.4 rules 14–15), evaluated by the
/// Policy engine. This slice covers the unsigned (anonymous) caller of a `NONE` method; IAM callers and the
/// authorizer phases come with the identity work.
enum ResourcePolicyCheck {
    /// With authorizationType NONE and a resource policy, only an explicit Allow lets the caller in; an unsigned
    /// caller matches only `"Principal": "*"` (policy.md §2.1 rules 1, 6).
    static func anonymous(_ x: inout Exchange, _ env: GatewayEnvironment, api: RestApi, stage: StageName) throws(GatewayFailure) {
        let arn = x.methodArn(api, env)
        let decision = try anonymousDecision(x, env, api: api, methodArn: arn)
        switch decision {
        case .allow(let s):
            x.trace.append(TraceEvent(stage: stage, millis: env.clock.millis, summary: "resource policy: \(s) allows anonymous on \(arn)",
                                      fields: [("authorizationType", "NONE"), ("resourcePolicy", "Allow"), ("statement", s), ("methodArn", arn)],
                                      why: "with authorizationType NONE and a resource policy, an explicit Allow is needed (policy.md §2.1 rule 1)"))
        case .explicitDeny(let s):
            throw GatewayFailure(.accessDenied, message: ExecuteApi.denialMessage(caller: .anonymous, methodArn: arn, ownerAccount: env.world.account, explicit: true),
                                 why: "the resource policy's \(s) denies \(arn) explicitly (policy.md §2.4, §4)")
        case .neither:
            throw GatewayFailure(.accessDenied, message: ExecuteApi.denialMessage(caller: .anonymous, methodArn: arn, ownerAccount: env.world.account, explicit: false),
                                 why: "no statement of the resource policy allows an unsigned caller on \(arn): an implicit deny (policy.md §2.1 rules 1, 6: only \"Principal\": \"*\" names an unsigned caller)")
        }
    }

    /// What the resource policy says about this request from an unsigned caller (the anonymous principal).
    static func anonymousDecision(_ x: Exchange, _ env: GatewayEnvironment, api: RestApi, methodArn arn: String) throws(GatewayFailure) -> PolicyDecision {
        try env.resourcePolicy(api).evaluate(AuthorizationRequest(principal: .anonymous, resource: arn, keys: conditionKeys(x, env)), resourcePolicy: true)
    }

    /// The condition keys an unsigned request carries (policy.md §2.4 rule 3): source IP, time, transport, and
    /// User-Agent and Referer when the client sent them. Private-API keys (aws:SourceVpce…) come with VPC endpoints.
    static func conditionKeys(_ x: Exchange, _ env: GatewayEnvironment) -> [String: [String]] {
        var keys: [String: [String]] = [
            "aws:SourceIp": [x.request.sourceIp],
            "aws:CurrentTime": [VirtualClock(millis: env.clock.millis).iso8601],
            "aws:EpochTime": [String(env.clock.millis / 1000)],
            "aws:SecureTransport": ["true"],
        ]
        // Through a VPC endpoint: its id and VPC; aws:VpcSourceIp is the original address (policy.md §2.4 rule 3).
        if let e = x.request.sourceVpce { keys["aws:SourceVpce"] = [e]; keys["aws:VpcSourceIp"] = [x.request.sourceIp] }
        if let v = x.request.sourceVpc { keys["aws:SourceVpc"] = [v] }
        if let ua = x.request.headers["User-Agent"] { keys["aws:UserAgent"] = [ua] }
        if let r = x.request.headers["Referer"] { keys["aws:Referer"] = [r] }
        return keys
    }
}

extension Exchange {
    /// `execute-api:Invoke`'s resource for this request: `arn:aws:execute-api:REGION:OWNER:API/STAGE/VERB/PATH` with
    /// the request's own verb and path (policy.md §1 rules 1–3).
    func methodArn(_ api: RestApi, _ env: GatewayEnvironment) -> String {
        ExecuteApi.methodArn(region: env.world.region, account: env.world.account, apiId: api.id, stage: stageName ?? "", method: request.method, path: path)
    }
}

extension GatewayEnvironment {
    /// The API's resource policy, parsed once per model, with `execute-api:/…` shorthand expanded (policy.md §1
    /// rule 4). A policy the engine cannot read is a configuration error (AWS refuses it when it is saved).
    func resourcePolicy(_ api: RestApi) throws(GatewayFailure) -> PolicyDocument {
        let parsed: Result<PolicyDocument, PolicyError>
        if let cached = policies[api.id] { parsed = cached } else {
            do throws(PolicyError) {
                parsed = .success(ExecuteApi.expanded(try PolicyDocument.parse(api.resourcePolicy ?? .null), region: world.region, account: world.account, apiId: api.id))
            } catch { parsed = .failure(error) }
            policies[api.id] = parsed
        }
        switch parsed {
        case .success(let p): return p
        case .failure(let e):
            throw GatewayFailure(.apiConfigurationError,
                                 why: "the resource policy at \(api.resourcePolicyLocation.map { "\($0)" } ?? "policy") cannot be read: \(e.message) (AWS refuses such a policy when it is saved)")
        }
    }
}
