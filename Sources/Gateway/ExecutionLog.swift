/// The execution-log renderers (PRODUCT.md, `trace --aws` / `trace --cloudwatch`; rest-request-flow.md §5).
public enum ExecutionLog {
    /// The messages of the endpoint's execution log, without prefixes (what conformance `log` checks compare).
    public static func messages(_ x: Exchange) -> [String] {
        x.log.filter { $0.scope != .cloudWatchOnly }.map(\.text)
    }

    /// The console Test button's line format: each line `Thu Mar 05 12:00:00 UTC 2026 : <message>`
    /// (rule 78), starting at the first message of the request as it went through the endpoint — so with the
    /// usage-plan lines a Test-button call skips, and without the CloudWatch-only lines (PRODUCT.md decisions).
    public static func awsFormat(_ x: Exchange) -> [String] {
        x.log.filter { $0.scope != .cloudWatchOnly }.map {
            $0.scope == .undated ? $0.text : "\(VirtualClock(millis: $0.millis).javaDateString) : \($0.text)"
        }
    }

    /// CloudWatch's format: `(<requestId>) <message>`, the CloudWatch-only lines and trailers included (rule 91–93).
    public static func cloudWatchFormat(_ x: Exchange) -> [String] {
        var lines = x.log.filter { $0.scope != .undated }.map { "(\(x.requestId)) \($0.text)" }
        if let lambdaId = x.lambdaRequestId, x.lambdaResult != nil {
            lines.append("(\(x.requestId)) " + AWSLog.integrationEndpointRequestId(lambdaId))
        }
        if !x.log.isEmpty {
            let root = x.traceRoot
            lines.append("(\(x.requestId)) " + AWSLog.xrayTracingId(root.replacingOccurrences(of: "Root=", with: "")))
        }
        return lines
    }
}
