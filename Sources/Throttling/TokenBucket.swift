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

    /// Adds what the time since the last refill earned, capped at the burst.
    public mutating func refill(nowMillis: Int64) {
        guard nowMillis > lastMillis else { return }
        let elapsed = Double(nowMillis - lastMillis) / 1000
        tokens = min(Double(burstLimit), tokens + elapsed * rateLimit)
        lastMillis = nowMillis
    }

    /// Tokens available at `nowMillis` (without taking any).
    public func available(nowMillis: Int64) -> Double {
        var copy = self
        copy.refill(nowMillis: nowMillis)
        return copy.tokens
    }

    /// Whether a request would be admitted now.
    public func admits(nowMillis: Int64) -> Bool { available(nowMillis: nowMillis) >= 1 }

    /// Takes one token if there is one; false (and nothing taken) otherwise.
    @discardableResult
    public mutating func take(nowMillis: Int64) -> Bool {
        refill(nowMillis: nowMillis)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// Milliseconds until one token is available (0 when one is; nil when the bucket never refills).
    public func millisUntilToken(nowMillis: Int64) -> Int64? {
        let have = available(nowMillis: nowMillis)
        if have >= 1 { return 0 }
        guard rateLimit > 0, burstLimit >= 1 else { return nil }
        return Int64(((1 - have) / rateLimit * 1000).rounded(.up))
    }
}
