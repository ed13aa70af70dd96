import Gateway
import GatewayModel
import Policy

/// `explain`: the decisions that shaped the last response, in plain words — each stage that decided something,
/// what it decided and why (for authorization: which policy statements matched, which one decided, and the rule
/// of reference/policy.md that combined them).
extension ShellSession {
    func explain(_ args: [String]) throws {
        guard args.isEmpty else { throw ShellError("usage: explain", hint: "explain takes no arguments: it explains the last request") }
        guard let x = lastExchange else { throw ShellError("no request yet", hint: "send one first, e.g. send GET /dev/orders/42") }
        for line in Self.explanation(x, world: env.world) { print(line) }
    }

    /// The model element a stage's decision came from, to point at (issue 10: "pointing at the model element
    /// (file:line) to change"): the method, its authorizer or the resource policy, the integration, the integration
    /// response chosen, the custom domain or DNS record of a request by URL.
    static func modelLocation(_ stage: StageName, _ x: Exchange, world: GatewayWorld) -> (what: String, at: SourceLocation)? {
        let api = x.apiId.flatMap { world.restApi(id: $0) }
        let method = x.method
        var found: (String, SourceLocation)?
        switch stage {
        case .edge:
            // What a user edits for the edge: the distribution it came through, else the DNS record, else the domain.
            if let id = x.edgeInfo?.distribution, let d = world.edge.distributions.first(where: { $0.id == id }) {
                found = ("CloudFront distribution \(d.id)", d.location)
            } else if let host = x.edgeInfo?.dns?.question {
                if let r = world.edge.dns[host] { found = ("DNS record \(host)", r.location) }
                else if let d = world.edge.domain(named: host) { found = ("custom domain \(d.domainName)", d.location) }
            }
        case .route:
            if let method { found = ("method \(method.httpMethod) \(x.resourcePath ?? "")", method.location) }
        case .auth:
            if let ref = method?.authorizer, let a = api?.authorizer(ref) { found = ("authorizer \(a.name)", a.location) }
            else if let caller = x.caller, caller.location.line > 0 { found = ("identity \(caller.name)", caller.location) }
            else if let loc = api?.resourcePolicyLocation { found = ("the resource policy", loc) }
            else if let api, method?.authorizationType != "NONE" { found = ("API \(api.name), which has no resource policy", api.location) }
        case .integrationRequest, .integration:
            if let i = method?.integration { found = ("the integration", i.location) }
        case .integrationResponse:
            if let r = x.selectedIntegrationResponse { found = ("integration response \(r.statusCode)", r.location) }
            else if let i = method?.integration { found = ("the integration", i.location) }
        case .methodResponse:
            if let method { found = ("method \(method.httpMethod) \(x.resourcePath ?? "")", method.location) }
        default: break
        }
        guard let found, found.1.line > 0 else { return nil }
        return found
    }

    static func explanation(_ x: Exchange, world: GatewayWorld) -> [String] {
        var out: [String] = []
        let outcome: String
        if let r = x.response { outcome = "\(r.status) \(HTTPStatus.reason(r.status))" + (x.failure.map { " from the gateway (\($0.errorTypeOverride ?? $0.type.rawValue))" } ?? "") }
        else if let c = x.connectionError { outcome = "no connection: \(c)" }
        else if x.cancelled { outcome = "cancelled (Ctrl-C)" }
        else { outcome = "not simulated: \(x.unsupported ?? "?")" }
        out.append("\(x.request.method) \(x.request.rawPath) → \(outcome)")
        // Only events that carry a reason decided something; the others passed the request on.
        let deciding = x.trace.filter { $0.why != nil || $0.outcome != .ok }
        if deciding.isEmpty { out.append("  every stage passed the request on; nothing needed a decision") }
        // The model element goes after the last deciding event of its stage, once.
        var lastOfStage: [StageName: Int] = [:]
        for (i, e) in deciding.enumerated() { lastOfStage[e.stage] = i }
        for (i, e) in deciding.enumerated() {
            out.append("  \(e.stage.rawValue): \(e.summary)")
            if let why = e.why {
                for part in clauses(why) {
                    out.append("    - \(part)")
                }
            }
            if lastOfStage[e.stage] == i, let m = modelLocation(e.stage, x, world: world) { out.append("    model: \(m.what) at \(m.at)") }
        }
        if let f = x.failure, !deciding.contains(where: { $0.outcome == .failed && $0.why == f.why }) {
            out.append("  why: \(f.why)")
        }
        return out
    }

    /// The reason's clauses: split at `;` outside parentheses.
    static func clauses(_ why: String) -> [String] {
        var parts: [String] = [], current = "", depth = 0
        for ch in why {
            if ch == "(" { depth += 1 } else if ch == ")" { depth = max(0, depth - 1) }
            if ch == ";", depth == 0 {
                parts.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        parts.append(current)
        return parts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
