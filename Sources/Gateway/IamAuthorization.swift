import Crypto
import Foundation
import GatewayModel
import Policy

/// `AWS_IAM` methods on REST APIs (reference/policy.md §2, §4, §5): the SigV4 signature is checked against the
/// model's identities, then the caller's identity policies and the API's resource policy decide by Tables A/B.
enum IamAuthorization {
    static func run(_ x: inout Exchange, _ env: GatewayEnvironment, api: RestApi, stage: StageName) throws(GatewayFailure) {
        let identity = try SignatureCheck.verify(x, env)
        let arn = x.methodArn(api, env)
        let keys = ResourcePolicyCheck.conditionKeys(x, env).merging(principalKeys(identity)) { $1 }
        let request = AuthorizationRequest(principal: .aws(arn: identity.arn), resource: arn, keys: keys)
        let decision = try identityDecision(identity, request)
        let resource = api.hasResourcePolicy ? try env.resourcePolicy(api).evaluate(request, resourcePolicy: true) : nil
        let crossAccount = identity.account != env.world.account
        let outcome = ExecuteApi.combine(caller: decision, resource: resource, crossAccount: crossAccount)
        let table = crossAccount ? "Table B (caller in account \(identity.account), API in \(env.world.account): both must allow)"
            : "Table A (same account: either may allow)"
        let why = "identity policies: \(describe(decision)); resource policy: \(resource.map(describe) ?? "none"); \(table), policy.md §2.2–2.3"
        guard outcome == .allow else {
            throw GatewayFailure(.accessDenied, message: ExecuteApi.denialMessage(caller: .aws(arn: identity.arn), methodArn: arn, ownerAccount: env.world.account,
                                                                                  explicit: outcome == .explicitDeny),
                                 why: why)
        }
        x.caller = identity
        x.trace.append(TraceEvent(stage: stage, millis: env.clock.millis, summary: "AWS_IAM: \(identity.arn) signed and allowed on \(arn)",
                                  fields: [("authorizationType", "AWS_IAM"), ("caller", identity.arn), ("accessKeyId", identity.accessKeyId), ("methodArn", arn)],
                                  why: why))
    }

    /// The condition keys of an authenticated IAM caller (policy.md §2.4 rule 3): its ARN and account, its type, and
    /// for an IAM user its name (`aws:username` exists for users only). `aws:userid` needs IAM's unique ids, which
    /// gwsh does not model: it is absent.
    static func principalKeys(_ identity: Identity) -> [String: [String]] {
        let resource = identity.arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).last ?? ""
        var keys: [String: [String]] = ["aws:PrincipalArn": [identity.arn], "aws:PrincipalAccount": [identity.account]]
        if resource.hasPrefix("user/") {
            keys["aws:PrincipalType"] = ["User"]
            keys["aws:username"] = [String(resource.split(separator: "/").last ?? "")]
        } else if resource.hasPrefix("assumed-role/") {
            keys["aws:PrincipalType"] = ["AssumedRole"]
        } else if resource == "root" {
            keys["aws:PrincipalType"] = ["Account"]
        }
        return keys
    }

    /// The caller's identity policies together: a Deny in any wins, else an Allow in any (policy.md §2.4 rule 1).
    static func identityDecision(_ identity: Identity, _ request: AuthorizationRequest) throws(GatewayFailure) -> PolicyDecision {
        var decision = PolicyDecision.neither
        for (i, json) in identity.policies.enumerated() {
            guard let policy = try? PolicyDocument.parse(json) else {
                throw GatewayFailure(.apiConfigurationError, why: "identity \(identity.name)'s policy \(i + 1) cannot be read (IAM refuses such a policy when it is attached)")
            }
            switch policy.evaluate(request, resourcePolicy: false) {
            case .explicitDeny(let s): decision = .explicitDeny(statement: "identity policy \(i + 1) \(s)")
            case .allow(let s) where !decision.isDeny && !decision.isAllow: decision = .allow(statement: "identity policy \(i + 1) \(s)")
            default: break
            }
        }
        return decision
    }

    static func describe(_ d: PolicyDecision) -> String {
        switch d {
        case .allow(let s): return "Allow (\(s))"
        case .explicitDeny(let s): return "Deny (\(s))"
        case .neither: return "neither allow nor deny"
        }
    }
}

/// SigV4 checks in AWS's order with its messages (policy.md §5): a signature at all, its parameters, the key,
/// the credential scope, the clock skew (5 minutes), then the signature itself.
enum SignatureCheck {
    static func incomplete(_ message: String, _ why: String) -> GatewayFailure {
        GatewayFailure(.default4XX, status: 403, message: message, errorType: "IncompleteSignatureException", why: why)
    }

    static func invalid(_ message: String, _ why: String) -> GatewayFailure {
        GatewayFailure(.invalidSignature, status: 403, message: message, errorType: "InvalidSignatureException", why: why)
    }

    static func verify(_ x: Exchange, _ env: GatewayEnvironment) throws(GatewayFailure) -> Identity {
        guard let header = x.request.headers["Authorization"] else {
            throw GatewayFailure(.missingAuthenticationToken,
                                 why: "the method's authorizationType is AWS_IAM and the request is not signed (no Authorization header): 403 Missing Authentication Token (policy.md §5)")
        }
        var params: [String: String] = [:]
        let algorithm = header.prefix { $0 != " " }
        for part in header.dropFirst(algorithm.count).split(separator: ",") {
            let kv = part.trimmingCharacters(in: .whitespaces)
            guard !kv.isEmpty else { continue }
            guard let eq = kv.firstIndex(of: "=") else {
                // The current wording hashes what it quotes (policy.md §5 [REC P9]); which part is hashed is UNCONFIRMED.
                let hashed = Data(SHA256.hash(data: Array(kv.utf8))).base64EncodedString()
                throw incomplete("Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '\(hashed)'.",
                                 "the Authorization header is not SigV4's `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` (policy.md §5)")
            }
            params[String(kv[..<eq])] = String(kv[kv.index(after: eq)...])
        }
        let amzDate = x.request.headers["X-Amz-Date"]
        var missing: [String] = []
        for p in ["Credential", "Signature", "SignedHeaders"] where params[p] == nil { missing.append("Authorization header requires '\(p)' parameter.") }
        if amzDate == nil && x.request.headers["Date"] == nil { missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.") }
        guard missing.isEmpty, algorithm == SigV4.algorithm, let credential = params["Credential"], let signed = params["SignedHeaders"], let signature = params["Signature"] else {
            throw incomplete((missing + ["Authorization=" + header]).joined(separator: " "),
                             "the Authorization header lacks SigV4's parameters (policy.md §5 [REC P10])")
        }
        let scope = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard scope.count == 5, scope[4] == "aws4_request" else {
            throw incomplete("Authorization header requires 'Credential' parameter. Authorization=" + header, "the Credential is not KEY/DATE/REGION/SERVICE/aws4_request")
        }
        guard let (identity, temporary) = env.identity(accessKeyId: scope[0]) else {
            // AccessDeniedException per the documentation; other services say UnrecognizedClientException (UNCONFIRMED).
            throw GatewayFailure(.default4XX, status: 403, message: "The security token included in the request is invalid.", errorType: "AccessDeniedException",
                                 why: "access key \(scope[0]) belongs to no identity of the model (policy.md §5)")
        }
        guard scope[3] == "execute-api" else {
            throw invalid("Credential should be scoped to correct service: 'execute-api'. ", "the request was signed for service \(scope[3]) (policy.md §5 [REC P14])")
        }
        guard scope[2] == env.world.region else {
            throw invalid("Credential should be scoped to a valid region, not '\(scope[2])'. ", "the request was signed for Region \(scope[2]), the API is in \(env.world.region) (policy.md §5, the wording today is UNCONFIRMED)")
        }
        let now = env.clock.millis
        if let temporary {
            // Temporary credentials sign with their session token too (policy.md §8 rule 3 [DOC D18]); an expired one:
            // EXPIRED_TOKEN with the wording other services use (policy.md §5 table, UNCONFIRMED).
            guard x.request.headers["X-Amz-Security-Token"] == temporary.sessionToken else {
                throw GatewayFailure(.default4XX, status: 403, message: "The security token included in the request is invalid.", errorType: "AccessDeniedException",
                                     why: "access key \(scope[0]) is a role session's, and the request carries no X-Amz-Security-Token or another one (policy.md §5)")
            }
            guard temporary.expiresAtMillis > now else {
                throw GatewayFailure(.expiredToken, status: 403, message: GatewayResponseType.expiredToken.defaults.message, errorType: "ExpiredTokenException", why: "the temporary credentials of \(identity.arn) expired at \(VirtualClock(millis: temporary.expiresAtMillis).iso8601); assume the role again (policy.md §5, §8 rule 3 [DOC D18]; the wording is UNCONFIRMED)")
            }
        }
        // Clock skew: 5 minutes either way (policy.md §5 rule 1).
        guard let stamp = amzDate, let signedAt = VirtualClock.parseAmzDate(stamp) else {
            throw incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=" + header, "X-Amz-Date is missing or not YYYYMMDD'T'HHMMSS'Z'")
        }
        let skew: Int64 = 5 * 60 * 1000
        if signedAt < now - skew {
            throw invalid("Signature expired: \(stamp) is now earlier than \(VirtualClock(millis: now - skew).amzDate) (\(VirtualClock(millis: now).amzDate) - 5 min.)",
                          "the request was signed more than 5 minutes before the gateway's clock (policy.md §5 [REC P12])")
        }
        if signedAt > now + skew {
            throw invalid("Signature not yet current: \(stamp) is still later than \(VirtualClock(millis: now + skew).amzDate) (\(VirtualClock(millis: now).amzDate) + 5 min.)",
                          "the request was signed more than 5 minutes after the gateway's clock (policy.md §5, the wording for execute-api is UNCONFIRMED)")
        }
        // The signature over what arrived: the signed headers' values, the path as sent with the stage, the query.
        var headers: [(name: String, value: String)] = []
        for name in signed.split(separator: ";").map(String.init) {
            let values = x.request.headers.values(name)
            if values.isEmpty, name == "host" { headers.append((name, x.host)) }
            for v in values { headers.append((name, v)) }
        }
        let raw = x.request.rawPath
        let q = raw.firstIndex(of: "?")
        let request = SigV4Request(method: x.request.method, path: q.map { String(raw[..<$0]) } ?? raw, query: q.map { String(raw[raw.index(after: $0)...]) } ?? "",
                                   headers: headers, body: x.request.body ?? [])
        let expected = SigV4.sign(request, credentials: SigV4Credentials(accessKeyId: identity.accessKeyId, secretAccessKey: identity.secretAccessKey),
                                  amzDate: stamp, region: scope[2], service: scope[3])
        guard expected.signature == signature else {
            // The mismatch message quotes the canonical request and the string to sign (policy.md §5.1 [REC P11]).
            throw invalid(GatewayResponseType.invalidSignature.defaults.message! + "\n\nThe Canonical String for this request should have been\n'" + expected.canonicalRequest
                            + "'\n\nThe String-to-Sign should have been\n'" + expected.stringToSign + "'\n",
                          "the signature does not match what \(identity.name)'s secret key gives for this request (policy.md §5.1)")
        }
        return identity
    }
}

extension VirtualClock {
    /// `20150830T123600Z` → milliseconds.
    public static func parseAmzDate(_ s: String) -> Int64? {
        guard s.count == 16, s.dropFirst(8).first == "T", s.last == "Z" else { return nil }
        let d = s.prefix(8), t = s.dropFirst(9).prefix(6)
        return VirtualClock.parse("\(d.prefix(4))-\(d.dropFirst(4).prefix(2))-\(d.suffix(2))T\(t.prefix(2)):\(t.dropFirst(2).prefix(2)):\(t.suffix(2))Z")?.millis
    }
}

/// Credentials of a role session (`aws sts assume-role`): an `ASIA…` key pair and a session token, valid for the
/// session's duration (policy.md §8 rule 3).
public struct TemporaryCredentials: Sendable {
    public var identity: Identity
    public var sessionToken: String
    public var expiresAtMillis: Int64
    /// Who assumed the role.
    public var assumedBy: String

    public init(identity: Identity, sessionToken: String, expiresAtMillis: Int64, assumedBy: String) {
        self.identity = identity
        self.sessionToken = sessionToken
        self.expiresAtMillis = expiresAtMillis
        self.assumedBy = assumedBy
    }
}

/// IAM authorization on HTTP API routes (policy.md §8): the SigV4 signature, then only the caller's identity
/// policies — HTTP APIs have no resource policies, so a caller of another account is never allowed directly; it
/// assumes a role in the API's account instead (§8 rule 3).
enum HttpIamAuthorization {
    static func run(_ x: inout Exchange, _ env: GatewayEnvironment, route: HttpRoute, stage: StageName) throws(GatewayFailure) {
        guard x.request.headers["Authorization"] != nil else {
            throw GatewayFailure(.accessDenied, status: 403, message: "Forbidden",
                                 why: "route \(route.routeKey) uses IAM authorization and the request is not signed: 403 (policy.md §8 rule 4; the answer to an unsigned request is UNCONFIRMED, gwsh answers Forbidden)")
        }
        // Signature failures: REST's wording and checks (for HTTP APIs UNCONFIRMED).
        let identity = try SignatureCheck.verify(x, env)
        let arn = HttpLambdaAuthorizer.routeArn(x, env, route: route)
        let keys = ResourcePolicyCheck.conditionKeys(x, env).merging(IamAuthorization.principalKeys(identity)) { $1 }
        let decision = try IamAuthorization.identityDecision(identity, AuthorizationRequest(principal: .aws(arn: identity.arn), resource: arn, keys: keys))
        let crossAccount = identity.account != env.world.account
        let why = "identity policies of \(identity.arn): \(IamAuthorization.describe(decision)) on \(arn); no resource policy (HTTP APIs have none, policy.md §8 rule 1)"
        guard decision.isAllow, !crossAccount else {
            throw GatewayFailure(.accessDenied, status: 403, message: "Forbidden",
                                 why: why + (crossAccount ? "; the caller is in account \(identity.account), the API in \(env.world.account): with no resource policy nothing can grant another account access — assume a role in \(env.world.account) with sts:AssumeRole (policy.md §8 rules 2–3 [SEED])"
                                                          : "; 403 {\"message\":\"Forbidden\"} (policy.md §8 rule 4 [REC P23])"))
        }
        x.caller = identity
        // requestContext.authorizer.iam (payload 2.0): the caller's key, account and ARN; ids gwsh does not model stay null.
        x.http?.authorizer = .obj(["iam": .obj(["accessKey": .string(identity.accessKeyId), "accountId": .string(identity.account), "callerId": .null,
                                                "cognitoIdentity": .null, "principalOrgId": .null, "userArn": .string(identity.arn), "userId": .null])])
        x.trace.append(TraceEvent(stage: stage, millis: env.clock.millis, summary: "AWS_IAM: \(identity.arn) signed and allowed on \(arn)",
                                  fields: [("authorizationType", "AWS_IAM"), ("caller", identity.arn), ("accessKeyId", identity.accessKeyId), ("routeArn", arn)],
                                  why: why))
    }
}
