import Gateway
import GatewayModel

/// The trace views: the tree (`trace`), one stage at a time (`step`), JSON (`trace --json`), and the
/// execution-log formats, which come from Gateway's one log renderer.
enum TraceRenderer {
    static func marker(_ o: TraceEvent.Outcome) -> String {
        switch o {
        case .ok: return ""
        case .failed: return "✗ "
        case .cancelled: return "⊘ "
        }
    }

    static func stepLine(_ e: TraceEvent) -> String {
        var s = "▸ " + e.stage.rawValue.padding(toLength: 21, withPad: " ", startingAt: 0) + marker(e.outcome) + e.summary
        if let why = e.why { s += "\n    why: \(why)" }
        return s
    }

    static func tree(_ x: Exchange) -> [String] {
        var lines: [String] = []
        var head = "\(x.request.method) \(x.request.rawPath)"
        if let r = x.response { head += "  →  \(r.status) \(HTTPStatus.reason(r.status))" }
        else if x.cancelled { head += "  →  cancelled" }
        else if x.unsupported != nil { head += "  →  not simulated" }
        else if x.connectionError != nil { head += "  →  no connection" }
        lines.append(head + "   request \(x.requestId)")
        for (i, e) in x.trace.enumerated() {
            let last = i == x.trace.count - 1
            lines.append((last ? "└─ " : "├─ ") + e.stage.rawValue.padding(toLength: 21, withPad: " ", startingAt: 0) + marker(e.outcome) + e.summary)
            if let why = e.why { lines.append((last ? "   " : "│  ") + "   why: " + why) }
        }
        if let u = x.unsupported { lines.append("not simulated: \(u)") }
        return lines
    }

    static func json(_ x: Exchange) -> String {
        let events: [JSONValue] = x.trace.map { e in
            .obj([
                "stage": .string(e.stage.rawValue), "time": .string(VirtualClock(millis: e.millis).iso8601Millis),
                "outcome": .string(e.outcome.rawValue), "summary": .string(e.summary),
                "fields": .object(JSONObject(e.fields.map { ($0.key, .string($0.value)) })),
                "why": e.why.map(JSONValue.string) ?? .null,
            ])
        }
        return JSONPretty.render(.obj(["requestId": .string(x.requestId), "events": .array(events)]))
    }
}

/// Pretty-printed JSON with two-space indentation, keys in their order.
enum JSONPretty {
    static func render(_ v: JSONValue, indent: String = "") -> String {
        switch v {
        case .array(let a) where !a.isEmpty:
            let inner = indent + "  "
            return "[\n" + a.map { inner + render($0, indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        case .object(let o) where !o.isEmpty:
            let inner = indent + "  "
            return "{\n" + o.pairs.map { inner + JSONValue.quoted($0.key) + ": " + render($0.value, indent: inner) }.joined(separator: ",\n") + "\n" + indent + "}"
        default:
            return v.serialized()
        }
    }
}

extension ShellSession {
    func trace(_ args: [String]) throws {
        guard let x = stepper?.exchange ?? lastExchange else {
            throw ShellError("no request yet", hint: "send one first, e.g. send GET /dev/orders/42")
        }
        switch args.first {
        case nil:
            TraceRenderer.tree(x).forEach { print($0) }
        case "--aws":
            let lines = ExecutionLog.awsFormat(x)
            if lines.isEmpty {
                print("(no execution log: the request ended before API Gateway started executing a method — \(x.failure?.why ?? x.unsupported ?? "no method"))")
            }
            lines.forEach { print($0) }
        case "--cloudwatch":
            let lines = ExecutionLog.cloudWatchFormat(x)
            if lines.isEmpty { print("(no execution log for this request)") }
            lines.forEach { print($0) }
        case "--json":
            print(TraceRenderer.json(x))
        default:
            throw ShellError("unknown trace option '\(args[0])'", hint: "trace, trace --aws, trace --cloudwatch or trace --json")
        }
    }
}
