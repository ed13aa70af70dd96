import CShims
import Foundation
import Gateway
import GatewayModel

/// `traffic`: many requests on the virtual clock, counted by outcome (issue 6's load simulation, first slice:
/// one client at a constant rate, no retries).
extension ShellSession {
    func traffic(_ args: [String]) throws {
        guard stepper == nil else { throw ShellError("a request is being stepped", hint: "finish it with `continue` or abandon it with `quit`") }
        let usage = "usage: traffic METHOD PATH [-H 'K: V']... [-d BODY] --rate PER_SECOND (--duration DURATION | --count N)"
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
        var firstRefusal: (Int, Int64, String)?
        var last: Exchange?
        for n in 0..<total {
            if isInterrupted() { print("interrupted after \(n) requests"); break }
            let due = start + Int64((Double(n) * interval).rounded(.down))
            if env.clock.millis < due { env.clock.advance(millis: due - env.clock.millis) }
            let x = env.send(r.request)
            last = x
            let status = x.response?.status ?? 0
            switch (status, x.failure?.type) {
            case (200..<300, _): ok += 1
            case (_, .throttled?): throttled += 1
            case (_, .quotaExceeded?): quota += 1
            case (_, .invalidApiKey?): forbidden += 1
            default: other += 1
            }
            if firstRefusal == nil, let f = x.failure, [.throttled, .quotaExceeded, .invalidApiKey].contains(f.type) {
                firstRefusal = (n + 1, x.startMillis - start, f.type.rawValue)
            }
        }
        if let last { lastExchange = last }
        let elapsed = Double(env.clock.millis - start) / 1000
        let sent = ok + throttled + quota + forbidden + other
        print("\(sent) requests in \(Self.seconds(elapsed)) s of virtual time (\(Self.seconds(rate))/s): \(ok) ok, \(throttled) throttled (429 Too Many Requests), \(quota) over quota (429 Limit Exceeded), \(forbidden) forbidden (403), \(other) other")
        if let (n, at, type) = firstRefusal {
            print("first refusal: request \(n) at \(Self.seconds(Double(at) / 1000)) s, \(type)")
        }
        print("`trace` shows the last request; `usage` shows what is left of the keys' limits")
    }

    static func seconds(_ v: Double) -> String {
        let cents = Int64((v * 100).rounded())
        return "\(cents / 100).\(cents % 100 < 10 ? "0" : "")\(cents % 100)"
    }

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
