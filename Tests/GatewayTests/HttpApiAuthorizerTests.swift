import Foundation
import Gateway
import GatewayModel
import Testing

/// HTTP API authorizers (reference/http-api.md §7, lambda-payloads.md §5.5).
@Suite struct HttpApiAuthorizerTests {
    static let issuer = "https://issuer.example/pool"

    static func token(_ claims: [String: Any], segments: Int = 3) -> String {
        func b64(_ o: Any) -> String {
            let d = try! JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])
            return d.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        let parts = [b64(["alg": "RS256", "kid": "k1"]), b64(claims), "c2ln"]
        return parts.prefix(segments).joined(separator: ".")
    }

    static func model(_ authorizer: String, route: String = "authorizationType: JWT, authorizer: a", version: String = "2.0") -> String {
        """
        httpApis:
          - apiId: a1b2c3d4e5
            authorizers:
              a: \(authorizer)
            routes:
              "GET /x": { \(route), integration: { integrationType: AWS_PROXY, integrationUri: "lambda:fn", payloadFormatVersion: "\(version)" } }
            stages: [ { stageName: $default } ]
        """
    }

    static let jwt = #"{ authorizerType: JWT, identitySource: ["$request.header.Authorization"], jwtConfiguration: { issuer: "https://issuer.example/pool", audience: [app] } }"#

    func send(_ yaml: String, headers: [(String, String)] = [], lambda: TestLambda = TestLambda(["fn", "auth"]) { _ in LambdaResult(outcome: .success(payload: "{}")) }) throws -> Exchange {
        try env(yaml, lambda: lambda).send(request("GET", "/x", headers: headers))
    }

    // The session clock is 2026-03-05T12:00:00Z = 1772712000.
    @Test(arguments: [
        ([:] as [String: String], 401, "Bearer"),
        (["Authorization": "Bearer a.b"], 401, "Bearer scope=\"read\" error=\"invalid_token\" error_description=\"token contains an invalid number of segments\""),
        (["Authorization": Self.token(["iss": Self.issuer, "aud": "other", "exp": 1893456000, "scope": "read"])], 401,
         "Bearer scope=\"read\" error=\"invalid_token\" error_description=\"the token does not have a valid audience\""),
        (["Authorization": Self.token(["iss": Self.issuer, "client_id": "app", "exp": 1700000000, "scope": "read"])], 401,
         "Bearer scope=\"read\" error=\"invalid_token\" error_description=\"the token has expired\""),
        (["Authorization": Self.token(["iss": Self.issuer, "client_id": "app", "exp": 1893456000, "scope": "write"])], 403, nil),
        (["Authorization": "Bearer " + Self.token(["iss": Self.issuer, "aud": ["app"], "exp": 1893456000, "scope": "read write"])], 200, nil),
    ] as [([String: String], Int, String?)])
    func jwtOutcomes(_ headers: [String: String], _ status: Int, _ wwwAuthenticate: String?) throws {
        let x = try send(Self.model(Self.jwt, route: "authorizationType: JWT, authorizer: a, authorizationScopes: [read]"), headers: headers.map { ($0.key, $0.value) })
        #expect(x.response?.status == status)
        #expect(x.response?.headers["www-authenticate"] == wwwAuthenticate)
        #expect(x.response?.headers["x-amzn-ErrorType"] == nil)
    }

    /// Claims reach the integration as strings (arrays Go-style), and scopes only on a route that has some (§7.1 rule 5).
    @Test func claimsReachTheIntegration() throws {
        let fn = TestLambda(["fn"]) { _ in LambdaResult(outcome: .success(payload: "{}")) }
        _ = try send(Self.model(Self.jwt), headers: [("Authorization", Self.token(["iss": Self.issuer, "aud": "app", "exp": 1893456000, "groups": ["a", "b"], "n": NSNull()]))], lambda: fn)
        let jwt = try #require(fn.lastEvent?["requestContext"]?["authorizer"]?["jwt"])
        #expect(jwt["claims"]?["exp"] == "1893456000")
        #expect(jwt["claims"]?["groups"] == "[a b]")
        #expect(jwt["claims"]?["n"] == nil)
        #expect(jwt["scopes"] == .null)
    }

    static let simple = #"{ authorizerType: REQUEST, authorizerUri: "lambda:auth", authorizerPayloadFormatVersion: "2.0", enableSimpleResponses: true, identitySource: ["$request.header.X-Key", "$request.querystring.q"] }"#

    /// A missing identity source: 401 without invoking the authorizer (§7.2 rule 8 [REC R7]).
    @Test func missingIdentitySourceSkipsTheFunction() throws {
        let fn = TestLambda(["fn", "auth"]) { _ in LambdaResult(outcome: .success(payload: #"{"isAuthorized": true}"#)) }
        let x = try send(Self.model(Self.simple, route: "authorizationType: CUSTOM, authorizer: a"), headers: [("X-Key", "k")], lambda: fn)
        #expect(x.response?.status == 401 && x.response?.bodyText == #"{"message":"Unauthorized"}"#)
        #expect(fn.invocations.isEmpty)
    }

    /// The 2.0 authorizer event and the simple response's context in the integration's event (rules 47, 50).
    @Test func simpleResponses() throws {
        let fn = TestLambda(["fn", "auth"]) { inv in
            LambdaResult(outcome: .success(payload: inv.functionName == "auth" ? #"{"isAuthorized": true, "context": {"n": 1, "list": [1, 2]}}"# : "{}"))
        }
        let e = try env(Self.model(Self.simple, route: "authorizationType: CUSTOM, authorizer: a"), lambda: fn)
        let x = e.send(request("GET", "/x?q=v", headers: [("X-Key", "k")]))
        #expect(x.response?.status == 200)
        let authEvent = try #require(fn.invocations.first.flatMap { try? JSONValue.parse($0.payload) })
        #expect(authEvent["type"] == "REQUEST" && authEvent["version"] == "2.0")
        #expect(authEvent["identitySource"] == .array(["k", "v"]))
        #expect(authEvent["routeArn"] == "arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/$default/GET/x")
        #expect(fn.lastEvent?["requestContext"]?["authorizer"] == .obj(["lambda": .obj(["n": 1, "list": [1, 2]])]))
        // Denied: 403 {"message":"Forbidden"}.
        let deny = TestLambda(["fn", "auth"]) { _ in LambdaResult(outcome: .success(payload: #"{"isAuthorized": false}"#)) }
        let d = try env(Self.model(Self.simple, route: "authorizationType: CUSTOM, authorizer: a"), lambda: deny).send(request("GET", "/x?q=v", headers: [("X-Key", "k")]))
        #expect(d.response?.status == 403 && d.response?.bodyText == #"{"message":"Forbidden"}"#)
    }

    /// 1.0 authorizers: methodArn and the identity values joined with commas in identitySource and
    /// authorizationToken (rule 48); a bad answer or a failing function is a 500, "Unauthorized" a 401.
    @Test func policyAuthorizers() throws {
        let policy = #"{ authorizerType: REQUEST, authorizerUri: "lambda:auth", authorizerPayloadFormatVersion: "1.0", identitySource: ["$request.header.X-Key", "$request.header.X-Other"] }"#
        func run(_ answer: LambdaOutcome) throws -> (Exchange, JSONValue?) {
            let fn = TestLambda(["fn", "auth"]) { inv in LambdaResult(outcome: inv.functionName == "auth" ? answer : .success(payload: "{}")) }
            let x = try env(Self.model(policy, route: "authorizationType: CUSTOM, authorizer: a"), lambda: fn)
                .send(request("GET", "/x", headers: [("X-Key", "k"), ("X-Other", "o")]))
            return (x, fn.invocations.first.flatMap { try? JSONValue.parse($0.payload) })
        }
        let allow = #"{"principalId": "u", "policyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:*:*:a1b2c3d4e5/*/GET/*"}]}}"#
        let (ok, event) = try run(.success(payload: allow))
        #expect(ok.response?.status == 200)
        #expect(event?["identitySource"] == "k,o" && event?["authorizationToken"] == "k,o")
        #expect(event?["methodArn"] == "arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/$default/GET/x")
        let wrongPath = allow.replacingOccurrences(of: "/GET/*", with: "/POST/*")
        #expect(try run(.success(payload: wrongPath)).0.response?.status == 403)
        #expect(try run(.success(payload: #"{"principalId": "u"}"#)).0.response?.status == 500)
        #expect(try run(.functionError(error: .obj(["errorMessage": "Unauthorized"]), kind: "Unhandled")).0.response?.status == 401)
        #expect(try run(.functionError(error: .obj(["errorMessage": "boom"]), kind: "Unhandled")).0.response?.status == 500)
    }

    /// Explicit Deny beats Allow; wildcards; actions case-insensitive, resources not.
    @Test func policyEvaluation() {
        let arn = "arn:aws:execute-api:us-east-1:1:api/dev/GET/x"
        func doc(_ statements: String) -> JSONValue { try! JSONValue.parse(#"{"Statement": "# + statements + "}") }
        #expect(AuthorizerPolicy.decide(doc(#"[{"Effect": "Allow", "Action": "execute-api:*", "Resource": "*"}]"#), resource: arn)?.allowed == true)
        #expect(AuthorizerPolicy.decide(doc(#"[{"Effect": "Allow", "Action": "*", "Resource": "*"}, {"Effect": "Deny", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:1:api/dev/*"}]"#), resource: arn)?.allowed == false)
        #expect(AuthorizerPolicy.decide(doc(#"{"Effect": "Allow", "Action": "EXECUTE-API:invoke", "Resource": "arn:aws:execute-api:us-east-1:1:api/dev/GET/?"}"#), resource: arn)?.allowed == true)
        #expect(AuthorizerPolicy.decide(doc(#"[{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:1:API/dev/*"}]"#), resource: arn)?.allowed == false)
        #expect(AuthorizerPolicy.decide(.obj(["Version": "2012-10-17"]), resource: arn) == nil)
    }

    @Test func loaderChecksAuthorizers() {
        func fails(_ yaml: String, _ text: String) {
            do { _ = try world(yaml); Issue.record("loaded") } catch let e as ModelError { #expect(e.message.contains(text), "\(e.message)") } catch { Issue.record("\(error)") }
        }
        fails(Self.model(Self.jwt, route: "authorizationType: JWT, authorizer: missing"), "no authorizer named 'missing'")
        fails(Self.model(Self.jwt, route: "authorizationType: CUSTOM, authorizer: a"), "needs a REQUEST authorizer")
        fails(Self.model(#"{ authorizerType: JWT, identitySource: ["$request.header.A"] }"#), "jwtConfiguration")
        fails(Self.model(#"{ authorizerType: REQUEST, authorizerUri: "lambda:auth", authorizerPayloadFormatVersion: "1.0", enableSimpleResponses: true }"#, route: "authorizationType: CUSTOM, authorizer: a"), "enableSimpleResponses")
    }
}
