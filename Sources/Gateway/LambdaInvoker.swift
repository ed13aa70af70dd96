import GatewayModel

/// How an integration calls a Lambda function. The pipeline is synchronous and pure, so this is too:
/// `invoke` blocks until the function answers. LuaHost implements it (Lua plugins), the conformance runner
/// implements it with declarative stand-ins, tests with closures. Gateway never imports LuaHost.
public protocol LambdaInvoker: AnyObject, Sendable {
    /// Whether a function of this name exists (AWS answers a configuration error otherwise).
    func hasFunction(_ name: String) -> Bool
    /// Runs the function on `invocation.payload` and reports what Lambda would.
    func invoke(_ invocation: LambdaInvocation) -> LambdaResult
    /// The function's configured timeout, if it has one of its own (else Lambda's default, 3 s).
    func functionTimeoutMillis(_ name: String) -> Int?
}

extension LambdaInvoker {
    public func functionTimeoutMillis(_ name: String) -> Int? { nil }
}

/// One call of a Lambda function.
public struct LambdaInvocation: Sendable {
    /// The function's name (`orders` in `lambda:orders` or in the function ARN).
    public var functionName: String
    /// The event as Lambda receives it: JSON text.
    public var payload: String
    /// The Lambda request id (`context.awsRequestId`), deterministic from the id seed.
    public var awsRequestId: String
    /// The function's ARN (`context.invokedFunctionArn`).
    public var functionArn: String
    /// The function's configured timeout in milliseconds (Lambda's default is 3 s).
    public var timeoutMillis: Int
    /// Virtual time of the call, milliseconds since the epoch.
    public var nowMillis: Int64

    public init(functionName: String, payload: String, awsRequestId: String, functionArn: String, timeoutMillis: Int, nowMillis: Int64) {
        self.functionName = functionName
        self.payload = payload
        self.awsRequestId = awsRequestId
        self.functionArn = functionArn
        self.timeoutMillis = timeoutMillis
        self.nowMillis = nowMillis
    }
}

/// What Lambda answered.
public enum LambdaOutcome: Sendable, Equatable {
    /// The function returned; `payload` is the exact bytes Lambda returns (JSON text of the return value).
    case success(payload: String)
    /// The function failed; `error` is Lambda's error object (`errorMessage`, `errorType`, `stackTrace`, …)
    /// and `kind` Lambda's `X-Amz-Function-Error` value (`Unhandled` for a raised error).
    case functionError(error: JSONValue, kind: String)
    /// The function ran past its timeout (for Lua: its instruction budget). Gateway turns this into
    /// Lambda's `Task timed out after N.00 seconds` function error.
    case timedOut(afterMillis: Int)
    /// Ctrl-C while the function ran: the request is cancelled, no response.
    case cancelled
}

public struct LambdaResult: Sendable, Equatable {
    public var outcome: LambdaOutcome
    /// Lines the function printed (its CloudWatch log), in order.
    public var logs: [String]
    /// Simulated duration in milliseconds (added to the virtual clock as integration latency).
    public var durationMillis: Int

    public init(outcome: LambdaOutcome, logs: [String] = [], durationMillis: Int = 0) {
        self.outcome = outcome
        self.logs = logs
        self.durationMillis = durationMillis
    }
}

extension LambdaInvoker {
    /// Calls `function` at the environment's virtual time with its own timeout (else Lambda's default), as every
    /// integration and authorizer does.
    func call(_ function: String, payload: String, requestId: String, _ env: GatewayEnvironment) -> LambdaResult {
        invoke(LambdaInvocation(functionName: function, payload: payload, awsRequestId: requestId,
                                functionArn: LambdaText.functionArn(region: env.world.region, account: env.world.account, function: function),
                                timeoutMillis: functionTimeoutMillis(function) ?? LambdaText.defaultTimeoutMillis, nowMillis: env.clock.millis))
    }
}

extension LambdaResult {
    /// How long API Gateway waits for this call: the function's simulated duration plus a fixed invoke overhead.
    var integrationLatencyMillis: Int { durationMillis + LambdaText.invokeOverheadMillis }
}

extension Exchange {
    /// Ctrl-C while a function or backend ran: no response, and the trace says where it stopped.
    mutating func cancelWhile(_ what: String, stage: StageName, millis: Int64) {
        cancelled = true
        trace.append(TraceEvent(stage: stage, millis: millis, outcome: .cancelled, summary: "cancelled (Ctrl-C) while \(what) ran: no response"))
    }
}
