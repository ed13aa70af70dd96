import Foundation
import Gateway
import GatewayModel

/// `compare METHOD PATH …`: one request to an HTTP API route's Lambda under payload 1.0 and 2.0, side by side —
/// the teaching view of the seed's HTTP API status-code case (issue 8; lambda-payloads.md §4.3).
///
/// Both runs use copies of the model with the matched route's payloadFormatVersion set, the current clock and the
/// same ids; the session's own state (clock, ids, last request) does not change.
extension ShellSession {
    func compare(_ args: [String]) throws {
        guard stepper == nil else { throw ShellError("a request is being stepped", hint: "finish it with `continue` or abandon it with `quit`") }
        guard let api = env.currentHttpApi else {
            throw ShellError("compare needs an HTTP API", hint: "REST APIs have one Lambda proxy format (1.0); load a model with httpApis, or `use` one")
        }
        let r = try parseRequest(args, command: "compare")
        // Which route takes the request (without running it).
        let probe = scratchEnvironment(api.apiId, world: env.world)
        let stepper = Stepper(request: r.request, env: probe)
        while !stepper.isFinished, stepper.exchange.http?.route == nil { stepper.step() }
        guard let route = stepper.exchange.http?.route else {
            throw ShellError("no route of \(api.name) takes \(r.request.method) \(r.request.rawPath)", hint: "`routes` lists them; `send` shows the 404")
        }
        guard let integration = route.integration, integration.type == "AWS_PROXY" else {
            throw ShellError("route \(route.routeKey) has no Lambda integration", hint: "payload versions apply to Lambda proxy integrations (HTTP_PROXY takes 1.0 only)")
        }
        var results: [(version: String, x: Exchange)] = []
        for version in ["1.0", "2.0"] {
            var world = env.world
            guard let ai = world.httpApis.firstIndex(where: { $0.apiId == api.apiId }),
                  let ri = world.httpApis[ai].routes.firstIndex(where: { $0.routeKey == route.routeKey }) else { continue }
            world.httpApis[ai].routes[ri].integration?.payloadFormatVersion = version
            let scratch = scratchEnvironment(api.apiId, world: world)
            results.append((version, scratch.send(r.request)))
        }
        print("\(r.request.method) \(r.request.rawPath) → route \(route.routeKey), Lambda \(integration.lambdaFunctionName ?? integration.uri) (the model says payload \(integration.payloadFormatVersion))")
        let width = 38
        func cell(_ s: String) -> String {
            let one = s.replacingOccurrences(of: "\n", with: "⏎")
            return one.count > width ? String(one.prefix(width - 1)) + "…" : one.padding(toLength: width, withPad: " ", startingAt: 0)
        }
        func row(_ label: String, _ a: String, _ b: String) {
            var line = label.padding(toLength: 14, withPad: " ", startingAt: 0) + cell(a) + "  " + cell(b)
            while line.last == " " { line.removeLast() }
            print(line)
        }
        guard results.count == 2 else { return }
        let (v1, v2) = (results[0].x, results[1].x)
        row("", "payload 1.0", "payload 2.0")
        row("status", status(v1), status(v2))
        row("content-type", v1.response?.headers["Content-Type"] ?? "", v2.response?.headers["Content-Type"] ?? "")
        row("body", v1.response?.bodyText ?? "", v2.response?.bodyText ?? "")
        if let answered = v2.integrationResponseBody ?? v1.integrationResponseBody {
            print("the function answered: " + (answered.count > 200 ? String(answered.prefix(197)) + "..." : answered))
        }
        for (version, x) in results {
            let reason = x.trace.last { $0.why != nil && ($0.stage == .integration || $0.outcome == .failed) }?.why
            if let reason { print("\(version): \(reason)") }
        }
    }

    private func status(_ x: Exchange) -> String {
        if let u = x.unsupported { return "not simulated: \(u)" }
        if let c = x.connectionError { return "no connection: \(c)" }
        guard let s = x.response?.status else { return "no response" }
        return "\(s) \(HTTPStatus.reason(s))"
    }

    /// A throw-away environment on `world` at the session's clock and ids, sending to `apiId`, with the session's Lua.
    private func scratchEnvironment(_ apiId: String, world: GatewayWorld) -> GatewayEnvironment {
        let scratch = GatewayEnvironment(world: world, clock: env.clock, seed: env.ids.seed, lambda: env.lambda)
        scratch.ids = env.ids
        scratch.currentApiId = apiId
        return scratch
    }
}
