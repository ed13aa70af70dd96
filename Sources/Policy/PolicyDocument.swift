import GatewayModel

/// An IAM policy document as execute-api uses them: identity policies, API Gateway resource policies and the
/// policies Lambda authorizers return (reference/policy.md §2.4). Parsed from the JSON AWS accepts:
/// `Statement` as an object or a list; `Action`, `Resource` and condition values as a string or a list.
public struct PolicyDocument: Sendable {
    public var statements: [PolicyStatement]

    public init(statements: [PolicyStatement]) { self.statements = statements }

    /// Parses a policy; the error names the statement and the element that is wrong.
    public static func parse(_ json: JSONValue) throws(PolicyError) -> PolicyDocument {
        guard case .object(let o) = json else { throw PolicyError("a policy must be a JSON object, found \(json.kindName)") }
        guard let st = o["Statement"] else { throw PolicyError("a policy needs a `Statement`") }
        let list = st.arrayValue ?? [st]
        var out: [PolicyStatement] = []
        for (i, s) in list.enumerated() { out.append(try PolicyStatement.parse(s, index: i)) }
        return PolicyDocument(statements: out)
    }
}

public struct PolicyError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Who a resource-policy statement names: `*`, or AWS principals (account ids, `arn:aws:iam::ACCOUNT:root`,
/// user and role ARNs, assumed-role sessions), or service principals.
public enum PrincipalSpec: Sendable, Equatable {
    case anyone
    case aws([String])
    case service([String])
    case federated([String])
}

public struct PolicyStatement: Sendable {
    public enum Effect: String, Sendable { case allow = "Allow", deny = "Deny" }
    public var sid: String?
    public var effect: Effect
    public var principal: PrincipalSpec?
    public var notPrincipal: PrincipalSpec?
    public var actions: [String]?
    public var notActions: [String]?
    public var resources: [String]?
    public var notResources: [String]?
    public var conditions: [PolicyCondition]
    /// Where it stands, for messages: `Statement[1]` or its Sid.
    public var label: String

    static func strings(_ v: JSONValue, _ what: String, _ label: String) throws(PolicyError) -> [String] {
        if let s = v.stringValue { return [s] }
        guard let a = v.arrayValue else { throw PolicyError("\(label): `\(what)` must be a string or a list of strings") }
        var out: [String] = []
        for item in a {
            guard let s = item.stringValue else { throw PolicyError("\(label): `\(what)` holds \(item.kindName), not a string") }
            out.append(s)
        }
        return out
    }

    static func principal(_ v: JSONValue, _ what: String, _ label: String) throws(PolicyError) -> PrincipalSpec {
        if v.stringValue == "*" { return .anyone }
        guard case .object(let o) = v else { throw PolicyError("\(label): `\(what)` must be \"*\" or an object such as {\"AWS\": \"arn:aws:iam::111122223333:root\"}") }
        for (k, value) in o {
            let list = try strings(value, "\(what).\(k)", label)
            switch k {
            case "AWS": return list == ["*"] ? .anyone : .aws(list)  // {"AWS": "*"} as "*" (policy.md §2.1 rule 6, UNCONFIRMED)
            case "Service": return .service(list)
            case "Federated": return .federated(list)
            default: throw PolicyError("\(label): `\(what)` has an unknown key \(k) (AWS, Service or Federated)")
            }
        }
        throw PolicyError("\(label): `\(what)` is empty")
    }

    static func parse(_ json: JSONValue, index: Int) throws(PolicyError) -> PolicyStatement {
        guard case .object(let o) = json else { throw PolicyError("Statement[\(index)] must be an object") }
        let sid = o["Sid"]?.stringValue
        let label = sid.map { "statement \"\($0)\"" } ?? "Statement[\(index)]"
        let known: Set = ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"]
        if let extra = o.keys.first(where: { !known.contains($0) }) { throw PolicyError("\(label): unknown element `\(extra)`") }
        guard let e = o["Effect"]?.stringValue, let effect = Effect(rawValue: e) else { throw PolicyError("\(label): `Effect` must be Allow or Deny") }
        var s = PolicyStatement(sid: sid, effect: effect, conditions: [], label: label)
        if let p = o["Principal"] { s.principal = try principal(p, "Principal", label) }
        if let p = o["NotPrincipal"] { s.notPrincipal = try principal(p, "NotPrincipal", label) }
        if let a = o["Action"] { s.actions = try strings(a, "Action", label) }
        if let a = o["NotAction"] { s.notActions = try strings(a, "NotAction", label) }
        if let r = o["Resource"] { s.resources = try strings(r, "Resource", label) }
        if let r = o["NotResource"] { s.notResources = try strings(r, "NotResource", label) }
        guard (s.actions == nil) != (s.notActions == nil) else { throw PolicyError("\(label): give exactly one of `Action` and `NotAction`") }
        if let c = o["Condition"] {
            guard case .object(let ops) = c else { throw PolicyError("\(label): `Condition` must be an object") }
            for (op, block) in ops {
                guard case .object(let keys) = block else { throw PolicyError("\(label): Condition.\(op) must map keys to values") }
                for (key, values) in keys {
                    s.conditions.append(try PolicyCondition(operator: op, key: key, values: strings(values, "Condition.\(op).\(key)", label), label: label))
                }
            }
        }
        return s
    }

    init(sid: String?, effect: Effect, conditions: [PolicyCondition], label: String) {
        self.sid = sid
        self.effect = effect
        self.conditions = conditions
        self.label = label
    }
}

/// One condition: an operator (with its `ForAnyValue:`/`ForAllValues:` qualifier and `IfExists`), a key and
/// the values it compares against (policy.md §2.4 rules 3–5).
public struct PolicyCondition: Sendable {
    public enum SetQualifier: Sendable { case none, forAnyValue, forAllValues }
    public var op: String
    public var qualifier: SetQualifier
    public var ifExists: Bool
    public var key: String
    public var values: [String]

    public static let operators: Set = [
        "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
        "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
        "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
        "Bool", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null", "BinaryEquals",
    ]

    init(operator raw: String, key: String, values: [String], label: String) throws(PolicyError) {
        var name = Substring(raw)
        qualifier = .none
        if name.hasPrefix("ForAnyValue:") { qualifier = .forAnyValue; name = name.dropFirst("ForAnyValue:".count) }
        else if name.hasPrefix("ForAllValues:") { qualifier = .forAllValues; name = name.dropFirst("ForAllValues:".count) }
        ifExists = name.hasSuffix("IfExists") && name != "IfExists"
        if ifExists { name = name.dropLast("IfExists".count) }
        guard Self.operators.contains(String(name)) else { throw PolicyError("\(label): unknown condition operator \(raw)") }
        op = String(name)
        self.key = key
        self.values = values
    }

    /// Operators whose sense is negative: with the key absent they hold (policy.md §2.4 rule 4 [DOC D6]).
    var isNegated: Bool { op.contains("Not") }
}
