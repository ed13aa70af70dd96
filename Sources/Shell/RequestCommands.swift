import Foundation
import Gateway
import GatewayModel
import Policy

/// `send`, `step` and the stepping commands, `routes`, `clock`.
extension ShellSession {
    struct RequestArgs {
        var request: ClientRequest
        var include = false
        /// `send METHOD URL`: a request by URL, through DNS, TLS and the custom domains of the model.
        var url: String?
    }

    /// `-H 'Name: value'` (curl's form, also `send`'s).
    static func headerArgument(_ h: String) throws -> (String, String) {
        guard let colon = h.firstIndex(of: ":"), colon != h.startIndex else {
            throw ShellError("header '\(h)' is not 'Name: value'", hint: "-H 'Accept: application/json'")
        }
        return (String(h[..<colon]).trimmingCharacters(in: .whitespaces), String(h[h.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
    }

    /// The request of METHOD PATH [-H …] [-d …] [-i], signed by the current identity unless `sign` is false.
    func parseRequest(_ args: [String], command: String, sign: Bool = true) throws -> RequestArgs {
        guard args.count >= 2 else {
            throw ShellError("usage: \(command) METHOD PATH [-H 'K: V']... [-d BODY]" + (command == "send" ? " [-i]" : ""), hint: "e.g. \(command) GET /dev/orders/42")
        }
        let method = args[0].uppercased()
        let path = args[1]
        guard method.allSatisfy({ $0.isLetter }) else { throw ShellError("'\(args[0])' is not an HTTP method", hint: "e.g. GET, POST, PUT, DELETE") }
        let isURL = path.hasPrefix("http://") || path.hasPrefix("https://")
        if isURL, command != "send" {
            throw ShellError("\(command) takes a path on the current API, not a URL", hint: "send METHOD URL goes through DNS, TLS and custom domains; \(command) uses a path such as /dev/orders/42")
        }
        guard isURL || path.hasPrefix("/") else { throw ShellError("the path must start with '/': \(path)", hint: "e.g. /dev/orders/42 (the stage comes first)") }
        var headers = HeaderFields()
        var body: [UInt8]?
        var include = false
        var via: VpcEndpoint?
        var sourceIp: String?
        var i = 2
        while i < args.count {
            let a = args[i]
            switch a {
            case "-H", "--header":
                guard i + 1 < args.count else { throw ShellError("\(a) needs a value", hint: "-H 'Content-Type: application/json'") }
                let (name, value) = try Self.headerArgument(args[i + 1])
                headers.add(name, value)
                i += 2
            case "-d", "--data":
                guard i + 1 < args.count else { throw ShellError("\(a) needs a value", hint: "-d '{\"item\": \"book\"}'") }
                body = Array(args[i + 1].utf8)
                i += 2
            case "-i", "--include":
                include = true
                i += 1
            case "--via":
                // Through an interface VPC endpoint of the model (private APIs: reference/policy.md §3).
                let known = env.world.vpcEndpoints.map(\.vpcEndpointId)
                guard i + 1 < args.count else { throw ShellError("--via needs a VPC endpoint id", hint: known.isEmpty ? "the model has no vpcEndpoints" : "endpoints: " + known.joined(separator: ", ")) }
                guard let e = env.world.vpcEndpoint(id: args[i + 1]) else {
                    throw ShellError("no VPC endpoint '\(args[i + 1])' in the model",
                                     hint: known.isEmpty ? "add vpcEndpoints: [ { vpcEndpointId: vpce-1a2b3c4d, vpcId: vpc-1a2b3c4d, ownerId: \"222222222222\" } ]" : "endpoints: " + known.joined(separator: ", "))
                }
                via = e
                i += 2
            case "--from":
                guard i + 1 < args.count, CIDR.isAddress(args[i + 1]) else { throw ShellError("--from needs the client's IP address", hint: "--from 198.51.100.7") }
                sourceIp = args[i + 1]
                i += 2
            default:
                throw ShellError("unexpected argument '\(a)'", hint: "options: -H 'K: V', -d BODY, -i, --via VPCE_ID, --from IP")
            }
        }
        if isURL {
            return RequestArgs(request: ClientRequest(method: method, rawPath: path, headers: headers, body: body), include: include, url: path)
        }
        var request = ClientRequest(method: method, rawPath: path, headers: headers, body: body)
        if let via {
            request.sourceVpce = via.vpcEndpointId
            request.sourceVpc = via.vpcId
            // Inside a VPC the client has a private address (gwsh's default for a request through an endpoint).
            request.sourceIp = "10.0.1.25"
        }
        if let sourceIp { request.sourceIp = sourceIp }
        return RequestArgs(request: sign ? signed(request) : request, include: include)
    }

    func send(_ args: [String]) throws {
        guard stepper == nil else { throw ShellError("a request is being stepped", hint: "finish it with `continue` or abandon it with `quit`") }
        let r = try parseRequest(args, command: "send")
        if !breakpoints.isEmpty, r.url == nil {
            // With breakpoints, send steps: it runs until a breakpoint's stage, then waits for next/continue/set/back.
            let s = Stepper(request: r.request, env: env)
            s.keepsSnapshots = true
            stepper = s
            runToBreakpoint(s, announce: true)
            return
        }
        if let url = r.url {
            var u = URLRequest(method: r.request.method, url: url, headers: r.request.headers, body: r.request.body)
            guard u.parts != nil else { throw ShellError("'\(url)' is not a URL gwsh can send to", hint: "https://HOST/PATH") }
            if !u.headers.contains("User-Agent") { u.headers.add("User-Agent", "Mozilla/5.0") }
            sendURL(u, include: r.include)
            return
        }
        let start = env.clock.millis
        let x = env.send(r.request)
        lastExchange = x
        renderOutcome(x, elapsed: env.clock.millis - start, include: r.include)
    }

    func renderOutcome(_ x: Exchange, elapsed: Int64, include: Bool) {
        if x.cancelled { print("cancelled: no response (Ctrl-C)"); return }
        if let u = x.unsupported { print("error: not simulated: \(u)"); return }
        if let c = x.connectionError { print("error: no connection: \(c)"); return }
        guard let resp = x.response else { return }
        var detail: String
        if let f = x.failure {
            // The gateway response type, or the error type AWS sends where no type of its own applies.
            // HTTP APIs have no gateway response types: their own answers are just "gateway error".
            detail = f.errorTypeOverride ?? (f.type == .default4XX || f.type == .default5XX || x.http != nil ? "gateway error" : f.type.rawValue)
        } else {
            if let http = x.http {
                // HTTP APIs: the integration and the payload version, or the gateway's own preflight answer.
                detail = http.preflight ? "CORS preflight" : http.route?.integration.map { $0.type == "AWS_PROXY" ? "AWS_PROXY \($0.payloadFormatVersion)" : $0.type } ?? "?"
            } else {
                detail = Gateway.currentMethod(x, env)?.integration?.type.rawValue ?? "?"
            }
        }
        detail += ", \(elapsed) ms"
        var line = "\(resp.status) \(HTTPStatus.reason(resp.status))  (\(detail))"
        if !include, let ct = resp.headers["Content-Type"] { line += "  content-type: \(ct)" }
        print(line)
        if include { for (k, v) in resp.headers { print("\(k): \(v)") } }
        if !resp.body.isEmpty { print(resp.bodyText) }
    }

    // MARK: stepping

    func step(_ args: [String]) throws {
        guard stepper == nil else { throw ShellError("a request is already being stepped", hint: "`continue` or `quit` it first") }
        let r = try parseRequest(args, command: "step")
        let s = Stepper(request: r.request, env: env)
        s.keepsSnapshots = true
        stepper = s
        print("stepping \(r.request.method) \(r.request.rawPath)   (next | n, continue | c, inspect PATH | i PATH, quit | q)")
        advance()
    }

    /// Runs one stage and shows what it decided.
    func advance() {
        guard let s = stepper else { return }
        let events = s.step()
        for e in events { print(TraceRenderer.stepLine(e)) }
        finishIfDone()
    }

    func finishIfDone() {
        guard let s = stepper, s.isFinished else {
            if let next = stepper?.nextStage { print("  next: \(next.rawValue)") }
            return
        }
        stepper = nil
        lastExchange = s.exchange
        renderOutcome(s.exchange, elapsed: env.clock.millis - s.exchange.startMillis, include: false)
    }

    func runStepCommand(_ alias: StepAlias, _ args: [String]) throws {
        switch alias {
        case .inspect, .i:
            try inspect(args)
            return
        default: break
        }
        guard let s = stepper else {
            throw ShellError("no request is being stepped", hint: "start one with `step METHOD PATH`")
        }
        switch alias {
        case .next, .n: advance()
        case .continue, .c:
            // Runs past the current stage, then on to the next breakpoint or the end.
            if !s.isFinished { for e in s.step() { print(TraceRenderer.stepLine(e)) } }
            runToBreakpoint(s, announce: false)
        case .quit, .q:
            stepper = nil
            print("abandoned \(s.exchange.request.method) \(s.exchange.request.rawPath) before \(s.nextStage?.rawValue ?? "the end")")
        case .inspect, .i: break
        }
    }

    /// Runs stages until the next one is a breakpoint (then stops, stepping) or the request ends.
    func runToBreakpoint(_ s: Stepper, announce: Bool) {
        while !s.isFinished, let next = s.nextStage, !breakpoints.contains(next) {
            for e in s.step() where !announce { print(TraceRenderer.stepLine(e)) }
        }
        if let next = s.nextStage, !s.isFinished {
            print("stopped before \(next.rawValue) (breakpoint)   (next | n, continue | c, inspect PATH, set PATH VALUE, back, quit | q)")
            return
        }
        finishIfDone()
    }

    // MARK: debugger: break, set, back, diff

    func breakCommand(_ args: [String]) throws {
        guard !args.isEmpty else {
            print(breakpoints.isEmpty ? "no breakpoints" : "breakpoints: " + breakpoints.map(\.rawValue).joined(separator: ", "))
            return
        }
        for a in args {
            guard let stage = StageName(rawValue: a) else {
                throw ShellError("no stage '\(a)'", hint: "stages: " + StageName.allCases.map(\.rawValue).joined(separator: ", "))
            }
            if !breakpoints.contains(stage) { breakpoints.append(stage) }
        }
        print("send stops before: " + breakpoints.map(\.rawValue).joined(separator: ", "))
    }

    func unbreak(_ args: [String]) throws {
        if args.isEmpty || args == ["all"] {
            breakpoints = []
            print("no breakpoints")
            return
        }
        for a in args {
            guard let stage = StageName(rawValue: a), breakpoints.contains(stage) else {
                throw ShellError("no breakpoint at '\(a)'", hint: breakpoints.isEmpty ? "there are none" : "breakpoints: " + breakpoints.map(\.rawValue).joined(separator: ", "))
            }
            breakpoints.removeAll { $0 == stage }
        }
        print(breakpoints.isEmpty ? "no breakpoints" : "send stops before: " + breakpoints.map(\.rawValue).joined(separator: ", "))
    }

    func setCommand(_ args: [String]) throws {
        let usage = "set PATH VALUE — " + ExchangeEdit.paths.map(\.path).joined(separator: ", ")
        guard let s = stepper else { throw ShellError("set changes a request in flight, and none is being stepped", hint: "step METHOD PATH, or `break STAGE` then send") }
        guard args.count >= 2 else { throw ShellError("usage: " + usage) }
        let path = args[0], value = args.dropFirst().joined(separator: " ")
        guard let entry = ExchangeEdit.entry(path) else { throw ShellError("cannot set '\(path)'", hint: usage) }
        let order = s.stageOrder
        if let next = s.nextStage, let ni = order.firstIndex(of: next), let ri = order.firstIndex(of: entry.readBy), ni > ri {
            throw ShellError("\(path) was read by \(entry.readBy.rawValue), which has run", hint: "`back` to before \(entry.readBy.rawValue), then set it")
        }
        s.modify("\(path) = \(value)") { x in ExchangeEdit.apply(path, value, to: &x) }
        print("\(path) = \(value)   (\(entry.what))")
    }

    func back(_ args: [String]) throws {
        guard let s = stepper else { throw ShellError("back rewinds a request being stepped, and none is", hint: "step METHOD PATH") }
        let n = try args.first.map { a -> Int in
            guard let n = Int(a), n > 0 else { throw ShellError("back N: N is a number of stages, 1 or more") }
            return n
        } ?? 1
        var stage: StageName?
        for _ in 0..<n { if let b = s.back() { stage = b } }
        guard let stage else { throw ShellError("nothing to undo: no stage has run yet") }
        print("back before \(stage.rawValue) (virtual clock \(VirtualClock(millis: env.clock.millis).iso8601)); state a Lua plugin keeps is not rewound")
    }

    func diff(_ args: [String]) throws {
        guard args.isEmpty else { throw ShellError("usage: diff", hint: "diff compares the last two requests") }
        guard let b = lastExchange, let a = previousExchange else { throw ShellError("diff needs two requests", hint: "send two, then diff") }
        for line in Self.traceDiff(a, b) { print(line) }
    }

    /// The two requests stage by stage: `=` same decision, `-`/`+` the earlier and the later one's.
    static func traceDiff(_ a: Exchange, _ b: Exchange) -> [String] {
        func status(_ x: Exchange) -> String { x.response.map { "\($0.status) \(HTTPStatus.reason($0.status))" } ?? (x.connectionError != nil ? "no connection" : "no response") }
        var out = ["- \(a.request.method) \(a.request.rawPath)  →  \(status(a))", "+ \(b.request.method) \(b.request.rawPath)  →  \(status(b))"]
        var stages: [StageName] = []
        for e in a.trace + b.trace where !stages.contains(e.stage) { stages.append(e.stage) }
        for stage in stages {
            let left = a.trace.filter { $0.stage == stage }.map(\.summary), right = b.trace.filter { $0.stage == stage }.map(\.summary)
            let pad = stage.rawValue.padding(toLength: 21, withPad: " ", startingAt: 0)
            if left == right {
                for l in left { out.append("= \(pad)\(l)") }
            } else {
                for l in left { out.append("- \(pad)\(l)") }
                for r in right { out.append("+ \(pad)\(r)") }
            }
        }
        return out
    }

    // MARK: use, routes, clock

    func use(_ args: [String]) throws {
        // REST and HTTP APIs, as (id, name, description).
        let apis: [(id: String, name: String, what: String, url: String)] =
            env.world.restApis.map { api in
                (api.id, api.name, "REST, \(api.endpointType.rawValue), stages: \(api.stages.map(\.stageName).joined(separator: ", "))",
                 "https://\(api.id).execute-api.\(env.world.region).amazonaws.com/\(api.stages.first?.stageName ?? "STAGE")")
            } + env.world.httpApis.map { api in
                (api.apiId, api.name, "HTTP API, stages: \(api.stages.map(\.stageName).joined(separator: ", "))",
                 "https://\(api.apiId).execute-api.\(env.world.region).amazonaws.com/" + (api.defaultStage != nil ? "" : api.stages.first?.stageName ?? "STAGE"))
            }
        guard let wanted = args.first else {
            if apis.isEmpty { print("no API in the model") }
            for api in apis { print((api.id == env.currentApiId ? "* " : "  ") + "\(api.id)  \(api.name)  (\(api.what))") }
            return
        }
        guard args.count == 1 else { throw ShellError("usage: use [API]", hint: "one API id or name") }
        let matches = apis.filter { $0.id == wanted || $0.name == wanted }
        guard let api = matches.first else {
            throw ShellError("no API '\(wanted)' in the model", hint: "the model has: " + apis.map { "\($0.id) (\($0.name))" }.joined(separator: ", "))
        }
        guard matches.count == 1 else {
            throw ShellError("several APIs are named '\(wanted)'", hint: "use the id: " + matches.map(\.id).joined(separator: ", "))
        }
        env.currentApiId = api.id
        print("now sending to \(api.name) (\(api.id)): \(api.url)")
    }

    func routes() {
        if let api = env.currentHttpApi {
            let stages = api.stages.map(\.stageName).joined(separator: ", ")
            print("HTTP API \(api.name) (\(api.apiId)), stage\(api.stages.count == 1 ? "" : "s"): \(stages.isEmpty ? "none" : stages)" + (api.cors != nil ? ", CORS" : ""))
            let width = max(12, api.routes.map(\.routeKey.count).max() ?? 0)
            for r in api.routes {
                var integration = r.integration.map { i in i.type + (i.lambdaFunctionName.map { " lambda:\($0)" } ?? " " + i.uri) + (i.type == "AWS_PROXY" ? " (payload \(i.payloadFormatVersion))" : "") } ?? "(no integration)"
                if let mappings = r.integration?.responseParameters, !mappings.isEmpty { integration += "  responseParameters: " + mappings.map(\.status).joined(separator: ", ") }
                print("  " + r.routeKey.padding(toLength: width + 2, withPad: " ", startingAt: 0) + integration + (r.authorizationType == "NONE" ? "" : "  auth \(r.authorizationType)"))
            }
            return
        }
        guard let api = env.currentApi else { print("no API in the model"); return }
        let stages = api.stages.map(\.stageName).joined(separator: ", ")
        print("API \(api.name) (\(api.id)), \(api.endpointType.rawValue), stage\(api.stages.count == 1 ? "" : "s"): \(stages.isEmpty ? "none" : stages)")
        let width = max(12, api.resources.map(\.path.count).max() ?? 0)
        for r in api.resources {
            for m in r.methods {
                var integration = m.integration?.type.rawValue ?? "(no integration)"
                if let i = m.integration, let f = i.lambdaFunctionName { integration += " lambda:\(f)" }
                print("  " + m.httpMethod.padding(toLength: 8, withPad: " ", startingAt: 0)
                      + r.path.padding(toLength: width + 2, withPad: " ", startingAt: 0) + integration
                      + (m.authorizationType == "NONE" ? "" : "  auth \(m.authorizationType)") + (m.apiKeyRequired ? "  api key" : ""))
            }
        }
    }

    func clock(_ args: [String]) throws {
        switch args.first {
        case nil: break
        case "set":
            guard args.count == 2, let c = VirtualClock.parse(args[1]) else {
                throw ShellError("usage: clock set TIME", hint: "e.g. clock set 2026-03-05T12:00:00Z")
            }
            env.clock = c
        case "advance":
            guard args.count == 2, let d = VirtualClock.parseDuration(args[1]) else {
                throw ShellError("usage: clock advance DURATION", hint: "e.g. clock advance 1.5s (units ms, s, m, h, d)")
            }
            env.clock.advance(millis: d)
        default:
            throw ShellError("unknown clock subcommand '\(args[0])'", hint: "clock, clock set TIME, clock advance DURATION")
        }
        print("\(env.clock.iso8601)  (\(env.clock.javaDateString))")
    }
}
