import Crypto
import Foundation
import GatewayModel
import Policy

/// `sts:AssumeRole` for the shell's `assume-role` (policy.md §8 rule 3 [SEED] [DOC D11]): the role's trust policy
/// must name the caller, and — as for any IAM request across accounts — the caller's own policies must allow
/// `sts:AssumeRole` on the role when the role is in another account (the Table B rule of IAM, policy.md §2.3). The
/// session gets the role's policies and `ASIA…` credentials for the duration (1 hour by default, as the CLI's).
public enum STS {
    public struct Refusal: Error, Sendable {
        /// AWS's message (the AccessDenied text of the AssumeRole operation).
        public var message: String
        /// Why, for the trace and `explain`.
        public var why: String
    }

    public static func assumeRole(caller: Identity, role: Identity, sessionName: String, durationSeconds: Int, env: GatewayEnvironment) throws(Refusal) -> TemporaryCredentials {
        // AWS's AccessDenied text for AssumeRole (its shape, "User: … is not authorized to perform: sts:AssumeRole on
        // resource: …", is IAM's general one; this exact operation's text is not in the reference: UNCONFIRMED).
        let refused = "User: \(caller.arn) is not authorized to perform: sts:AssumeRole on resource: \(role.arn)"
        guard let trustJSON = role.trustPolicy else {
            throw Refusal(message: refused, why: "role \(role.name) has no trust policy, so nobody may assume it (add trustPolicy to the role)")
        }
        guard let trust = try? PolicyDocument.parse(withResource(trustJSON, role.arn)) else {
            throw Refusal(message: refused, why: "the trust policy of \(role.name) cannot be read (IAM refuses such a policy when it is saved)")
        }
        let request = AuthorizationRequest(principal: .aws(arn: caller.arn), action: "sts:AssumeRole", resource: role.arn,
                                           keys: IamAuthorization.principalKeys(caller).merging(["aws:CurrentTime": [VirtualClock(millis: env.clock.millis).iso8601]]) { $1 })
        let trusted = trust.evaluate(request, resourcePolicy: true)
        let own: PolicyDecision
        do throws(GatewayFailure) { own = try IamAuthorization.identityDecision(caller, request) } catch {
            throw Refusal(message: refused, why: error.why)
        }
        let crossAccount = caller.account != role.account
        let outcome = ExecuteApi.combine(caller: own, resource: trusted, crossAccount: crossAccount)
        let why = "trust policy of \(role.name): \(IamAuthorization.describe(trusted)); \(caller.name)'s policies on sts:AssumeRole: \(IamAuthorization.describe(own)); "
            + (crossAccount ? "the role is in account \(role.account), the caller in \(caller.account): both must allow (policy.md §2.3, §8 rule 3)" : "same account: either may allow")
        guard outcome == .allow else { throw Refusal(message: refused + (outcome == .explicitDeny ? " with an explicit deny" : ""), why: why) }

        let roleName = String(role.arn.split(separator: "/").last ?? "")
        let arn = "arn:aws:sts::\(role.account):assumed-role/\(roleName)/\(sessionName)"
        let n = env.temporaryCredentials.count
        let (derivedId, secret) = Identity.derivedKeys(arn: arn + "#\(env.clock.millis)#\(n)")
        let keyId = "ASIA" + derivedId.dropFirst(4)
        let token = Data(SHA256.hash(data: Array(("gwsh-session|" + keyId + secret).utf8))).base64EncodedString()
        let session = Identity(name: roleName + "/" + sessionName, arn: arn, policies: role.policies, accessKeyId: keyId, secretAccessKey: secret,
                               location: role.location)
        let credentials = TemporaryCredentials(identity: session, sessionToken: "IQoJb3JpZ2luX2VjE" + token, expiresAtMillis: env.clock.millis + Int64(durationSeconds) * 1000,
                                               assumedBy: caller.arn)
        env.temporaryCredentials.append(credentials)
        return credentials
    }

    /// Trust policies have no Resource (the role is the resource): each statement gets the role's ARN, so the policy
    /// engine, which needs Resource or NotResource, reads them as IAM does.
    static func withResource(_ policy: JSONValue, _ roleArn: String) -> JSONValue {
        guard case .object(var doc) = policy else { return policy }
        func fill(_ s: JSONValue) -> JSONValue {
            guard case .object(var o) = s, o["Resource"] == nil, o["NotResource"] == nil else { return s }
            o["Resource"] = .string(roleArn)
            return .object(o)
        }
        switch doc["Statement"] {
        case .array(let items)?: doc["Statement"] = .array(items.map(fill))
        case let s?: doc["Statement"] = fill(s)
        case nil: break
        }
        return .object(doc)
    }
}
