import Foundation

// Low-level scanning shared by the template parser: character classes, positions, and the
// literal tokens (numbers, strings) of the expression sublanguage inside directive parentheses.
// VTL's lexer is modal (text vs. directive arguments), so the parser drives it position by position
// instead of pre-tokenising the whole source.

enum Char {
    static let dollar = UInt8(ascii: "$"), hash = UInt8(ascii: "#"), backslash = UInt8(ascii: "\\")
    static let bang = UInt8(ascii: "!"), lbrace = UInt8(ascii: "{"), rbrace = UInt8(ascii: "}")
    static let lparen = UInt8(ascii: "("), rparen = UInt8(ascii: ")"), lbracket = UInt8(ascii: "[")
    static let rbracket = UInt8(ascii: "]"), dot = UInt8(ascii: "."), comma = UInt8(ascii: ",")
    static let colon = UInt8(ascii: ":"), squote = UInt8(ascii: "'"), dquote = UInt8(ascii: "\"")
    static let minus = UInt8(ascii: "-"), plus = UInt8(ascii: "+"), star = UInt8(ascii: "*")
    static let slash = UInt8(ascii: "/"), percent = UInt8(ascii: "%"), eq = UInt8(ascii: "=")
    static let lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">"), amp = UInt8(ascii: "&"), bar = UInt8(ascii: "|")
    static let at = UInt8(ascii: "@"), space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
    static let nl = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r"), underscore = UInt8(ascii: "_")

    static func isLetter(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) }
    static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    static func isIdentStart(_ c: UInt8) -> Bool { isLetter(c) || c == underscore }
    /// Reference identifiers may contain '-' in 1.7 (`$a-b` is one name).
    static func isRefIdentPart(_ c: UInt8) -> Bool { isLetter(c) || isDigit(c) || c == underscore || c == minus }
    /// Directive and macro names may not.
    static func isDirectiveIdentPart(_ c: UInt8) -> Bool { isLetter(c) || isDigit(c) || c == underscore }
    static func isSpace(_ c: UInt8) -> Bool { c == space || c == tab || c == nl || c == cr }
}

extension Parser {
    @inline(__always) func at(_ i: Int) -> UInt8? { i < s.count ? s[i] : nil }

    func text(_ from: Int, _ to: Int) -> String {
        String(decoding: s[from..<min(to, s.count)], as: UTF8.self)
    }

    /// 1-based line and column of a byte offset (columns count characters, as Velocity does).
    func lineColumn(_ offset: Int) -> (Int, Int) {
        var line = 1
        var lineStart = 0
        var i = 0
        let end = min(offset, s.count)
        while i < end {
            if s[i] == Char.nl { line += 1; lineStart = i + 1 }
            i += 1
        }
        let col = String(decoding: s[lineStart..<end], as: UTF8.self).count + 1
        return (line, col)
    }

    func parseError(_ message: String, at offset: Int, javaClass: String = "ParseErrorException") -> VelocityError {
        // Velocity reports an error at end of input on the template's last character.
        let (l, c) = lineColumn(min(offset, max(0, s.count - 1)))
        return VelocityError(kind: .parse, javaClass: javaClass, message: message, line: l, column: c, templateName: name)
    }

    func scanIdent(_ i: Int, ref: Bool) -> Int {
        var j = i
        while j < s.count, ref ? Char.isRefIdentPart(s[j]) : Char.isDirectiveIdentPart(s[j]) { j += 1 }
        return j
    }

    /// Spaces, tabs and newlines inside directive arguments.
    /// A lone `$` or `#` that starts nothing is skipped there too, as Velocity's directive lexer does.
    func skipSpace(_ i: Int) -> Int {
        var j = i
        while j < s.count {
            let c = s[j]
            if Char.isSpace(c) { j += 1; continue }
            // A backslash before a reference inside directive arguments is ignored.
            if c == Char.backslash, at(j + 1) == Char.dollar { j += 1; continue }
            if c == Char.dollar || c == Char.hash, let n = at(j + 1),
               n == Char.rparen || n == Char.eq || n == Char.space || n == Char.comma {
                j += 1
                continue
            }
            break
        }
        return j
    }

    func skipBlanks(_ i: Int) -> Int {
        var j = i
        while j < s.count, s[j] == Char.space || s[j] == Char.tab { j += 1 }
        return j
    }

    /// After a directive's closing parenthesis (and after #else/#end): blanks plus one newline are
    /// part of the directive token in Velocity 1.7, so a directive alone on its line leaves no line.
    func lineEnd(_ i: Int) -> Int {
        let j = skipBlanks(i)
        guard j < s.count else { return i }
        if s[j] == Char.nl { return j + 1 }
        if s[j] == Char.cr { return (j + 1 < s.count && s[j + 1] == Char.nl) ? j + 2 : j + 1 }
        return i
    }

    /// A number literal starting at i (an optional glued '-'). Integers become Integer, Long or
    /// BigInteger by size; a '.', or an exponent makes a Double.
    func scanNumber(_ i: Int) throws(VelocityError) -> (Expr, Int) {
        var j = i
        if at(j) == Char.minus { j += 1 }
        // ".5" is a decimal literal.
        if at(j) == Char.dot, let d = at(j + 1), Char.isDigit(d) {
            j += 1
            while let c = at(j), Char.isDigit(c) { j += 1 }
            if let e = at(j), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
                var k = j + 1
                if let sign = at(k), sign == Char.plus || sign == Char.minus { k += 1 }
                if let d2 = at(k), Char.isDigit(d2) { j = k; while let c = at(j), Char.isDigit(c) { j += 1 } }
            }
            let lit = text(i, j).replacingOccurrences(of: "-.", with: "-0.")
            let norm = lit.hasPrefix(".") ? "0" + lit : lit
            guard let v = Double(norm) else { throw parseError("bad number \(lit)", at: i) }
            return (.double(v), j)
        }
        while let c = at(j), Char.isDigit(c) { j += 1 }
        var isDouble = false
        // "1..3" is a range, so a dot followed by another dot ends the integer.
        if at(j) == Char.dot, at(j + 1) != Char.dot {
            isDouble = true
            j += 1
            while let c = at(j), Char.isDigit(c) { j += 1 }
        }
        if let e = at(j), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            var k = j + 1
            if let sign = at(k), sign == Char.plus || sign == Char.minus { k += 1 }
            if let d = at(k), Char.isDigit(d) {
                isDouble = true
                j = k
                while let c = at(j), Char.isDigit(c) { j += 1 }
            }
        }
        let lit = text(i, j)
        if isDouble {
            guard let d = Double(lit) else { throw parseError("bad number \(lit)", at: i) }
            return (.double(d), j)
        }
        if let v = Int(lit) { return (.int(v), j) }
        guard let d = Decimal(string: lit) else { throw parseError("bad number \(lit)", at: i) }
        return (.bigInt(d), j)
    }

    /// A quoted string starting at the quote. A doubled quote stands for one; a backslash is an
    /// ordinary character. Returns the raw content.
    func scanString(_ i: Int) throws(VelocityError) -> (String, Int) {
        let q = s[i]
        var j = i + 1
        var bytes: [UInt8] = []
        while true {
            guard j < s.count else { throw parseError("Lexical error: unterminated string literal", at: i) }
            let c = s[j]
            if c == q {
                if at(j + 1) == q { bytes.append(q); j += 2; continue }
                return (String(decoding: bytes, as: UTF8.self), j + 1)
            }
            bytes.append(c)
            j += 1
        }
    }
}

/// Java-style \uXXXX decoding, which Velocity applies to double-quoted string literals only.
/// Returns nil when a \u is not followed by four hex digits (Velocity fails with NumberFormatException).
func unescapeUnicode(_ s: String) -> String? {
    guard s.contains("\\u") else { return s }
    var out = ""
    var chars = Array(s.unicodeScalars)[...]
    var utf16: [UInt16] = []
    func flush() {
        if !utf16.isEmpty { out += String(decoding: utf16, as: UTF16.self); utf16.removeAll() }
    }
    while let c = chars.first {
        if c == "\\", chars.dropFirst().first == "u" {
            guard chars.count >= 6 else { return nil }
            let hex = String(String.UnicodeScalarView(chars.dropFirst(2).prefix(4)))
            let u = chars.dropFirst().first
            if u == "u" {
                guard hex.count == 4, let v = UInt16(hex, radix: 16) else { return nil }
                utf16.append(v)
                chars = chars.dropFirst(6)
                continue
            }
        }
        flush()
        out.unicodeScalars.append(c)
        chars = chars.dropFirst()
    }
    flush()
    return out
}
