import Foundation

// Template structure: text, references, directives and their bodies, and the expression
// sublanguage inside directive parentheses. Recursive descent over UTF-8 bytes; the whitespace
// rules of Velocity 1.7's JavaCC grammar are reproduced where its tokens swallow them:
//  - `#set` absorbs blanks before it unless they follow plain text (SET_DIRECTIVE starts with them);
//  - a directive's closing `)`, `#else` and `#end` absorb trailing blanks plus one newline.

enum Terminator {
    case eof
    case end
    case elseBranch
    case elseif(Expr)
}

/// Collects the nodes of one block; `pending` is plain text not yet turned into a node.
final class BlockBuilder {
    var nodes: [Node] = []
    var pending: [UInt8] = []

    func flush() {
        guard !pending.isEmpty else { return }
        nodes.append(.text(String(decoding: pending, as: UTF8.self)))
        pending.removeAll(keepingCapacity: true)
    }

    func add(_ node: Node) {
        flush()
        nodes.append(node)
    }

    func append(_ s: String) { pending.append(contentsOf: Array(s.utf8)) }

    /// The blanks that SET_DIRECTIVE would have absorbed: only when no other text precedes them.
    func dropBlanksBeforeSet() {
        if !pending.isEmpty, pending.allSatisfy({ $0 == Char.space || $0 == Char.tab }) {
            pending.removeAll()
        }
    }
}

struct Parser {
    static let directiveNames: Set<String> = [
        "set", "if", "elseif", "else", "end", "foreach", "break", "stop", "macro", "define",
        "evaluate", "parse", "include",
    ]

    let s: [UInt8]
    let name: String
    /// Inside a double-quoted string a trailing `$` or `#` is text, not a lexical error.
    let inString: Bool
    var p = 0
    /// Macros defined in this template, first definition wins (Velocity ignores inline redefinition).
    var macros: [String: MacroDefinition] = [:]
    /// Names known so far: `#name` without parentheses is a call only for these.
    var macroNames: Set<String>
    /// End of the last `#end` token (before its absorbed newline), for body-macro source text.
    var lastEndTokenEnd = 0
    /// Start of the last #end/#else/#elseif token: where a misplaced one is reported.
    var lastTermStart = 0

    /// Nesting of blocks, parentheses, literals and strings, shared with the parsers of string literals: a
    /// template nested deeper than `maxNesting` is refused with a parse error rather than overflowing the stack.
    final class Nesting { var level = 0 }
    let nesting: Nesting
    static let maxNesting = 150

    init(_ source: String, name: String, inString: Bool = false, macroNames: Set<String> = [], nesting: Nesting = Nesting()) {
        self.s = Array(source.utf8)
        self.name = name
        self.inString = inString
        self.macroNames = macroNames
        self.nesting = nesting
    }

    /// Enters one level of nesting at byte offset `at`; pair with `nesting.level -= 1`.
    func deeper(at offset: Int) throws(VelocityError) {
        nesting.level += 1
        if nesting.level > Parser.maxNesting {
            nesting.level -= 1
            throw parseError("the template nests blocks, parentheses or literals more than \(Parser.maxNesting) deep", at: offset)
        }
    }

    mutating func parseTemplate() throws(VelocityError) -> [Node] {
        let (nodes, term) = try parseBlock()
        switch term {
        case .eof: return nodes
        case .end: throw parseError("Encountered \"#end\" without a matching directive", at: lastTermStart)
        case .elseBranch: throw parseError("Encountered \"#else\" without a matching #if", at: lastTermStart)
        case .elseif: throw parseError("Encountered \"#elseif\" without a matching #if", at: lastTermStart)
        }
    }

    mutating func parseBlock() throws(VelocityError) -> ([Node], Terminator) {
        try deeper(at: p)
        defer { nesting.level -= 1 }
        let b = BlockBuilder()
        while p < s.count {
            let c = s[p]
            if c == Char.backslash {
                try backslashes(b)
            } else if c == Char.dollar {
                try dollar(b)
            } else if c == Char.hash {
                if let term = try hash(b) {
                    b.flush()
                    return (b.nodes, term)
                }
            } else {
                // Copy a run of ordinary bytes at once.
                var j = p + 1
                while j < s.count, s[j] != Char.backslash, s[j] != Char.dollar, s[j] != Char.hash { j += 1 }
                b.pending.append(contentsOf: s[p..<j])
                p = j
            }
        }
        b.flush()
        return (b.nodes, .eof)
    }

    // MARK: text-level tokens

    mutating func dollar(_ b: BlockBuilder) throws(VelocityError) {
        if let (ref, end) = try scanReference(p) {
            b.add(.ref(ref))
            p = end
            return
        }
        guard let next = at(p + 1) else {
            if inString { b.append("$"); p += 1; return }
            throw parseError("Lexical error: Encountered <EOF> after \"$\"", at: p)
        }
        if next == Char.dollar {
            var k = p + 1
            while at(k) == Char.dollar { k += 1 }
            if k == p + 2, let (ref, end) = try scanReference(p + 1) {
                b.add(.prefixedRef(ref))
                p = end
                return
            }
            if at(k) == Char.hash, at(k + 1) == Char.star || directiveName(k).map({ Parser.directiveNames.contains($0.0) }) == true {
                // A run of lone '$' before a directive vanishes with it.
                p = k
                return
            }
        }
        if next == Char.bang, at(p + 2) == nil, !inString {
            throw parseError("Lexical error: Encountered <EOF> after \"$!\"", at: p + 1)
        }
        // A lone '$' right before a directive or a block comment, or before a double backslash,
        // is swallowed by Velocity's lexer.
        if next == Char.hash {
            if at(p + 2) == Char.star {
                p += 1
                return
            }
            if let (dname, _) = directiveName(p + 1), Parser.directiveNames.contains(dname) {
                p += 1
                return
            }
        }
        if next == Char.backslash, at(p + 2) == Char.backslash {
            p += 1
            return
        }
        if next == Char.bang {
            if at(p + 2) == Char.lbrace {
                b.append("$!{")
                p += 3
            } else {
                // JavaCC drops the '!' of a "$!" that starts no reference ("$!1" prints "$1").
                b.append("$")
                p += 2
            }
        } else if next == Char.lbrace {
            b.append("${")
            p += 2
        } else {
            b.append("$")
            p += 1
        }
    }

    mutating func backslashes(_ b: BlockBuilder) throws(VelocityError) {
        var q = p
        while q < s.count, s[q] == Char.backslash { q += 1 }
        let n = q - p
        let slashes = String(repeating: "\\", count: n)
        if at(q) == Char.dollar, at(q + 1) == Char.dollar {
            if n % 2 == 1 {
                // "\$$x" escapes "$x"; the extra '$' is swallowed.
                if let (ref, end) = try scanReference(q + 1) {
                    b.add(.escapedRef(ref, backslashes: n))
                    p = end
                    return
                }
                b.append(slashes)
                p = q + 1
                return
            }
            b.append(String(repeating: "\\", count: n / 2))
            p = q
            return
        }
        if at(q) == Char.dollar {
            guard q + 1 < s.count || inString else {
                throw parseError("Lexical error: Encountered <EOF> after \"\\$\"", at: q)
            }
            if let (ref, end) = try scanReference(q) {
                b.add(.escapedRef(ref, backslashes: n))
                p = end
                return
            }
            b.append(slashes)
            p = q
            return
        }
        if at(q) == Char.hash, let (dname, nameEnd) = directiveName(q),
           Parser.directiveNames.contains(dname) || macroNames.contains(dname) {
            b.append(String(repeating: "\\", count: n / 2))
            if n % 2 == 1 {
                b.append(text(q, nameEnd))
                p = nameEnd
            } else {
                p = q
            }
            return
        }
        b.append(slashes)
        p = q
    }

    /// `#name` or `#{name}` at i: the name and the end of the token.
    func directiveName(_ i: Int) -> (String, Int)? {
        guard let c = at(i + 1) else { return nil }
        if c == Char.lbrace {
            guard let d = at(i + 2), Char.isIdentStart(d) else { return nil }
            let e = scanIdent(i + 2, ref: false)
            guard at(e) == Char.rbrace else { return nil }
            return (text(i + 2, e), e + 1)
        }
        guard Char.isIdentStart(c) else { return nil }
        let e = scanIdent(i + 1, ref: false)
        return (text(i + 1, e), e)
    }

    /// `#` at p: a comment, an unparsed block, a directive, a macro call or plain text.
    /// Returns a terminator for #end/#else/#elseif.
    mutating func hash(_ b: BlockBuilder) throws(VelocityError) -> Terminator? {
        let start = p
        guard let next = at(p + 1) else {
            if inString { b.append("#"); p += 1; return nil }
            throw parseError("Lexical error: Encountered <EOF> after \"#\"", at: p)
        }
        if next == Char.hash {
            // ## line comment: up to and including the newline.
            var j = p + 2
            while j < s.count, s[j] != Char.nl, s[j] != Char.cr { j += 1 }
            if j >= s.count {
                if j - (p + 2) > 0, s[j - 1] == Char.hash, !inString {
                    throw parseError("Lexical error: Encountered <EOF>", at: j)
                }
                p = j
            } else {
                p = (s[j] == Char.cr && at(j + 1) == Char.nl) ? j + 2 : j + 1
            }
            b.flush()
            return nil
        }
        if next == Char.star {
            // #* block comment *#; an unclosed one runs to the end of the template.
            var j = p + 2
            while j + 1 < s.count, !(s[j] == Char.star && s[j + 1] == Char.hash) { j += 1 }
            if j + 1 >= s.count, !inString, s.count >= 2, s[s.count - 2] == Char.hash, s[s.count - 1] == Char.star {
                // The lexer is left waiting for the '#' of "*#".
                throw parseError("Lexical error: Encountered <EOF> in a block comment", at: s.count)
            }
            p = j + 1 < s.count ? j + 2 : s.count
            b.flush()
            return nil
        }
        if next == Char.lbracket, at(p + 2) == Char.lbracket {
            var j = p + 3
            while j + 2 < s.count, !(s[j] == Char.rbracket && s[j + 1] == Char.rbracket && s[j + 2] == Char.hash) { j += 1 }
            guard j + 2 < s.count else { throw parseError("Lexical error: unclosed #[[", at: p) }
            b.flush()
            b.nodes.append(.text(text(p + 3, j)))
            p = j + 3
            return nil
        }
        if next == Char.at {
            return try bodyMacroCall(b)
        }
        guard let (dname, after) = directiveName(p) else {
            b.append("#")
            p += 1
            return nil
        }
        switch dname {
        case "set": try setDirective(b, after: after)
        case "if": try ifDirective(b, after: after)
        case "elseif":
            let j = skipBlanks(after)
            guard at(j) == Char.lparen else { throw parseError("Encountered \"#elseif\" without a condition", at: start) }
            let (cond, e) = try condition(j + 1)
            p = lineEnd(e)
            lastTermStart = start
            return .elseif(cond)
        case "else":
            p = lineEnd(after)
            lastTermStart = start
            return .elseBranch
        case "end":
            lastTermStart = start
            lastEndTokenEnd = after
            p = lineEnd(after)
            return .end
        case "foreach": try foreachDirective(b, after: after)
        case "macro": try macroDefinition(b, after: after)
        case "define": try defineDirective(b, after: after)
        case "evaluate":
            let j = skipBlanks(after)
            guard at(j) == Char.lparen else { throw parseError("#evaluate() requires exactly one argument", at: start) }
            let (args, e) = try parseArgs(j + 1, allowWords: false)
            guard args.count == 1 else { throw parseError("#evaluate() requires exactly one argument", at: start) }
            switch args[0] {
            case .string, .interpolated, .ref: break
            default: throw parseError("#evaluate() argument must be a string or a reference", at: j + 1)
            }
            p = lineEnd(e)
            b.add(.evaluate(args[0]))
        case "break":
            let j = skipBlanks(after)
            if at(j) == Char.lparen {
                let (args, e) = try parseArgs(j + 1, allowWords: true)
                p = lineEnd(e)
                b.add(.breakDirective(args.first))
            } else {
                p = after
                b.add(.breakDirective(nil))
            }
        case "stop":
            p = after
            b.add(.stop)
        case "parse", "include":
            let j = skipBlanks(after)
            guard at(j) == Char.lparen else { throw parseError("#\(dname) requires an argument", at: start) }
            let (args, e) = try parseArgs(j + 1, allowWords: false)
            p = lineEnd(e)
            b.add(.resource(dname, args))
        default:
            try macroCall(b, name: dname, after: after)
        }
        return nil
    }

    mutating func setDirective(_ b: BlockBuilder, after: Int) throws(VelocityError) {
        let start = p
        var j = skipBlanks(after)
        guard at(j) == Char.lparen else {
            b.append(text(start, after))
            p = after
            return
        }
        b.dropBlanksBeforeSet()
        j = skipSpace(j + 1)
        while at(j) == Char.dollar, at(j + 1) == Char.dollar { j += 1 }
        guard at(j) == Char.dollar, let (target, e) = try scanReference(j) else {
            throw parseError("#set() requires a reference on the left-hand side", at: j)
        }
        j = skipSpace(e)
        guard at(j) == Char.eq, at(j + 1) != Char.eq else {
            throw parseError("Encountered \"\(at(j).map { String(UnicodeScalar($0)) } ?? "<EOF>")\" in #set, expected \"=\"", at: j)
        }
        let (value, e2) = try parseExpression(j + 1)
        j = skipSpace(e2)
        guard at(j) == Char.rparen else { throw parseError("#set() is missing its closing parenthesis", at: j) }
        p = lineEnd(j + 1)
        b.add(.set(target, value))
    }

    /// `(expr)` of #if/#elseif starting after the '('; returns the position after ')'.
    func condition(_ i: Int) throws(VelocityError) -> (Expr, Int) {
        let (cond, e) = try parseExpression(i)
        let j = skipSpace(e)
        guard at(j) == Char.rparen else { throw parseError("Encountered unexpected text in the condition, expected \")\"", at: j) }
        return (cond, j + 1)
    }

    mutating func ifDirective(_ b: BlockBuilder, after: Int) throws(VelocityError) {
        let start = p
        let j = skipBlanks(after)
        guard at(j) == Char.lparen else { throw parseError("#if requires a condition in parentheses", at: start) }
        let (first, e) = try condition(j + 1)
        p = lineEnd(e)
        var branches: [IfBranch] = []
        var cond = first
        while true {
            let (body, term) = try parseBlock()
            branches.append(IfBranch(condition: cond, body: body))
            switch term {
            case .end:
                b.add(.ifChain(branches, elseBody: nil))
                return
            case .elseif(let c):
                cond = c
            case .elseBranch:
                let (elseBody, t2) = try parseBlock()
                guard case .end = t2 else {
                    if case .eof = t2 { throw parseError("Encountered <EOF>: #if is missing its #end", at: s.count) }
                    throw parseError("#else must be followed by #end", at: lastTermStart)
                }
                b.add(.ifChain(branches, elseBody: elseBody))
                return
            case .eof:
                throw parseError("Encountered <EOF>: #if at offset \(start) is missing its #end", at: s.count)
            }
        }
    }

    mutating func expectEnd(_ what: String, from start: Int) throws(VelocityError) -> [Node] {
        let (body, term) = try parseBlock()
        switch term {
        case .end: return body
        case .eof: throw parseError("Encountered <EOF>: #\(what) at offset \(start) is missing its #end", at: s.count)
        case .elseBranch, .elseif: throw parseError("Encountered #else inside #\(what)", at: lastTermStart)
        }
    }

    mutating func foreachDirective(_ b: BlockBuilder, after: Int) throws(VelocityError) {
        let start = p
        let j = skipBlanks(after)
        guard at(j) == Char.lparen else {
            p = after
            b.add(.nullPointer("foreach"))
            return
        }
        let (args, e) = try parseArgs(j + 1, allowWords: true)
        guard case .ref(let v)? = args.first, v.parts.isEmpty else {
            throw parseError("#foreach requires a reference as its loop variable", at: j + 1)
        }
        // Velocity takes the third argument as the collection whatever the second word is; with two
        // arguments the loop silently never runs.
        let iterable: Expr? = args.count >= 3 ? args[2] : nil
        p = lineEnd(e)
        let body = try expectEnd("foreach", from: start)
        b.add(.foreach(ForeachNode(variable: v.name, iterable: iterable, body: body)))
    }

    mutating func macroDefinition(_ b: BlockBuilder, after: Int) throws(VelocityError) {
        let start = p
        var j = skipBlanks(after)
        guard at(j) == Char.lparen else { throw parseError("#macro requires a name in parentheses", at: start) }
        j = skipSpace(j + 1)
        guard let c = at(j), Char.isIdentStart(c) else { throw parseError("#macro() requires a name", at: j) }
        let nameEnd = scanIdent(j, ref: false)
        let mname = text(j, nameEnd)
        j = nameEnd
        var params: [String] = []
        while true {
            j = skipSpace(j)
            guard let c = at(j) else { throw parseError("#macro is missing its closing parenthesis", at: j) }
            if c == Char.rparen { break }
            if c == Char.comma { j += 1; continue }
            if c == Char.dollar, at(j + 1) == Char.dollar { j += 1; continue }
            if c == Char.dollar, at(j + 1) == Char.bang, let d = at(j + 2), Char.isIdentStart(d) {
                // `$!a` declares a parameter no reference in the body can name.
                let e = scanIdent(j + 2, ref: true)
                params.append("!" + text(j + 2, e))
                j = e
                continue
            }
            // A lone '$' among the parameters is skipped like Velocity's lexer does.
            if c == Char.dollar, let d = at(j + 1), Char.isSpace(d) || d == Char.rparen { j += 1; continue }
            guard c == Char.dollar, let d = at(j + 1), Char.isIdentStart(d) else {
                throw parseError("Encountered unexpected text in #macro(\(mname) ...)", at: j)
            }
            let e = scanIdent(j + 1, ref: true)
            params.append(text(j + 1, e))
            j = e
            if let n = at(j), !(Char.isSpace(n) || n == Char.comma || n == Char.rparen || n == Char.dollar) {
                throw parseError("Encountered unexpected text in #macro(\(mname) ...)", at: j)
            }
        }
        p = lineEnd(j + 1)
        macroNames.insert(mname)
        let body = try expectEnd("macro", from: start)
        if macros[mname] == nil {
            macros[mname] = MacroDefinition(name: mname, params: params, body: body)
        }
        b.flush()
    }

    mutating func defineDirective(_ b: BlockBuilder, after: Int) throws(VelocityError) {
        let start = p
        var j = skipBlanks(after)
        guard at(j) == Char.lparen else {
            p = after
            b.add(.nullPointer("define"))
            return
        }
        j = skipSpace(j + 1)
        while at(j) == Char.dollar, at(j + 1) == Char.dollar { j += 1 }
        guard at(j) == Char.dollar, let (ref, e) = try scanReference(j), ref.parts.isEmpty else {
            throw parseError("#define requires a reference", at: j)
        }
        j = skipSpace(e)
        guard at(j) == Char.rparen else { throw parseError("#define takes exactly one argument", at: j) }
        p = lineEnd(j + 1)
        let body = try expectEnd("define", from: start)
        if !ref.quiet { b.add(.define(ref.name, body)) }
    }

    mutating func macroCall(_ b: BlockBuilder, name mname: String, after: Int) throws(VelocityError) {
        let start = p
        // A known macro may have whitespace, newlines included, before its argument list.
        let j = macroNames.contains(mname) ? skipSpace(after) : skipBlanks(after)
        if at(j) == Char.lparen {
            let (args, sources, e) = try parseArgsWithSources(j + 1, allowWords: true)
            if macroNames.contains(mname), args.contains(where: { if case .word = $0 { return true } else { return false } }) {
                throw parseError("Invalid arg in call to macro \(mname): a bare word", at: j + 1, javaClass: "TemplateInitException")
            }
            p = lineEnd(e)
            // Rendered literally when the macro is unknown at render time; Velocity's literal keeps
            // the newline the closing parenthesis absorbed.
            b.add(.macroCall(MacroCallNode(name: mname, args: args, argSources: sources, source: text(start, p), body: nil)))
        } else if macroNames.contains(mname) {
            p = after
            b.add(.macroCall(MacroCallNode(name: mname, args: [], argSources: [], source: text(start, after), body: nil)))
        } else {
            b.append(text(start, after))
            p = after
        }
    }

    mutating func bodyMacroCall(_ b: BlockBuilder) throws(VelocityError) -> Terminator? {
        let start = p
        guard let c = at(p + 2), Char.isIdentStart(c) else {
            b.append("#")
            p += 1
            return nil
        }
        let nameEnd = scanIdent(p + 2, ref: false)
        let mname = text(p + 2, nameEnd)
        let j = skipBlanks(nameEnd)
        guard at(j) == Char.lparen else { throw parseError("#@\(mname) requires arguments in parentheses", at: start) }
        let (args, sources, e) = try parseArgsWithSources(j + 1, allowWords: true)
        p = lineEnd(e)
        let body = try expectEnd("@" + mname, from: start)
        b.add(.macroCall(MacroCallNode(name: mname, args: args, argSources: sources, source: text(start, lastEndTokenEnd), body: body)))
        return nil
    }

    // MARK: references

    /// A reference starting at the `$` at i, or nil when the text there is not one.
    func scanReference(_ i: Int) throws(VelocityError) -> (Ref, Int)? {
        var j = i + 1
        var quiet = false
        if at(j) == Char.bang { quiet = true; j += 1 }
        if at(j) == Char.lbrace {
            guard let c = at(j + 1), Char.isIdentStart(c) else { return nil }
            let nameEnd = scanIdent(j + 1, ref: true)
            let (parts, k) = try scanTail(nameEnd)
            guard at(k) == Char.rbrace else {
                throw parseError("Encountered unexpected text in ${...}, expected \"}\"", at: k)
            }
            return (Ref(name: text(j + 1, nameEnd), quiet: quiet, formal: true, parts: parts, source: text(i, k + 1)), k + 1)
        }
        guard let c = at(j), Char.isIdentStart(c) else { return nil }
        let nameEnd = scanIdent(j, ref: true)
        let (parts, k) = try scanTail(nameEnd)
        return (Ref(name: text(j, nameEnd), quiet: quiet, formal: false, parts: parts, source: text(i, k)), k)
    }

    /// `.prop`, `.method(args)` and `[index]` after a reference name.
    func scanTail(_ start: Int) throws(VelocityError) -> ([RefPart], Int) {
        var parts: [RefPart] = []
        var j = start
        while true {
            if at(j) == Char.dot, let c = at(j + 1), Char.isIdentStart(c) {
                let e = scanIdent(j + 1, ref: true)
                let member = text(j + 1, e)
                if at(e) == Char.lparen {
                    // "$a.b(" at the very end: the property reference, then the text "(".
                    if e + 1 >= s.count { return (parts + [.property(member)], e) }
                    let (args, e2) = try methodArgs(e + 1)
                    parts.append(.method(member, args))
                    j = e2
                } else {
                    parts.append(.property(member))
                    j = e
                }
                continue
            }
            if at(j) == Char.lbracket {
                let k = skipSpace(j + 1)
                let (idx, e) = try parseParam(k, allowWords: false)
                if case .double = idx { throw parseError("an index must be an integer, a string or a reference", at: k) }
                let e2 = skipSpace(e)
                guard at(e2) == Char.rbracket else { throw parseError("Encountered unexpected text in an index, expected \"]\"", at: e2) }
                parts.append(.index(idx))
                j = e2 + 1
                continue
            }
            return (parts, j)
        }
    }

    func methodArgs(_ i: Int) throws(VelocityError) -> ([Expr], Int) {
        var j = skipSpace(i)
        if at(j) == Char.rparen { return ([], j + 1) }
        var args: [Expr] = []
        while true {
            let (a, e) = try parseParam(j, allowWords: true)
            // A bare word is accepted as a method argument and has no value.
            if case .word = a { args.append(.ref(Ref(name: "", quiet: false, formal: false, parts: [], source: ""))) } else { args.append(a) }
            j = skipSpace(e)
            if at(j) == Char.rparen { return (args, j + 1) }
            guard at(j) == Char.comma else { throw parseError("Encountered unexpected text in method arguments", at: j) }
            j = skipSpace(j + 1)
        }
    }

    /// Directive arguments: separated by blanks or commas, up to and including ')'.
    func parseArgs(_ i: Int, allowWords: Bool) throws(VelocityError) -> ([Expr], Int) {
        let (args, _, end) = try parseArgsWithSources(i, allowWords: allowWords)
        return (args, end)
    }

    /// Directive arguments with the source text of each (a macro parameter prints its argument's text).
    func parseArgsWithSources(_ i: Int, allowWords: Bool) throws(VelocityError) -> ([Expr], [String], Int) {
        var j = i
        var args: [Expr] = []
        var sources: [String] = []
        while true {
            j = skipSpace(j)
            guard let c = at(j) else { throw parseError("Encountered <EOF> in directive arguments", at: j) }
            if c == Char.rparen { return (args, sources, j + 1) }
            if c == Char.comma, !args.isEmpty { j += 1; continue }
            let (a, e) = try parseParam(j, allowWords: allowWords)
            args.append(a)
            sources.append(text(j, e))
            j = e
        }
    }

    // MARK: expressions

    /// A single operand as Velocity 1.7 allows in method arguments, list/map literals and directive
    /// arguments: a reference, literal, list, range or map — no operators.
    func parseParam(_ i: Int, allowWords: Bool) throws(VelocityError) -> (Expr, Int) {
        guard let c = at(i) else { throw parseError("Encountered <EOF>, expected a value", at: i) }
        switch c {
        case Char.dollar:
            if at(i + 1) == Char.dollar { return try parseParam(i + 1, allowWords: allowWords) }
            guard let (r, e) = try scanReference(i) else { throw parseError("Encountered \"$\", expected a reference", at: i) }
            // Inside directives `$true`/`$false` lex as the boolean literals.
            if r.parts.isEmpty, !r.formal, !r.quiet, r.name == "true" || r.name == "false" { return (.bool(r.name == "true"), e) }
            return (.ref(r), e)
        case Char.dot:
            guard let d = at(i + 1), Char.isDigit(d) else { throw parseError("Encountered \".\", expected a value", at: i) }
            return try scanNumber(i)
        case Char.squote:
            let (str, e) = try scanString(i)
            return (.string(str), e)
        case Char.dquote:
            let (raw, e) = try scanString(i)
            return (try interpolate(raw, at: i + 1), e)
        case Char.lbracket:
            return try listLiteral(i)
        case Char.lbrace:
            return try mapLiteral(i)
        case Char.minus:
            guard let d = at(i + 1), Char.isDigit(d) else { throw parseError("Encountered \"-\", expected a value", at: i) }
            return try scanNumber(i)
        default:
            if Char.isDigit(c) { return try scanNumber(i) }
            if Char.isIdentStart(c) {
                let e = scanIdent(i, ref: false)
                let w = text(i, e)
                if w == "true" { return (.bool(true), e) }
                if w == "false" { return (.bool(false), e) }
                if allowWords { return (.word(w), e) }
                throw parseError("Encountered \"\(w)\", expected a value", at: i)
            }
            throw parseError("Encountered \"\(String(UnicodeScalar(c)))\", expected a value", at: i)
        }
    }

    func interpolate(_ raw: String, at offset: Int) throws(VelocityError) -> Expr {
        guard let str = unescapeUnicode(raw) else {
            throw parseError("invalid \\u escape in a string literal", at: offset, javaClass: "NumberFormatException")
        }
        guard str.contains("$") || str.contains("#") else { return .string(str) }
        var sub = Parser(str, name: name, inString: true, macroNames: macroNames, nesting: nesting)
        do {
            return .interpolated(try sub.parseTemplate())
        } catch {
            // Positions inside the string are relative to it; report the string literal instead.
            throw parseError(error.message + " (inside a string literal)", at: offset, javaClass: error.javaClass)
        }
    }

    func listLiteral(_ i: Int) throws(VelocityError) -> (Expr, Int) {
        try deeper(at: i)
        defer { nesting.level -= 1 }
        var j = skipSpace(i + 1)
        if at(j) == Char.rbracket { return (.list([]), j + 1) }
        let (first, e) = try parseParam(j, allowWords: false)
        j = skipSpace(e)
        if at(j) == Char.dot, at(j + 1) == Char.dot {
            let (second, e2) = try parseParam(skipSpace(j + 2), allowWords: false)
            if case .double = first { throw parseError("a range bound must be an integer", at: i) }
            if case .double = second { throw parseError("a range bound must be an integer", at: i) }
            j = skipSpace(e2)
            guard at(j) == Char.rbracket else { throw parseError("Encountered unexpected text in a range, expected \"]\"", at: j) }
            return (.range(first, second), j + 1)
        }
        var items = [first]
        while true {
            if at(j) == Char.rbracket { return (.list(items), j + 1) }
            guard at(j) == Char.comma else { throw parseError("Encountered unexpected text in a list, expected \",\" or \"]\"", at: j) }
            let (item, e2) = try parseParam(skipSpace(j + 1), allowWords: false)
            items.append(item)
            j = skipSpace(e2)
        }
    }

    func mapLiteral(_ i: Int) throws(VelocityError) -> (Expr, Int) {
        try deeper(at: i)
        defer { nesting.level -= 1 }
        var j = skipSpace(i + 1)
        if at(j) == Char.rbrace { return (.map([]), j + 1) }
        var entries: [MapLiteralEntry] = []
        while true {
            let (k, e) = try parseParam(j, allowWords: false)
            j = skipSpace(e)
            guard at(j) == Char.colon else { throw parseError("Encountered unexpected text in a map, expected \":\"", at: j) }
            let (v, e2) = try parseParam(skipSpace(j + 1), allowWords: false)
            entries.append(MapLiteralEntry(key: k, value: v))
            j = skipSpace(e2)
            if at(j) == Char.rbrace { return (.map(entries), j + 1) }
            guard at(j) == Char.comma else { throw parseError("Encountered unexpected text in a map, expected \",\" or \"}\"", at: j) }
            j = skipSpace(j + 1)
        }
    }

    /// A word operator (`and`, `eq`, ...) at i, only when it is a whole word.
    func wordAt(_ i: Int) -> (String, Int)? {
        guard let c = at(i), Char.isIdentStart(c) else { return nil }
        let e = scanIdent(i, ref: false)
        return (text(i, e), e)
    }

    func parseExpression(_ i: Int) throws(VelocityError) -> (Expr, Int) {
        try deeper(at: i)
        defer { nesting.level -= 1 }
        var (l, j) = try parseAnd(i)
        while true {
            let k = skipSpace(j)
            if at(k) == Char.bar, at(k + 1) == Char.bar {
                let (r, e) = try parseAnd(k + 2); l = .binary(.or, l, r); j = e
            } else if let (w, e) = wordAt(k), w == "or" {
                let (r, e2) = try parseAnd(e); l = .binary(.or, l, r); j = e2
            } else {
                return (l, j)
            }
        }
    }

    func parseAnd(_ i: Int) throws(VelocityError) -> (Expr, Int) {
        var (l, j) = try parseEquality(i)
        while true {
            let k = skipSpace(j)
            if at(k) == Char.amp, at(k + 1) == Char.amp {
                let (r, e) = try parseEquality(k + 2); l = .binary(.and, l, r); j = e
            } else if let (w, e) = wordAt(k), w == "and" {
                let (r, e2) = try parseEquality(e); l = .binary(.and, l, r); j = e2
            } else {
                return (l, j)
            }
        }
    }

    func parseEquality(_ i: Int) throws(VelocityError) -> (Expr, Int) {
        var (l, j) = try parseRelational(i)
        while true {
            let k = skipSpace(j)
            var op: BinOp?
            var next = k
            if at(k) == Char.eq, at(k + 1) == Char.eq { op = .eq; next = k + 2 }
            else if at(k) == Char.bang, at(k + 1) == Char.eq { op = .ne; next = k + 2 }
            else if let (w, e) = wordAt(k), w == "eq" || w == "ne" { op = w == "eq" ? .eq : .ne; next = e }
            guard let o = op else { return (l, j) }
            let (r, e) = try parseRelational(next)
            l = .binary(o, l, r)
            j = e
        }
    }

    func parseRelational(_ i: Int) throws(VelocityError) -> (Expr, Int) {
        var (l, j) = try parseAdditive(i)
        while true {
            let k = skipSpace(j)
            var op: BinOp?
            var next = k
            if at(k) == Char.lt { if at(k + 1) == Char.eq { op = .le; next = k + 2 } else { op = .lt; next = k + 1 } }
            else if at(k) == Char.gt { if at(k + 1) == Char.eq { op = .ge; next = k + 2 } else { op = .gt; next = k + 1 } }
            else if let (w, e) = wordAt(k) {
                switch w {
                case "lt": op = .lt
                case "le": op = .le
                case "gt": op = .gt
                case "ge": op = .ge
                default: break
                }
                next = e
            }
            guard let o = op else { return (l, j) }
            let (r, e) = try parseAdditive(next)
            l = .binary(o, l, r)
            j = e
        }
    }

    func parseAdditive(_ i: Int) throws(VelocityError) -> (Expr, Int) {
        var (l, j) = try parseMultiplicative(i)
        while true {
            let k = skipSpace(j)
            var op: BinOp?
            if at(k) == Char.plus { op = .add }
            // A '-' glued to digits is a negative literal, never an operator ("2-3" does not parse).
            else if at(k) == Char.minus, !(at(k + 1).map(Char.isDigit) ?? false) { op = .sub }
            guard let o = op else { return (l, j) }
            let (r, e) = try parseMultiplicative(k + 1)
            l = .binary(o, l, r)
            j = e
        }
    }

    func parseMultiplicative(_ i: Int) throws(VelocityError) -> (Expr, Int) {
        var (l, j) = try parseUnary(i)
        while true {
            let k = skipSpace(j)
            var op: BinOp?
            if at(k) == Char.star { op = .mul } else if at(k) == Char.slash { op = .div } else if at(k) == Char.percent { op = .mod }
            guard let o = op else { return (l, j) }
            let (r, e) = try parseUnary(k + 1)
            l = .binary(o, l, r)
            j = e
        }
    }

    func parseUnary(_ i: Int) throws(VelocityError) -> (Expr, Int) {
        try deeper(at: i)
        defer { nesting.level -= 1 }
        let k = skipSpace(i)
        if at(k) == Char.bang, at(k + 1) != Char.eq {
            let (e, j) = try parseUnary(k + 1)
            return (.not(e), j)
        }
        if let (w, e) = wordAt(k), w == "not" {
            let (x, j) = try parseUnary(e)
            return (.not(x), j)
        }
        if at(k) == Char.lparen {
            let (inner, e) = try parseExpression(k + 1)
            let j = skipSpace(e)
            guard at(j) == Char.rparen else { throw parseError("Encountered unexpected text, expected \")\"", at: j) }
            return (.paren(inner), j + 1)
        }
        return try parseParam(k, allowWords: false)
    }
}
