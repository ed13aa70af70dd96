import CShims
import Foundation
import Gateway
import GatewayModel

/// `traffic`: many requests on the virtual clock, counted by outcome (issue 6's load simulation). The
/// simulation itself is `GatewayEnvironment.runTraffic` (Gateway/Traffic.swift); this parses and prints.
extension ShellSession {
    static let trafficUsage = "usage: traffic METHOD PATH [-H 'K: V']... [-d BODY] [--key API_KEY] --rate PER_SECOND (--duration D | --count N) [--clients N] [--arrival constant|poisson|bursts:N] [--retries N [--backoff exponential|fixed] [--base D] [--cap D] [--jitter none|full|equal|decorrelated]] [--seed N]"

    func traffic(_ args: [String]) throws {
        guard stepper == nil else { throw ShellError("a request is being stepped", hint: "finish it with `continue` or abandon it with `quit`") }
        let usage = Self.trafficUsage
        var retry = RetryPolicy()
        var requestArgs: [String] = []
        var rate: Double?
        var length: TrafficPlan.Length?
        var clients = 1
        var arrival = TrafficPlan.Arrival.constant
        var seed: UInt64?
        var i = 0
        while i < args.count {
            let a = args[i]
            let options: Set = ["--rate", "--duration", "--count", "--clients", "--arrival", "--key", "--retries", "--backoff", "--base", "--cap", "--jitter", "--seed"]
            guard options.contains(a) else { requestArgs.append(a); i += 1; continue }
            guard i + 1 < args.count else { throw ShellError("\(a) needs a value", hint: usage) }
            let v = args[i + 1]
            i += 2
            switch a {
            case "--rate":
                // `4` or `4/s`.
                let number = v.hasSuffix("/s") ? String(v.dropLast(2)) : v
                guard let r = Double(number), r > 0, r <= 1_000_000 else { throw ShellError("--rate is requests per second per client, more than 0 (at most 1000000), e.g. 20 or 20/s", hint: usage) }
                rate = r
            case "--duration":
                guard length == nil else { throw ShellError("give --duration or --count, not both", hint: usage) }
                guard let d = VirtualClock.parseDuration(v), d > 0 else { throw ShellError("--duration is a duration such as 90s or 2m", hint: usage) }
                length = .duration(d)
            case "--count":
                guard length == nil else { throw ShellError("give --duration or --count, not both", hint: usage) }
                guard let n = Int(v), n > 0, n <= TrafficPlan.maxRequests else { throw ShellError("--count is a number of requests per client, 1 to \(TrafficPlan.maxRequests)", hint: usage) }
                length = .count(n)
            case "--clients":
                guard let n = Int(v), (1...TrafficPlan.maxClients).contains(n) else { throw ShellError("--clients is 1 to \(TrafficPlan.maxClients)", hint: usage) }
                clients = n
            case "--arrival":
                switch v {
                case "constant": arrival = .constant
                case "poisson": arrival = .poisson
                default:
                    guard v.hasPrefix("bursts:"), let n = Int(v.dropFirst("bursts:".count)), (1...10_000).contains(n) else {
                        throw ShellError("--arrival is constant, poisson or bursts:N (N requests together, N from 1 to 10000)", hint: usage)
                    }
                    arrival = .bursts(size: n)
                }
            case "--key":
                requestArgs += ["-H", "x-api-key: " + v]
            case "--retries":
                guard let n = Int(v), (0...20).contains(n) else { throw ShellError("--retries is 0 to 20", hint: usage) }
                retry.retries = n
            case "--backoff":
                guard v == "exponential" || v == "fixed" else { throw ShellError("--backoff is exponential or fixed", hint: usage) }
                retry.exponential = v == "exponential"
            case "--base", "--cap":
                guard let d = VirtualClock.parseDuration(v), d >= 0, d <= 3_600_000 else { throw ShellError("\(a) is a duration such as 100ms (at most 1h)", hint: usage) }
                if a == "--base" { retry.baseMillis = d } else { retry.capMillis = d }
            case "--jitter":
                guard let j = RetryPolicy.Jitter(rawValue: v) else { throw ShellError("--jitter is none, full, equal or decorrelated", hint: usage) }
                retry.jitter = j
            default:
                guard let n = UInt64(v) else { throw ShellError("--seed is a whole number", hint: usage) }
                seed = n
            }
        }
        guard let rate else { throw ShellError("--rate is required", hint: usage) }
        guard let length else { throw ShellError("give --duration or --count", hint: usage) }
        var plan = TrafficPlan(rate: rate, length: length)
        plan.clients = clients
        plan.arrival = arrival
        if let seed {
            retry.random = SplitMix64(seed: seed)
            plan.seed = seed
        }
        plan.retry = retry
        if let n = plan.plannedRequests, n > TrafficPlan.maxRequests {
            throw ShellError("that is \(n) requests; at most \(TrafficPlan.maxRequests)", hint: "lower --rate, --duration, --count or --clients")
        }
        // Each attempt is signed when it is sent, as SDK clients do (a signature older than 5 minutes is refused).
        let r = try parseRequest(requestArgs, command: "traffic", sign: false)
        let report = env.runTraffic(plan, r.request, interrupted: { self.isInterrupted() }, prepare: { self.signed($0) })
        if let last = report.last { lastExchange = last }
        lastTraffic = report
        printTraffic(report, plan)
    }

    func printTraffic(_ report: TrafficReport, _ plan: TrafficPlan) {
        typealias O = TrafficReport.Outcome
        if report.interrupted { print("interrupted after \(report.sent) requests") }
        let elapsed = Double(report.endMillis - report.startMillis) / 1000
        var shape = "\(Self.seconds(plan.rate))/s"
        if plan.clients > 1 { shape = "\(plan.clients) clients × " + shape }
        switch plan.arrival {
        case .constant: break
        case .poisson: shape += ", Poisson arrivals"
        case .bursts(let n): shape += ", bursts of \(n)"
        }
        print("\(report.sent) requests in \(Self.seconds(elapsed)) s of virtual time (\(shape)): \(report.requests(.ok)) ok, \(report.requests(.throttled)) throttled (429 Too Many Requests), \(report.requests(.quotaExceeded)) over quota (429 Limit Exceeded), \(report.requests(.forbidden)) forbidden (403), \(report.requests(.other)) other")
        if plan.retry.retries > 0 {
            print("retries (\(plan.retry.exponential ? "exponential" : "fixed"), jitter \(plan.retry.jitter.rawValue)): \(report.retried) requests retried, \(report.totalAttempts - report.sent) extra attempts, \(report.gaveUp) gave up")
        }
        print("latency with retry waits: p50 \(report.percentile(0.5)) ms, p90 \(report.percentile(0.9)) ms, p99 \(report.percentile(0.99)) ms, max \(report.latencies.max() ?? 0) ms")
        if let (n, at, type) = report.firstRefusal {
            print("first refusal: request \(n) at \(Self.seconds(Double(at) / 1000)) s, \(type.rawValue)")
        }
        if report.perSecond.count > 1 { Self.chart(report.perSecond).forEach { print($0) } }
        if !report.samples.isEmpty {
            print("execution log (CloudWatch), the first line of each refusal:")
            for s in report.samples { print("  \(s.line)\(s.count > 1 ? "  (and \(s.count - 1) more like it)" : "")") }
        }
        print("`trace` shows the last request; `usage` shows what is left of the keys' limits")
    }

    /// Attempts per virtual second as rows of marks: `#` ok, `T` throttled, `Q` over quota, `F` forbidden,
    /// `?` other. At most 20 rows (seconds grouped when the run is longer) and 50 marks (scaled).
    static func chart(_ perSecond: [[Int]]) -> [String] {
        let marks: [Character] = ["#", "T", "Q", "F", "?"]
        let width = max(1, (perSecond.count + 19) / 20)
        var rows: [(label: String, counts: [Int])] = []
        for first in stride(from: 0, to: perSecond.count, by: width) {
            let last = min(perSecond.count, first + width) - 1
            var counts = [Int](repeating: 0, count: marks.count)
            for s in first...last { for k in 0..<marks.count { counts[k] += perSecond[s][k] } }
            rows.append((width == 1 ? "\(first)s" : "\(first)-\(last + 1)s", counts))
        }
        let most = rows.map { $0.counts.reduce(0, +) }.max() ?? 0
        let scale = max(1, (most + 49) / 50)
        let labelWidth = rows.map(\.label.count).max() ?? 0
        var lines = ["attempts per \(width == 1 ? "second" : "\(width) seconds") (# ok, T throttled, Q over quota, F forbidden, ? other\(scale > 1 ? "; a mark is up to \(scale) attempts" : "")):"]
        for row in rows {
            var bar = ""
            for (k, n) in row.counts.enumerated() where n > 0 {
                bar += String(repeating: marks[k], count: max(1, (n + scale - 1) / scale))
            }
            let total = row.counts.reduce(0, +)
            lines.append("  " + String(repeating: " ", count: labelWidth - row.label.count) + row.label + " |" + bar + " \(total)")
        }
        return lines
    }

    static func seconds(_ v: Double) -> String { AWSLog.twoDecimals(v) }

    func isInterrupted() -> Bool { gwsh_interrupt_pending() != 0 }
}

/// `usage`: what is left of each API key's limits, like GetUsage (throttling.md §9) plus the token buckets.
extension ShellSession {
    func usage(_ args: [String]) throws {
        let plans = env.world.usagePlans
        guard !plans.isEmpty else { throw ShellError("the model has no usage plans", hint: "add usagePlans with apiKeys (MODEL.md)") }
        let now = env.clock.millis
        var shown = 0
        for plan in plans {
            for key in plan.apiKeys where args.isEmpty || args.contains(key.id) || args.contains(key.value) {
                shown += 1
                var line = "plan \(plan.id)  key \(key.id) (\(AWSLog.mask(key.value)))\(key.enabled ? "" : " disabled")"
                if let q = plan.quota {
                    let u = env.limiter.quotaUsage(planId: plan.id, keyId: key.id, q, now: now)
                    line += "  quota \(q.limit)/\(q.period): used \(u.used), remaining \(u.remaining)"
                }
                print(line)
                for st in plan.apiStages {
                    var throttles: [(String, ThrottleSettings)] = st.methodThrottles.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
                    if let t = plan.throttle { throttles.insert(("(plan)", t), at: 0) }
                    for (method, t) in throttles {
                        let bucketKey = method == "(plan)" ? nil : "key:\(plan.id):\(key.id):\(method)"
                        // The plan-level bucket is per method too: show the tokens of each method that used it.
                        let used = env.limiter.bucketKeys(prefix: "key:\(plan.id):\(key.id):").filter { k in
                            bucketKey.map { $0 == k } ?? !st.methodThrottles.keys.contains(where: { k.hasSuffix(":" + $0) })
                        }
                        let tokens = used.isEmpty ? "\(t.burstLimit) tokens (full)"
                            : used.map { k in "\(k.split(separator: ":").last ?? ""): \(Self.seconds(env.limiter.tokens(k, now: now) ?? 0)) tokens" }.joined(separator: ", ")
                        print("  \(st.apiId)/\(st.stage) \(method): rate \(Self.seconds(t.rateLimit))/s burst \(t.burstLimit) — \(tokens)")
                    }
                }
            }
        }
        if shown == 0 { throw ShellError("no API key '\(args.joined(separator: " "))'", hint: "keys: \(plans.flatMap(\.apiKeys).map(\.id).joined(separator: ", "))") }
    }
}
