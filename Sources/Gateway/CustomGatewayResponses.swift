import GatewayModel

/// A failure answered through a customised gateway response (`gatewayResponses` in the model;
/// rest-request-flow.md §3.1–3.2).
enum CustomGatewayResponse {
    struct Answer {
        var status: Int
        var body: String
        var headers: [(String, String)]
        var notes: [String]
    }

    static func answer(_ c: GatewayResponseCustomization, failure f: GatewayFailure,
                       builtIn: (status: Int, body: String, errorType: String?), x: Exchange, env: GatewayEnvironment) -> Answer {
        var notes: [String] = []
        let inherited = c.responseType != f.type.rawValue
        let name = inherited ? "\(c.responseType) (the fallback of \(f.type.rawValue))" : c.responseType
        // Status: the customisation's, else the type's own (rule 51: an omitted field is the default's).
        let status = c.statusCode ?? builtIn.status
        if c.statusCode != nil { notes.append("the model's \(name) sets the status \(status)") }
        let context = errorContext(f, builtIn: builtIn, x: x, env: env)
        var body = builtIn.body
        // The template for application/json (rule 57: selection by Accept is UNCONFIRMED), else the first.
        if let t = c.responseTemplates.first(where: { $0.contentType.lowercased() == "application/json" }) ?? c.responseTemplates.first {
            if let mapper = LuaMapperReference.name(t.template) {
                var copy = x
                switch LuaMappers.render(mapper, payload: "", &copy, env) {
                case .rendered(let out):
                    body = out
                    notes.append("the model's \(name) Lua mapper \(mapper) renders the body")
                case .failed(let e):
                    notes.append("\(e.message): the built-in body stays")
                }
            } else {
                body = substitute(t.template, context: context, x: x, env: env)
                notes.append("the model's \(name) template \(t.contentType) renders the body")
            }
        } else if c.statusCode != nil || !c.responseParameters.isEmpty {
            // No template of its own means the default one, {"message":$context.error.messageString}; gwsh keeps the
            // built-in bytes, which that template renders (assumption for the spaced family: rule 20 vs rule 51).
            notes.append("no template: the default body")
        }
        var headers: [(String, String)] = []
        for p in c.responseParameters {
            let header = String(p.target.dropFirst("gatewayresponse.header.".count))
            if let v = parameterValue(p.source, context: context, x: x, env: env) {
                headers.append((header, v))
            } else {
                notes.append("\(p.target) ← \(p.source) has no value for this request: header omitted")
            }
        }
        if !headers.isEmpty { notes.append("headers from responseParameters: " + headers.map(\.0).joined(separator: ", ")) }
        return Answer(status: status, body: body, headers: headers, notes: notes)
    }

    /// `$context` for a gateway response: the request's context as far as the request got, plus `error.*`
    /// (rest-request-flow.md §3.2 rule 55).
    static func errorContext(_ f: GatewayFailure, builtIn: (status: Int, body: String, errorType: String?), x: Exchange, env: GatewayEnvironment) -> JSONObject {
        var context = JSONObject()
        if let api = x.apiId.flatMap({ env.restApi(id: $0) }), let stage = x.currentStage(env) {
            context = LambdaProxy.requestContext(x, api: api, stage: stage, accountId: env.world.account, requestTimeMillis: x.startMillis,
                                                 requestTime: VirtualClock(millis: x.startMillis).clfDate).objectValue ?? JSONObject()
        } else {
            context["requestId"] = .string(x.requestId)
            context["extendedRequestId"] = .string(x.extendedRequestId)
            context["httpMethod"] = .string(x.request.method)
            context["domainName"] = .string(x.host)
            if let id = x.apiId { context["apiId"] = .string(id) }
            context["accountId"] = .string(env.world.account)
        }
        let message = f.message ?? f.type.defaults.message
        context["error"] = .obj([
            "message": message.map(JSONValue.string) ?? .null,
            // The quoted message; a null message renders null (rules 55–56).
            "messageString": .string(message.map { JSONValue.quoted($0) } ?? "null"),
            "responseType": .string(f.type.rawValue),
            // Its exact text is UNCONFIRMED (rule 55); gwsh gives the message.
            "validationErrorString": .string(message ?? ""),
        ])
        return context
    }

    /// Gateway response templates are not run by Velocity: only `$context.*`, `$stageVariables.*` and method
    /// request parameters are substituted (rule 54 [DOC D1] [DOC D19]); the rest stays as written. An unknown
    /// variable renders as nothing (assumption, as null does in mapping templates). The spelling
    /// `$method.request.header.NAME` for parameters is an assumption too.
    static func substitute(_ template: String, context: JSONObject, x: Exchange, env: GatewayEnvironment) -> String {
        var out = ""
        var i = template.startIndex
        let roots = ["context.", "stageVariables.", "method.request."]
        while i < template.endIndex {
            let c = template[i]
            guard c == "$" else { out.append(c); i = template.index(after: i); continue }
            var j = template.index(after: i)
            var braced = false
            if j < template.endIndex, template[j] == "!" { j = template.index(after: j) }
            if j < template.endIndex, template[j] == "{" { braced = true; j = template.index(after: j) }
            let rest = template[j...]
            guard roots.contains(where: { rest.hasPrefix($0) }) else { out.append(c); i = template.index(after: i); continue }
            var k = j
            while k < template.endIndex, template[k].isLetter || template[k].isNumber || template[k] == "_" || template[k] == "." || template[k] == "-" {
                k = template.index(after: k)
            }
            var path = String(template[j..<k])
            while path.hasSuffix(".") { path.removeLast(); k = template.index(before: k) }
            if braced {
                guard k < template.endIndex, template[k] == "}" else { out.append(c); i = template.index(after: i); continue }
                k = template.index(after: k)
            }
            out += lookup(path, context: context, x: x, env: env) ?? ""
            i = k
        }
        return out
    }

    static func lookup(_ path: String, context: JSONObject, x: Exchange, env: GatewayEnvironment) -> String? {
        let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        switch parts.first {
        case "context":
            var v: JSONValue? = .object(context)
            for p in parts.dropFirst() { v = v?[p] }
            guard let v, !v.isNull else { return nil }
            return v.stringValue ?? v.serialized()
        case "stageVariables":
            guard parts.count == 2, let api = x.apiId.flatMap({ env.restApi(id: $0) }),
                  let stage = x.currentStage(env) else { return nil }
            return stage.variables.first { $0.name == parts[1] }?.value
        case "method":
            guard parts.count >= 4, parts[1] == "request" else { return nil }
            let name = parts[3...].joined(separator: ".")
            switch parts[2] {
            case "header": return x.methodRequestHeaders.isEmpty ? x.request.headers[name] : x.methodRequestHeaders[name]
            case "path": return x.pathParameters.first { $0.name == name }?.value
            case "querystring": return x.query.last { $0.name == name }?.value
            default: return nil
            }
        default: return nil
        }
    }

    /// A responseParameters source: `'static'`, `method.request.{header,path,querystring}.NAME`,
    /// `stageVariables.NAME`, `context.NAME` (rule 53).
    static func parameterValue(_ source: String, context: JSONObject, x: Exchange, env: GatewayEnvironment) -> String? {
        if source.count >= 2, source.hasPrefix("'"), source.hasSuffix("'") { return String(source.dropFirst().dropLast()) }
        return lookup(source, context: context, x: x, env: env)
    }
}
