import GatewayModel

/// The REST pipeline, in AWS's order (rest-request-flow.md §1.1):
///
///     client ─▶ endpoint (host, stage segment, CloudFront headers)
///            ─▶ route (resource + method)
///            ─▶ auth (authorization type, resource policy)
///            ─▶ usage-plan (API key, throttle, quota)
///            ─▶ method-request (parameters, validation; "Starting execution")
///            ─▶ integration-request (template or Lambda proxy event)
///            ─▶ integration (MOCK, Lambda)
///            ─▶ integration-response (selection pattern, proxy response)
///            ─▶ method-response ─▶ client
///
/// Each stage reads and writes the `Exchange`, appends trace events and execution-log lines, and either
/// continues, finishes the exchange with a response, or throws a `GatewayFailure` that becomes a gateway
/// response. Nothing here prints.
public protocol PipelineStage: Sendable {
    var name: StageName { get }
    func run(_ x: inout Exchange, _ env: GatewayEnvironment) throws(GatewayFailure)
}

public enum RestPipeline {
    public static let stages: [any PipelineStage] = [
        EndpointStage(), RouteStage(), AuthStage(), UsagePlanStage(), MethodRequestStage(),
        IntegrationRequestStage(), IntegrationStage(), IntegrationResponseStage(), MethodResponseStage(),
    ]
}

/// Runs a request one stage at a time, so the shell can inspect the exchange between stages.
/// `send` is "step to the end".
public final class Stepper {
    public private(set) var exchange: Exchange
    let env: GatewayEnvironment
    let stages: [any PipelineStage]
    var index = 0

    public init(request: ClientRequest, env: GatewayEnvironment, stages: [any PipelineStage]? = nil,
                testInvoke: TestInvokeInput? = nil) {
        self.env = env
        self.stages = stages ?? (testInvoke != nil ? RestPipeline.stages : env.pipelineStages)
        let requestId = env.ids.uuid()
        let extended = env.ids.extendedRequestId()
        exchange = Exchange(request: request, requestId: requestId, extendedRequestId: extended, startMillis: env.clock.millis)
        exchange.testInvoke = testInvoke
    }

    public var isFinished: Bool { exchange.isFinished || index >= stages.count }

    /// What `back` restores: the exchange and the environment's clock, ids, token buckets, authorizer cache and role
    /// sessions as they were before a stage ran. The core is pure, so re-running from here gives the same answer —
    /// except for state a Lua plugin keeps for itself, which gwsh cannot rewind.
    struct Snapshot {
        var index: Int
        var exchange: Exchange
        var clock: VirtualClock
        var ids: IdGenerator
        var limiter: Limiter
        var authorizerCache: [String: CachedAuthorizerAnswer]
        var temporaryCredentials: [TemporaryCredentials]
    }
    private var snapshots: [Snapshot] = []
    /// Whether stages are snapshotted for `back` (stepping in the shell; off for plain sends, which never rewind).
    public var keepsSnapshots = false

    private func takeSnapshot() {
        snapshots.append(Snapshot(index: index, exchange: exchange, clock: env.clock, ids: env.ids, limiter: env.limiter,
                                  authorizerCache: env.authorizerCache, temporaryCredentials: env.temporaryCredentials))
    }

    /// Rewinds to before the last stage that ran; returns that stage, or nil at the start.
    @discardableResult
    public func back() -> StageName? {
        guard let s = snapshots.popLast() else { return nil }
        index = s.index
        exchange = s.exchange
        env.clock = s.clock
        env.ids = s.ids
        env.limiter = s.limiter
        env.authorizerCache = s.authorizerCache
        env.temporaryCredentials = s.temporaryCredentials
        return stages[index].name
    }

    /// The stages of this request, in order.
    public var stageOrder: [StageName] { stages.map(\.name) }

    /// How many stages `back` can undo.
    public var stagesRun: Int { snapshots.count }

    /// Changes the exchange in flight (the shell's `set`), recorded in the trace as the user's change.
    public func modify(_ what: String, _ change: (inout Exchange) -> Void) {
        change(&exchange)
        exchange.trace.append(TraceEvent(stage: nextStage ?? exchange.trace.last?.stage ?? .endpoint, millis: env.clock.millis,
                                         summary: "changed by hand: \(what)", why: "the shell's `set` while stepping; AWS would not have done this"))
    }

    /// The stage that `step()` runs next.
    public var nextStage: StageName? { isFinished ? nil : stages[index].name }

    /// Runs the next stage; returns the trace events it added.
    @discardableResult
    public func step() -> [TraceEvent] {
        let before = exchange.trace.count
        runStage()
        return Array(exchange.trace[min(before, exchange.trace.count)...])
    }

    /// Runs the next stage (or cancels), without collecting what it added.
    private func runStage() {
        guard !isFinished else { return }
        if env.isCancelled() {
            cancel()
            return
        }
        if keepsSnapshots { takeSnapshot() }
        let stage = stages[index]
        index += 1
        do {
            try applyHooks(.before, stage.name)
            if exchange.isFinished { return }
            try stage.run(&exchange, env)
            if !exchange.cancelled, exchange.unsupported == nil { try applyHooks(.after, stage.name) }
        } catch {
            fail(error, at: stage.name)
        }
    }

    /// Plugin stage hooks (`gateway.on`): latency, edits, a gateway failure, or an answer instead of the rest of the
    /// pipeline — each recorded in the trace as the plugin's doing. A hook that fails is noted and ignored.
    private func applyHooks(_ phase: HookPhase, _ stage: StageName) throws(GatewayFailure) {
        guard let hooks = env.hooks, hooks.hasHooks(phase, stage) else { return }
        for o in hooks.run(phase, stage, view: exchange.hookView(stage: stage, phase: phase), nowMillis: env.clock.millis) {
            let t = env.clock.millis
            if let e = o.error {
                exchange.trace.append(TraceEvent(stage: stage, millis: t, outcome: .failed, summary: "hook \(o.source) failed: \(e)",
                                                 why: "a plugin hook's error is ignored; the request goes on"))
                continue
            }
            var did: [String] = []
            if o.latencyMillis > 0 {
                env.clock.advance(millis: Int64(o.latencyMillis))
                did.append("+\(o.latencyMillis) ms")
            }
            for (path, value) in o.edits where ExchangeEdit.apply(path, value, to: &exchange) { did.append("\(path) = \(value)") }
            if !did.isEmpty || !o.logs.isEmpty {
                exchange.trace.append(TraceEvent(stage: stage, millis: env.clock.millis, summary: "hook \(o.source): " + (did.isEmpty ? "observed" : did.joined(separator: ", ")),
                                                 fields: o.logs.enumerated().map { ("log[\($0.offset)]", $0.element) },
                                                 why: did.isEmpty ? nil : "a plugin hook (fault injection); AWS would not do this"))
            }
            if let f = o.failure, let type = GatewayResponseType(rawValue: f) {
                throw GatewayFailure(type, why: "plugin hook \(o.source) fails the request with \(f) (fault injection; AWS would not do this)")
            }
            if let r = o.response {
                var headers = HeaderFields(r.headers)
                if !headers.contains("Content-Length") { headers.add("Content-Length", String(r.body.utf8.count)) }
                exchange.response = GatewayHTTPResponse(status: r.status, headers: headers, body: Array(r.body.utf8))
                exchange.trace.append(TraceEvent(stage: stage, millis: env.clock.millis, summary: "hook \(o.source) answers \(r.status)",
                                                 fields: [("status", String(r.status))], why: "a plugin hook answered instead of the rest of the pipeline (fault injection)"))
                return
            }
        }
    }

    public func runToEnd() {
        while !isFinished { runStage() }
    }

    /// Ctrl-C: the request ends with no response (PRODUCT.md: the trace ends `cancelled`).
    public func cancel() {
        guard !exchange.isFinished else { return }
        let stage = nextStage ?? .methodResponse  // the stage that did not run (read before the flag ends the request)
        exchange.cancelled = true
        exchange.trace.append(TraceEvent(stage: stage, millis: env.clock.millis, outcome: .cancelled,
                                         summary: "cancelled (Ctrl-C): no response"))
    }

    private func fail(_ f: GatewayFailure, at stage: StageName) {
        if exchange.http != nil { return failHttp(f, at: stage) }
        var x = exchange
        let builtIn = f.render()
        var status = builtIn.status, body = builtIn.body
        var extraHeaders: [(String, String)] = []
        var why = f.why
        if let api = x.apiId.flatMap({ env.restApi(id: $0) }), let c = f.customization(in: api) {
            // The model customises this response (rest-request-flow.md §3.1 rules 49–51, §3.2).
            let a = CustomGatewayResponse.answer(c, failure: f, builtIn: builtIn, x: x, env: env)
            status = a.status
            body = a.body
            extraHeaders = a.headers
            if !a.notes.isEmpty { why += "; " + a.notes.joined(separator: "; ") }
        }
        x.failure = f
        x.trace.append(TraceEvent(stage: stage, millis: env.clock.millis, outcome: .failed,
                                  summary: "\(status) \(f.type.rawValue)",
                                  fields: [("status", String(status)), ("type", f.type.rawValue), ("body", body)]
                                    + extraHeaders.map { ("header.\($0.0)", $0.1) },
                                  why: why))
        if let line = f.logLine { x.log.append(LogLine(millis: env.clock.millis, text: line)) }
        // A request that reached "Starting execution" ends its log with the status line.
        // Usage-plan refusals end with it too (throttling.md §8.3, §8.5 [REC L2, L8]).
        if x.log.contains(where: { $0.text.hasPrefix("Starting execution") }) || [.throttled, .quotaExceeded, .invalidApiKey].contains(f.type) {
            x.log.append(LogLine(millis: env.clock.millis, text: AWSLog.methodCompleted(status: status)))
        }
        // The 413's plain-text body is not JSON (rest-request-flow.md §3.3 rule 60; the exact text/ subtype is UNCONFIRMED).
        // A Test call's failure has only x-amzn-ErrorType (rule 73 [REC test-invoke-failure]).
        var headers = x.testInvoke != nil ? HeaderFields()
            : HeaderFields([("Content-Type", f.type == .requestTooLarge ? "text/plain" : "application/json")])
        // The trace id comes back on errors of the compact family (authorizer 401/403 [REC U1]), not on
        // integration-stage errors or an authorizer configuration error (rest-request-flow.md §4.1).
        let withTrace = f.type.defaults.family == .compact && f.type != .authorizerConfigurationError
        for (k, v) in ResponseHeaders.gateway(x, env, contentLength: body.utf8.count, error: true, traceId: withTrace) {
            headers.add(k, v)
        }
        if let et = f.errorTypeOverride ?? builtIn.errorType { headers.add("x-amzn-ErrorType", et) }
        // Headers from the customisation's responseParameters (assumption: after API Gateway's own, replacing a
        // header of the same name; AWS's order is UNCONFIRMED).
        for (k, v) in extraHeaders { headers.set(EdgeHeaders.remapped(k), v) }
        x.response = GatewayHTTPResponse(status: status, headers: headers, body: Array(body.utf8))
        exchange = x
    }
}

extension Stepper {
    /// An HTTP API's own answer: `{"message":"<reason>"}`, Content-Type application/json, apigw-requestid, and the
    /// CORS headers for an allowed origin — no x-amzn-ErrorType (http-api.md §2.3 rule 15, §5, §6.3 rule 8).
    private func failHttp(_ f: GatewayFailure, at stage: StageName) {
        var x = exchange
        let (status, message) = HttpApiErrors.answer(f)
        let body = "{\"message\":" + JSONValue.quoted(message) + "}"
        let cors = x.http?.api.cors.map { HttpCors.responseHeaders($0, x.request.headers) } ?? []
        x.failure = f
        x.trace.append(TraceEvent(stage: stage, millis: env.clock.millis, outcome: .failed, summary: "\(status) \(message)",
                                  fields: [("status", String(status)), ("type", f.type.rawValue), ("body", body)], why: f.why))
        x.response = GatewayHTTPResponse(status: status, headers: HttpResponseHeaders.error(body, cors: cors, extra: f.headers, x, env),
                                         body: x.request.method == "HEAD" ? [] : Array(body.utf8))
        exchange = x
    }
}

extension GatewayEnvironment {
    /// Sends one request through the whole pipeline.
    public func send(_ request: ClientRequest) -> Exchange {
        let s = Stepper(request: request, env: self)
        s.runToEnd()
        return s.exchange
    }
}
