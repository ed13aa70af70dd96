import Foundation

// The parsed form of a template. Immutable and Sendable: a template is parsed once and rendered
// many times, possibly from several tasks.

/// `$name.prop.method(args)[index]` as written; `source` is the exact text, which is what a
/// reference prints when its value is null in stock Velocity.
struct Ref: Sendable {
    let name: String
    let quiet: Bool
    let formal: Bool
    let parts: [RefPart]
    let source: String
}

enum RefPart: Sendable {
    case property(String)
    case method(String, [Expr])
    case index(Expr)
}

enum BinOp: Sendable {
    case or, and, eq, ne, lt, le, gt, ge, add, sub, mul, div, mod
}

struct MapLiteralEntry: Sendable {
    let key: Expr
    let value: Expr
}

indirect enum Expr: Sendable {
    case ref(Ref)
    case string(String)
    /// A double-quoted string holding `$` or `#`: a small template rendered at each evaluation.
    case interpolated([Node])
    case int(Int)
    case bigInt(Decimal)
    case double(Double)
    case bool(Bool)
    case list([Expr])
    case map([MapLiteralEntry])
    case range(Expr, Expr)
    case binary(BinOp, Expr, Expr)
    case not(Expr)
    case paren(Expr)
    /// A bare word in directive arguments (`in` of #foreach).
    case word(String)
}

struct IfBranch: Sendable {
    let condition: Expr
    let body: [Node]
}

struct ForeachNode: Sendable {
    let variable: String
    /// nil when the header is malformed in a way Velocity accepts but never iterates (`#foreach($i [1])`).
    let iterable: Expr?
    let body: [Node]
}

struct MacroCallNode: Sendable {
    let name: String
    let args: [Expr]
    /// Each argument as written: inside the macro a null or escaped parameter prints this text.
    let argSources: [String]
    /// The call as written: an undefined macro renders as its own text.
    let source: String
    /// The body of a `#@name(...)...#end` call.
    let body: [Node]?
}

struct MacroDefinition: Sendable {
    let name: String
    let params: [String]
    let body: [Node]
}

indirect enum Node: Sendable {
    case text(String)
    case ref(Ref)
    /// `$$x`: Velocity keeps the first `$` as a prefix of the reference `$x`; a #define block value
    /// renders without it.
    case prefixedRef(Ref)
    /// `\$x`: the number of backslashes decides between the literal text and the value.
    case escapedRef(Ref, backslashes: Int)
    case set(Ref, Expr)
    case ifChain([IfBranch], elseBody: [Node]?)
    case foreach(ForeachNode)
    case macroCall(MacroCallNode)
    case define(String, [Node])
    case evaluate(Expr)
    case breakDirective(Expr?)
    case stop
    case resource(String, [Expr])
    /// A directive Velocity accepts without arguments but fails on when rendering (`#foreach` alone).
    case nullPointer(String)
}
