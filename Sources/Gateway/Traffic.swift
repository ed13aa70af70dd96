import Foundation
import HeapModule

/// Load on the virtual clock (issue 6): several clients send the same request, each at its own rate with an
/// arrival pattern, optionally retrying 429s with backoff and jitter; every attempt goes through the whole
/// pipeline and its limiter chain. Deterministic: the same plan, model, clock and seeds, the same report.
///
/// Clients are closed-loop, like the worker threads of a real client: a client's next request goes out at
/// its arrival time or when its previous request (with all its retries) has finished, whichever is later.
/// Clients run concurrently: a discrete-event simulation orders every attempt by its send time, and the
/// clock is set to that time before the attempt (so one client's simulated latency does not delay another).
public struct TrafficPlan: Sendable {
    public enum Arrival: Sendable, Equatable {
        /// One request every 1/rate seconds; clients are staggered evenly over the first interval.
        case constant
        /// Exponentially distributed gaps with mean 1/rate (a Poisson process), seeded per client.
        case poisson
        /// Groups of `size` requests due together, one group every size/rate seconds (same mean rate).
        case bursts(size: Int)
    }
    public enum Length: Sendable, Equatable {
        /// Requests per client.
        case count(Int)
        /// Virtual milliseconds: each client sends what falls due before the end.
        case duration(Int64)
    }

    public var clients = 1
    /// Requests per second, per client.
    public var rate: Double
    public var arrival = Arrival.constant
    public var length: Length
    public var retry = RetryPolicy()
    /// Seeds the arrival pattern (jitter has its own seed in `retry`).
    public var seed: UInt64 = 0x5EED

    public init(rate: Double, length: Length) {
        self.rate = rate
        self.length = length
    }

    /// The most requests one run may send (memory and time stay bounded).
    public static let maxRequests = 1_000_000
    public static let maxClients = 10_000

    /// At most how many requests the plan sends (retries not counted), or nil when only a run can tell
    /// (Poisson arrivals over a duration; a run stops at `maxRequests`).
    public var plannedRequests: Int? {
        switch (length, arrival) {
        case (.count(let n), _): return n * clients
        case (.duration, .poisson): return nil
        case (.duration(let d), .constant): return clients * (Int((Double(d) * rate / 1000).rounded(.up)) + 1)
        case (.duration(let d), .bursts(let size)): return clients * (Int((Double(d) * rate / 1000).rounded(.up)) + size)
        }
    }
}

/// The client-side retry policy. The backoff formulas are those of AWS's "Exponential Backoff And Jitter"
/// (Architecture Blog, 2015): exponential `min(cap, base·2^attempt)`; full jitter `random(0, that)`; equal
/// jitter `that/2 + random(0, that/2)`; decorrelated `min(cap, random(base, previous·3))`. Randomness is seeded.
public struct RetryPolicy: Sendable {
    public enum Jitter: String, Sendable, CaseIterable { case none, full, equal, decorrelated }
    public var retries = 0
    public var exponential = true
    public var baseMillis: Int64 = 100
    public var capMillis: Int64 = 20_000
    public var jitter = Jitter.none
    public var random = SplitMix64(seed: 0x5EED)

    public init(retries: Int = 0, exponential: Bool = true, baseMillis: Int64 = 100, capMillis: Int64 = 20_000,
                jitter: Jitter = .none, seed: UInt64 = 0x5EED) {
        self.retries = retries
        self.exponential = exponential
        self.baseMillis = baseMillis
        self.capMillis = capMillis
        self.jitter = jitter
        self.random = SplitMix64(seed: seed)
    }

    /// The wait before retry number `attempt` (0-based), given the previous wait.
    public mutating func wait(attempt: Int, previous: Int64) -> Int64 {
        let base = Double(baseMillis), cap = Double(capMillis)
        let grown = exponential ? min(cap, base * pow(2, Double(min(attempt, 60)))) : min(cap, base)
        let w: Double
        switch jitter {
        case .none: w = grown
        case .full: w = random.uniform(0, grown)
        case .equal: w = grown / 2 + random.uniform(0, grown / 2)
        case .decorrelated: w = min(cap, random.uniform(base, max(base, Double(previous) * 3)))
        }
        return max(0, Int64(w.rounded()))
    }
}

/// What a run did: counts by outcome, latencies, outcomes per second, and sample log lines.
public struct TrafficReport: Sendable {
    /// How a request (after its retries) or an attempt ended.
    public enum Outcome: Int, Sendable, CaseIterable {
        case ok, throttled, quotaExceeded, forbidden, other

        init(_ x: Exchange) {
            switch (x.response?.status ?? 0, x.failure?.type) {
            case (200..<300, _): self = .ok
            case (_, .throttled?): self = .throttled
            case (_, .quotaExceeded?): self = .quotaExceeded
            case (_, .invalidApiKey?): self = .forbidden
            default: self = .other
            }
        }

        var isRetryable: Bool { self == .throttled || self == .quotaExceeded }
    }

    public var startMillis: Int64
    public var endMillis: Int64
    /// Requests sent (first attempts), by final outcome.
    public var requests = [Int](repeating: 0, count: Outcome.allCases.count)
    /// Every attempt (retries included), by outcome.
    public var attempts = [Int](repeating: 0, count: Outcome.allCases.count)
    public var retried = 0
    public var gaveUp = 0
    /// Per request: from its first attempt to the end of its last (retry waits included), milliseconds.
    public var latencies: [Int64] = []
    /// Attempts by the virtual second (since the start) they were sent in, by outcome.
    public var perSecond: [[Int]] = []
    /// The first refusal: request number (1-based, in send order), when (ms since start), and its type.
    public var firstRefusal: (request: Int, atMillis: Int64, type: GatewayResponseType)?
    /// For each refusal type seen: its first CloudWatch line (the one that names the limit) and how many.
    public var samples: [(type: GatewayResponseType, line: String, count: Int)] = []
    public var interrupted = false
    /// The last exchange to finish (for `trace`).
    public var last: Exchange?

    public var sent: Int { requests.reduce(0, +) }
    public var totalAttempts: Int { attempts.reduce(0, +) }
    public func requests(_ o: Outcome) -> Int { requests[o.rawValue] }

    /// The nearest-rank percentile of the latencies (0 when there are none).
    public func percentile(_ p: Double) -> Int64 {
        let sorted = latencies.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, max(0, Int((Double(sorted.count) * p).rounded(.up)) - 1))]
    }
}

extension GatewayEnvironment {
    /// Runs `plan` with `request`; `interrupted` is polled between attempts (Ctrl-C in the shell).
    /// `prepare` runs on the request before each attempt, at that attempt's virtual time (the shell signs there).
    public func runTraffic(_ plan: TrafficPlan, _ request: ClientRequest, interrupted: () -> Bool = { false },
                           prepare: (ClientRequest) -> ClientRequest = { $0 }) -> TrafficReport {
        var sim = TrafficSimulation(plan: plan, start: clock.millis)
        return sim.run(self, request, interrupted: interrupted, prepare: prepare)
    }
}

/// The discrete-event simulation behind `runTraffic`.
struct TrafficSimulation {
    /// An attempt due at `millis` from `client`; `sequence` keeps equal times in scheduling order.
    struct Event: Comparable {
        var millis: Int64
        var sequence: Int
        var client: Int
        static func < (a: Event, b: Event) -> Bool { (a.millis, a.sequence) < (b.millis, b.sequence) }
    }
    struct Client {
        var arrivals: SplitMix64
        /// Requests this client has started.
        var started = 0
        /// The arrival time of its next request (fractional ms, so constant rates do not drift).
        var nextDue: Double
        /// The request in flight: when it began, its retry count and previous wait.
        var began: Int64 = 0
        var attempt = 0
        var previousWait: Int64 = 0
        var inFlight = false
    }

    var plan: TrafficPlan
    var start: Int64
    var report: TrafficReport
    var heap = Heap<Event>()
    var sequence = 0
    var clients: [Client] = []
    var sampleIndex: [GatewayResponseType: Int] = [:]

    init(plan: TrafficPlan, start: Int64) {
        self.plan = plan
        self.start = start
        report = TrafficReport(startMillis: start, endMillis: start)
    }

    var interval: Double { 1000 / plan.rate }

    /// The gap before a client's request number `n` (its first is n = 0) under the arrival pattern.
    mutating func gap(_ c: Int, before n: Int) -> Double {
        switch plan.arrival {
        case .constant: return interval
        case .poisson: return -log(1 - clients[c].arrivals.uniform(0, 1)) * interval
        case .bursts(let size): return n % size == 0 ? interval * Double(size) : 0
        }
    }

    /// Whether a client may start request number `n` at `at` (ms since start): a duration ends the run in
    /// virtual time, however far behind its arrivals a slow client has fallen.
    func mayStart(_ n: Int, at: Int64) -> Bool {
        switch plan.length {
        case .count(let c): return n < c
        case .duration(let d): return at < d || n == 0
        }
    }

    mutating func schedule(_ client: Int, at millis: Int64) {
        heap.insert(Event(millis: millis, sequence: sequence, client: client))
        sequence += 1
    }

    /// Schedules a client's next request if it has one left.
    mutating func scheduleNext(_ c: Int, notBefore: Int64) {
        let at = max(notBefore, start + Int64(clients[c].nextDue.rounded(.down)))
        guard report.sent + heap.count < TrafficPlan.maxRequests, mayStart(clients[c].started, at: at - start) else { return }
        schedule(c, at: at)
    }

    mutating func run(_ env: GatewayEnvironment, _ request: ClientRequest, interrupted: () -> Bool, prepare: (ClientRequest) -> ClientRequest) -> TrafficReport {
        for c in 0..<plan.clients {
            clients.append(Client(arrivals: SplitMix64(seed: plan.seed &+ UInt64(c) &* 0x9E37_79B9), nextDue: 0))
            // Constant and burst clients are staggered evenly over one period; a Poisson client's first
            // arrival comes after an exponential gap, like every later one.
            switch plan.arrival {
            case .constant: clients[c].nextDue = interval * Double(c) / Double(plan.clients)
            case .bursts(let size): clients[c].nextDue = interval * Double(size) * Double(c) / Double(plan.clients)
            case .poisson: clients[c].nextDue = gap(c, before: 0)
            }
        }
        for c in 0..<plan.clients { scheduleNext(c, notBefore: start) }
        var retry = plan.retry
        while let e = heap.popMin() {
            if interrupted() { report.interrupted = true; break }
            // Every attempt happens at its own time, even when an earlier attempt's latency moved the clock on.
            env.clock.millis = e.millis
            let c = e.client
            if !clients[c].inFlight {
                clients[c].inFlight = true
                clients[c].began = e.millis
                clients[c].attempt = 0
                clients[c].previousWait = retry.baseMillis
                clients[c].started += 1
            }
            let x = env.send(prepare(request))
            // Cancelled mid-way (Ctrl-C reaches the pipeline too): not an outcome; the run stops.
            if x.cancelled { report.interrupted = true; break }
            let finished = env.clock.millis
            report.endMillis = max(report.endMillis, finished)
            let outcome = TrafficReport.Outcome(x)
            count(attempt: outcome, at: e.millis, x)
            if outcome.isRetryable, clients[c].attempt < retry.retries {
                if clients[c].attempt == 0 { report.retried += 1 }
                let w = retry.wait(attempt: clients[c].attempt, previous: clients[c].previousWait)
                clients[c].previousWait = max(1, w)
                clients[c].attempt += 1
                schedule(c, at: finished + w)
                continue
            }
            // The request is over.
            report.requests[outcome.rawValue] += 1
            if clients[c].attempt > 0, outcome.isRetryable { report.gaveUp += 1 }
            report.latencies.append(finished - clients[c].began)
            if report.firstRefusal == nil, let f = x.failure, [.throttled, .quotaExceeded, .invalidApiKey].contains(f.type) {
                report.firstRefusal = (report.sent, clients[c].began - start, f.type)
            }
            report.last = x
            clients[c].inFlight = false
            clients[c].nextDue += gap(c, before: clients[c].started)
            scheduleNext(c, notBefore: finished)
        }
        env.clock.millis = max(env.clock.millis, report.endMillis)
        return report
    }

    /// Counts one attempt in the per-second table and keeps the first log line of each refusal type.
    mutating func count(attempt outcome: TrafficReport.Outcome, at millis: Int64, _ x: Exchange) {
        report.attempts[outcome.rawValue] += 1
        let second = Int((millis - start) / 1000)
        while report.perSecond.count <= second { report.perSecond.append([Int](repeating: 0, count: TrafficReport.Outcome.allCases.count)) }
        report.perSecond[second][outcome.rawValue] += 1
        guard outcome != .ok, let f = x.failure else { return }
        if let i = sampleIndex[f.type] {
            report.samples[i].count += 1
        } else if let text = f.logLine ?? x.log.last(where: { !$0.text.hasPrefix("Method completed") })?.text {
            sampleIndex[f.type] = report.samples.count
            report.samples.append((f.type, "(\(x.requestId)) \(text)", 1))
        }
    }
}
