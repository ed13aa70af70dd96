import Foundation

// The tree-walking renderer. One Renderer per render call: it owns the variable table, the macro
// table (which #evaluate can extend), the macro call frames and the output buffer.

/// #stop: ends the whole render (or the innermost #evaluate).
struct StopSignal: Error {}

/// #break: leaves the innermost loop, macro, #define block or the template; with an argument,
/// the loop whose `$foreach` scope was given.
struct BreakSignal: Error {
    let target: ForeachScope?
}

/// `$foreach`: Velocity 1.7's scope object of the innermost loop.
final class ForeachScope: VelocityObject {
    var index = 0
    var hasNext = false
    let parent: ForeachScope?

    init(parent: ForeachScope?) { self.parent = parent }

    var topmost: ForeachScope { parent?.topmost ?? self }

    func property(_ name: String) -> VelocityValue? {
        switch name {
        case "index", "Index": return .int(index)
        case "count", "Count": return .int(index + 1)
        case "hasNext", "HasNext": return .bool(hasNext)
        case "first", "First": return .bool(index == 0)
        case "last", "Last": return .bool(!hasNext)
        case "parent", "Parent": return parent.map { .object($0) } ?? .null
        case "topmost", "Topmost": return .object(topmost)
        default: return nil
        }
    }

    func call(_ method: String, _ args: [VelocityValue]) throws -> VelocityValue? {
        guard args.isEmpty else { return nil }
        switch method {
        case "getIndex": return property("index")
        case "getCount": return property("count")
        case "hasNext": return property("hasNext")
        case "isFirst", "getFirst": return property("first")
        case "isLast", "getLast": return property("last")
        case "getParent": return property("parent")
        case "getTopmost": return property("topmost")
        case "toString": return .string(velocityString)
        default: return nil
        }
    }

    var velocityString: String { "{}" }
}

/// A #define block (and `$bodyContent`): rendered where it is referenced, each time.
final class BlockValue: VelocityObject {
    let body: [Node]
    weak var renderer: Renderer?
    var depth = 0

    init(body: [Node], renderer: Renderer) {
        self.body = body
        self.renderer = renderer
    }

    func property(_ name: String) -> VelocityValue? { nil }

    func call(_ method: String, _ args: [VelocityValue]) throws -> VelocityValue? {
        if method == "toString", args.isEmpty { return .string(velocityString) }
        return nil
    }

    var velocityString: String {
        guard let r = renderer else { return "" }
        return (try? r.capture { try r.renderBlock(self) }) ?? ""
    }
}

enum ParamBinding {
    /// Pass-by-name: the caller's expression, evaluated in the caller's frame at each use.
    case expr(Expr, source: String, callerDepth: Int)
    case value(VelocityValue)
}

final class MacroFrame {
    var params: [String: ParamBinding] = [:]
    var bodyContent: BlockValue?
}

final class Renderer {
    var vars: [String: VelocityValue]
    var macros: [String: MacroDefinition]
    let aws: Bool
    let nullEqualsEmpty: Bool
    let name: String
    var out = ""
    var frames: [MacroFrame] = []
    /// Frames visible to lookups: by-name arguments are evaluated with the caller's frames only.
    var visibleDepth = 0
    /// Nesting of macros, #evaluate and blocks: a bound so runaway recursion fails cleanly.
    var nesting = 0
    /// Macro, #evaluate and block nesting. Velocity 1.7's velocimacro.max.depth is 20; gwsh allows a little
    /// more for #evaluate and blocks but stays far from the stack's end.
    static let maxNesting = 64
    var exprDepth = 0
    static let maxExpressionDepth = 400

    init(context: VelocityContext, macros: [String: MacroDefinition], name: String) {
        self.vars = context.variables
        self.macros = macros
        self.aws = context.mode == .aws
        self.nullEqualsEmpty = context.nullEqualsEmptyString
        self.name = name
    }

    /// Renders into a fresh buffer and returns what was written.
    func capture(_ body: () throws -> Void) rethrows -> String {
        let saved = out
        out = ""
        defer { out = saved }
        try body()
        return out
    }

    func enter() throws {
        nesting += 1
        if nesting > Renderer.maxNesting {
            nesting -= 1
            throw VelocityError.runtime("MacroOverflowException", "maximum nesting depth (\(Renderer.maxNesting)) exceeded")
        }
    }

    // MARK: variables

    func lookup(_ name: String) throws -> VelocityValue? {
        if visibleDepth > 0 {
            let frame = frames[visibleDepth - 1]
            if let binding = frame.params[name] {
                switch binding {
                case .value(let v): return v
                case .expr(let e, _, let depth):
                    let saved = visibleDepth
                    visibleDepth = depth
                    defer { visibleDepth = saved }
                    let v = try value(e)
                    return v.isNull ? nil : v
                }
            }
            if name == "bodyContent", let bc = frame.bodyContent { return .object(bc) }
        }
        return vars[name]
    }

    func setVar(_ name: String, _ v: VelocityValue) {
        if visibleDepth > 0, frames[visibleDepth - 1].params[name] != nil {
            frames[visibleDepth - 1].params[name] = .value(v)
            return
        }
        if v.isNull { vars.removeValue(forKey: name) } else { vars[name] = v }
    }

    /// What a null reference prints: its own text, or for a macro parameter bound to a caller's
    /// reference, the caller's text.
    func literal(_ ref: Ref) -> String {
        if ref.parts.isEmpty, visibleDepth > 0, case .expr(_, let source, _)? = frames[visibleDepth - 1].params[ref.name] {
            return source
        }
        return ref.source
    }

    func methodError(_ e: Error, _ ref: Ref) -> Error {
        if let j = e as? JavaException {
            return VelocityError.runtime("MethodInvocationException",
                                         "Invocation of method in \(ref.source) threw exception \(j.javaClass): \(j.message)")
        }
        return e
    }

    /// The value of a reference; nil when it (or any step of it) is null or unresolvable.
    func resolve(_ ref: Ref) throws -> VelocityValue? {
        guard var cur = try lookup(ref.name), !cur.isNull else { return nil }
        for part in ref.parts {
            switch part {
            case .property(let n):
                guard let v = JavaMethods.property(cur, n), !v.isNull else { return nil }
                cur = v
            case .method(let n, let argExprs):
                var args: [VelocityValue] = []
                args.reserveCapacity(argExprs.count)
                for a in argExprs { args.append(try value(a)) }
                let result: VelocityValue?
                do { result = try JavaMethods.call(cur, n, args) } catch { throw methodError(error, ref) }
                guard let v = result, !v.isNull else { return nil }
                cur = v
            case .index(let e):
                let idx = try value(e)
                guard let v = try JavaMethods.index(cur, idx, ref.source), !v.isNull else { return nil }
                cur = v
            }
        }
        return cur
    }

    // MARK: rendering

    func render(_ nodes: [Node]) throws {
        for node in nodes {
            switch node {
            case .text(let t):
                out += t
            case .ref(let r):
                try renderRef(r)
            case .prefixedRef(let r):
                if let v = try resolve(r) {
                    if case .object(let o) = v, o is BlockValue {} else { out += "$" }
                    try renderValue(v, r)
                } else if !aws {
                    out += "$"
                    if !r.quiet { out += literal(r) }
                }
            case .escapedRef(let r, let n):
                let v = try resolve(r)
                if let v {
                    out += String(repeating: "\\", count: n / 2)
                    if n % 2 == 1 { out += literal(r) } else { try renderValue(v, r) }
                } else {
                    // Velocity writes half the backslashes, plus one more for an escaped (odd) run,
                    // or for an even run the half twice before the null text: n/2+1 or n. When the
                    // null text is suppressed (quiet, or the AWS null handler) only one half remains.
                    if n % 2 == 1 {
                        out += String(repeating: "\\", count: n / 2 + 1)
                        out += literal(r)
                    } else if r.quiet || aws {
                        out += String(repeating: "\\", count: n / 2)
                    } else {
                        out += String(repeating: "\\", count: n)
                        out += literal(r)
                    }
                }
            case .set(let target, let e):
                try assign(target, e)
            case .ifChain(let branches, let elseBody):
                var taken = false
                for br in branches where try truth(br.condition) {
                    try render(br.body)
                    taken = true
                    break
                }
                if !taken, let elseBody { try render(elseBody) }
            case .foreach(let f):
                try foreach(f)
            case .macroCall(let c):
                try callMacro(c)
            case .define(let n, let body):
                setVar(n, .object(BlockValue(body: body, renderer: self)))
            case .evaluate(let e):
                try evaluate(e)
            case .breakDirective(let arg):
                guard let arg else { throw BreakSignal(target: nil) }
                let v = try value(arg)
                guard case .object(let o) = v, let scope = o as? ForeachScope else {
                    throw VelocityError.runtime("VelocityException", "#break: argument is not a scope")
                }
                throw BreakSignal(target: scope)
            case .stop:
                throw StopSignal()
            case .resource(let kind, let args):
                guard let first = args.first else {
                    throw VelocityError.runtime("VelocityException", "#\(kind)(): argument missing")
                }
                let v = try value(first)
                if v.isNull {
                    out += "<!-- \(kind) error : error with arg 0 please see log. see error log -->"
                } else {
                    throw VelocityError.runtime("ResourceNotFoundException", "Unable to find resource '\(Rendering.javaString(v))'")
                }
            case .nullPointer(let what):
                throw VelocityError.runtime("NullPointerException", "#\(what) without arguments")
            }
        }
    }

    func renderRef(_ r: Ref) throws {
        if let v = try resolve(r) {
            try renderValue(v, r)
        } else if !r.quiet && !aws {
            out += literal(r)
        }
    }

    func renderValue(_ v: VelocityValue, _ r: Ref) throws {
        if case .object(let o) = v, let block = o as? BlockValue {
            // A block rendered inside itself prints the reference text (Velocity's depth guard).
            if block.depth > 0 {
                if !r.quiet && !aws { out += literal(r) }
                return
            }
            try renderBlock(block)
            return
        }
        guard let text = Rendering.javaString(v, depth: 0) else {
            throw VelocityError.runtime("StackOverflowError", "\(literal(r)) nests collections more than \(Rendering.maxDepth) deep (a collection that contains itself?)")
        }
        out += text
        try Limits.check(length: out.utf8.count)
    }

    func renderBlock(_ block: BlockValue) throws {
        try enter()
        block.depth += 1
        defer { block.depth -= 1; nesting -= 1 }
        do { try render(block.body) } catch let b as BreakSignal where b.target == nil {}
    }

    func assign(_ target: Ref, _ e: Expr) throws {
        let v = try value(e)
        // A null right-hand side leaves the target untouched (1.7 default); a formal or quiet
        // left-hand side never assigns.
        if v.isNull || (target.parts.isEmpty && (target.formal || target.quiet)) { return }
        guard let last = target.parts.last else {
            setVar(target.name, v)
            return
        }
        let prefix = Ref(name: target.name, quiet: false, formal: false, parts: Array(target.parts.dropLast()), source: target.source)
        guard let holder = try resolve(prefix) else { return }
        switch last {
        case .property(let n):
            if case .map(let m) = holder { m.put(.string(n), v) }
        case .index(let ie):
            let idx = try value(ie)
            switch holder {
            case .map(let m):
                m.put(idx, v)
            case .list(let l):
                guard case .int(var i) = idx else { return }
                if i < 0 { i += l.items.count }
                guard i >= 0, i < l.items.count else {
                    throw VelocityError.runtime("MethodInvocationException", "Index: \(i), Size: \(l.items.count) in \(target.source)")
                }
                l.items[i] = v
            default:
                return
            }
        case .method:
            return
        }
    }

    func foreach(_ f: ForeachNode) throws {
        guard let iterExpr = f.iterable else { return }
        let coll = try value(iterExpr)
        let list: VelocityList
        var map: VelocityMap?
        switch coll {
        case .list(let l): list = l
        case .map(let m):
            list = VelocityList(m.orderedValues)
            map = m
        default: return
        }
        let savedVar = vars[f.variable]
        let savedCount = vars["velocityCount"]
        let savedHasNext = vars["velocityHasNext"]
        let savedScope = vars["foreach"]
        var parentScope: ForeachScope?
        if case .object(let o)? = savedScope { parentScope = o as? ForeachScope }
        let scope = ForeachScope(parent: parentScope)
        func restore(_ key: String, _ v: VelocityValue?) {
            if let v { vars[key] = v } else { vars.removeValue(forKey: key) }
        }
        defer {
            restore(f.variable, savedVar)
            restore("velocityCount", savedCount)
            restore("velocityHasNext", savedHasNext)
            restore("foreach", savedScope)
        }
        vars["foreach"] = .object(scope)
        let expectedMod = map?.modCount ?? list.modCount
        let backingListMod = list.backingList?.modCount
        let backingMapMod = list.backingMap?.modCount
        var cursor = 0
        // Java's ArrayList iterator: hasNext() is cursor != size, next() checks for modification.
        while cursor != list.items.count {
            let modified = (map.map { $0.modCount != expectedMod } ?? (list.modCount != expectedMod))
                || (list.backingList.map { $0.modCount != backingListMod } ?? false)
                || (list.backingMap.map { $0.modCount != backingMapMod } ?? false)
            if modified || cursor > list.items.count {
                throw VelocityError.runtime("ConcurrentModificationException", "collection modified while #foreach iterates it")
            }
            let item = list.items[cursor]
            cursor += 1
            let hasNext = cursor != list.items.count
            if item.isNull { vars.removeValue(forKey: f.variable) } else { vars[f.variable] = item }
            vars["velocityCount"] = .int(cursor)
            vars["velocityHasNext"] = .bool(hasNext)
            scope.index = cursor - 1
            scope.hasNext = hasNext
            do {
                try render(f.body)
            } catch let b as BreakSignal where b.target == nil || b.target === scope {
                break
            }
        }
    }

    func callMacro(_ c: MacroCallNode) throws {
        guard let def = macros[c.name] else {
            out += c.source
            return
        }
        try enter()
        defer { nesting -= 1 }
        let frame = MacroFrame()
        let callerDepth = visibleDepth
        for (i, p) in def.params.enumerated() where i < c.args.count {
            frame.params[p] = .expr(c.args[i], source: i < c.argSources.count ? c.argSources[i] : "", callerDepth: callerDepth)
        }
        if let body = c.body { frame.bodyContent = BlockValue(body: body, renderer: self) }
        frames.append(frame)
        visibleDepth = frames.count
        defer {
            frames.removeLast()
            visibleDepth = callerDepth
        }
        do { try render(def.body) } catch let b as BreakSignal where b.target == nil {}
    }

    func evaluate(_ e: Expr) throws {
        let v = try value(e)
        if v.isNull { return }
        let src = Rendering.javaString(v)
        var parser = Parser(src, name: name, macroNames: Set(macros.keys))
        let nodes = try parser.parseTemplate()
        for (k, m) in parser.macros where macros[k] == nil { macros[k] = m }
        try enter()
        defer { nesting -= 1 }
        do { try render(nodes) } catch is StopSignal {}
    }

    // MARK: expressions

    func value(_ e: Expr) throws -> VelocityValue {
        switch e {
        case .ref(let r): return try resolve(r) ?? .null
        case .string(let s): return .string(s)
        case .interpolated(let nodes):
            let text = try capture { try render(nodes) }
            try Limits.check(length: text.utf8.count)
            return .string(text)
        case .int(let i): return .int(i)
        case .bigInt(let d): return .bigInt(d)
        case .double(let d): return .double(d)
        case .bool(let b): return .bool(b)
        case .word(let w): return .string(w)
        case .list(let items):
            var vals: [VelocityValue] = []
            vals.reserveCapacity(items.count)
            for i in items { vals.append(try value(i)) }
            return .list(VelocityList(vals))
        case .map(let entries):
            let m = VelocityMap()
            for en in entries { m.put(try value(en.key), try value(en.value)) }
            return .map(m)
        case .range(let a, let b):
            return try range(value(a), value(b))
        case .binary(let op, let l, let r):
            // A long chain (1 + 1 + … ) is a deep tree: bound the recursion like macro nesting.
            exprDepth += 1
            defer { exprDepth -= 1 }
            if exprDepth > Renderer.maxExpressionDepth {
                throw VelocityError.runtime("StackOverflowError", "an expression nests more than \(Renderer.maxExpressionDepth) operations")
            }
            switch op {
            case .and, .or, .eq, .ne, .lt, .le, .gt, .ge: return .bool(try truth(e))
            case .add: return try add(l, r)
            case .sub, .mul, .div, .mod: return Arithmetic.apply(op, try value(l), try value(r))
            }
        case .not: return .bool(try truth(e))
        case .paren(let inner): return try value(inner)
        }
    }

    func range(_ a: VelocityValue, _ b: VelocityValue) throws -> VelocityValue {
        func bound(_ v: VelocityValue) -> Int? {
            switch v {
            case .int(let i): return i
            case .double(let d) where d.isFinite && abs(d) < 9e18: return Int(d)
            case .bigInt: return Int.max
            default: return nil
            }
        }
        guard let lo = bound(a), let hi = bound(b) else { return .null }
        guard lo >= Int(Int32.min), lo <= Int(Int32.max), hi >= Int(Int32.min), hi <= Int(Int32.max),
              abs(hi - lo) < 5_000_000 else {
            throw VelocityError.runtime("IllegalArgumentException", "range [\(lo)..\(hi)] is too large")
        }
        let items: [VelocityValue] = lo <= hi ? (lo...hi).map { .int($0) } : (hi...lo).reversed().map { .int($0) }
        return .list(VelocityList(items))
    }

    /// `+`: numbers add; if either side is a String both are concatenated, a null side
    /// contributing its reference text.
    func add(_ l: Expr, _ r: Expr) throws -> VelocityValue {
        let a = try value(l), b = try value(r)
        var aIsString = false, bIsString = false
        if case .string = a { aIsString = true }
        if case .string = b { bIsString = true }
        if aIsString || bIsString {
            func text(_ v: VelocityValue, _ e: Expr) -> String {
                if v.isNull { if case .ref(let ref) = e { return literal(ref) } else { return "null" } }
                return Rendering.javaString(v)
            }
            let joined = text(a, l) + text(b, r)
            try Limits.check(length: joined.utf8.count)
            return .string(joined)
        }
        return Arithmetic.apply(.add, a, b)
    }

    /// `==` in a condition; under API Gateway's settings null also equals "" (mapping.md §4.5 rule 50).
    func equals(_ a: VelocityValue, _ b: VelocityValue) -> Bool {
        if nullEqualsEmpty {
            if a.isNull, case .string("") = b { return true }
            if b.isNull, case .string("") = a { return true }
        }
        return Arithmetic.javaEquals(a, b)
    }

    /// Truth in a condition. Only references, booleans, comparisons and logic can be true:
    /// a literal or an arithmetic node is false in Velocity 1.7 (`#if(1)` is false).
    func truth(_ e: Expr) throws -> Bool {
        exprDepth += 1
        defer { exprDepth -= 1 }
        if exprDepth > Renderer.maxExpressionDepth {
            throw VelocityError.runtime("StackOverflowError", "an expression nests more than \(Renderer.maxExpressionDepth) operations")
        }
        switch e {
        case .bool(let b): return b
        case .ref(let r):
            guard let v = try resolve(r) else { return false }
            if case .bool(let b) = v { return b }
            return true
        case .paren(let inner): return try truth(inner)
        case .not(let inner): return try !truth(inner)
        case .binary(let op, let l, let r):
            switch op {
            case .and: return try truth(l) && truth(r)
            case .or: return try truth(l) || truth(r)
            case .eq: return equals(try value(l), try value(r))
            case .ne: return !equals(try value(l), try value(r))
            case .lt, .le, .gt, .ge:
                guard let c = Arithmetic.compare(try value(l), try value(r)) else { return false }
                switch op {
                case .lt: return c < 0
                case .le: return c <= 0
                case .gt: return c > 0
                default: return c >= 0
                }
            default: return false
            }
        default: return false
        }
    }
}
