import GatewayModel
import Templates

/// REST parameter mapping: `Integration.requestParameters` (method request → integration request) and
/// `IntegrationResponse.responseParameters` (integration response → method response headers)
/// (reference/mapping.md §1, §3.4).
enum ParameterMapping {
    /// Integration request headers whose mapping fails every call with 500 before the integration is called
    /// (mapping.md §1.3 rule 8 [REC header remapping, AWS and AWS_PROXY]; HTTP and HTTP_PROXY were tested with
    /// Content-Length and Transfer-Encoding only).
    static func failingHeaderTargets(_ type: IntegrationType) -> Set<String> {
        switch type {
        case .aws, .awsProxy: ["content-length", "transfer-encoding", "authorization", "connection", "expect", "proxy-authenticate", "te"]
        case .http, .httpProxy: ["content-length", "transfer-encoding"]
        case .mock: []
        }
    }

    /// Mapped headers that an HTTP backend never receives (rule 9 [REC]: accepted, absent at the backend).
    static let droppedHTTPHeaders: Set<String> = ["connection", "expect", "proxy-authenticate", "te", "via"]

    struct Mapped {
        var headers: [(String, String)] = []
        var query: [(String, String)] = []
        var path: [(String, String)] = []
        var trace: [(String, String)] = []
    }

    /// Evaluates the integration's requestParameters; a missing source leaves its target out (rule 4 [REC]).
    static func request(_ integration: Integration, _ x: Exchange, _ env: GatewayEnvironment) throws(GatewayFailure) -> Mapped {
        var m = Mapped()
        let failing = failingHeaderTargets(integration.type)
        for (target, source) in integration.requestParameters {
            let parts = target.split(separator: ".", maxSplits: 3).map(String.init)
            guard parts.count == 4 else { continue }
            let (place, name) = (parts[2], parts[3])
            if place == "header" || place == "multivalueheader", failing.contains(name.lowercased()) {
                throw GatewayFailure(.apiConfigurationError,
                                     why: "the integration maps the request header \(name) (\(target) at \(integration.location)); API Gateway fails every such call with 500 before calling the integration (mapping.md §1.3 rule 8)")
            }
            guard let value = requestSource(source, x, env) else {
                m.trace.append((target, "(no value: \(source) is absent, so nothing is mapped)"))
                continue
            }
            m.trace.append((target, value))
            switch place {
            case "header", "multivalueheader": m.headers.append((name, value))
            case "multivaluequerystring" where source.hasPrefix("method.request.multivaluequerystring."):
                // All values as repeated keys (assumption: multi-value targets are UNCONFIRMED, mapping.md §1.2).
                let from = String(source.dropFirst("method.request.multivaluequerystring.".count))
                for (k, v) in x.query where k == from { m.query.append((name, v)) }
            case "querystring", "multivaluequerystring": m.query.append((name, value))
            case "path": m.path.append((name, value))
            default: break
            }
        }
        return m
    }

    /// A request-side source (mapping.md §1.1).
    static func requestSource(_ source: String, _ x: Exchange, _ env: GatewayEnvironment) -> String? {
        if source.count >= 2, source.hasPrefix("'"), source.hasSuffix("'") { return String(source.dropFirst().dropLast()) }
        if source.hasPrefix("method.request.") {
            let rest = source.dropFirst("method.request.".count)
            if rest == "body" { return x.request.bodyText ?? "" }
            if rest.hasPrefix("body.") { return jsonPath(String(rest.dropFirst(5)), in: x.request.bodyText ?? "") }
            let parts = rest.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return nil }
            let name = parts[1]
            switch parts[0] {
            case "path": return x.pathParameters.first { $0.name == name }?.value
            case "querystring": return x.query.last { $0.name == name }?.value
            case "multivaluequerystring":
                // Several values in one string are joined with commas (assumption, UNCONFIRMED).
                let all = x.query.filter { $0.name == name }.map(\.value)
                return all.isEmpty ? nil : all.joined(separator: ",")
            case "header": return x.methodRequestHeaders[name]
            case "multivalueheader":
                // Joined with commas, as HTTP folds a repeated header (assumption, UNCONFIRMED).
                let all = x.methodRequestHeaders.values(name)
                return all.isEmpty ? nil : all.joined(separator: ",")
            default: return nil
            }
        }
        return sharedSource(source, x, env)
    }

    /// `stageVariables.NAME` and `context.NAME` (mapping.md §1.1).
    static func sharedSource(_ source: String, _ x: Exchange, _ env: GatewayEnvironment) -> String? {
        let api = x.apiId.flatMap { env.restApi(id: $0) }
        let stage = x.currentStage(env)
        if source.hasPrefix("stageVariables.") {
            let name = String(source.dropFirst("stageVariables.".count))
            return stage?.variables.first { $0.name == name }?.value
        }
        if source.hasPrefix("context."), let api, let stage {
            var v: JSONValue? = LambdaProxy.requestContext(x, api: api, stage: stage, accountId: env.world.account,
                                                           requestTimeMillis: x.startMillis, requestTime: VirtualClock(millis: x.startMillis).clfDate)
            for p in source.dropFirst("context.".count).split(separator: ".") { v = v?[String(p)] }
            guard let v, !v.isNull else { return nil }
            return v.stringValue ?? v.serialized()
        }
        return nil
    }

    /// A JSONPath written without `$.` (`petstore.pets[0].name`) over a JSON text; objects and arrays come back
    /// as compact JSON, strings as themselves.
    static func jsonPath(_ path: String, in text: String) -> String? {
        guard let root = try? GatewayJSON.parse(text.isEmpty ? "{}" : text) else { return nil }
        let full = path.hasPrefix("[") ? "$" + path : "$." + path
        guard let v = try? GatewayJSON.evaluate(full, root), !v.isNull else { return nil }
        if case .string(let s) = v { return s }
        return GatewayJSON.serialize(v)
    }

    /// The selected integration response's responseParameters → method response headers (mapping.md §3.4).
    static func response(_ params: [(target: String, source: String)], _ x: Exchange, _ env: GatewayEnvironment) -> [(String, String)] {
        var out: [(String, String)] = []
        for (target, source) in params {
            let name = String(target.dropFirst("method.response.header.".count))
            guard let value = responseSource(source, x, env) else { continue }
            out.append((name, value))
        }
        return out
    }

    static func responseSource(_ source: String, _ x: Exchange, _ env: GatewayEnvironment) -> String? {
        if source.count >= 2, source.hasPrefix("'"), source.hasSuffix("'") { return String(source.dropFirst().dropLast()) }
        if source.hasPrefix("integration.response.") {
            let rest = source.dropFirst("integration.response.".count)
            let body = x.integrationResponseBody ?? ""
            if rest == "body" { return body }
            if rest.hasPrefix("body.") {
                var path = String(rest.dropFirst(5))
                var text = body
                // A Lambda custom error: errorMessage.X reads inside the errorMessage's JSON (rule 31 [DOC D1]).
                if x.lambdaErrorMessage != nil, path.hasPrefix("errorMessage.") {
                    text = x.lambdaErrorMessage ?? ""
                    path = String(path.dropFirst("errorMessage.".count))
                }
                return jsonPath(path, in: text)
            }
            if rest.hasPrefix("header.") { return x.integrationResponseHeaders[String(rest.dropFirst(7))] }
            if rest.hasPrefix("multivalueheader.") {
                let all = x.integrationResponseHeaders.values(String(rest.dropFirst("multivalueheader.".count)))
                return all.isEmpty ? nil : all.joined(separator: ",")
            }
            return nil
        }
        return sharedSource(source, x, env)
    }
}
