import Testing
@testable import Throttling

/// Regressions: bugs the first version of Sources/Throttling had (found by these tests), now fixed.
@Suite struct ThrottlingRegressions {
    /// millisUntilToken converts `(1 - have) / rate * 1000` to Int64 unchecked: a tiny positive rate (finite,
    /// accepted by init) makes that larger than Int64.max and the conversion traps.
    @Test func tinyRateMillisUntilTokenDoesNotTrap() async {
        do {
            await #expect(processExitsWith: .success) {
                var b = TokenBucket(rateLimit: 1e-16, burstLimit: 1, nowMillis: 0)
                _ = b.take(nowMillis: 0)
                _ = b.millisUntilToken(nowMillis: 0)   // 1e19 ms > Int64.max → trap
            }
        }
    }

    /// refill computes `nowMillis - lastMillis` in Int64: a bucket last seen before 1970 (negative millis)
    /// jumping to a far-future instant overflows and traps instead of capping at the burst.
    @Test func bigForwardJumpFromBefore1970DoesNotTrap() async {
        do {
            await #expect(processExitsWith: .success) {
                var b = TokenBucket(rateLimit: 5, burstLimit: 10, nowMillis: -1)
                b.refill(nowMillis: Int64.max)
                precondition(b.tokens == 10)
            }
        }
    }

    /// Refill is path-dependent: failed takes refill (and round) the stored tokens, so a client that polls
    /// every second gets its token later than one that waits. Rate 0.1/s: 10 s earn exactly 1 token
    /// (10 × 0.1), but ten 0.1 increments sum to 0.9999999999999999.
    @Test func pollingDoesNotDelayTheToken() {
        let start = emptied(rate: 0.1, burst: 1, at: 0)
        #expect(start.admits(nowMillis: 10_000))   // without polling: admitted at 10 s
        var polled = start
        for s in 1...9 {
            let ok = polled.take(nowMillis: Int64(s) * 1000)
            #expect(!ok)
        }
        do {
            let ok = polled.take(nowMillis: 10_000)
            #expect(ok, "tokens after polling: \(polled.tokens)")
        }
    }

    /// The brief's fractional case as a client sees it: rate 2.5/s, retrying at 100 ms and 399 ms (both
    /// refused) and again at 400 ms, which 400 ms × 2.5/s = 1 token should admit (a fresh look, `available`,
    /// says 1.0). The stored 0.25 + 0.7475 + 0.0025 sums to 0.9999999999999999, so it is refused.
    @Test func steppedRefillAdmitsAt400ms() {
        var b = emptied(rate: 2.5, burst: 1, at: 0)
        #expect(b.available(nowMillis: 400) == 1)
        var ok = b.take(nowMillis: 100)
        #expect(!ok)
        ok = b.take(nowMillis: 399)
        #expect(!ok)
        do {
            ok = b.take(nowMillis: 400)
            #expect(ok, "tokens: \(b.tokens)")
        }
    }

    /// millisUntilToken should be exact: a token at now + wait and none at now + wait − 1. Rounding in
    /// `(1 - have) / rate * 1000` pushes it just over an integer, and `.up` adds a whole millisecond.
    /// Rate 1/s, emptied at 0: at 999 ms the wait is 1 ms (admitted at 1000) but it answers 2.
    @Test(arguments: [
        // (rate, ms after emptying, exact wait)
        (1.0, Int64(999), Int64(1)),
        (1.0, 962, 38),
        (2.5, 296, 104),
        (1.0 / 3.0, 1961, 1039),
        (0.1, 2405, 7595),
    ])
    func millisUntilTokenIsExact(rate: Double, after: Int64, exact: Int64) {
        let b = emptied(rate: rate, burst: 1, at: 0)
        // The exact answer really is `exact`: admitted then, not 1 ms before.
        #expect(b.admits(nowMillis: after + exact))
        #expect(!b.admits(nowMillis: after + exact - 1))
        do {
            #expect(b.millisUntilToken(nowMillis: after) == exact)
        }
    }

    /// A quota clock moved backwards into an earlier period resets `used`, and moving forward again resets it
    /// again, so stepping back and forth across a boundary gives an unlimited quota. (The bucket ignores a
    /// backwards clock; the quota's behaviour is not specified in throttling.md, so this may be a design
    /// question rather than a bug.)
    @Test func backwardsClockDoesNotRefreshTheQuota() {
        let created = UTC.d2026_03_05 + 10 * UTC.hour
        var c = QuotaCounter(limit: 2, period: .day, nowMillis: created)
        var granted = 0
        for _ in 0..<5 {
            if c.consume(nowMillis: created) { granted += 1 }
            if c.consume(nowMillis: created) { granted += 1 }
            if c.consume(nowMillis: UTC.d2026_03_05 - 1) { granted += 1 }   // the day before
        }
        do {
            #expect(granted <= 2 + 2, "granted \(granted) with a limit of 2 per day over two days")
        }
    }
}
