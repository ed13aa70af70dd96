import Gateway
import GatewayModel

/// `explain`: the decisions that shaped the last response, in plain words — each stage that decided something,
/// what it decided and why (for authorization: which policy statements matched, which one decided, and the rule
/// of reference/policy.md that combined them).
extension ShellSession {
    func explain(_ args: [String]) throws {
        guard args.isEmpty else { throw ShellError("usage: explain", hint: "explain takes no arguments: it explains the last request") }
        guard let x = lastExchange else { throw ShellError("no request yet", hint: "send one first, e.g. send GET /dev/orders/42") }
        for line in Self.explanation(x) { print(line) }
    }

    static func explanation(_ x: Exchange) -> [String] {
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
        for e in deciding {
            out.append("  \(e.stage.rawValue): \(e.summary)")
            if let why = e.why {
                for part in clauses(why) {
                    out.append("    - \(part)")
                }
            }
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
