import CShims
import Foundation
import Gateway
import GatewayModel

/// `traffic`: many requests on the virtual clock, counted by outcome (issue 6's load simulation: one client
/// at a constant rate, optionally retrying 429s with backoff and jitter).
///
/// The backoff formulas are the client-side ones of AWS's "Exponential Backoff And Jitter" (Architecture
/// Blog, 2015): exponential `min(cap, base·2^attempt)`; full jitter `random(0, that)`; equal jitter
/// `that/2 + random(0, that/2)`; decorrelated `min(cap, random(base, previous·3))`. Randomness is seeded.
struct RetryPolicy {
    enum Jitter: String { case none, full, equal, decorrelated }
    var retries = 0
    var exponential = true
    var baseMillis: Int64 = 100
    var capMillis: Int64 = 20_000
    var jitter = Jitter.none
    var random: UInt64 = 0x5EED

    /// SplitMix64: the same seed, the same waits.
    mutating func uniform(_ lo: Double, _ hi: Double) -> Double {
        random &+= 0x9E37_79B9_7F4A_7C15
        var z = random
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return lo + (hi - lo) * (Double(z >> 11) / Double(1 << 53))
    }

    /// The wait before retry number `attempt` (0-based), given the previous wait.
    mutating func wait(attempt: Int, previous: Int64) -> Int64 {
        let base = Double(baseMillis), cap = Double(capMillis)
        let grown = exponential ? min(cap, base * pow(2, Double(min(attempt, 60)))) : min(cap, base)
        let w: Double
        switch jitter {
        case .none: w = grown
        case .full: w = uniform(0, grown)
        case .equal: w = grown / 2 + uniform(0, grown / 2)
        case .decorrelated: w = min(cap, uniform(base, max(base, Double(previous) * 3)))
        }
        return max(0, Int64(w.rounded()))
    }
}

extension ShellSession {
    func traffic(_ args: [String]) throws {
        guard stepper == nil else { throw ShellError("a request is being stepped", hint: "finish it with `continue` or abandon it with `quit`") }
        let usage = "usage: traffic METHOD PATH [-H 'K: V']... [-d BODY] --rate PER_SECOND (--duration DURATION | --count N) [--retries N [--backoff exponential|fixed] [--base D] [--cap D] [--jitter none|full|equal|decorrelated] [--seed N]]"
        var policy = RetryPolicy()
        // Split our options from the request's.
        var requestArgs: [String] = []
        var rate: Double?
        var duration: Int64?
        var count: Int?
        var i = 0
        while i < args.count {
            let a = args[i]
            switch a {
            case "--rate", "--duration", "--count":
                guard i + 1 < args.count else { throw ShellError("\(a) needs a value", hint: usage) }
                let v = args[i + 1]
                if a == "--rate" {
                    guard let r = Double(v), r > 0, r <= 1_000_000 else { throw ShellError("--rate is requests per second, more than 0 (at most 1000000)", hint: usage) }
                    rate = r
                } else if a == "--duration" {
                    guard let d = VirtualClock.parseDuration(v), d > 0 else { throw ShellError("--duration is a duration such as 90s or 2m", hint: usage) }
                    duration = d
                } else {
                    guard let n = Int(v), n > 0, n <= 1_000_000 else { throw ShellError("--count is a number of requests, 1 to 1000000", hint: usage) }
                    count = n
                }
                i += 2
            case "--retries", "--backoff", "--base", "--cap", "--jitter", "--seed":
                guard i + 1 < args.count else { throw ShellError("\(a) needs a value", hint: usage) }
                let v = args[i + 1]
                switch a {
                case "--retries":
                    guard let n = Int(v), (0...20).contains(n) else { throw ShellError("--retries is 0 to 20", hint: usage) }
                    policy.retries = n
                case "--backoff":
                    guard v == "exponential" || v == "fixed" else { throw ShellError("--backoff is exponential or fixed", hint: usage) }
                    policy.exponential = v == "exponential"
                case "--base", "--cap":
                    guard let d = VirtualClock.parseDuration(v), d >= 0, d <= 3_600_000 else { throw ShellError("\(a) is a duration such as 100ms (at most 1h)", hint: usage) }
                    if a == "--base" { policy.baseMillis = d } else { policy.capMillis = d }
                case "--jitter":
                    guard let j = RetryPolicy.Jitter(rawValue: v) else { throw ShellError("--jitter is none, full, equal or decorrelated", hint: usage) }
                    policy.jitter = j
                default:
                    guard let n = UInt64(v) else { throw ShellError("--seed is a whole number", hint: usage) }
                    policy.random = n
                }
                i += 2
            default:
                requestArgs.append(a)
                i += 1
            }
        }
        guard let rate else { throw ShellError("--rate is required", hint: usage) }
        let interval = 1000 / rate  // milliseconds between requests (fractional)
        let total: Int
        if let count {
            total = count
        } else if let duration {
            total = max(1, Int((Double(duration) / interval).rounded(.down)))
        } else {
            throw ShellError("give --duration or --count", hint: usage)
        }
        guard total <= 1_000_000 else { throw ShellError("that is \(total) requests; at most 1000000", hint: "lower --rate or --duration") }
        let r = try parseRequest(requestArgs, command: "traffic")
        let start = env.clock.millis
        var ok = 0, throttled = 0, quota = 0, forbidden = 0, other = 0
        var attempts = 0, retried = 0, gaveUp = 0
        var latencies: [Int64] = []
        var firstRefusal: (Int, Int64, String)?
        var last: Exchange?
        for n in 0..<total {
            if isInterrupted() { print("interrupted after \(n) requests"); break }
            // A single client: the next request waits for the previous one (and its retries) to finish.
            let due = start + Int64((Double(n) * interval).rounded(.down))
            if env.clock.millis < due { env.clock.advance(millis: due - env.clock.millis) }
            let began = env.clock.millis
            var x = env.send(r.request)
            attempts += 1
            var previousWait = policy.baseMillis
            var attempt = 0
            while attempt < policy.retries, let f = x.failure, f.type == .throttled || f.type == .quotaExceeded {
                if attempt == 0 { retried += 1 }
                let w = policy.wait(attempt: attempt, previous: previousWait)
                previousWait = max(1, w)
                env.clock.advance(millis: w)
                x = env.send(r.request)
                attempts += 1
                attempt += 1
            }
            latencies.append(env.clock.millis - began)
            last = x
            let status = x.response?.status ?? 0
            switch (status, x.failure?.type) {
            case (200..<300, _): ok += 1
            case (_, .throttled?): throttled += 1
            case (_, .quotaExceeded?): quota += 1
            case (_, .invalidApiKey?): forbidden += 1
            default: other += 1
            }
            if attempt > 0, [.throttled, .quotaExceeded].contains(x.failure?.type) { gaveUp += 1 }
            if firstRefusal == nil, let f = x.failure, [.throttled, .quotaExceeded, .invalidApiKey].contains(f.type) {
                firstRefusal = (n + 1, x.startMillis - start, f.type.rawValue)
            }
        }
        if let last { lastExchange = last }
        let elapsed = Double(env.clock.millis - start) / 1000
        let sent = ok + throttled + quota + forbidden + other
        print("\(sent) requests in \(Self.seconds(elapsed)) s of virtual time (\(Self.seconds(rate))/s): \(ok) ok, \(throttled) throttled (429 Too Many Requests), \(quota) over quota (429 Limit Exceeded), \(forbidden) forbidden (403), \(other) other")
        if policy.retries > 0 {
            print("retries (\(policy.exponential ? "exponential" : "fixed"), jitter \(policy.jitter.rawValue)): \(retried) requests retried, \(attempts - sent) extra attempts, \(gaveUp) gave up")
        }
        let sorted = latencies.sorted()
        func pct(_ p: Double) -> Int64 { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)] }
        print("latency with retry waits: p50 \(pct(0.5)) ms, p90 \(pct(0.9)) ms, p99 \(pct(0.99)) ms, max \(sorted.last ?? 0) ms")
        if let (n, at, type) = firstRefusal {
            print("first refusal: request \(n) at \(Self.seconds(Double(at) / 1000)) s, \(type)")
        }
        print("`trace` shows the last request; `usage` shows what is left of the keys' limits")
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
