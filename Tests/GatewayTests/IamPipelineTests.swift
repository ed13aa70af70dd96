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

/// The signed AWS_IAM rows of authz-cases.json for REST APIs, through the whole pipeline: the caller becomes a
/// model identity, the request is SigV4-signed with its key, and the gateway answers (policy.md §2, §4).
let iamRows: [JSONValue] = authzCases.filter {
    $0["api"]?["type"] == "REST" && $0["api"]?["authorizationType"] == "AWS_IAM" && $0["caller"]?["signed"]?.boolValue == true
        && $0["caller"]?["authorizationHeader"] == nil && $0["caller"]?["xAmzDate"] == nil && $0["caller"]?["signingService"] == nil
}

@Suite("authz-cases.json: signed AWS_IAM rows through the pipeline", .enabled(if: !iamRows.isEmpty, "../shared/reference/authz-cases.json is absent"))
struct IamPipelineTests {
    @Test("row", arguments: iamRows.map { $0["id"]?.stringValue ?? "" })
    func row(_ id: String) throws {
        let c = try #require(iamRows.first { $0["id"]?.stringValue == id })
        let caller = try #require(c["caller"]), req = try #require(c["request"])
        let arn = try #require(caller["principal"]?.stringValue)
        let integration = try JSONValue.parse(#"{"type": "MOCK", "requestTemplates": {"application/json": "{\"statusCode\": 200}"}, "integrationResponses": {"200": {}}}"#)
        var method = JSONObject()
        method["authorizationType"] = "AWS_IAM"
        method["integration"] = integration
        method["methodResponses"] = try JSONValue.parse(#"{"200": {}}"#)
        var resource = JSONObject()
        resource[req["method"]?.stringValue ?? "GET"] = .object(method)
        var resources = JSONObject()
        resources[req["path"]?.stringValue ?? "/pets"] = .object(resource)
        var api = JSONObject()
        api["id"] = "a1b2c3d4e5"
        api["endpointConfiguration"] = try JSONValue.parse(#"{"types": ["REGIONAL"]}"#)
        api["resources"] = .object(resources)
        var stage = JSONObject()
        stage["stageName"] = .string(req["stage"]?.stringValue ?? "dev")
        api["stages"] = .array([.object(stage)])
        if let p = c["api"]?["resourcePolicy"], p != .null { api["policy"] = p }
        var identity = JSONObject()
        identity["arn"] = .string(arn)
        identity["policies"] = caller["identityPolicies"] ?? .array([])
        var identities = JSONObject()
        identities["caller"] = .object(identity)
        var top = JSONObject()
        top["region"] = "us-east-1"
        top["account"] = "111111111111"
        top["identities"] = .object(identities)
        top["restApis"] = .array([.object(api)])
        let model = JSONValue.object(top)
        let world = try ModelLoader.load(node: ModelNode.fromJSON(model, file: id), file: id, baseDirectory: nil)
        let env = GatewayEnvironment(world: world)
        let signer = try #require(world.identities.first)
        let path = "/" + (req["stage"]?.stringValue ?? "dev") + (req["path"]?.stringValue ?? "/pets")
        let host = "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com"
        let signature = SigV4.sign(SigV4Request(method: req["method"]?.stringValue ?? "GET", path: path, headers: [("host", host), ("x-amz-date", env.clock.amzDate)]),
                                   credentials: SigV4Credentials(accessKeyId: signer.accessKeyId, secretAccessKey: signer.secretAccessKey),
                                   amzDate: env.clock.amzDate, region: "us-east-1", service: "execute-api")
        let x = env.send(ClientRequest(method: req["method"]?.stringValue ?? "GET", rawPath: path,
                                       headers: HeaderFields([("Host", host), ("X-Amz-Date", env.clock.amzDate), ("Authorization", signature.authorization)]),
                                       sourceIp: caller["sourceIp"]?.stringValue ?? "203.0.113.10"))
        #expect(x.unsupported == nil, "\(x.unsupported ?? "")")
        #expect(x.response?.status == c["expect"]?["status"]?.intValue, "\(id): \(x.failure?.why ?? "")")
        if let body = c["expect"]?["body"]?.stringValue, !body.isEmpty {
            #expect(x.response?.bodyText == body)
            #expect(x.response?.headers["x-amzn-ErrorType"] == c["expect"]?["errorType"]?.stringValue)
        }
    }

    @Test func thereAreRows() { #expect(iamRows.count >= 25) }
}
