import Foundation
import Yams

/// A parsed model document with a source location on every node, built from YAML (Yams) or from JSON.
/// The loader walks this tree, so that every error can point at file:line:column.
public indirect enum ModelNode: Sendable {
    /// A scalar; `plain` is false for quoted YAML scalars and JSON strings (they never read as numbers or booleans).
    case scalar(String, plain: Bool, SourceLocation)
    case mapping([(key: String, keyLocation: SourceLocation, value: ModelNode)], SourceLocation)
    case sequence([ModelNode], SourceLocation)
    case null(SourceLocation)

    public var location: SourceLocation {
        switch self {
        case .scalar(_, _, let l), .mapping(_, let l), .sequence(_, let l), .null(let l): return l
        }
    }

    var kindName: String {
        switch self {
        case .scalar(let s, let plain, _):
            if plain, Int(s) != nil { return "a number" }
            if plain, s == "true" || s == "false" { return "a boolean" }
            return "a string"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .null: return "nothing (null)"
        }
    }

    /// Parses YAML (JSON is YAML too). Syntax errors carry the line and column Yams reports.
    public static func parseYAML(_ text: String, file: String) throws(ModelError) -> ModelNode {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                return .mapping([], SourceLocation(file: file, line: 1, column: 1))
            }
            return convert(node, file: file)
        } catch let e as YamlError {
            throw yamlError(e, file: file)
        } catch {
            throw ModelError(SourceLocation(file: file, line: 1, column: 1), "could not read the file as YAML: \(error)")
        }
    }

    private static func yamlError(_ e: YamlError, file: String) -> ModelError {
        switch e {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var msg = "YAML syntax error: \(problem)"
            if let context { msg += " (\(context.text))" }
            return ModelError(SourceLocation(file: file, line: mark.line, column: mark.column), msg,
                              hint: "check the indentation and the quoting around this position")
        case .reader(let problem, _, _, _):
            return ModelError(SourceLocation(file: file, line: 1, column: 1), "could not read the file: \(problem)",
                              hint: "model files must be UTF-8 text")
        default:
            return ModelError(SourceLocation(file: file, line: 1, column: 1), "YAML error: \(e)")
        }
    }

    private static func convert(_ node: Node, file: String) -> ModelNode {
        let loc = node.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) } ?? .unknown(file)
        switch node {
        case .scalar(let s):
            if s.style == .plain, node.null != nil { return .null(loc) }
            return .scalar(s.string, plain: s.style == .plain, loc)
        case .mapping(let m):
            var pairs: [(key: String, keyLocation: SourceLocation, value: ModelNode)] = []
            for (k, v) in m {
                let kl = k.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) } ?? loc
                pairs.append((key: k.string ?? "\(k)", keyLocation: kl, value: convert(v, file: file)))
            }
            return .mapping(pairs, loc)
        case .sequence(let s):
            return .sequence(s.map { convert($0, file: file) }, loc)
        case .alias:
            return .null(loc)
        }
    }

    /// Builds a node tree from a JSON value (conformance cases carry their models as JSON).
    public static func fromJSON(_ v: JSONValue, file: String) -> ModelNode {
        let loc = SourceLocation.unknown(file)
        switch v {
        case .null: return .null(loc)
        case .bool(let b): return .scalar(b ? "true" : "false", plain: true, loc)
        case .int(let i): return .scalar(String(i), plain: true, loc)
        case .double(let d): return .scalar(JSONValue.double(d).serialized(), plain: true, loc)
        case .string(let s): return .scalar(s, plain: false, loc)
        case .array(let a): return .sequence(a.map { fromJSON($0, file: file) }, loc)
        case .object(let o): return .mapping(o.map { (key: $0.key, keyLocation: loc, value: fromJSON($0.value, file: file)) }, loc)
        }
    }

    /// The node as a JSON value (free-form parts of a model: policies, schemas, templates given as objects).
    public var json: JSONValue {
        switch self {
        case .null: return .null
        case .scalar(let s, let plain, _):
            guard plain else { return .string(s) }
            if s == "true" || s == "True" || s == "TRUE" { return .bool(true) }
            if s == "false" || s == "False" || s == "FALSE" { return .bool(false) }
            if let i = Int(s) { return .int(i) }
            if s.contains("."), let d = Double(s) { return .double(d) }
            return .string(s)
        case .sequence(let a, _): return .array(a.map(\.json))
        case .mapping(let m, _): return .object(JSONObject(m.map { ($0.key, $0.value.json) }))
        }
    }
}
