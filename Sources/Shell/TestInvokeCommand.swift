import Foundation
import Gateway
import GatewayModel

/// `test-invoke`: the console's Test button (TestInvokeMethod, reference/rest-request-flow.md §5.1).
extension ShellSession {
    func testInvoke(_ args: [String]) throws {
        guard stepper == nil else { throw ShellError("a request is being stepped", hint: "finish it with `continue` or abandon it with `quit`") }
        let usage = "usage: test-invoke METHOD RESOURCE [PATH] [-H 'K: V']... [-d BODY] [-s NAME=VALUE]..."
        guard args.count >= 2 else { throw ShellError(usage, hint: "e.g. test-invoke GET /orders/{id} /orders/42") }
        guard let api = env.currentApi else { throw ShellError("the model has no REST API", hint: "load a model with restApis") }
        let method = args[0].uppercased()
        guard method.allSatisfy({ $0.isLetter }) else { throw ShellError("'\(args[0])' is not an HTTP method", hint: "e.g. GET, POST, ANY") }
        // RESOURCE: the resource's path as in the model, or its id.
        guard let resource = api.resources.first(where: { $0.path == args[1] || $0.id == args[1] }) else {
            let paths = api.resources.filter { !$0.methods.isEmpty }.map(\.path)
            throw ShellError("API \(api.name) has no resource '\(args[1])'",
                             hint: Suggest.closest(to: args[1], in: paths).map { "did you mean \($0)?" } ?? "resources: \(paths.joined(separator: ", "))")
        }
        var path: String?
        var headers = HeaderFields()
        var body: String?
        var stageVariables: [(name: String, value: String)] = []
        var i = 2
        if i < args.count, args[i].hasPrefix("/") { path = args[i]; i += 1 }
        while i < args.count {
            let a = args[i]
            guard i + 1 < args.count else { throw ShellError("\(a) needs a value", hint: usage) }
            let v = args[i + 1]
            switch a {
            case "-H", "--header":
                guard let colon = v.firstIndex(of: ":"), colon != v.startIndex else { throw ShellError("header '\(v)' is not 'Name: value'", hint: "-H 'Accept: application/json'") }
                headers.add(String(v[..<colon]).trimmingCharacters(in: .whitespaces), String(v[v.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
            case "-d", "--data": body = v
            case "-s", "--stage-variable":
                guard let eq = v.firstIndex(of: "="), eq != v.startIndex else { throw ShellError("stage variable '\(v)' is not NAME=VALUE", hint: "-s backend=orders-v2") }
                stageVariables.append((String(v[..<eq]), String(v[v.index(after: eq)...])))
            default: throw ShellError("unexpected argument '\(a)'", hint: usage)
            }
            i += 2
        }
        let start = env.clock.millis
        let input = TestInvokeInput(apiId: api.id, resourceId: resource.id, httpMethod: method, pathWithQueryString: path,
                                    headers: headers, body: body, stageVariables: stageVariables)
        switch env.testInvoke(input) {
        case .apiError(let status, let code, let message):
            // The Test call itself fails (rule 74): what the console shows for it.
            throw ShellError("TestInvokeMethod: \(status) \(code): \(message)",
                             hint: resource.methods.isEmpty ? "\(resource.path) has no methods"
                                : "methods of \(resource.path): \(resource.methods.map(\.httpMethod).joined(separator: ", "))")
        case .invoked(let x):
            lastExchange = x
            if x.cancelled { print("cancelled: no response (Ctrl-C)"); return }
            if let u = x.unsupported { print("error: not simulated: \(u)"); return }
            guard let r = x.response else { return }
            // The console's Test output, section by section.
            print("Request: \(path ?? resource.path)")
            print("Status: \(r.status)")
            print("Latency: \(env.clock.millis - start) ms")
            print("Response body:")
            print(r.body.isEmpty ? "(none)" : r.bodyText)
            print("Response headers:")
            var multi = JSONObject()
            for g in r.headers.grouped { multi[g.name] = .array(g.values.map(JSONValue.string)) }
            print(JSONValue.object(multi).serialized())
            print("Logs:")
            for line in ExecutionLog.awsFormat(x) { print(line) }
        }
    }
}
