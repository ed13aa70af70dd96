import Foundation

// java.util.regex through NSRegularExpression (ICU), whose syntax and replacement templates
// ($1, \$) match Java's for the patterns templates use. Indices are UTF-16 based on both sides.

enum JavaRegex {
    static func compile(_ pattern: String) throws(JavaException) -> NSRegularExpression {
        do { return try NSRegularExpression(pattern: pattern) } catch {
            throw JavaException("PatternSyntaxException", "bad regex: \(pattern)")
        }
    }

    /// Java rejects a '$' not followed by a group number, and a trailing backslash.
    static func checkReplacement(_ r: String, groups: Int) throws(JavaException) {
        var it = Array(r.unicodeScalars)[...]
        while let c = it.first {
            it = it.dropFirst()
            if c == "\\" {
                guard it.first != nil else { throw JavaException("IllegalArgumentException", "character to be escaped is missing") }
                it = it.dropFirst()
            } else if c == "$" {
                guard let d = it.first, d.properties.numericType != nil || d == "{" else {
                    throw JavaException("IllegalArgumentException", "Illegal group reference")
                }
                if let g = Int(String(d)), g > groups { throw JavaException("IndexOutOfBoundsException", "No group \(g)") }
            }
        }
    }

    static func replace(_ s: String, _ pattern: String, _ replacement: String, all: Bool) throws(JavaException) -> String {
        let re = try compile(pattern)
        try checkReplacement(replacement, groups: re.numberOfCaptureGroups)
        let ns = s as NSString
        let range = NSRange(location: 0, length: ns.length)
        if all {
            return re.stringByReplacingMatches(in: s, range: range, withTemplate: replacement)
        }
        guard let m = re.firstMatch(in: s, range: range) else { return s }
        let rep = re.replacementString(for: m, in: s, offset: 0, template: replacement)
        return ns.replacingCharacters(in: m.range, with: rep)
    }

    static func matches(_ s: String, _ pattern: String) throws(JavaException) -> Bool {
        let re = try compile("(?:" + pattern + ")\\z")
        let ns = s as NSString
        guard let m = re.firstMatch(in: s, options: [.anchored], range: NSRange(location: 0, length: ns.length)) else { return false }
        return m.range.location == 0 && m.range.length == ns.length
    }

    /// String.split(regex, limit) with Java's rules: trailing empty strings dropped when limit is 0,
    /// no leading empty string for a zero-width match at the start.
    static func split(_ s: String, _ pattern: String, limit: Int) throws(JavaException) -> [String] {
        let ns = s as NSString
        if ns.length == 0 { return [""] }
        if pattern.isEmpty {
            // Java splits between every UTF-16 unit for an empty regex.
            var parts = s.utf16.map { String(decoding: [$0], as: UTF16.self) }
            if limit > 0, parts.count > limit {
                let rest = parts[(limit - 1)...].joined()
                parts = Array(parts[..<(limit - 1)]) + [rest]
            }
            return parts
        }
        let re = try compile(pattern)
        var parts: [String] = []
        var start = 0
        for m in re.matches(in: s, range: NSRange(location: 0, length: ns.length)) {
            if limit > 0 && parts.count == limit - 1 { break }
            if m.range.length == 0 && m.range.location == 0 { continue }
            if m.range.length == 0 && m.range.location >= ns.length { break }
            parts.append(ns.substring(with: NSRange(location: start, length: m.range.location - start)))
            start = m.range.location + m.range.length
        }
        parts.append(ns.substring(from: start))
        if limit == 0 {
            while let last = parts.last, last.isEmpty, parts.count > 0 { parts.removeLast() }
            if parts.isEmpty { return [] }
        }
        return parts
    }
}

/// java.util.Formatter for the common conversions: %s %d %x %f %e %b %c %n %%, with flags,
/// width and precision. A mismatched argument throws like Java does.
enum JavaFormat {
    static func format(_ fmt: String, _ args: [VelocityValue]) throws(JavaException) -> String {
        var out = ""
        var chars = Array(fmt)[...]
        var next = 0
        while let c = chars.first {
            chars = chars.dropFirst()
            guard c == "%" else { out.append(c); continue }
            var flags = ""
            while let f = chars.first, "-#+ 0,(".contains(f) { flags.append(f); chars = chars.dropFirst() }
            var width = ""
            while let d = chars.first, d.isNumber { width.append(d); chars = chars.dropFirst() }
            var precision: Int?
            if chars.first == "." {
                chars = chars.dropFirst()
                var p = ""
                while let d = chars.first, d.isNumber { p.append(d); chars = chars.dropFirst() }
                precision = Int(p)
            }
            guard let conv = chars.first else { throw JavaException("UnknownFormatConversionException", "%") }
            chars = chars.dropFirst()
            if width.isEmpty, flags.contains("0") || flags.contains("-") {
                throw JavaException("MissingFormatWidthException", "%\(flags)\(conv)")
            }
            if flags.contains("0"), "sSbBcC".contains(conv) {
                throw JavaException("FormatFlagsConversionMismatchException", "Conversion = \(conv), Flags = 0")
            }
            if precision != nil, "dxXoc".contains(conv) {
                throw JavaException("IllegalFormatPrecisionException", "\(precision ?? 0)")
            }
            var body: String
            switch conv {
            case "%": body = "%"
            case "n": body = "\n"
            default:
                guard next < args.count else { throw JavaException("MissingFormatArgumentException", "Format specifier '%\(conv)'") }
                let a = args[next]
                next += 1
                switch conv {
                case "s", "S":
                    body = a.isNull ? "null" : Rendering.javaString(a)
                    if let p = precision { body = String(body.prefix(p)) }
                    if conv == "S" { body = body.uppercased() }
                case "b", "B":
                    if case .bool(let b) = a { body = b ? "true" : "false" } else { body = a.isNull ? "false" : "true" }
                case "c":
                    guard case .string(let s) = a, s.count == 1 else { throw JavaException("IllegalFormatConversionException", "c") }
                    body = s
                case "d", "x", "X", "o":
                    var v: Int
                    switch a {
                    case .int(let i): v = i
                    default: throw JavaException("IllegalFormatConversionException", "\(conv) != \(typeName(a))")
                    }
                    let neg = v < 0
                    if conv == "d" {
                        body = String(abs(v))
                        if flags.contains(",") { body = grouped(body) }
                    } else {
                        if neg { v = Int(UInt32(truncatingIfNeeded: v)) }
                        body = String(v, radix: conv == "o" ? 8 : 16, uppercase: conv == "X")
                    }
                    if conv == "d" {
                        if neg { body = "-" + body } else if flags.contains("+") { body = "+" + body } else if flags.contains(" ") { body = " " + body }
                    }
                case "f", "e", "E":
                    let d: Double
                    switch a {
                    case .double(let x): d = x
                    default: throw JavaException("IllegalFormatConversionException", "\(conv) != \(typeName(a))")
                    }
                    if conv == "f", d.isFinite, let dec = Decimal(string: Rendering.javaDouble(d).replacingOccurrences(of: "E", with: "e")) {
                        // Java rounds the decimal value HALF_UP ("%.1f" of 2.25 is 2.3), unlike C's printf.
                        body = fixed(dec, precision ?? 6)
                    } else {
                        body = String(format: "%.\(precision ?? 6)\(conv)", d)
                    }
                    if flags.contains("+"), d >= 0 { body = "+" + body }
                default:
                    throw JavaException("UnknownFormatConversionException", "Conversion = '\(conv)'")
                }
            }
            if let w = Int(width), body.count < w {
                let pad = w - body.count
                if flags.contains("-") {
                    body += String(repeating: " ", count: pad)
                } else if flags.contains("0") {
                    let signed = body.hasPrefix("-") || body.hasPrefix("+")
                    let sign = signed ? String(body.prefix(1)) : ""
                    body = sign + String(repeating: "0", count: pad) + (signed ? String(body.dropFirst()) : body)
                } else {
                    body = String(repeating: " ", count: pad) + body
                }
            }
            out += body
        }
        return out
    }

    static func fixed(_ value: Decimal, _ precision: Int) -> String {
        var src = value
        var r = Decimal()
        NSDecimalRound(&r, &src, precision, .plain)
        var text = NSDecimalNumber(decimal: r).stringValue
        let negative = text.hasPrefix("-")
        if negative { text.removeFirst() }
        var intPart = text, frac = ""
        if let dot = text.firstIndex(of: ".") {
            intPart = String(text[..<dot])
            frac = String(text[text.index(after: dot)...])
        }
        frac += String(repeating: "0", count: max(0, precision - frac.count))
        let body = precision > 0 ? intPart + "." + frac : intPart
        return (negative && r != 0 ? "-" : "") + body
    }

    static func grouped(_ digits: String) -> String {
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    static func typeName(_ v: VelocityValue) -> String {
        switch v {
        case .string: return "java.lang.String"
        case .double: return "java.lang.Double"
        case .int: return "java.lang.Integer"
        case .bool: return "java.lang.Boolean"
        default: return "java.lang.Object"
        }
    }
}
