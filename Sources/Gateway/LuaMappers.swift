import GatewayModel
import Templates

/// Lua mappers (issue 11): a function a plugin registers with `gateway.mapper(NAME, function(input) … end)`, named in
/// a model wherever a mapping template stands (`requestTemplates: { application/json: { lua: NAME } }`). It gets
/// what a template gets — the body, the parameters, `$context`, the stage variables — as Lua values, and returns the
/// body: a string as it is, a table `{ body = …, status = …, headers = {…} }` (status and headers as
/// `$context.responseOverride` sets them), or any other table as JSON.
enum LuaMappers {
    static func render(_ name: String, payload: String, _ x: inout Exchange, _ env: GatewayEnvironment) -> MappingTemplates.Outcome {
        func failed(_ message: String) -> MappingTemplates.Outcome {
            .failed(VelocityError(kind: .runtime, javaClass: "LuaMapperError", message: "Lua mapper \(name): \(message)"))
        }
        let function = "mapper:" + name
        guard let lambda = env.lambda, lambda.hasFunction(function) else {
            return failed("no plugin registers it (gateway.mapper(\"\(name)\", function(input) … end))")
        }
        let api = x.apiId.flatMap { env.restApi(id: $0) }
        let stage = x.currentStage(env)
        var context = JSONValue.null
        if let api, let stage {
            context = LambdaProxy.requestContext(x, api: api, stage: stage, accountId: env.world.account, requestTimeMillis: x.startMillis,
                                                 requestTime: VirtualClock(millis: x.startMillis).clfDate)
        }
        let input: JSONValue = .obj([
            "body": .string(payload),
            "json": (try? JSONValue.parse(payload)) ?? .null,
            "params": .obj([
                "path": .object(JSONObject(x.pathParameters.map { ($0.name, JSONValue.string($0.value)) })),
                "querystring": .object(JSONObject(x.query.map { ($0.name, JSONValue.string($0.value)) })),
                "header": .object(JSONObject(x.methodRequestHeaders.grouped.map { ($0.name, JSONValue.string($0.values.last ?? "")) })),
            ]),
            "context": context,
            "stageVariables": .object(JSONObject((stage?.variables ?? []).map { ($0.name, JSONValue.string($0.value)) })),
        ])
        let result = lambda.call(function, payload: input.serialized(), requestId: env.ids.uuid(), env)
        switch result.outcome {
        case .success(let text):
            guard let value = try? JSONValue.parse(text) else { return failed("answered \(text), not JSON") }
            switch value {
            case .string(let s): return .rendered(s)
            case .null: return .rendered("")
            case .object(let o) where o["body"] != nil || o["status"] != nil || o["headers"] != nil:
                if let s = o["status"], !s.isNull { x.responseOverride["status"] = s }
                if case .object(let h)? = o["headers"] {
                    var headers = x.responseOverride["header"]?.objectValue ?? JSONObject()
                    for (k, v) in h { headers[k] = v }
                    x.responseOverride["header"] = .object(headers)
                }
                let body = o["body"] ?? .null
                return .rendered(body.stringValue ?? (body.isNull ? "" : body.serialized()))
            default: return .rendered(value.serialized())
            }
        case .functionError(let error, _): return failed(error["errorMessage"]?.stringValue ?? error.serialized())
        case .timedOut: return failed("ran out of instructions")
        case .cancelled: return failed("interrupted (Ctrl-C)")
        }
    }
}
