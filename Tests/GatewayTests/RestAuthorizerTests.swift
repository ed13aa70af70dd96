import Foundation
import Gateway
import GatewayModel
import Policy
import Testing

/// REST Lambda and Cognito authorizers, private APIs, HTTP API IAM routes and sts:AssumeRole, stage by stage
/// (reference/policy.md §3, §6–8; lambda-payloads.md §5.1–5.4).
@Suite struct RestAuthorizerTests {
    static func model(_ authorizer: String, method: String = "authorizationType: CUSTOM\n          authorizer: a", extra: String = "",
                      integration: String = "{ type: AWS_PROXY, uri: lambda:fn }") -> String {
        """
        region: us-east-1
        account: "111111111111"
        \(extra)
        restApis:
          - id: a1b2c3d4e5
            endpointConfiguration: { types: [REGIONAL] }
            authorizers:
              a: \(authorizer)
            resources:
              /pets/{id}:
                GET:
                  \(method)
                  integration: \(integration)
            stages: [ { stageName: dev, variables: { env: test } } ]
        """
    }

    static let allow = #"{"principalId": "u1", "policyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"}]}, "context": {"n": 1, "ok": true, "s": "x"}}"#

    func lambda(_ answer: String) -> TestLambda {
        TestLambda(["fn", "auth"]) { inv in
            if inv.functionName == "fn" {
                // Echo requestContext.authorizer as the body.
                let event = (try? JSONValue.parse(inv.payload)) ?? .null
                return LambdaResult(outcome: .success(payload: JSONValue.obj(["statusCode": 200, "body": .string((event["requestContext"]?["authorizer"] ?? .null).serialized())]).serialized()))
            }
            return LambdaResult(outcome: .success(payload: answer), durationMillis: 5)
        }
    }

    @Test func requestAuthorizerGetsTheRequestEventWithoutBody() throws {
        let l = lambda(Self.allow)
        let e = try env(Self.model("{ type: REQUEST, authorizerUri: lambda:auth, identitySource: 'method.request.header.X-Key, method.request.querystring.q, stageVariables.env', authorizerResultTtlInSeconds: 0 }"), lambda: l)
        let x = e.send(request("GET", "/dev/pets/7?q=1", headers: [("X-Key", "k")], body: "ignored"))
        #expect(x.status == 200)
        let event = try JSONValue.parse(try #require(l.invocations.first { $0.functionName == "auth" }).payload)
        #expect(event["type"] == "REQUEST")
        #expect(event["methodArn"] == "arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/dev/GET/pets/7")
        #expect(event["pathParameters"]?["id"] == "7")
        #expect(event["queryStringParameters"]?["q"] == "1")
        #expect(event["stageVariables"]?["env"] == "test")
        #expect(event["body"] == nil && event["isBase64Encoded"] == nil)
        // The context keeps its JSON types in the proxy event, with principalId and integrationLatency.
        let seen = try JSONValue.parse(try #require(x.bodyText))
        #expect(seen["n"] == 1 && seen["ok"] == true && seen["principalId"] == "u1" && (seen["integrationLatency"]?.intValue ?? 0) >= 5)
    }

    @Test func aMissingRequestIdentitySourceIs401WithoutACall() throws {
        let l = lambda(Self.allow)
        let e = try env(Self.model("{ type: REQUEST, authorizerUri: lambda:auth, identitySource: 'method.request.header.X-Key, method.request.querystring.q', authorizerResultTtlInSeconds: 0 }"), lambda: l)
        let x = e.send(request("GET", "/dev/pets/7", headers: [("X-Key", "k")]))
        #expect(x.status == 401 && x.bodyText == #"{"message":"Unauthorized"}"#)
        #expect(l.invocations.isEmpty)
    }

    @Test func contextValuesAreStringsInTemplates() throws {
        let mock = #"{ type: MOCK, requestTemplates: { application/json: '{"statusCode": 200}' }, integrationResponses: { "200": { responseTemplates: { application/json: '$context.authorizer.n|$context.authorizer.ok|$context.authorizer.principalId' } } } }"#
        let e = try env(Self.model("{ type: TOKEN, authorizerUri: lambda:auth }", method: "authorizationType: CUSTOM\n          authorizer: a\n          methodResponses: { \"200\": {} }",
                                   integration: mock), lambda: lambda(Self.allow))
        let x = e.send(request("GET", "/dev/pets/1", headers: [("Authorization", "t")]))
        #expect(x.bodyText == "1|true|u1")
    }

    @Test(arguments: [
        #"{"principalId": "u", "policyDocument": {"Version": "2012-10-17", "Statement": []}, "context": {"o": {"a": 1}}}"#,  // an object in context
        #"{"policyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"}]}}"#,  // Allow without principalId
        #"{"principalId": "u"}"#,  // no policy
        #""just a string""#,
    ])
    func malformedAnswersAreConfigurationErrors(_ answer: String) throws {
        let e = try env(Self.model("{ type: TOKEN, authorizerUri: lambda:auth }"), lambda: lambda(answer))
        let x = e.send(request("GET", "/dev/pets/1", headers: [("Authorization", "t")]))
        #expect(x.status == 500 && x.bodyText == #"{"message":null}"#)
        #expect(x.header("x-amzn-ErrorType") == "AuthorizerConfigurationException")
        #expect(x.messages.contains("Execution failed due to configuration error: Authorizer error"))
    }

    @Test func theCacheIsKeyedByTokenAndExpiresWithItsTtl() throws {
        let l = lambda(Self.allow)
        let e = try env(Self.model("{ type: TOKEN, authorizerUri: lambda:auth, authorizerResultTtlInSeconds: 60 }"), lambda: l)
        func calls() -> Int { l.invocations.filter { $0.functionName == "auth" }.count }
        _ = e.send(request("GET", "/dev/pets/1", headers: [("Authorization", "t1")]))
        _ = e.send(request("GET", "/dev/pets/2", headers: [("Authorization", "t1")]))
        #expect(calls() == 1)
        _ = e.send(request("GET", "/dev/pets/2", headers: [("Authorization", "t2")]))
        #expect(calls() == 2)
        e.clock.advance(millis: 61_000)
        _ = e.send(request("GET", "/dev/pets/2", headers: [("Authorization", "t1")]))
        #expect(calls() == 3)
        e.flushAuthorizerCache()
        _ = e.send(request("GET", "/dev/pets/2", headers: [("Authorization", "t1")]))
        #expect(calls() == 4)
    }

    @Test func anExplicitResourcePolicyDenyComesBeforeTheAuthorizer() throws {
        let policy = #"policy: { Version: "2012-10-17", Statement: [ { Effect: Deny, Principal: "*", Action: execute-api:Invoke, Resource: "execute-api:/*" } ] }"#
        let yaml = Self.model("{ type: TOKEN, authorizerUri: lambda:auth }").replacingOccurrences(of: "    endpointConfiguration: { types: [REGIONAL] }", with: "    endpointConfiguration: { types: [REGIONAL] }\n    " + policy)
        let l = lambda(Self.allow)
        let x = try env(yaml, lambda: l).send(request("GET", "/dev/pets/1", headers: [("Authorization", "t")]))
        #expect(x.status == 403 && (x.bodyText ?? "").hasSuffix(#"with an explicit deny"}"#))
        #expect(l.invocations.isEmpty)
    }

    @Test func aMissingFunctionOrATimeoutIsAConfigurationError() throws {
        let none = try env(Self.model("{ type: TOKEN, authorizerUri: lambda:nobody }"), lambda: lambda(Self.allow))
        #expect(none.send(request("GET", "/dev/pets/1", headers: [("Authorization", "t")])).status == 500)
        let slow = TestLambda(["fn", "auth"]) { _ in LambdaResult(outcome: .timedOut(afterMillis: 3000)) }
        #expect(try env(Self.model("{ type: TOKEN, authorizerUri: lambda:auth }"), lambda: slow).send(request("GET", "/dev/pets/1", headers: [("Authorization", "t")])).status == 500)
    }

    @Test func modelErrorsNameTheProblem() throws {
        #expect(throws: ModelError.self) { try world(Self.model("{ type: TOKEN, authorizerUri: lambda:auth }", method: "authorizationType: CUSTOM")) }
        #expect(throws: ModelError.self) { try world(Self.model("{ type: TOKEN, authorizerUri: lambda:auth }", method: "authorizationType: CUSTOM\n          authorizer: b")) }
        #expect(throws: ModelError.self) { try world(Self.model("{ type: TOKN, authorizerUri: lambda:auth }")) }
        #expect(throws: ModelError.self) { try world(Self.model("{ type: REQUEST, authorizerUri: lambda:auth }")) }  // caching without identity sources
        #expect(throws: ModelError.self) { try world(Self.model("{ type: TOKEN, authorizerUri: lambda:auth, authorizerResultTtlInSeconds: 4000 }")) }
        #expect(throws: ModelError.self) { try world(Self.model("{ type: COGNITO_USER_POOLS, providerARNs: [] }", method: "authorizationType: COGNITO_USER_POOLS\n          authorizer: a")) }
        #expect(throws: ModelError.self) { try world(Self.model("{ type: TOKEN, authorizerUri: lambda:auth }", method: "authorizationType: COGNITO_USER_POOLS\n          authorizer: a")) }
        do { _ = try world(Self.model("{ type: TOKEN, authorizerUri: lambda:auth }", method: "authorizationType: CUSTOM\n          authorizer: b")) } catch let e as ModelError {
            #expect(e.description.contains("names authorizer 'b'") && e.description.contains("authorizers: a"))
        }
    }

    // MARK: - Cognito

    static let pool = "us-east-1_Pets00001"
    static func cognitoModel(scopes: String = "") -> String {
        model("{ type: COGNITO_USER_POOLS, providerARNs: [\"arn:aws:cognito-idp:us-east-1:111111111111:userpool/\(pool)\"] }",
              method: "authorizationType: COGNITO_USER_POOLS\n          authorizer: a" + (scopes.isEmpty ? "" : "\n          authorizationScopes: [\(scopes)]"))
    }
    static func user(_ use: String = "id", scopes: [String] = [], pool: String = pool) -> CognitoUser {
        CognitoUser(userPoolId: pool, username: "carol", clientId: "client1", groups: ["staff"], attributes: [("email", "c@example.com")], scopes: scopes, tokenUse: use)
    }

    @Test func cognitoChecksSignatureIssuerExpiryAndTokenUse() throws {
        let e = try env(Self.cognitoModel(), lambda: lambda(Self.allow))
        let token = CognitoToken.mint(Self.user(), nowMillis: e.clock.millis)
        let ok = e.send(request("GET", "/dev/pets/1", headers: [("Authorization", token)]))
        #expect(ok.status == 200)
        let claims = try JSONValue.parse(try #require(ok.bodyText))["claims"]
        #expect(claims?["cognito:username"] == "carol" && claims?["email"] == "c@example.com" && claims?["token_use"] == "id")
        // Tampered: the claims of another token with this token's signature.
        let other = CognitoToken.mint(Self.user(pool: "us-east-1_Pets00001"), nowMillis: e.clock.millis + 1000).split(separator: ".")
        let forged = token.split(separator: ".")[0] + "." + other[1] + "." + token.split(separator: ".")[2]
        #expect(e.send(request("GET", "/dev/pets/1", headers: [("Authorization", String(forged))])).status == 401)
        #expect(e.send(request("GET", "/dev/pets/1", headers: [("Authorization", CognitoToken.mint(Self.user(pool: "us-east-1_Other0001"), nowMillis: e.clock.millis))])).status == 401)
        #expect(e.send(request("GET", "/dev/pets/1", headers: [("Authorization", CognitoToken.mint(Self.user("access"), nowMillis: e.clock.millis))])).status == 401)
        #expect(e.send(request("GET", "/dev/pets/1", headers: [("Authorization", "not-a-jwt")])).status == 401)
        e.clock.advance(millis: 3_601_000)
        #expect(e.send(request("GET", "/dev/pets/1", headers: [("Authorization", token)])).status == 401)
    }

    @Test func cognitoScopesNeedAnAccessTokenWithOneOfThem() throws {
        let e = try env(Self.cognitoModel(scopes: "pets/read"), lambda: lambda(Self.allow))
        let now = e.clock.millis
        #expect(e.send(request("GET", "/dev/pets/1", headers: [("Authorization", CognitoToken.mint(Self.user("access", scopes: ["pets/read"]), nowMillis: now))])).status == 200)
        #expect(e.send(request("GET", "/dev/pets/1", headers: [("Authorization", CognitoToken.mint(Self.user("access", scopes: ["pets/write"]), nowMillis: now))])).status == 401)
        #expect(e.send(request("GET", "/dev/pets/1", headers: [("Authorization", CognitoToken.mint(Self.user("id"), nowMillis: now))])).status == 401)
    }

    @Test func jwtSignaturesVerifyAndTamperingFails() throws {
        let token = JWT.sign(claims: JSONObject([("sub", "x")]))
        let d = try JWT.decode(token)
        #expect(JWT.verify(d) && d.header["kid"]?.stringValue == SimulatedIssuerKey.shared.kid)
        var bad = d
        bad.signingInput += "x"
        #expect(!JWT.verify(bad))
        #expect(throws: JWT.Problem.segments(2)) { try JWT.decode("a.b") }
    }

    @Test func httpJwtAuthorizersCheckTheSignatureOfSimulatedIssuers() throws {
        let yaml = """
            region: us-east-1
            account: "111111111111"
            httpApis:
              - apiId: h1
                protocolType: HTTP
                authorizers:
                  jwt: { authorizerType: JWT, identitySource: ["$request.header.Authorization"], jwtConfiguration: { issuer: "https://cognito-idp.us-east-1.amazonaws.com/\(Self.pool)", audience: [client1] } }
                routes:
                  "GET /x": { authorizationType: JWT, authorizer: jwt, integration: { integrationType: AWS_PROXY, integrationUri: lambda:fn, payloadFormatVersion: "2.0" } }
                stages: [ { stageName: $default } ]
            """
        let e = try env(yaml, lambda: lambda(Self.allow))
        let token = CognitoToken.mint(Self.user(), nowMillis: e.clock.millis)
        let ok = e.send(request("GET", "/x", headers: [("Authorization", "Bearer " + token)]))
        #expect(ok.status == 200)
        #expect(ok.trace.contains { $0.why?.contains("signature of gwsh's simulated issuer verifies") == true })
        let parts = token.split(separator: ".")
        let forged = parts[0] + "." + parts[1] + "." + JWT.base64URLEncode(Array(repeating: 7, count: 256))
        let bad = e.send(request("GET", "/x", headers: [("Authorization", "Bearer " + forged)]))
        #expect(bad.status == 401)
        #expect(bad.header("www-authenticate")?.contains("signature") == true)
    }

    // MARK: - Private APIs

    static let privateModel = """
        region: us-east-1
        account: "111111111111"
        restApis:
          - id: a1b2c3d4e5
            endpointConfiguration: { types: [PRIVATE] }
            %POLICY%
            resources:
              /pets:
                GET:
                  integration: { type: MOCK, requestTemplates: { application/json: '{"statusCode": 200}' }, integrationResponses: { "200": {} } }
                  methodResponses: { "200": {} }
            stages: [ { stageName: dev } ]
        """

    @Test func aPrivateApiIsOnlyReachedThroughAVpcEndpoint() throws {
        let policy = #"policy: { Version: "2012-10-17", Statement: [ { Effect: Allow, Principal: "*", Action: execute-api:Invoke, Resource: "execute-api:/*", Condition: { StringEquals: { aws:SourceVpc: vpc-1 } } } ] }"#
        let e = try env(Self.privateModel.replacingOccurrences(of: "%POLICY%", with: policy))
        let outside = e.send(request("GET", "/dev/pets"))
        #expect(outside.response == nil && outside.connectionError != nil && outside.isFinished)
        var inside = request("GET", "/dev/pets")
        inside.sourceVpce = "vpce-1"
        inside.sourceVpc = "vpc-1"
        #expect(e.send(inside).status == 200)
        inside.sourceVpc = "vpc-2"
        #expect(e.send(inside).status == 403)
        // Without a resource policy every call fails (policy.md §3 rule 1).
        inside.sourceVpc = "vpc-1"
        #expect(try env(Self.privateModel.replacingOccurrences(of: "%POLICY%", with: "")).send(inside).status == 403)
    }

    // MARK: - HTTP API IAM and sts:AssumeRole

    static let httpIam = """
        region: us-east-1
        account: "111111111111"
        identities:
          bob: { arn: "arn:aws:iam::222222222222:user/Bob", policies: [ { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: "*", Resource: "*" } ] } ] }
          eve: { arn: "arn:aws:iam::222222222222:user/Eve", policies: [ { Version: "2012-10-17", Statement: [ { Effect: Deny, Action: "sts:AssumeRole", Resource: "*" } ] } ] }
          role:
            arn: "arn:aws:iam::111111111111:role/Invoker"
            trustPolicy: { Version: "2012-10-17", Statement: [ { Effect: Allow, Principal: { AWS: "222222222222" }, Action: sts:AssumeRole } ] }
            policies: [ { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: execute-api:Invoke, Resource: "arn:aws:execute-api:us-east-1:111111111111:h1/$default/GET/*" } ] } ]
        httpApis:
          - apiId: h1
            protocolType: HTTP
            routes:
              "GET /x": { authorizationType: AWS_IAM, integration: { integrationType: AWS_PROXY, integrationUri: lambda:fn, payloadFormatVersion: "2.0" } }
            stages: [ { stageName: $default } ]
        """

    func signedRequest(_ e: GatewayEnvironment, _ id: Identity, token: String? = nil, host: String = "h1.execute-api.us-east-1.amazonaws.com",
                       path: String = "/x") -> ClientRequest {
        var headers: [(String, String)] = [("host", host), ("x-amz-date", e.clock.amzDate)]
        if let token { headers.append(("x-amz-security-token", token)) }
        let sig = SigV4.sign(SigV4Request(method: "GET", path: path, headers: headers),
                             credentials: SigV4Credentials(accessKeyId: id.accessKeyId, secretAccessKey: id.secretAccessKey),
                             amzDate: e.clock.amzDate, region: "us-east-1", service: "execute-api")
        return request("GET", path, headers: headers.map { ($0.0, $0.1) } + [("Authorization", sig.authorization)])
    }

    @Test func crossAccountHttpCallsNeedARoleSession() throws {
        let e = try env(Self.httpIam, lambda: lambda(Self.allow))
        let bob = try #require(e.world.identities.first { $0.name == "bob" })
        let role = try #require(e.world.identities.first { $0.name == "role" })
        #expect(e.send(request("GET", "/x")).status == 403)
        let direct = e.send(signedRequest(e, bob))
        #expect(direct.status == 403 && direct.bodyText == #"{"message":"Forbidden"}"#)
        let session = try STS.assumeRole(caller: bob, role: role, sessionName: "s1", durationSeconds: 900, env: e)
        #expect(session.identity.arn == "arn:aws:sts::111111111111:assumed-role/Invoker/s1" && session.identity.accessKeyId.hasPrefix("ASIA"))
        let ok = e.send(signedRequest(e, session.identity, token: session.sessionToken))
        #expect(ok.status == 200)
        #expect(e.send(signedRequest(e, session.identity)).status == 403)  // no session token
        e.clock.advance(millis: 901_000)
        let expired = e.send(signedRequest(e, session.identity, token: session.sessionToken))
        #expect(expired.status == 403 && expired.bodyText == #"{"message":"The security token included in the request is expired"}"#)
    }

    @Test func usernameAndPrincipalTypeAreConditionKeys() throws {
        let yaml = """
            region: us-east-1
            account: "111111111111"
            identities:
              alice: { arn: "arn:aws:iam::111111111111:user/Alice" }
              bob: { arn: "arn:aws:iam::111111111111:user/Bob" }
            restApis:
              - id: a1b2c3d4e5
                endpointConfiguration: { types: [REGIONAL] }
                policy:
                  Version: "2012-10-17"
                  Statement: [ { Effect: Allow, Principal: { AWS: "111111111111" }, Action: execute-api:Invoke, Resource: "execute-api:/*",
                                 Condition: { StringEquals: { "aws:username": Bob, "aws:PrincipalType": User } } } ]
                resources:
                  /pets:
                    GET:
                      authorizationType: AWS_IAM
                      integration: { type: MOCK, requestTemplates: { application/json: '{"statusCode": 200}' }, integrationResponses: { "200": {} } }
                      methodResponses: { "200": {} }
                stages: [ { stageName: dev } ]
            """
        let e = try env(yaml)
        let host = "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com"
        let alice = try #require(e.world.identities.first { $0.name == "alice" }), bob = try #require(e.world.identities.first { $0.name == "bob" })
        #expect(e.send(signedRequest(e, bob, host: host, path: "/dev/pets")).status == 200)
        #expect(e.send(signedRequest(e, alice, host: host, path: "/dev/pets")).status == 403)
    }

    @Test func assumeRoleNeedsTheTrustPolicyAndTheCallersOwnAllow() throws {
        let e = try env(Self.httpIam)
        let eve = try #require(e.world.identities.first { $0.name == "eve" })
        let role = try #require(e.world.identities.first { $0.name == "role" })
        #expect(throws: STS.Refusal.self) { try STS.assumeRole(caller: eve, role: role, sessionName: "s", durationSeconds: 900, env: e) }
        do { _ = try STS.assumeRole(caller: eve, role: role, sessionName: "s", durationSeconds: 900, env: e) } catch {
            #expect(error.message == "User: arn:aws:iam::222222222222:user/Eve is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111111111111:role/Invoker with an explicit deny")
        }
        // A role cannot be assumed by itself without a trust policy naming it; a role without one, by nobody.
        var untrusting = role
        untrusting.trustPolicy = nil
        #expect(throws: STS.Refusal.self) { try STS.assumeRole(caller: eve, role: untrusting, sessionName: "s", durationSeconds: 900, env: e) }
    }
}
