import Foundation
import Gateway
import GatewayModel
import Testing

/// The load simulation behind `traffic` (issue 6): clients, arrival patterns, retries, concurrency on the
/// virtual clock, and its report.
@Suite struct TrafficTests {
    static let key = "k7Qp2Lx9Vb4Nw8Rt3Yc6Hd1Jm5Sz0Ga2UeF0yrv6"
    /// A key limited to 5/s with a burst of 10 (the seed's plan), and a slow backend with no limit at all.
    static let model = """
        backends:
          slow.internal: { status: 200, body: '{}', latencyMillis: 250 }
        restApis:
          - id: tr4ff1c000
            resources:
              /keyed:
                GET:
                  apiKeyRequired: true
                  integration: { type: MOCK, requestTemplates: { application/json: '{"statusCode": 200}' }, integrationResponses: { "200": {} } }
                  methodResponses: { "200": {} }
              /slow:
                GET:
                  integration: { type: HTTP_PROXY, httpMethod: GET, uri: "http://slow.internal/" }
            stages: [ { stageName: dev } ]
        usagePlans:
          - id: plan01
            apiStages: [ { apiId: tr4ff1c000, stage: dev } ]
            throttle: { rateLimit: 5, burstLimit: 10 }
            apiKeys: [ { id: k1, value: \(key) } ]
        """

    static let keyed = request("GET", "/dev/keyed", headers: [("x-api-key", key)])

    func plan(_ rate: Double, _ length: TrafficPlan.Length, clients: Int = 1, arrival: TrafficPlan.Arrival = .constant) -> TrafficPlan {
        var p = TrafficPlan(rate: rate, length: length)
        p.clients = clients
        p.arrival = arrival
        return p
    }

    /// The lesson's numbers: a full bucket of 10, refilling at 5/s; 20 requests a second for 2 s.
    @Test func oneClientOverTheLimit() throws {
        let e = try env(Self.model)
        let r = e.runTraffic(plan(20, .count(40)), Self.keyed)
        #expect(r.sent == 40)
        #expect(r.requests(.ok) + r.requests(.throttled) == 40)
        // 10 from the burst, then one every 200 ms over the 1.95 s: 9 more (at most 10).
        #expect((19...20).contains(r.requests(.ok)))
        #expect(r.perSecond.count == 2)
        #expect(r.perSecond.map { $0.reduce(0, +) } == [20, 20])
        #expect(r.samples.count == 1 && r.samples[0].type == .throttled && r.samples[0].count == r.requests(.throttled))
        #expect(r.samples[0].line.contains("Key throttle limit exceeded for Usage Plan ID plan01"))
        #expect(r.firstRefusal?.type == .throttled)
        #expect(e.clock.millis == VirtualClock.sessionStart.millis + 1950)
    }

    /// Three clients at 4/s share one key's bucket: together 12/s, and the key allows 10 + 5/s.
    @Test func clientsShareTheKey() throws {
        let e = try env(Self.model)
        let r = e.runTraffic(plan(4, .duration(10_000), clients: 3), Self.keyed)
        #expect(r.sent == 120)
        let ok = r.requests(.ok)
        #expect((58...61).contains(ok), "10 from the burst and about 5 a second for 10 s, got \(ok)")
        #expect(r.perSecond.allSatisfy { $0.reduce(0, +) == 12 })
    }

    /// Staggered constant clients: 3 clients at 1/s send at 0, 333 and 666 ms of each second.
    @Test func constantClientsAreStaggered() throws {
        let r = try env(Self.model).runTraffic(plan(1, .count(2), clients: 3), request("GET", "/dev/slow"))
        #expect(r.sent == 6)
        #expect(r.latencies.allSatisfy { $0 == 250 })
        // The last request goes out at 1,666 ms (the third client's second) and takes 250 ms.
        #expect(r.endMillis - r.startMillis == 1666 + 250)
    }

    /// Concurrency: one client's 250 ms backend call does not delay another's; a client's next request
    /// waits for its previous one (closed loop).
    @Test func latencyIsPerClient() throws {
        let e = try env(Self.model)
        let slow = request("GET", "/dev/slow")
        // 10/s per client is a request every 100 ms, but each takes 250 ms: a closed-loop client manages 4/s.
        let one = e.runTraffic(plan(10, .count(4)), slow)
        #expect(one.endMillis - one.startMillis == 4 * 250)
        let e2 = try env(Self.model)
        let four = e2.runTraffic(plan(10, .count(4), clients: 4), slow)
        #expect(four.sent == 16)
        // Four clients in parallel take (about) as long as one, not four times as long.
        #expect(four.endMillis - four.startMillis < 4 * 250 + 100)
    }

    /// Bursts: groups of N due together, one group every N/rate seconds.
    @Test func burstArrivals() throws {
        let e = try env(Self.model)
        let r = e.runTraffic(plan(5, .duration(10_000), arrival: .bursts(size: 10)), Self.keyed)
        #expect(r.sent == 50)
        #expect(r.perSecond.map { $0.reduce(0, +) } == [10, 0, 10, 0, 10, 0, 10, 0, 10])
        // Each burst of 10 finds the bucket refilled (2 s at 5/s).
        #expect(r.requests(.ok) == 50)
    }

    /// Poisson arrivals keep the mean rate and differ with the seed; the same seed repeats the run exactly.
    @Test func poissonArrivals() throws {
        func run(_ seed: UInt64) throws -> TrafficReport {
            var p = plan(50, .duration(60_000), arrival: .poisson)
            p.seed = seed
            return try env(Self.model).runTraffic(p, request("GET", "/dev/slow"))
        }
        // A closed-loop client waits 250 ms per request: at most 4/s whatever the arrivals, and the
        // duration ends the run in virtual time.
        let slow = try run(1)
        #expect(slow.sent == 60 * 4)
        #expect((60_000..<60_250).contains(slow.endMillis - slow.startMillis))
        // Below saturation the arrivals show: the same seed repeats the run, another differs.
        func run2(_ seed: UInt64) throws -> TrafficReport {
            var p = plan(2, .duration(60_000), arrival: .poisson)
            p.seed = seed
            return try env(Self.model).runTraffic(p, request("GET", "/dev/slow"))
        }
        let a = try run2(1), b = try run2(1), c = try run2(2)
        #expect(a.sent == b.sent && a.perSecond == b.perSecond && a.latencies == b.latencies)
        #expect(a.perSecond != c.perSecond)
        // Without latency the mean rate holds: 1,000 expected over 20 s at 50/s (±5 % is > 3 standard deviations).
        var p = plan(50, .duration(20_000), arrival: .poisson)
        p.seed = 3
        let open = try env(Self.model).runTraffic(p, request("GET", "/dev/none"))
        #expect((950...1050).contains(open.sent), "sent \(open.sent)")
    }

    /// Retries: each retried request is counted once, every attempt in the chart; with enough retries
    /// nothing is lost (the wait formulas: RetryPolicyTests).
    @Test func retriesCompleteTheWork() throws {
        var p = plan(20, .count(40))
        p.retry.retries = 8
        p.retry.jitter = .full
        p.retry.random = SplitMix64(seed: 7)
        let r = try env(Self.model).runTraffic(p, Self.keyed)
        #expect(r.requests(.ok) == 40 && r.gaveUp == 0)
        #expect(r.totalAttempts == r.perSecond.joined().reduce(0, +))
        #expect(r.totalAttempts > 40 && r.retried > 0)
    }

    /// Giving up: with too few retries against a long refusal, the request ends throttled and is counted.
    @Test func givingUp() throws {
        var p = plan(1000, .count(30))
        p.retry.retries = 1
        p.retry.baseMillis = 1
        let r = try env(Self.model).runTraffic(p, Self.keyed)
        #expect(r.requests(.throttled) > 0)
        #expect(r.gaveUp == r.requests(.throttled))
    }

    /// Ctrl-C stops the run between attempts, keeping what was counted.
    @Test func interruption() throws {
        var polls = 0
        let r = try env(Self.model).runTraffic(plan(10, .count(100)), Self.keyed) { polls += 1; return polls > 5 }
        #expect(r.interrupted && r.sent == 5)
    }

    @Test func plannedRequests() {
        #expect(plan(4, .count(10), clients: 3).plannedRequests == 30)
        #expect(plan(4, .duration(10_000), clients: 3).plannedRequests == 3 * 41)
        #expect(plan(4, .duration(10_000), arrival: .poisson).plannedRequests == nil)
    }
}
