import Foundation
import Gateway
import GatewayModel

/// Runs recorded cases through the real pipeline and reports pass rates per family.
public struct ConformanceRunner {
    /// Families this build simulates. Any other family is reported `unsupported` and its cases skipped —
    /// never counted as passed (conformance README, "The runner").
    public static let supportedFamilies: Set<String> = ["proxy_event_v1", "proxy_response", "routing", "velocity", "vtl", "mock",
                                                        "selection_and_errors", "parameter_mapping", "http_integration", "request_validation", "gateway_responses",
                                                        "test_invoke", "api_keys", "http_api", "authorizers"]

    /// The `expect` keys this runner checks; any other key makes the case malformed (never silently skipped).
    static let knownChecks: Set<String> = ["status", "headers", "absentHeaders", "body", "function_event", "log", "headersContain",
                                           "backend_request", "multiValueHeaders", "apiError"]

    public enum Outcome: Sendable {
        case passed
        case failed([String])
        case malformed(String)
        /// The case needs a feature gwsh stops at as "not simulated yet" (a family implemented in part): counted
        /// as skipped with the reason, never as passed or failed.
        case unsupported(String)
    }

    public struct CaseResult: Sendable {
        public var testCase: ConformanceCase
        public var outcome: Outcome
    }

    public struct Report: Sendable {
        public var results: [CaseResult] = []
        public var unsupported: [String: Int] = [:]
        /// Cases of implemented families that need a feature not simulated yet.
        public var notSimulated: [CaseResult] = []
        public var fileErrors: [ConformanceFileError] = []

        public var passed: Int { results.filter { if case .passed = $0.outcome { return true } else { return false } }.count }
        public var failed: Int { results.filter { if case .failed = $0.outcome { return true } else { return false } }.count }
        public var malformed: Int { results.filter { if case .malformed = $0.outcome { return true } else { return false } }.count }
        public var skipped: Int { unsupported.values.reduce(0, +) }

        /// 0 no failure, 1 a case failed, 2 a file could not be read or a case is malformed.
        public var exitCode: Int32 { !fileErrors.isEmpty || malformed > 0 ? 2 : (failed > 0 ? 1 : 0) }

        /// `family: passed/total` per family, sorted, then the total line (conformance README).
        public func summaryLines() -> [String] {
            var families: [String: (Int, Int)] = [:]
            for r in results {
                var e = families[r.testCase.family] ?? (0, 0)
                e.1 += 1
                if case .passed = r.outcome { e.0 += 1 }
                families[r.testCase.family] = e
            }
            var lines: [String] = []
            for f in Set(families.keys).union(unsupported.keys).sorted() {
                if let (p, t) = families[f] {
                    lines.append("\(f): \(p)/\(t)" + (unsupported[f].map { ", \($0) not simulated yet (skipped)" } ?? ""))
                } else {
                    lines.append("\(f): unsupported (\(unsupported[f]!) cases)")
                }
            }
            lines.append("\(passed) passed, \(failed + malformed) failed, \(skipped) skipped")
            return lines
        }
    }

    public var familyFilter: String?
    public var caseFilter: String?

    public init(familyFilter: String? = nil, caseFilter: String? = nil) {
        self.familyFilter = familyFilter
        self.caseFilter = caseFilter
    }

    public func run(paths: [String]) -> Report {
        let (cases, errors) = ConformanceLoader.load(paths: paths)
        var report = Report(fileErrors: errors)
        for c in cases {
            if let familyFilter, c.family != familyFilter { continue }
            if let caseFilter, c.id != caseFilter { continue }
            guard Self.supportedFamilies.contains(c.family) else {
                report.unsupported[c.family, default: 0] += 1
                continue
            }
            let outcome = run(c)
            if case .unsupported = outcome {
                report.unsupported[c.family, default: 0] += 1
                report.notSimulated.append(CaseResult(testCase: c, outcome: outcome))
                continue
            }
            report.results.append(CaseResult(testCase: c, outcome: outcome))
        }
        return report
    }

    /// Runs one case from a fresh state: its model, new function stand-ins, the case's clock, id seed 0.
    public func run(_ c: ConformanceCase) -> Outcome {
        if c.family == "velocity" { return VelocityCaseRunner.run(c) }
        for key in c.expect.keys where !Self.knownChecks.contains(key) {
            return .malformed("expect.\(key) is a check this runner does not know")
        }
        guard var modelJSON = c.model else { return .malformed("the case has no model") }
        let via = c.raw["via"]?.stringValue
        guard via == nil || via == "test-invoke" else { return .malformed("via \(c.raw["via"]!.serialized()) is not supported by this runner") }
        if !c.backends.isEmpty {
            // The case's backends become the model's (gwsh's `backends` key has the corpus's shape).
            guard case .object(var o) = modelJSON else { return .malformed("model must be an object") }
            o["backends"] = .object(c.backends)
            modelJSON = .object(o)
        }
        let world: GatewayWorld
        do {
            world = try ModelLoader.load(node: ModelNode.fromJSON(modelJSON, file: c.id), file: c.id, baseDirectory: nil)
        } catch {
            return .failed(["the model did not load: \(error)"])
        }
        let functions: CaseFunctions
        do { functions = try CaseFunctions(c.functions) } catch { return .malformed(error.message) }
        // A test-invoke case may omit the path (pathWithQueryString is optional).
        guard let req = c.request, let method = req["method"]?.stringValue, let path = req["path"]?.stringValue ?? (via == "test-invoke" ? "" : nil) else {
            return .malformed("request needs method and path")
        }
        var headers = HeaderFields()
        for pair in req["headers"]?.arrayValue ?? [] {
            guard let p = pair.arrayValue, p.count == 2, let n = p[0].stringValue, let v = p[1].stringValue else {
                return .malformed("request.headers must be [name, value] pairs")
            }
            headers.add(n, v)
        }
        let clock = c.now.flatMap(VirtualClock.parse) ?? .sessionStart
        let env = GatewayEnvironment(world: world, clock: clock, seed: 0, lambda: functions)
        if via == "test-invoke" {
            // TestInvokeMethod on request.resourceId (conformance README, test-invoke cases).
            guard let resourceId = req["resourceId"]?.stringValue, let api = world.restApis.first else {
                return .malformed("a test-invoke case needs request.resourceId and a REST API")
            }
            let input = TestInvokeInput(apiId: api.id, resourceId: resourceId, httpMethod: method, pathWithQueryString: req["path"]?.stringValue,
                                        headers: headers, body: req["body"]?.stringValue)
            switch env.testInvoke(input) {
            case .apiError(let status, let code, let message):
                guard let want = c.expect["apiError"]?.objectValue else {
                    return .failed(["TestInvokeMethod failed: \(status) \(code) \(message)"])
                }
                var cmp = CaseComparison()
                cmp.json(expected: .object(want), actual: .obj(["status": .int(status), "code": .string(code), "message": .string(message)]), path: "apiError")
                return cmp.diffs.isEmpty ? .passed : .failed(cmp.diffs)
            case .invoked(let x):
                if c.expect["apiError"] != nil { return .failed(["apiError: expected the call to fail, it returned status \(x.response?.status ?? 0)"]) }
                if let u = x.unsupported { return .failed(["gwsh stopped: not simulated: \(u)"]) }
                guard let response = x.response else { return .failed(["no response (cancelled)"]) }
                return compare(c, response: response, exchange: x, functions: functions)
            }
        }
        let host = req["host"]?.stringValue ?? (world.restApis.first?.id ?? world.httpApis.first?.apiId).map { "\($0).execute-api.\(world.region).amazonaws.com" }
        if !headers.contains("Host"), let host { headers.add("Host", host) }  // the runner adds Host unless given
        var body: [UInt8]?
        if let b = req["body"]?.stringValue { body = Array(b.utf8) }
        if let b64 = req["bodyBase64"]?.stringValue {
            guard let d = Data(base64Encoded: b64) else { return .malformed("request.bodyBase64 is not base64") }
            body = Array(d)
        }
        let x = env.send(ClientRequest(method: method, rawPath: path, headers: headers, body: body, host: req["host"]?.stringValue))
        if let u = x.unsupported { return .unsupported(u) }
        guard let response = x.response else { return .failed(["no response (cancelled)"]) }
        return compare(c, response: response, exchange: x, functions: functions)
    }

    func compare(_ c: ConformanceCase, response: GatewayHTTPResponse, exchange x: Exchange, functions: CaseFunctions) -> Outcome {
        var cmp = CaseComparison()
        let ignore = c.ignore.map { JSONValue.pathComponents($0) }
        func stripped(_ v: JSONValue, under key: String) -> JSONValue {
            var v = v
            for comps in ignore where comps.first == key { v = v.removing(path: comps.dropFirst()[...]) }
            return v
        }
        let e = c.expect
        if let s = e["status"]?.intValue, s != response.status {
            cmp.diffs.append("status: expected \(s), got \(response.status)" + (x.failure.map { " (\($0.why))" } ?? ""))
        }
        if let hs = e["headers"]?.objectValue {
            for (name, v) in hs {
                let values = response.headers.values(name)
                cmp.text(expected: v.stringValue ?? v.serialized(), actual: values.isEmpty ? nil : values.joined(separator: ", "), path: "headers.\(name)")
            }
        }
        if let hc = e["headersContain"]?.objectValue {
            for (name, v) in hc {
                let got = response.headers.values(name).joined(separator: ", ")
                if let want = v.stringValue, !got.contains(want) {
                    cmp.diffs.append("headers.\(name): expected to contain \(JSONValue.quoted(want)), got \(JSONValue.quoted(got))")
                }
            }
        }
        for name in e["absentHeaders"]?.arrayValue?.compactMap(\.stringValue) ?? [] where response.headers.contains(name) {
            cmp.diffs.append("headers.\(name): expected absent, got \(JSONValue.quoted(response.headers[name]!))")
        }
        if let b = e["body"]?.objectValue {
            if let want = b["json"] {
                if let got = try? JSONValue.parse(bytes: response.body) {
                    cmp.json(expected: stripped(want, under: "body"), actual: stripped(got, under: "body"), path: "body")
                } else {
                    cmp.diffs.append("body: expected JSON \(want.serialized()), got \(JSONValue.quoted(response.bodyText))")
                }
            } else if let want = b["text"]?.stringValue {
                cmp.text(expected: want, actual: response.bodyText, path: "body")
            } else if let want = b["base64"]?.stringValue {
                let got = Data(response.body).base64EncodedString()
                if got != want { cmp.diffs.append("body: expected base64 \(want), got \(got)") }
            } else {
                return .malformed("expect.body needs json, text or base64")
            }
        }
        if let want = e["function_event"] {
            if let got = functions.lastEvent {
                cmp.json(expected: stripped(want, under: "function_event"), actual: stripped(got, under: "function_event"), path: "function_event")
            } else {
                cmp.diffs.append("function_event: the function was not invoked")
            }
        }
        if let want = e["backend_request"] {
            guard let w = want.objectValue else { return .malformed("expect.backend_request must be an object") }
            if let got = x.backendRequest {
                compareBackendRequest(w, got, &cmp)
            } else {
                cmp.diffs.append("backend_request: no backend was called")
            }
        }
        if let mv = e["multiValueHeaders"]?.objectValue {
            // TestInvokeMethod's multiValueHeaders: exactly these values for the names given.
            for (name, v) in mv {
                let values = response.headers.values(name)
                cmp.json(expected: v, actual: values.isEmpty ? nil : .array(values.map(JSONValue.string)), path: "multiValueHeaders.\(name)")
            }
        }
        if let lines = e["log"]?.arrayValue?.compactMap(\.stringValue) {
            cmp.log(expected: lines, actual: ExecutionLog.messages(x))
        }
        return cmp.diffs.isEmpty ? .passed : .failed(cmp.diffs)
    }

    /// `backend_request`: method, path and query structurally, headers as a subset, absentHeaders, body as text
    /// or `{"json": V}` (conformance README).
    func compareBackendRequest(_ w: JSONObject, _ got: BackendRequest, _ cmp: inout CaseComparison) {
        let g = got.json
        for key in ["method", "path", "query"] {
            if let e = w[key] { cmp.json(expected: e, actual: g[key], path: "backend_request.\(key)") }
        }
        for (name, v) in w["headers"]?.objectValue ?? JSONObject() {
            let values = got.headers.values(name)
            cmp.text(expected: v.stringValue ?? v.serialized(), actual: values.isEmpty ? nil : values.joined(separator: ", "),
                     path: "backend_request.headers.\(name)")
        }
        for name in w["absentHeaders"]?.arrayValue?.compactMap(\.stringValue) ?? [] where got.headers.contains(name) {
            cmp.diffs.append("backend_request.headers.\(name): expected absent, got \(JSONValue.quoted(got.headers[name]!))")
        }
        if let b = w["body"] {
            if let j = b.objectValue?["json"] {
                if let parsed = try? JSONValue.parse(got.body) {
                    cmp.json(expected: j, actual: parsed, path: "backend_request.body")
                } else {
                    cmp.diffs.append("backend_request.body: expected JSON \(j.serialized()), got \(JSONValue.quoted(got.body))")
                }
            } else {
                cmp.text(expected: b.stringValue ?? b.serialized(), actual: got.body, path: "backend_request.body")
            }
        }
    }
}
