import Foundation
import Gateway
import GatewayModel

/// An `expect` that did not hold: the session fails, with what was expected and found.
struct ExpectationFailure: Error { var message: String }

/// The exchange as one JSON document that `inspect` and `expect` navigate with `a.b[0].c` paths.
enum ExchangeView {
    static func headersObject(_ h: HeaderFields) -> JSONValue {
        .object(JSONObject(h.grouped.map { ($0.name, .string($0.values.joined(separator: ", "))) }))
    }

    static func bodyValue(_ bytes: [UInt8]?) -> JSONValue {
        guard let bytes else { return .null }
        return .string(String(decoding: bytes, as: UTF8.self))
    }

    static func snapshot(_ x: Exchange) -> JSONValue {
        var root = JSONObject()
        root["request"] = .obj([
            "method": .string(x.request.method), "path": .string(x.request.rawPath), "host": .string(x.host),
            "headers": headersObject(x.request.headers),
            "query": .object(JSONObject(x.query.map { ($0.name, .string($0.value)) })),
            "body": bodyValue(x.request.body), "requestId": .string(x.requestId),
        ])
        root["methodRequest"] = .obj(["headers": headersObject(x.methodRequestHeaders)])
        if let r = x.resourcePath {
            root["route"] = .obj([
                "resource": .string(r), "resourceId": .string(x.resourceId ?? ""), "method": .string(x.httpMethod ?? ""),
                "pathParameters": .object(JSONObject(x.pathParameters.map { ($0.name, .string($0.value)) })),
                "stage": .string(x.stageName ?? ""), "api": .string(x.apiId ?? ""),
            ])
        }
        if let e = x.lambdaEvent { root["event"] = e }
        var integration = JSONObject()
        if let b = x.integrationRequestBody { integration["requestBody"] = .string(b) }
        if let s = x.integrationStatus { integration["status"] = .string(s) }
        if let b = x.integrationResponseBody { integration["responseBody"] = .string(b) }
        if let id = x.lambdaRequestId { integration["lambdaRequestId"] = .string(id) }
        if let r = x.lambdaResult { integration["functionLogs"] = .array(r.logs.map(JSONValue.string)) }
        if !integration.isEmpty { root["integration"] = .object(integration) }
        if let r = x.response {
            root["response"] = .obj(["status": .int(r.status), "headers": headersObject(r.headers), "body": .string(r.bodyText)])
        }
        root["trace"] = .array(x.trace.map { e in
            .obj(["stage": .string(e.stage.rawValue), "summary": .string(e.summary),
                  "fields": .object(JSONObject(e.fields.map { ($0.key, .string($0.value)) }))])
        })
        root["log"] = .array(ExecutionLog.messages(x).map(JSONValue.string))
        return .object(root)
    }

    /// Splits `a.b[0]["x.y"].c` into components.
    static func components(_ path: String) -> [String] { JSONValue.pathComponents(path) }

    /// Follows a path; object keys match exactly, else case-insensitively (header names).
    static func lookup(_ v: JSONValue, _ comps: [String]) -> JSONValue? { v.at(comps, caseInsensitiveKeys: true) }

    /// How a found value reads in messages and comparisons: strings without quotes, the rest as JSON.
    static func text(_ v: JSONValue) -> String {
        if case .string(let s) = v { return s }
        return v.serialized()
    }
}

extension ShellSession {
    func inspect(_ args: [String]) throws {
        guard let x = stepper?.exchange ?? lastExchange else {
            throw ShellError("no request to inspect", hint: "send or step one first")
        }
        let root = ExchangeView.snapshot(x)
        guard let path = args.first else {
            print("parts: " + (root.objectValue?.keys.joined(separator: ", ") ?? ""))
            return
        }
        guard let v = ExchangeView.lookup(root, ExchangeView.components(path)) else {
            throw ShellError("nothing at \(path)", hint: "top-level parts: " + (root.objectValue?.keys.joined(separator: ", ") ?? ""))
        }
        switch v {
        case .object, .array: print(JSONPretty.render(v))
        default: print(ExchangeView.text(v))
        }
    }

    /// `expect WHAT [OP VALUE]` (SESSIONS.md grammar). `raw` is the text after `expect`, so that a quoted
    /// VALUE keeps its JSON escapes.
    func expect(raw: String) throws {
        var rest = Substring(raw.trimmingCharacters(in: .whitespaces))
        func word() -> String {
            rest = rest.drop { $0 == " " }
            let w = rest.prefix { $0 != " " }
            rest = rest.dropFirst(w.count)
            return String(w)
        }
        let subject = word()
        guard !subject.isEmpty else { throw ShellError("usage: expect WHAT [OP VALUE]", hint: "e.g. expect status == 200; see `help expect`") }
        var label = subject
        let found: String?
        if subject == "exit" {
            guard let code = lastExitCode else { throw ShellError("no curl, dig or openssl run to check", hint: "run one first, e.g. curl https://www.example.com/") }
            found = String(code)
        } else if subject.hasPrefix("traffic") {
            guard let report = lastTraffic else { throw ShellError("no traffic run to check", hint: "run `traffic` first") }
            let field = subject.hasPrefix("traffic.") ? String(subject.dropFirst("traffic.".count)) : ""
            guard let value = Self.trafficField(report, field) else {
                throw ShellError("cannot check '\(subject)'", hint: "expect traffic.FIELD with FIELD one of " + Self.trafficFields.joined(separator: ", "))
            }
            found = String(value)
        } else {
        guard let x = stepper?.exchange ?? lastExchange else {
            throw ShellError("no request to check", hint: "send one first")
        }
        switch subject {
        case "status":
            found = x.response.map { String($0.status) }
        case "header":
            let name = word()
            guard !name.isEmpty else { throw ShellError("usage: expect header NAME OP VALUE") }
            label += " " + name
            let values = x.response?.headers.values(name) ?? []
            found = values.isEmpty ? nil : values.joined(separator: ", ")
        case "trace":
            let target = word()
            let parts = target.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, let stage = StageName(rawValue: parts[0]) else {
                throw ShellError("usage: expect trace STAGE.FIELD OP VALUE",
                                 hint: "stages: " + StageName.allCases.map(\.rawValue).joined(separator: ", "))
            }
            label += " " + target
            found = x.trace.last { $0.stage == stage && $0.field(parts[1]) != nil }?.field(parts[1])
        case "log":
            label = "log"
            found = ExecutionLog.messages(x).joined(separator: "\n")
        default:
            guard subject == "body" || subject.hasPrefix("body.") || subject.hasPrefix("body[") else {
                throw ShellError("cannot check '\(subject)'", hint: "expect status | header NAME | body | body.PATH | trace STAGE.FIELD | log | traffic.FIELD")
            }
            let bodyText = x.response?.bodyText
            if subject == "body" {
                found = bodyText
            } else {
                let json = bodyText.flatMap { try? JSONValue.parse($0) }
                let comps = JSONValue.pathComponents(String(subject.dropFirst(4)))
                found = json.flatMap { ExchangeView.lookup($0, comps) }.map(ExchangeView.text)
            }
        }
        }
        var op = word()
        if op.isEmpty { op = "exists" }  // `expect status`: there is one
        let value: String
        rest = rest.drop { $0 == " " }
        if rest.hasPrefix("\"") {
            guard let v = try? JSONValue.parse(String(rest)), case .string(let s) = v else {
                throw ShellError("cannot read the quoted value \(rest)", hint: "a double-quoted value is a JSON string: escape \" and \\")
            }
            value = s
        } else {
            value = String(rest)
        }
        try ExpectCheck.check(label: label, found: found, op: op, value: value, isLog: subject == "log")
    }
}

extension ShellSession {
    static let trafficFields = ["sent", "ok", "throttled", "quotaExceeded", "forbidden", "other", "retried", "attempts", "gaveUp", "p50", "p90", "p99", "max"]

    /// A number of the last `traffic` run: its counts (requests by final outcome), retries and latencies (ms).
    static func trafficField(_ r: TrafficReport, _ field: String) -> Int64? {
        switch field {
        case "sent": return Int64(r.sent)
        case "ok": return Int64(r.requests(.ok))
        case "throttled": return Int64(r.requests(.throttled))
        case "quotaExceeded": return Int64(r.requests(.quotaExceeded))
        case "forbidden": return Int64(r.requests(.forbidden))
        case "other": return Int64(r.requests(.other))
        case "retried": return Int64(r.retried)
        case "attempts": return Int64(r.totalAttempts)
        case "gaveUp": return Int64(r.gaveUp)
        case "p50": return r.percentile(0.5)
        case "p90": return r.percentile(0.9)
        case "p99": return r.percentile(0.99)
        case "max": return r.latencies.max() ?? 0
        default: return nil
        }
    }
}

enum ExpectCheck {
    static func check(label: String, found: String?, op: String, value: String, isLog: Bool) throws {
        let shown = found.map { isLog ? "the execution log" : JSONValue.quoted($0) } ?? "nothing"
        func fail(_ why: String) -> ExpectationFailure {
            ExpectationFailure(message: "expect failed: \(label) \(op)\(value.isEmpty ? "" : " " + value)\n  found: \(why)")
        }
        switch op {
        case "exists":
            if found == nil { throw fail("nothing") }
        case "absent":
            if found != nil { throw fail(shown) }
        case "==", "!=":
            guard let f = found else { if op == "==" { throw fail("nothing") } else { return } }
            var equal = f == value
            if !isLog, let a = Double(f), let b = Double(value) { equal = a == b }
            if isLog { equal = f.split(separator: "\n").contains { String($0) == value } }
            if equal != (op == "==") { throw fail(shown) }
        case "contains":
            guard let f = found, f.contains(value) else { throw fail(found.map { isLog ? "no line containing it" : JSONValue.quoted($0) } ?? "nothing") }
        case "matches":
            guard let re = try? Regex(value) else { throw ShellError("invalid regular expression: \(value)") }
            let matched: Bool
            if let f = found {
                matched = isLog ? f.split(separator: "\n").contains { (try? re.wholeMatch(in: String($0))) != nil } : (try? re.wholeMatch(in: f)) != nil
            } else {
                matched = false
            }
            if !matched { throw fail(shown) }
        case "<", ">":
            guard let f = found, let a = Double(f), let b = Double(value) else {
                throw ShellError("\(op) compares numbers", hint: "found \(shown), value \(value)")
            }
            if !(op == "<" ? a < b : a > b) { throw fail(shown) }
        default:
            throw ShellError("unknown operator '\(op)'", hint: "one of == != contains matches exists absent < >")
        }
    }
}
