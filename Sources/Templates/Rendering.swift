import Foundation

// Java's toString() for every value type: what `$x` prints and what `'a' + $x` concatenates.

/// Bounds that keep a hostile template from exhausting memory or the stack: past them a render fails the
/// way Java would (an Error), instead of taking gwsh down. API Gateway's own payload limit is 10 MB
/// (mapping.md §4.1 rule 40), so no useful template comes near these.
enum Limits {
    /// Longest string a template may build, in UTF-8 bytes.
    static let maxStringBytes = 32 * 1024 * 1024

    static func check(length: Int) throws(JavaException) {
        if length > maxStringBytes {
            throw JavaException("OutOfMemoryError", "a string of \(length) bytes is beyond gwsh's \(maxStringBytes / 1024 / 1024) MB bound for template values")
        }
    }
}

enum Rendering {
    /// Nesting beyond which a value is not printed: a list or map that contains itself through another one
    /// (Java would overflow its stack; gwsh must not crash).
    static let maxDepth = VelocityValue.maxPrintDepth
    static let tooDeep = "(nested too deeply to print)"

    static func javaString(_ v: VelocityValue) -> String { javaString(v, depth: 0) ?? tooDeep }

    /// nil when the value nests deeper than `maxDepth` (a cycle through several collections).
    static func javaString(_ v: VelocityValue, depth: Int) -> String? {
        guard depth <= maxDepth else { return nil }
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .bigInt(let d): return NSDecimalNumber(decimal: d).stringValue
        case .double(let d): return javaDouble(d)
        case .string(let s): return s
        case .list(let l):
            if l.printsAsJSON { return OracleJSON.serializeChecked(v) }
            var out = "["
            for (i, e) in l.items.enumerated() {
                if i > 0 { out += ", " }
                if case .list(let inner) = e, inner === l { out += "(this Collection)"; continue }
                guard let t = javaString(e, depth: depth + 1) else { return nil }
                out += t
            }
            return out + "]"
        case .map(let m):
            var out = "{"
            let keys = m.orderedKeys, vals = m.orderedValues
            for i in keys.indices {
                if i > 0 { out += ", " }
                // Java's AbstractMap.toString prints a map that holds itself as "(this Map)".
                func part(_ x: VelocityValue) -> String? {
                    if case .map(let inner) = x, inner === m { return "(this Map)" }
                    return javaString(x, depth: depth + 1)
                }
                guard let k = part(keys[i]), let e = part(vals[i]) else { return nil }
                out += k + "=" + e
            }
            return out + "}"
        case .object(let o): return o.velocityString
        }
    }

    /// Double.toString: shortest round-trip digits, plain notation for 1e-3 <= |d| < 1e7,
    /// otherwise computerized scientific notation ("1.0E10", "1.5E-5").
    static func javaDouble(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description gives the shortest round-trip digits; re-lay them out Java's way.
        var s = "\(abs(d))"
        var exp = 0
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exp = Int(s[s.index(after: e)...]) ?? 0
            s = String(s[..<e])
        }
        var intPart = s
        var frac = ""
        if let dot = s.firstIndex(of: ".") {
            intPart = String(s[..<dot])
            frac = String(s[s.index(after: dot)...])
        }
        // digits and the position of the decimal point relative to them
        var digits = intPart + frac
        var pointPos = intPart.count + exp
        while digits.count > 1 && digits.hasPrefix("0") {
            digits.removeFirst()
            pointPos -= 1
        }
        while digits.count > 1 && digits.hasSuffix("0") { digits.removeLast() }
        let sign = d < 0 ? "-" : ""
        let absd = abs(d)
        if absd >= 1e-3 && absd < 1e7 {
            if pointPos <= 0 {
                return sign + "0." + String(repeating: "0", count: -pointPos) + digits
            }
            if pointPos >= digits.count {
                return sign + digits + String(repeating: "0", count: pointPos - digits.count) + ".0"
            }
            let idx = digits.index(digits.startIndex, offsetBy: pointPos)
            return sign + digits[..<idx] + "." + digits[idx...]
        }
        let first = digits.prefix(1)
        var rest = String(digits.dropFirst())
        if rest.isEmpty { rest = "0" }
        return sign + first + "." + rest + "E" + String(pointPos - 1)
    }
}

extension VelocityValue {
    /// How deep lists and maps may nest before a value is not printed or converted (cycles end there).
    public static let maxPrintDepth = 200

    /// What the value prints as in a template (Java's toString(), with API Gateway's JSON arrays).
    public var javaString: String { Rendering.javaString(self) }
}
