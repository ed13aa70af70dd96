import Crypto
import Foundation

/// Who can send signed requests (`identities`, MODEL.md: `as NAME` in the shell): an IAM user or role session
/// of some account, its identity policies (IAM JSON as-is), and the access key it signs with. A key not given in
/// the model is derived from the ARN, so sessions stay deterministic.
public struct Identity: Sendable {
    public var name: String
    public var arn: String
    public var policies: [JSONValue]
    public var accessKeyId: String
    public var secretAccessKey: String
    /// A user of an Amazon Cognito user pool instead of an IAM principal: requests carry its token.
    public var cognito: CognitoUser?
    /// A role's trust policy (IAM's AssumeRolePolicyDocument): who may assume it with sts:AssumeRole.
    public var trustPolicy: JSONValue?
    public var location: SourceLocation

    public init(name: String, arn: String, policies: [JSONValue], accessKeyId: String, secretAccessKey: String, cognito: CognitoUser? = nil,
                trustPolicy: JSONValue? = nil, location: SourceLocation) {
        self.name = name
        self.arn = arn
        self.policies = policies
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.cognito = cognito
        self.trustPolicy = trustPolicy
        self.location = location
    }

    public var isRole: Bool { arn.split(separator: ":", maxSplits: 5).last?.hasPrefix("role/") ?? false }

    /// The account in the ARN (`arn:aws:iam::ACCOUNT:user/NAME`).
    public var account: String {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        return parts.count > 4 ? String(parts[4]) : ""
    }

    /// `AKIA` + 16 characters, and a 40-character secret, from the ARN's SHA-256 (gwsh's choice: real keys are
    /// random; these only need to be stable and look like AWS's).
    public static func derivedKeys(arn: String) -> (String, String) {
        let digest = Array(SHA256.hash(data: Array(("gwsh-key|" + arn).utf8)))
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        let id = "AKIA" + String(digest.prefix(16).map { alphabet[Int($0) % alphabet.count] })
        let secret = String(Data(SHA256.hash(data: digest)).base64EncodedString().prefix(40))
        return (id, secret)
    }
}

/// A Cognito user pool user (gwsh's own `identities.NAME.cognito`): who signs in, to which app client, with which
/// groups, attributes and scopes. The shell mints its ID or access token (reference/policy.md §7).
public struct CognitoUser: Sendable {
    /// The pool id (`us-east-1_AbCdEf123`), from the pool id or ARN written.
    public var userPoolId: String
    public var username: String
    public var clientId: String
    public var groups: [String]
    public var attributes: [(String, String)]
    public var scopes: [String]
    /// `id` (the default) or `access`: which token requests carry.
    public var tokenUse: String

    public init(userPoolId: String, username: String, clientId: String, groups: [String], attributes: [(String, String)], scopes: [String], tokenUse: String) {
        self.userPoolId = userPoolId
        self.username = username
        self.clientId = clientId
        self.groups = groups
        self.attributes = attributes
        self.scopes = scopes
        self.tokenUse = tokenUse
    }
    public var issuer: String { Self.issuer(userPoolId: userPoolId) }

    /// A user pool's token issuer: `https://cognito-idp.REGION.amazonaws.com/POOL_ID`, the Region being the pool id's
    /// prefix.
    public static func issuer(userPoolId: String) -> String {
        "https://cognito-idp.\(userPoolId.split(separator: "_").first ?? "").amazonaws.com/\(userPoolId)"
    }
}

extension ModelKeys {
    static let identity = KeySet(known: ["arn", "policies", "accessKeyId", "secretAccessKey", "cognito", "trustPolicy"],
                                 simulated: ["arn", "policies", "accessKeyId", "secretAccessKey", "cognito", "trustPolicy"])
    static let cognitoUser = KeySet(known: ["userPool", "username", "clientId", "groups", "attributes", "scopes", "tokenUse"],
                                    simulated: ["userPool", "username", "clientId", "groups", "attributes", "scopes", "tokenUse"])
}

extension ModelLoader {
    static func loadIdentity(_ name: String, _ node: ModelNode, path: String, ctx: inout LoadContext) throws(ModelError) -> Identity {
        let m = try MapReader(node, keys: ModelKeys.identity, path: path, ctx: &ctx)
        if let c = m["cognito"] {
            let user = try loadCognitoUser(name, c, path: path + ".cognito", ctx: &ctx)
            return Identity(name: name, arn: "", policies: [], accessKeyId: "", secretAccessKey: "", cognito: user, location: node.location)
        }
        guard let arnNode = m["arn"] else {
            throw ModelError(node.location, "identity \(name) needs an `arn`", hint: "e.g. arn: \"arn:aws:iam::222222222222:user/Alice\"")
        }
        let arn = try arnNode.string("arn")
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "iam" || parts[2] == "sts", parts[4].count == 12, parts[4].allSatisfy(\.isNumber),
              parts[5].hasPrefix("user/") || parts[5].hasPrefix("role/") || parts[5].hasPrefix("assumed-role/") || parts[5] == "root" else {
            throw ModelError(arnNode.location, "'\(arn)' is not an IAM user, role, assumed-role session or root ARN",
                             hint: "arn:aws:iam::ACCOUNT:user/NAME, arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION or arn:aws:iam::ACCOUNT:root")
        }
        var policies: [JSONValue] = []
        for p in try m["policies"]?.list("policies") ?? [] {
            if case .scalar(let text, _, let loc) = p {
                do throws(JSONParseError) { policies.append(try JSONValue.parse(text)) } catch {
                    throw ModelError(loc, "a policy of identity \(name) is not JSON: \(error)")
                }
            } else {
                policies.append(p.json)
            }
        }
        let (derivedId, derivedSecret) = Identity.derivedKeys(arn: arn)
        var identity = Identity(name: name, arn: arn, policies: policies, accessKeyId: try m["accessKeyId"]?.string("accessKeyId") ?? derivedId,
                                secretAccessKey: try m["secretAccessKey"]?.string("secretAccessKey") ?? derivedSecret, location: node.location)
        if let t = m["trustPolicy"] {
            guard identity.isRole else {
                throw ModelError(t.location, "only a role has a trust policy; \(name) is \(arn)", hint: "give the role's ARN: arn:aws:iam::ACCOUNT:role/NAME")
            }
            if case .scalar(let text, _, let loc) = t {
                do throws(JSONParseError) { identity.trustPolicy = try JSONValue.parse(text) } catch {
                    throw ModelError(loc, "the trust policy of \(name) is not JSON: \(error)")
                }
            } else {
                identity.trustPolicy = t.json
            }
        }
        return identity
    }

    static func loadCognitoUser(_ name: String, _ node: ModelNode, path: String, ctx: inout LoadContext) throws(ModelError) -> CognitoUser {
        let m = try MapReader(node, keys: ModelKeys.cognitoUser, path: path, ctx: &ctx)
        guard let poolNode = m["userPool"] else {
            throw ModelError(node.location, "Cognito identity \(name) needs a `userPool`", hint: "userPool: us-east-1_AbCdEf123 (or the pool's ARN)")
        }
        let written = try poolNode.string("userPool")
        let poolId = written.hasPrefix("arn:") ? String(written.split(separator: "/").last ?? "") : written
        let parts = poolId.split(separator: "_")
        guard parts.count == 2, parts[0].split(separator: "-").count == 3, !parts[1].isEmpty else {
            throw ModelError(poolNode.location, "'\(written)' is not a user pool id or ARN", hint: "a pool id is REGION_ID, e.g. us-east-1_AbCdEf123")
        }
        var groups: [String] = [], scopes: [String] = [], attributes: [(String, String)] = []
        for g in try m["groups"]?.list("groups") ?? [] { groups.append(try g.string("groups")) }
        for s in try m["scopes"]?.list("scopes") ?? [] { scopes.append(try s.string("scopes")) }
        for e in try m["attributes"]?.mapping("attributes") ?? [] { attributes.append((e.key, try e.value.string(e.key))) }
        let use = try m["tokenUse"]?.string("tokenUse") ?? "id"
        guard use == "id" || use == "access" else {
            throw ModelError(m["tokenUse"]!.location, "tokenUse is id or access, not '\(use)'", hint: "id: the ID token (claims); access: the access token (scopes)")
        }
        let derivedClient = String(Identity.derivedKeys(arn: "client|" + poolId).0.dropFirst(4).lowercased())
        return CognitoUser(userPoolId: poolId, username: try m["username"]?.string("username") ?? name, clientId: try m["clientId"]?.string("clientId") ?? derivedClient,
                           groups: groups, attributes: attributes, scopes: scopes, tokenUse: use)
    }
}
