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
    public var location: SourceLocation

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

extension ModelKeys {
    static let identity = KeySet(known: ["arn", "policies", "accessKeyId", "secretAccessKey"], simulated: ["arn", "policies", "accessKeyId", "secretAccessKey"])
}

extension ModelLoader {
    static func loadIdentity(_ name: String, _ node: ModelNode, path: String, ctx: inout LoadContext) throws(ModelError) -> Identity {
        let m = try MapReader(node, keys: ModelKeys.identity, path: path, ctx: &ctx)
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
        return Identity(name: name, arn: arn, policies: policies, accessKeyId: try m["accessKeyId"]?.string("accessKeyId") ?? derivedId,
                        secretAccessKey: try m["secretAccessKey"]?.string("secretAccessKey") ?? derivedSecret, location: node.location)
    }
}
