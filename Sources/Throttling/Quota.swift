/// A usage-plan quota period (reference/throttling.md §5 rule 3).
public enum QuotaPeriod: String, Sendable, CaseIterable {
    case day = "DAY", week = "WEEK", month = "MONTH"

    /// The start of the period holding `millis`, in UTC: midnight; Monday for WEEK; the 1st for MONTH.
    /// When AWS's periods start is UNCONFIRMED (throttling.md §5 rule 4): these are gwsh's choices.
    public func start(containing millis: Int64) -> Int64 {
        let day: Int64 = 86_400_000
        let days = floorDiv(millis, day)
        switch self {
        case .day: return days * day
        case .week:
            // 1970-01-01 was a Thursday: days since a Monday = (days + 3) mod 7.
            let sinceMonday = ((days + 3) % 7 + 7) % 7
            return (days - sinceMonday) * day
        case .month:
            let (y, m, _) = civil(fromDays: days)
            return daysFromCivil(y, m, 1) * day
        }
    }

    /// The start of the period after the one holding `millis`.
    public func next(after millis: Int64) -> Int64 {
        let s = start(containing: millis)
        switch self {
        case .day: return s + 86_400_000
        case .week: return s + 7 * 86_400_000
        case .month:
            let (y, m, _) = civil(fromDays: s / 86_400_000)
            return (m == 12 ? daysFromCivil(y + 1, 1, 1) : daysFromCivil(y, m + 1, 1)) * 86_400_000
        }
    }
}

/// Requests counted against a quota (`limit` per period). `offset` is "the number of requests subtracted from
/// the given limit in the initial time period" (throttling.md §5 rule 4 [DOC D9]).
public struct QuotaCounter: Sendable, Equatable {
    public let limit: Int
    public let period: QuotaPeriod
    public let offset: Int
    /// When counting began (the initial period is the one holding it).
    public let createdMillis: Int64
    public private(set) var periodStart: Int64
    public private(set) var used: Int

    public init(limit: Int, period: QuotaPeriod, offset: Int = 0, nowMillis: Int64) {
        self.limit = max(0, limit)
        self.period = period
        self.offset = max(0, offset)
        self.createdMillis = nowMillis
        self.periodStart = period.start(containing: nowMillis)
        self.used = 0
    }

    /// The limit of the period holding `nowMillis`: reduced by `offset` in the initial period only.
    public func limit(at nowMillis: Int64) -> Int {
        period.start(containing: nowMillis) == period.start(containing: createdMillis) ? max(0, limit - offset) : limit
    }

    /// A new period starts the count again; a clock moved back into an earlier period keeps the count (a
    /// quota is not refreshed by time travel).
    mutating func roll(_ nowMillis: Int64) {
        let s = period.start(containing: nowMillis)
        if s > periodStart {
            periodStart = s
            used = 0
        }
    }

    public func remaining(nowMillis: Int64) -> Int {
        var c = self
        c.roll(nowMillis)
        return max(0, c.limit(at: nowMillis) - c.used)
    }

    /// Counts one request if the period has room; false (nothing counted) otherwise.
    @discardableResult
    public mutating func consume(nowMillis: Int64) -> Bool {
        roll(nowMillis)
        guard used < limit(at: nowMillis) else { return false }
        used += 1
        return true
    }
}

func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

/// Howard Hinnant's civil-from-days, for UTC calendar dates without Foundation.
func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
    let z = z0 + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let y = yoe + era * 400
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (m <= 2 ? y + 1 : y, m, d)
}

func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
    let y = m <= 2 ? y0 - 1 : y0
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
}
