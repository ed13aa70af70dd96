import Crypto
import Foundation
import GatewayModel
import _CryptoExtras

/// JSON Web Tokens as Amazon Cognito issues them (RS256, a `kid` in the header), signed and verified with
/// swift-crypto's RSA. jwt-kit, the usual package, only verifies through an actor (async); the pipeline is
/// synchronous and pure, so gwsh does the three documented steps itself: base64url, RSASSA-PKCS1-v1_5 with
/// SHA-256, JSON claims.
public enum JWT {
    public struct Decoded: Sendable {
        public var header: JSONObject
        public var claims: JSONObject
        /// `header.claims`, the signed bytes.
        public var signingInput: String
        public var signature: [UInt8]
    }

    public enum Problem: Error, Sendable, Equatable {
        case segments(Int), notBase64JSON, signature
    }

    public static func decode(_ token: String) throws(Problem) -> Decoded {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .segments(parts.count) }
        guard let h = base64URLDecode(parts[0]), let c = base64URLDecode(parts[1]), let sig = base64URLDecode(parts[2]),
              case .object(let header)? = try? JSONValue.parse(String(decoding: h, as: UTF8.self)),
              case .object(let claims)? = try? JSONValue.parse(String(decoding: c, as: UTF8.self)) else { throw .notBase64JSON }
        return Decoded(header: header, claims: claims, signingInput: parts[0] + "." + parts[1], signature: sig)
    }

    /// An RS256 token over `claims` with the simulated issuer key.
    public static func sign(claims: JSONObject, key: SimulatedIssuerKey = .shared) -> String {
        let header = JSONValue.obj(["kid": .string(key.kid), "alg": "RS256"])
        let input = base64URLEncode(Array(header.serialized().utf8)) + "." + base64URLEncode(Array(JSONValue.object(claims).serialized().utf8))
        let signature = (try? key.privateKey.signature(for: Array(input.utf8), padding: .insecurePKCS1v1_5)).map { Array($0.rawRepresentation) } ?? []
        return input + "." + base64URLEncode(signature)
    }

    /// Whether the token's RS256 signature is the simulated issuer's.
    public static func verify(_ d: Decoded, key: SimulatedIssuerKey = .shared) -> Bool {
        guard d.header["alg"]?.stringValue == "RS256" else { return false }
        return key.privateKey.publicKey.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: d.signature), for: Array(d.signingInput.utf8),
                                                         padding: .insecurePKCS1v1_5)
    }

    public static func base64URLEncode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func base64URLDecode(_ s: Substring) -> [UInt8]? {
        var t = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while t.count % 4 != 0 { t += "=" }
        return Data(base64Encoded: t).map(Array.init)
    }
}

/// The one signing key of gwsh's simulated identity providers (Cognito user pools). A fixed key, so tokens are the
/// same in every run; it signs nothing outside the simulation. Real pools publish theirs at
/// `https://cognito-idp.REGION.amazonaws.com/POOL_ID/.well-known/jwks.json`.
public struct SimulatedIssuerKey: Sendable {
    public let kid = "gwsh-simulated-issuer-1"
    let privateKey: _RSA.Signing.PrivateKey

    public static let shared = SimulatedIssuerKey()

    init() {
        // swiftlint:disable:next force_try — a constant, checked by the tests.
        privateKey = try! _RSA.Signing.PrivateKey(pemRepresentation: Self.pem)
    }

    static let pem = """
-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDs5aXNMmp1GGm5
TSUtCbMk2pyXeOzyPsGXb9BmunA1uMVjzNyYaONZB6zeu/Bz9PG+ayssglNV95Kt
EeOiu7mPxfvKjoM40PhmuiZi9TowrePBM9QL8OLdIqRkH5CeqPA7a42y1H7VZfNR
dmA0lY0fWQNL5fr9pJxcLnP8jiAENATJbKsKwOxhnhrva4i1sWdjSHAwvJVoZTHM
80EZak+8072rS8uKSFkJpeQPijo7hUHsEkv62q2qVYhvTISzQkQpvKtqnyrSO9Yb
AkaDtOYGipCXPKnQHJWGvSXVH+hfwsTNAnfEntkLi1xh1WfH1tWf2ZFO2qA01fWP
gECpL3xpAgMBAAECggEABB1L9yemQjDhmzKMD/9wYVY7rITQ5rcw0RLD1Zjs3H4A
Taav+SSvOCtiNP8iIr1xGmvNlOkRjfduEHv0Tm4Av87CPAckH88/VTdr9cGJGHHY
uBEQoIF3SzxwCv4iWqMYAwwv6ph2uHmcE4DhFGC5kf8Ph9ivdorOnWpAIPWN+Eyv
bs/nyc6GQlD/l1Ug2wsSgBEG9nApuJCg1FAgcNc5sB+Slz4u08Ic0wDKrYUSXF6b
oPTrxemjF6a/wbFTxcW1J7bjsbQrUsV3EW92/jN4POysEsDoD/iJ2r7MxcFrvpGE
cBPpNbRrSehPuRBGnISgkUn5GES1TtgEkt8EdTZKAQKBgQD9TZOozsBftUV+u63L
gKWs8t+UhLq7hHm8G8oTavbHKHvdYod3uckftYcllfUsiC6rBIEvJ3pxAP0oYxVk
gEfHoqcuLY6QRleIYt7bW71eevS/jEzP2YBoHEKuyv2orRYXQHrkqu0G5ZOeCkmu
WnZGYD9AsJZn0lLaHQJ9pXjRAQKBgQDva1p55KsDknrt4ZnS/AxWRKi5mzky2Ion
uAfHaZeuSQ2qPFXh6ZZtT+7pIxsRiYM72+qvq8Ge0xnfMHZx38R4DAzLbcmyHmjs
E3FryyUknDE6Qm/rwi8jEAf7xzyef5457O+kR5pR0mR04cBQKTun1p5VSXb5yvbX
Gb699W7DaQKBgGku45f/cqbLkTYVHRAaNbHhkLINg7UGR76zE3CIxDzjNLwzg+lV
fozqRlp3ML3zNt3RGwvHqvJt5LH2oxV+p0/g3OcyB7clXofF9qDEMZigGi3IRsUw
nj+dLJuEs1xts3SoU9/MkmyAvJGt1/bMnbyPjvR/35TxI3JrBXPDWK4BAoGBAJs6
VFfxjXtsbm1rNuuXZXxNWcO1Q1mXEcP8ynZdHO3wCX8VTW2CoHhROgpIK5WsPb0C
sd+iEZAjOIP/jNv6BAz9axI+JWZp1wcw9/m2pWdeKYCncJ8/sIYgL7zriX8OKQ1P
dHRjxEdGjMFHWQPgKACC4vdTAWOlV3NRCt1okp75AoGBALpwX5jttchRKhrS+bN0
AojKR4MJ4RolIGpCIovliecf6FvxQAI32T2GuFMH9d1YOtZj8XIOg0oilTlic99m
LF0eMobADkx+pmWX6xbZdWt+DP6YYKPXxQ7Zcmq8ir0Lw8zGfLPvoicwjTkOywLi
xVPzPnu3ShFcGuoG3Hieh+8b
-----END PRIVATE KEY-----
"""
}

/// Tokens of a simulated Cognito user pool, with the claims Cognito puts in them (ID: `aud`, `cognito:username`,
/// the user's attributes; access: `client_id`, `scope`, `username`), valid for one hour as Cognito's default.
public enum CognitoToken {
    public static let lifetimeSeconds: Int64 = 3600

    public static func mint(_ user: CognitoUser, nowMillis: Int64) -> String {
        let now = nowMillis / 1000
        let digest = Array(SHA256.hash(data: Array((user.userPoolId + "|" + user.username).utf8)))
        let hex = digest.prefix(16).map { String(format: "%02x", $0) }.joined()
        let sub = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)].joined(separator: "-")
        var c = JSONObject()
        c["sub"] = .string(sub)
        if !user.groups.isEmpty { c["cognito:groups"] = .array(user.groups.map(JSONValue.string)) }
        c["iss"] = .string(user.issuer)
        if user.tokenUse == "access" {
            c["client_id"] = .string(user.clientId)
            c["token_use"] = "access"
            c["scope"] = .string(user.scopes.joined(separator: " "))
            c["username"] = .string(user.username)
        } else {
            c["cognito:username"] = .string(user.username)
            c["aud"] = .string(user.clientId)
            c["token_use"] = "id"
            for (k, v) in user.attributes { c[k] = .string(v) }
        }
        c["auth_time"] = .int(Int(now))
        c["iat"] = .int(Int(now))
        c["exp"] = .int(Int(now + lifetimeSeconds))
        return JWT.sign(claims: c)
    }
}
