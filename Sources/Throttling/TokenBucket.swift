/// A token bucket on virtual time (reference/throttling.md §1): `rateLimit` tokens per second refill it
/// continuously up to `burstLimit`; a request takes one token. It starts full (§1 rule 6, gwsh's choice, as
/// AWS does not say). Time is milliseconds since the epoch; a clock that moves backwards refills nothing.
public struct TokenBucket: Sendable, Equatable {
    public let rateLimit: Double
    public let burstLimit: Int
    public private(set) var tokens: Double
    public private(set) var lastMillis: Int64

    public init(rateLimit: Double, burstLimit: Int, nowMillis: Int64) {
        self.rateLimit = max(0, rateLimit.isFinite ? rateLimit : 0)
        self.burstLimit = max(0, burstLimit)
        self.tokens = Double(self.burstLimit)
        self.lastMillis = nowMillis
    }

    /// Floating-point slack: sums of refills like 0.25 + 0.7475 + 0.0025 land a hair under 1; a token is a
    /// token within this tolerance.
    static let epsilon = 1e-9

    /// Adds what the time since the last refill earned, capped at the burst. A clock that moves backwards
    /// refills nothing; a jump too long to subtract fills the bucket.
    public mutating func refill(nowMillis: Int64) {
        guard nowMillis > lastMillis else { return }
        let (elapsed, overflow) = nowMillis.subtractingReportingOverflow(lastMillis)
        let earned = overflow ? Double.infinity : Double(elapsed) / 1000 * rateLimit
        tokens = earned.isNaN ? tokens : min(Double(burstLimit), tokens + earned)
        lastMillis = nowMillis
    }

    /// Tokens available at `nowMillis` (without taking any).
    public func available(nowMillis: Int64) -> Double {
        var copy = self
        copy.refill(nowMillis: nowMillis)
        return copy.tokens
    }

    /// Whether a request would be admitted now.
    public func admits(nowMillis: Int64) -> Bool { available(nowMillis: nowMillis) >= 1 - Self.epsilon }

    /// Takes one token if there is one; false otherwise — and then nothing changes, so how often a client
    /// asks does not change when its token comes.
    @discardableResult
    public mutating func take(nowMillis: Int64) -> Bool {
        var next = self
        next.refill(nowMillis: nowMillis)
        guard next.tokens >= 1 - Self.epsilon else { return false }
        next.tokens = max(0, next.tokens - 1)
        self = next
        return true
    }

    /// Milliseconds until one token is available (0 when one is; nil when the bucket never refills or the
    /// wait is beyond any clock).
    public func millisUntilToken(nowMillis: Int64) -> Int64? {
        // Before the latest instant seen nothing refills: count from that instant.
        if nowMillis < lastMillis { return millisUntilToken(nowMillis: lastMillis) }
        let have = available(nowMillis: nowMillis)
        if have >= 1 - Self.epsilon { return 0 }
        guard rateLimit > 0, burstLimit >= 1 else { return nil }
        let estimate = (1 - have) / rateLimit * 1000
        guard estimate.isFinite, estimate < 1e15 else { return nil }
        // The estimate, then the exact first millisecond that admits (rounding moves it by at most a step or two).
        var wait = max(1, Int64(estimate.rounded(.down)))
        guard nowMillis <= Int64.max - wait - 16 else { return nil }
        for _ in 0..<8 where wait > 1 && admits(nowMillis: nowMillis + wait - 1) { wait -= 1 }
        for _ in 0..<8 where !admits(nowMillis: nowMillis + wait) { wait += 1 }
        return wait
    }
}
