import Foundation

// Velocity 1.7's MathUtils and comparison nodes: Integer arithmetic widening to Long and then
// BigInteger on overflow, Double as soon as one side is a decimal, division by zero giving null,
// and equality comparing numbers numerically and values of different classes by toString().

enum Num {
    case int(Int)
    case big(Decimal)
    case double(Double)

    init?(_ v: VelocityValue) {
        switch v {
        case .int(let i): self = .int(i)
        case .bigInt(let d): self = .big(d)
        case .double(let d): self = .double(d)
        default: return nil
        }
    }

    var double: Double {
        switch self {
        case .int(let i): return Double(i)
        case .big(let d): return NSDecimalNumber(decimal: d).doubleValue
        case .double(let d): return d
        }
    }

    var decimal: Decimal {
        switch self {
        case .int(let i): return Decimal(i)
        case .big(let d): return d
        case .double(let d): return Decimal(d)
        }
    }

    var isZero: Bool {
        switch self {
        case .int(let i): return i == 0
        case .big(let d): return d == 0
        case .double(let d): return d == 0
        }
    }
}

enum Arithmetic {
    static func bigValue(_ d: Decimal) -> VelocityValue {
        // Truncate toward zero, as BigInteger arithmetic does.
        var src = d
        var out = Decimal()
        NSDecimalRound(&out, &src, 0, d < 0 ? .up : .down)
        return .bigInt(out)
    }

    static func apply(_ op: BinOp, _ a: VelocityValue, _ b: VelocityValue) -> VelocityValue {
        guard let x = Num(a), let y = Num(b) else { return .null }
        if (op == .div || op == .mod) && y.isZero { return .null }
        switch (x, y) {
        case (.int(let i), .int(let j)):
            let r: (partialValue: Int, overflow: Bool)
            switch op {
            case .add: r = i.addingReportingOverflow(j)
            case .sub: r = i.subtractingReportingOverflow(j)
            case .mul: r = i.multipliedReportingOverflow(by: j)
            case .div: r = i.dividedReportingOverflow(by: j)
            case .mod: r = i.remainderReportingOverflow(dividingBy: j)
            default: return .null
            }
            if !r.overflow { return .int(r.partialValue) }
            return bigOp(op, Decimal(i), Decimal(j))
        case (.double, _), (_, .double):
            let p = x.double, q = y.double
            switch op {
            case .add: return .double(p + q)
            case .sub: return .double(p - q)
            case .mul: return .double(p * q)
            case .div: return .double(p / q)
            case .mod: return .double(p.truncatingRemainder(dividingBy: q))
            default: return .null
            }
        default:
            return bigOp(op, x.decimal, y.decimal)
        }
    }

    static func bigOp(_ op: BinOp, _ p: Decimal, _ q: Decimal) -> VelocityValue {
        switch op {
        case .add: return .bigInt(p + q)
        case .sub: return .bigInt(p - q)
        case .mul: return .bigInt(p * q)
        case .div: return bigValue(p / q)
        case .mod:
            guard case .bigInt(let quotient) = bigValue(p / q) else { return .null }
            return .bigInt(p - quotient * q)
        default: return .null
        }
    }

    /// Numeric comparison; nil when either side is not a number (the comparison is then false).
    static func compare(_ a: VelocityValue, _ b: VelocityValue) -> Int? {
        guard let x = Num(a), let y = Num(b) else { return nil }
        switch (x, y) {
        case (.int(let i), .int(let j)): return i < j ? -1 : (i == j ? 0 : 1)
        case (.double, _), (_, .double):
            let p = x.double, q = y.double
            return p < q ? -1 : (p == q ? 0 : 1)
        default:
            let p = x.decimal, q = y.decimal
            return p < q ? -1 : (p == q ? 0 : 1)
        }
    }

    /// Velocity's `==`: both null is true, numbers compare numerically, same classes use equals(),
    /// different classes compare their toString().
    static func javaEquals(_ a: VelocityValue, _ b: VelocityValue) -> Bool {
        if a.isNull && b.isNull { return true }
        if a.isNull || b.isNull { return false }
        if let c = compare(a, b) { return c == 0 }
        switch (a, b) {
        case (.string(let x), .string(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.list, .list), (.map, .map): return strictEquals(a, b)
        case (.object(let x), .object(let y)) where type(of: x) == type(of: y): return x === y || x.velocityString == y.velocityString
        default: return Rendering.javaString(a) == Rendering.javaString(b)
        }
    }

    /// Java equals(): no cross-class toString comparison (used inside collections, `.equals()`).
    static func strictEquals(_ a: VelocityValue, _ b: VelocityValue, depth: Int = 0) -> Bool {
        // Collections that contain each other would recurse forever: beyond the bound they are unequal.
        guard depth <= Rendering.maxDepth else { return false }
        switch (a, b) {
        case (.null, .null): return true
        case (.int(let x), .int(let y)): return x == y
        case (.bigInt(let x), .bigInt(let y)): return x == y
        case (.double(let x), .double(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.list(let x), .list(let y)):
            if x === y { return true }
            guard x.items.count == y.items.count else { return false }
            return zip(x.items, y.items).allSatisfy { strictEquals($0, $1, depth: depth + 1) }
        case (.map(let x), .map(let y)):
            if x === y { return true }
            guard x.count == y.count else { return false }
            for (k, v) in zip(x.orderedKeys, x.orderedValues) {
                guard let w = y.get(k), strictEquals(v, w, depth: depth + 1) else { return false }
            }
            return true
        case (.object(let x), .object(let y)): return x === y || (type(of: x) == type(of: y) && x.velocityString == y.velocityString)
        default: return false
        }
    }
}
