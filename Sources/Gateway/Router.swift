import GatewayModel

/// REST resource matching, exactly as recorded (rest-request-flow.md §2.1):
/// - literal beats `{param}` beats `{proxy+}` at each level (rule 27);
/// - matching is method-aware and backtracks: a literal branch that ends without the method gives way to a
///   variable or greedy sibling that has it (rules 28–29, which contradict the developer guide — the
///   recording wins);
/// - an explicit method beats `ANY` on the same resource (rule 31); `ANY` on a literal beats a specific method
///   on a greedy sibling (rule 30); `HEAD` needs `HEAD` or `ANY` (rule 32, [3P]);
/// - `{proxy+}` never matches the root (rule 35).
public struct Router: Sendable {
    public struct Match: Sendable, Equatable {
        public var resource: String
        public var resourceId: String
        public var method: String
        public var pathParameters: [String: String]
        public var orderedParameters: [(name: String, value: String)]

        public static func == (a: Match, b: Match) -> Bool {
            a.resource == b.resource && a.resourceId == b.resourceId && a.method == b.method && a.pathParameters == b.pathParameters
        }
    }

    final class Node: @unchecked Sendable {
        var resource: Resource?
        var literals: [String: Node] = [:]
        var variable: (name: String, node: Node)?
        var greedy: (name: String, node: Node)?
    }

    let root: Node

    public init(api: RestApi) {
        root = Node()
        for r in api.resources {
            var n = root
            if r.path != "/" {
                for part in r.path.split(separator: "/").map(String.init) {
                    if part.hasPrefix("{") && part.hasSuffix("+}") {
                        let name = String(part.dropFirst().dropLast(2))
                        if n.greedy == nil { n.greedy = (name, Node()) }
                        n = n.greedy!.node
                    } else if part.hasPrefix("{") && part.hasSuffix("}") {
                        let name = String(part.dropFirst().dropLast())
                        if n.variable == nil { n.variable = (name, Node()) }
                        n = n.variable!.node
                    } else {
                        if n.literals[part] == nil { n.literals[part] = Node() }
                        n = n.literals[part]!
                    }
                }
            }
            n.resource = r
        }
    }

    /// Matches `path` (after the stage; leading slashes already collapsed) for `method`.
    public func match(method: String, path: String) -> Match? {
        // Split on the UTF-8 bytes ("/" is ASCII; the indices stay valid String indices).
        let bytes = path.utf8
        let slash = UInt8(ascii: "/")
        var start = bytes.firstIndex { $0 != slash } ?? bytes.endIndex
        var end = bytes.endIndex
        // One trailing slash is not a segment of its own (`/proxy-value/` → proxy `proxy-value`, lambda-payloads.md §1.2 rule 8).
        if start < end, bytes[bytes.index(before: end)] == slash { end = bytes.index(before: end) }
        var segments: [String] = []
        if start < end {
            while true {
                let cut = bytes[start..<end].firstIndex(of: slash) ?? end
                segments.append(String(path[start..<cut]))
                if cut == end { break }
                start = bytes.index(after: cut)
            }
        }
        var params: [(String, String)] = []
        guard let (node, m) = descend(root, segments[...], method: method, params: &params), let r = node.resource else { return nil }
        var dict: [String: String] = [:]
        for (k, v) in params { dict[k] = v }
        return Match(resource: r.path, resourceId: r.id, method: m, pathParameters: dict,
                     orderedParameters: params.map { (name: $0.0, value: $0.1) })
    }

    /// The method a resource serves `method` with: the explicit one, else ANY.
    static func resolve(_ r: Resource?, _ method: String) -> String? {
        guard let r else { return nil }
        if r.method(method) != nil { return method }
        // ANY covers DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT (rule 31).
        if r.method("ANY") != nil, ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"].contains(method) { return "ANY" }
        return nil
    }

    private func descend(_ n: Node, _ segs: ArraySlice<String>, method: String, params: inout [(String, String)]) -> (Node, String)? {
        guard let first = segs.first else {
            if let m = Router.resolve(n.resource, method) { return (n, m) }
            return nil
        }
        if !first.isEmpty, let lit = n.literals[first] {
            if let found = descend(lit, segs.dropFirst(), method: method, params: &params) { return found }
        }
        if !first.isEmpty, let v = n.variable {
            params.append((v.name, first))
            if let found = descend(v.node, segs.dropFirst(), method: method, params: &params) { return found }
            params.removeLast()
        }
        if let g = n.greedy, let m = Router.resolve(g.node.resource, method) {
            // Greedy value: the rest of the path, inner double slashes kept (rule 8).
            params.append((g.name, segs.joined(separator: "/")))
            return (g.node, m)
        }
        return nil
    }
}
