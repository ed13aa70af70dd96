import Foundation
import GatewayModel

/// Who asks, for what, on which resource, with which condition keys (policy.md §2.4).
public struct AuthorizationRequest: Sendable {
    public enum Principal: Sendable, Equatable {
        /// An unsigned caller: matches only `"Principal": "*"` (policy.md §2.1 rule 6).
        case anonymous
        /// A signed IAM caller: a user (`arn:aws:iam::ACCOUNT:user/NAME`), a role session
        /// (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`) or an account root.
        case aws(arn: String)

        public var account: String? {
            guard case .aws(let arn) = self else { return nil }
            let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            return parts.count > 4 ? String(parts[4]) : nil
        }
    }
    public var principal: Principal
    public var action: String
    public var resource: String
    /// Condition keys by lower-cased name (IAM key names are case-insensitive), each with its values.
    public var keys: [String: [String]]

    public init(principal: Principal, action: String = "execute-api:Invoke", resource: String, keys: [String: [String]] = [:]) {
        self.principal = principal
        self.action = action
        self.resource = resource
        self.keys = Dictionary(keys.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
    }
}

/// What one policy says about a request: its first matching Deny, else its first matching Allow, else nothing
/// ("neither allow nor deny", an implicit deny on its own) — policy.md §2.4 rule 1.
public enum PolicyDecision: Sendable, Equatable {
    case allow(statement: String)
    case explicitDeny(statement: String)
    case neither

    public var isAllow: Bool { if case .allow = self { return true } else { return false } }
    public var isDeny: Bool { if case .explicitDeny = self { return true } else { return false } }
}

extension PolicyDocument {
    /// Evaluates the policy. `resourcePolicy`: statements need a Principal (or NotPrincipal) that names the caller.
    public func evaluate(_ r: AuthorizationRequest, resourcePolicy: Bool) -> PolicyDecision {
        var allowed: String?
        for s in statements where s.applies(to: r, resourcePolicy: resourcePolicy) {
            if s.effect == .deny { return .explicitDeny(statement: s.label) }
            if allowed == nil { allowed = s.label }
        }
        return allowed.map { .allow(statement: $0) } ?? .neither
    }
}

extension PolicyStatement {
    func applies(to r: AuthorizationRequest, resourcePolicy: Bool) -> Bool {
        if resourcePolicy {
            if let p = principal { guard PolicyMatch.principal(p, r.principal) else { return false } }
            else if let p = notPrincipal { guard !PolicyMatch.principal(p, r.principal) else { return false } }
            else { return false }  // a resource policy statement without a principal names no one
        }
        if let a = actions { guard a.contains(where: { PolicyMatch.glob($0, r.action, caseInsensitive: true) }) else { return false } }
        if let a = notActions { guard !a.contains(where: { PolicyMatch.glob($0, r.action, caseInsensitive: true) }) else { return false } }
        if let res = resources { guard res.contains(where: { PolicyMatch.arn($0, r.resource) }) else { return false } }
        if let res = notResources { guard !res.contains(where: { PolicyMatch.arn($0, r.resource) }) else { return false } }
        if resources == nil && notResources == nil { return false }  // IAM requires Resource or NotResource
        return conditions.allSatisfy { $0.holds(for: r) }
    }
}

public enum PolicyMatch {
    /// IAM wildcards: `*` any run of characters, `?` exactly one.
    public static func glob(_ pattern: String, _ value: String, caseInsensitive: Bool = false) -> Bool {
        let p = Array((caseInsensitive ? pattern.lowercased() : pattern).utf8), v = Array((caseInsensitive ? value.lowercased() : value).utf8)
        // Iterative matching with backtracking to the last `*`.
        var i = 0, j = 0, star = -1, mark = 0
        while j < v.count {
            if i < p.count, p[i] == UInt8(ascii: "?") || p[i] == v[j] { i += 1; j += 1 }
            else if i < p.count, p[i] == UInt8(ascii: "*") { star = i; mark = j; i += 1 }
            else if star >= 0 { i = star + 1; mark += 1; j = mark }
            else { return false }
        }
        while i < p.count, p[i] == UInt8(ascii: "*") { i += 1 }
        return i == p.count
    }

    /// ARN patterns: split on the first five `:`, each part glob-matched; `*` alone matches any ARN; in the last
    /// part `*` also crosses `/` (policy.md §1 rule 5). Case-sensitive.
    public static func arn(_ pattern: String, _ value: String) -> Bool {
        if pattern == "*" { return true }
        let p = pattern.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        let v = value.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        guard p.count == v.count else { return false }
        return zip(p, v).allSatisfy { glob($0, $1) }
    }

    /// Whether a statement's principal names the caller: `*` anyone (the anonymous caller too); an account id or
    /// `arn:aws:iam::ACCOUNT:root` any principal of that account; a user or role ARN that identity, a role ARN also
    /// its sessions (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`).
    public static func principal(_ spec: PrincipalSpec, _ caller: AuthorizationRequest.Principal) -> Bool {
        switch spec {
        case .anyone: return true
        case .service, .federated: return false
        case .aws(let names):
            guard case .aws(let arn) = caller, let account = caller.account else { return false }
            return names.contains { n in
                if n == "*" { return true }
                if n == account || n == "arn:aws:iam::\(account):root" { return true }
                if n == arn { return true }
                // A role names its sessions: arn:aws:iam::A:role/[path/]R ↔ arn:aws:sts::A:assumed-role/R/S.
                if n.hasPrefix("arn:aws:iam::\(account):role/"), arn.hasPrefix("arn:aws:sts::\(account):assumed-role/") {
                    let role = n.split(separator: "/").last.map(String.init) ?? ""
                    let session = arn.dropFirst("arn:aws:sts::\(account):assumed-role/".count).split(separator: "/").first.map(String.init) ?? ""
                    return role == session
                }
                return false
            }
        }
    }
}

extension PolicyCondition {
    /// Missing keys make a condition false, except for negated operators, `...IfExists` and `Null`
    /// (policy.md §2.4 rule 4 [DOC D6]); `ForAllValues` over no values holds.
    func holds(for r: AuthorizationRequest) -> Bool {
        let present = r.keys[key.lowercased()]
        if op == "Null" {
            let wantsAbsent = values.first?.lowercased() == "true"
            return wantsAbsent == (present == nil || present!.isEmpty)
        }
        guard let found = present, !found.isEmpty else {
            switch qualifier {
            case .forAllValues: return true
            case .forAnyValue: return false
            case .none: return ifExists || isNegated
            }
        }
        switch qualifier {
        case .forAnyValue: return found.contains(where: satisfied)
        case .forAllValues: return found.allSatisfy(satisfied)
        case .none: return isNegated ? found.allSatisfy(satisfied) : found.contains(where: satisfied)
        }
    }

    /// One request value against the condition's values: a positive operator needs one match, a negated one none.
    func satisfied(_ v: String) -> Bool {
        let positive = values.contains { compare(v, $0) }
        return isNegated ? !positive : positive
    }

    /// The positive comparison behind the operator (`StringNotEquals` compares like `StringEquals`).
    func compare(_ v: String, _ want: String) -> Bool {
        switch op {
        case "StringEquals", "StringNotEquals": return v == want
        case "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase": return v.lowercased() == want.lowercased()
        case "StringLike", "StringNotLike": return PolicyMatch.glob(want, v)
        case "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike": return PolicyMatch.arn(want, v)
        case "Bool": return v.lowercased() == want.lowercased()
        case "BinaryEquals": return v == want
        case "IpAddress", "NotIpAddress": return CIDR.contains(want, v)
        default:
            if op.hasPrefix("Numeric"), let a = Double(v), let b = Double(want) { return Self.ordered(op.dropFirst("Numeric".count), a, b) }
            if op.hasPrefix("Date"), let a = Self.date(v), let b = Self.date(want) { return Self.ordered(op.dropFirst("Date".count), a, b) }
            return false
        }
    }

    static func ordered(_ rel: Substring, _ a: Double, _ b: Double) -> Bool {
        switch rel {
        case "Equals", "NotEquals": return a == b
        case "LessThan": return a < b
        case "LessThanEquals": return a <= b
        case "GreaterThan": return a > b
        case "GreaterThanEquals": return a >= b
        default: return false
        }
    }

    /// ISO 8601 (`2026-03-05T12:00:00Z`, fractions allowed) or epoch seconds.
    static func date(_ s: String) -> Double? {
        if let n = Double(s) { return n }
        let f = ISO8601DateFormatter()
        if let d = f.date(from: s) { return d.timeIntervalSince1970 }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: s) { return d.timeIntervalSince1970 }
        f.formatOptions = [.withFullDate]
        return f.date(from: s)?.timeIntervalSince1970
    }
}

/// CIDR blocks, IPv4 and IPv6 (policy.md §2.4 rule 5); a bare address is a /32 or /128.
public enum CIDR {
    public static func contains(_ block: String, _ address: String) -> Bool {
        let parts = block.split(separator: "/", maxSplits: 1)
        guard let net = bytes(String(parts[0])), let addr = bytes(address), net.count == addr.count else { return false }
        let bits = parts.count > 1 ? Int(parts[1]) ?? -1 : net.count * 8
        guard (0...(net.count * 8)).contains(bits) else { return false }
        var left = bits
        for i in 0..<net.count where left > 0 {
            let take = min(8, left)
            let mask: UInt8 = take == 8 ? 0xFF : ~(0xFF >> UInt8(take))
            if net[i] & mask != addr[i] & mask { return false }
            left -= take
        }
        return true
    }

    /// Whether the text is an IPv4 or IPv6 address.
    public static func isAddress(_ s: String) -> Bool { bytes(s) != nil }

    static func bytes(_ s: String) -> [UInt8]? {
        if s.contains(":") {
            var a = in6_addr()
            guard inet_pton(AF_INET6, s, &a) == 1 else { return nil }
            return withUnsafeBytes(of: &a) { Array($0) }
        }
        var a = in_addr()
        guard inet_pton(AF_INET, s, &a) == 1 else { return nil }
        return withUnsafeBytes(of: &a) { Array($0) }
    }
}
