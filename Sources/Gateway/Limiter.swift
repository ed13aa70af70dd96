import GatewayModel
import Throttling

/// The throttling state of a simulation: token buckets and quota counters by what they limit
/// (reference/throttling.md §1–5). Buckets are created full on first use.
public struct Limiter: Sendable {
    var buckets: [String: TokenBucket] = [:]
    var quotas: [String: QuotaCounter] = [:]

    public init() {}

    /// The checks `gwsh bench` measures: a key bucket, a stage bucket, the account bucket.
    public static let benchChecks: [Check] = [
        Check(key: "key:p:k:/orders/{id}/GET", settings: ThrottleSettings(rateLimit: 5000, burstLimit: 10), kind: .usagePlanKey(planId: "p")),
        Check(key: "stage:a/dev:orders/{id}/GET", settings: ThrottleSettings(rateLimit: 2000, burstLimit: 100), kind: .stage),
        Check(key: "account", settings: ThrottleSettings(rateLimit: 10_000, burstLimit: 5_000), kind: .account),
    ]

    /// One limit a request must pass.
    public struct Check: Sendable {
        var key: String
        var settings: ThrottleSettings
        /// Which limit: for the trace and the log line.
        var kind: Kind
        public enum Kind: Sendable, Equatable { case usagePlanKey(planId: String), stage, account }
    }

    /// The first check that refuses at `now`, or nil when all admit; then every bucket gives a token
    /// (throttling.md §1 rule 7: tokens are taken only when every bucket admits).
    public mutating func admit(_ checks: [Check], now: Int64) -> Check? {
        for c in checks {
            let b = buckets[c.key] ?? TokenBucket(rateLimit: c.settings.rateLimit, burstLimit: c.settings.burstLimit, nowMillis: now)
            buckets[c.key] = b
            if !b.admits(nowMillis: now) { return c }
        }
        for c in checks { buckets[c.key]?.take(nowMillis: now) }
        return nil
    }

    /// The quota counter of a usage plan's key.
    public static func quotaKey(planId: String, keyId: String) -> String { "quota:\(planId):\(keyId)" }

    /// The counter under `key`, or a fresh one that starts counting now.
    func quotaCounter(_ key: String, _ q: QuotaSettings, now: Int64) -> QuotaCounter {
        quotas[key] ?? QuotaCounter(limit: q.limit, period: QuotaPeriod(rawValue: q.period) ?? .day, offset: q.offset, nowMillis: now)
    }

    /// Counts a request against a key's quota; false when the period's quota is used up.
    public mutating func consumeQuota(key: String, _ q: QuotaSettings, now: Int64) -> Bool {
        var c = quotaCounter(key, q, now: now)
        let ok = c.consume(nowMillis: now)
        quotas[key] = c
        return ok
    }

    /// The buckets that exist, by key prefix (sorted).
    public func bucketKeys(prefix: String) -> [String] { buckets.keys.filter { $0.hasPrefix(prefix) }.sorted() }

    /// Tokens left in a bucket, if it exists.
    public func tokens(_ key: String, now: Int64) -> Double? { buckets[key]?.available(nowMillis: now) }

    /// Quota used and remaining for a plan's key in the current period (GetUsage's pair, throttling.md §9).
    public func quotaUsage(planId: String, keyId: String, _ q: QuotaSettings, now: Int64) -> (used: Int, remaining: Int) {
        let c = quotaCounter(Self.quotaKey(planId: planId, keyId: keyId), q, now: now)
        let remaining = c.remaining(nowMillis: now)
        return (c.limit(at: now) - remaining, remaining)
    }
}
