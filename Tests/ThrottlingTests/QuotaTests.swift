import Testing
@testable import Throttling

/// Epoch milliseconds of UTC instants, each checked with `date -u -d <date> +%s` (weekday with `+%A`).
enum UTC {
    static let day: Int64 = 86_400_000
    static let week: Int64 = 7 * day

    static let d1900_01_01: Int64 = -2_208_988_800_000   // Monday
    static let d1899_12_01: Int64 = -2_211_667_200_000
    static let d1899_12_15: Int64 = -2_210_457_600_000
    static let d1900_02_01: Int64 = -2_206_310_400_000
    static let d1900_02_15: Int64 = -2_205_100_800_000
    static let d1900_02_28: Int64 = -2_203_977_600_000
    static let d1900_03_01: Int64 = -2_203_891_200_000   // 1900 is not a leap year
    static let d1965_03_01: Int64 = -152_668_800_000     // Monday
    static let d1965_03_08: Int64 = -152_064_000_000     // Monday
    static let d1965_03_14: Int64 = -151_545_600_000     // Sunday
    static let d1965_03_15: Int64 = -151_459_200_000     // Monday
    static let d1969_12_01: Int64 = -2_678_400_000
    static let d1969_12_15: Int64 = -1_468_800_000       // Monday
    static let d1969_12_22: Int64 = -864_000_000         // Monday
    static let d1969_12_29: Int64 = -259_200_000         // Monday
    static let d1969_12_31: Int64 = -86_400_000          // Wednesday
    static let d1970_01_01: Int64 = 0                    // Thursday
    static let d1970_01_05: Int64 = 345_600_000          // Monday
    static let d2000_02_01: Int64 = 949_363_200_000
    static let d2000_02_29: Int64 = 951_782_400_000
    static let d2000_03_01: Int64 = 951_868_800_000
    static let d2023_02_28: Int64 = 1_677_542_400_000
    static let d2023_03_01: Int64 = 1_677_628_800_000
    static let d2024_01_01: Int64 = 1_704_067_200_000
    static let d2024_02_01: Int64 = 1_706_745_600_000
    static let d2024_02_15: Int64 = 1_707_955_200_000
    static let d2024_02_29: Int64 = 1_709_164_800_000    // leap day, Thursday
    static let d2024_03_01: Int64 = 1_709_251_200_000
    static let d2024_12_01: Int64 = 1_733_011_200_000
    static let d2024_12_31: Int64 = 1_735_603_200_000
    static let d2025_01_01: Int64 = 1_735_689_600_000
    static let d2026_02_23: Int64 = 1_771_804_800_000    // Monday
    static let d2026_03_01: Int64 = 1_772_323_200_000    // Sunday
    static let d2026_03_02: Int64 = 1_772_409_600_000    // Monday
    static let d2026_03_04: Int64 = 1_772_582_400_000    // Wednesday
    static let d2026_03_05: Int64 = 1_772_668_800_000    // Thursday
    static let d2026_03_06: Int64 = 1_772_755_200_000    // Friday
    static let d2026_03_09: Int64 = 1_773_014_400_000    // Monday
    static let d2026_03_10: Int64 = 1_773_100_800_000    // Tuesday
    static let d2026_04_01: Int64 = 1_775_001_600_000

    static let hour: Int64 = 3_600_000
}

@Suite struct QuotaPeriodStart {
    @Test(arguments: [
        (UTC.d2026_03_05, UTC.d2026_03_05),
        (UTC.d2026_03_05 + 1, UTC.d2026_03_05),
        (UTC.d2026_03_05 + 10 * UTC.hour, UTC.d2026_03_05),
        (UTC.d2026_03_06 - 1, UTC.d2026_03_05),
        (UTC.d2026_03_06, UTC.d2026_03_06),
        (UTC.d1970_01_01, UTC.d1970_01_01),
        (1, UTC.d1970_01_01),
        (-1, UTC.d1969_12_31),
        (UTC.d1969_12_31, UTC.d1969_12_31),
        (UTC.d1969_12_31 - 1, UTC.d1969_12_31 - UTC.day),
        (UTC.d1900_01_01 + 12 * UTC.hour, UTC.d1900_01_01),
        (UTC.d1900_01_01 - 1, UTC.d1900_01_01 - UTC.day),
        (UTC.d2024_02_29 + UTC.day - 1, UTC.d2024_02_29),
    ] as [(Int64, Int64)])
    func day(at t: Int64, expected: Int64) {
        #expect(QuotaPeriod.day.start(containing: t) == expected)
    }

    /// WEEK starts on Monday 00:00 UTC. 1970-01-01 was a Thursday, so its week began on 1969-12-29.
    @Test(arguments: [
        (UTC.d2026_03_05, UTC.d2026_03_02),                  // Thursday
        (UTC.d2026_03_05 + 10 * UTC.hour, UTC.d2026_03_02),
        (UTC.d2026_03_04, UTC.d2026_03_02),                  // Wednesday
        (UTC.d2026_03_06, UTC.d2026_03_02),                  // Friday
        (UTC.d2026_03_02, UTC.d2026_03_02),                  // Monday 00:00 itself
        (UTC.d2026_03_02 - 1, UTC.d2026_02_23),              // Sunday 23:59:59.999
        (UTC.d2026_03_01, UTC.d2026_02_23),                  // Sunday
        (UTC.d2026_03_09 - 1, UTC.d2026_03_02),              // Sunday 2026-03-08 23:59:59.999
        (UTC.d2026_03_09, UTC.d2026_03_09),
        (UTC.d2026_03_10, UTC.d2026_03_09),
        (UTC.d1970_01_01, UTC.d1969_12_29),                  // Thursday 1970-01-01
        (1, UTC.d1969_12_29),
        (-1, UTC.d1969_12_29),
        (UTC.d1969_12_31, UTC.d1969_12_29),
        (UTC.d1969_12_29, UTC.d1969_12_29),
        (UTC.d1969_12_29 - 1, UTC.d1969_12_22),
        (UTC.d1970_01_05 - 1, UTC.d1969_12_29),              // Sunday 1970-01-04 23:59:59.999
        (UTC.d1970_01_05, UTC.d1970_01_05),
        (UTC.d1965_03_14, UTC.d1965_03_08),                  // Sunday
        (UTC.d1965_03_15 - 1, UTC.d1965_03_08),
        (UTC.d1965_03_15, UTC.d1965_03_15),
        (UTC.d1965_03_01 + 1, UTC.d1965_03_01),
        (UTC.d1900_01_01, UTC.d1900_01_01),                  // Monday
        (UTC.d1900_01_01 + 6 * UTC.day + 23 * UTC.hour, UTC.d1900_01_01),
        (UTC.d1900_01_01 - 1, UTC.d1900_01_01 - UTC.week),
        (UTC.d2024_02_29, UTC.d2024_02_29 - 3 * UTC.day),    // Thursday → Monday 2024-02-26
    ] as [(Int64, Int64)])
    func week(at t: Int64, expected: Int64) {
        #expect(QuotaPeriod.week.start(containing: t) == expected)
    }

    /// Every week start is a whole number of weeks from a known Monday, and holds `t`.
    @Test func weekStartsAreMondaysAroundTheEpochAndBefore() {
        let knownMonday = UTC.d2026_03_02
        var t = UTC.d1969_12_01 - 3 * UTC.week
        while t < UTC.d1970_01_05 + 3 * UTC.week {
            let s = QuotaPeriod.week.start(containing: t)
            #expect((knownMonday - s) % UTC.week == 0, "start \(s) of \(t) is not a Monday")
            #expect(s <= t && t < s + UTC.week, "start \(s) does not hold \(t)")
            t += 5 * UTC.hour + 7  // odd step: hits every weekday and hour-ish offsets
        }
    }

    @Test(arguments: [
        (UTC.d2026_03_05, UTC.d2026_03_01),
        (UTC.d2026_03_01, UTC.d2026_03_01),
        (UTC.d2026_03_01 - 1, UTC.d2026_03_01 - 28 * UTC.day),   // 2026-02-01
        (UTC.d2026_04_01 - 1, UTC.d2026_03_01),
        (UTC.d2024_02_15, UTC.d2024_02_01),
        (UTC.d2024_02_29, UTC.d2024_02_01),
        (UTC.d2024_03_01 - 1, UTC.d2024_02_01),                  // 2024-02-29 23:59:59.999
        (UTC.d2024_03_01, UTC.d2024_03_01),
        (UTC.d2024_02_01 - 1, UTC.d2024_01_01),
        (UTC.d2024_12_31, UTC.d2024_12_01),
        (UTC.d2025_01_01 - 1, UTC.d2024_12_01),
        (UTC.d2025_01_01, UTC.d2025_01_01),
        (UTC.d2023_03_01 - 1, UTC.d2023_03_01 - 28 * UTC.day),   // 2023-02-01
        (UTC.d2000_02_29, UTC.d2000_02_01),
        (UTC.d2000_03_01 - 1, UTC.d2000_02_01),
        (UTC.d1970_01_01, UTC.d1970_01_01),
        (-1, UTC.d1969_12_01),
        (UTC.d1969_12_15, UTC.d1969_12_01),
        (UTC.d1969_12_01, UTC.d1969_12_01),
        (UTC.d1965_03_14, UTC.d1965_03_01),
        (UTC.d1900_02_28, UTC.d1900_02_01),
        (UTC.d1900_03_01 - 1, UTC.d1900_02_01),
        (UTC.d1900_01_01 - 1, UTC.d1899_12_01),
        (UTC.d1899_12_15, UTC.d1899_12_01),
    ] as [(Int64, Int64)])
    func month(at t: Int64, expected: Int64) {
        #expect(QuotaPeriod.month.start(containing: t) == expected)
    }

    @Test func rawValues() {
        #expect(QuotaPeriod(rawValue: "DAY") == .day)
        #expect(QuotaPeriod(rawValue: "WEEK") == .week)
        #expect(QuotaPeriod(rawValue: "MONTH") == .month)
        #expect(QuotaPeriod(rawValue: "day") == nil)
        #expect(QuotaPeriod.allCases.count == 3)
    }

    @Test func civilHelpersAgreeWithDate() {
        #expect(daysFromCivil(2024, 2, 29) * UTC.day == UTC.d2024_02_29)
        #expect(daysFromCivil(1900, 3, 1) * UTC.day == UTC.d1900_03_01)
        #expect(daysFromCivil(1970, 1, 1) == 0)
        #expect(civil(fromDays: UTC.d2024_02_29 / UTC.day) == (2024, 2, 29))
        #expect(civil(fromDays: UTC.d1969_12_31 / UTC.day) == (1969, 12, 31))
        #expect(civil(fromDays: UTC.d1899_12_15 / UTC.day) == (1899, 12, 15))
        #expect(floorDiv(-1, UTC.day) == -1)
        #expect(floorDiv(-UTC.day, UTC.day) == -1)
        #expect(floorDiv(UTC.day - 1, UTC.day) == 0)
    }
}

@Suite struct QuotaPeriodNext {
    @Test(arguments: [
        (QuotaPeriod.day, UTC.d2026_03_05 + 12 * UTC.hour, UTC.d2026_03_06),
        (.day, UTC.d2026_03_05, UTC.d2026_03_06),
        (.day, UTC.d2026_03_06 - 1, UTC.d2026_03_06),
        (.day, -1, 0),
        (.day, UTC.d2024_02_29, UTC.d2024_03_01),
        (.day, UTC.d2024_12_31, UTC.d2025_01_01),
        (.week, UTC.d2026_03_05, UTC.d2026_03_09),
        (.week, UTC.d2026_03_02, UTC.d2026_03_09),
        (.week, UTC.d2026_03_09 - 1, UTC.d2026_03_09),
        (.week, UTC.d2026_03_01, UTC.d2026_03_02),
        (.week, UTC.d1970_01_01, UTC.d1970_01_05),
        (.week, -1, UTC.d1970_01_05),
        (.week, UTC.d1969_12_29 - 1, UTC.d1969_12_29),
        (.week, UTC.d1965_03_14, UTC.d1965_03_15),
        (.month, UTC.d2026_03_05, UTC.d2026_04_01),
        (.month, UTC.d2024_02_15, UTC.d2024_03_01),
        (.month, UTC.d2024_02_29, UTC.d2024_03_01),
        (.month, UTC.d2024_03_01 - 1, UTC.d2024_03_01),
        (.month, UTC.d2023_02_28, UTC.d2023_03_01),
        (.month, UTC.d2000_02_29, UTC.d2000_03_01),
        (.month, UTC.d1900_02_15, UTC.d1900_03_01),
        (.month, UTC.d1900_02_28, UTC.d1900_03_01),
        (.month, UTC.d2024_12_01, UTC.d2025_01_01),
        (.month, UTC.d2024_12_31, UTC.d2025_01_01),
        (.month, UTC.d2025_01_01 - 1, UTC.d2025_01_01),
        (.month, UTC.d2024_01_01 - 1, UTC.d2024_01_01),          // 2023-12-31 → 2024-01-01
        (.month, UTC.d1969_12_31, UTC.d1970_01_01),
        (.month, UTC.d1969_12_01, UTC.d1970_01_01),
        (.month, UTC.d1899_12_15, UTC.d1900_01_01),
        (.month, UTC.d1900_01_01 - 1, UTC.d1900_01_01),
    ])
    func next(period: QuotaPeriod, after t: Int64, expected: Int64) {
        #expect(period.next(after: t) == expected)
    }

    /// next(after:) is the first instant past `t` whose period differs; it is itself a period start.
    @Test(arguments: QuotaPeriod.allCases)
    func nextIsTheFollowingBoundary(period: QuotaPeriod) {
        var t = UTC.d1899_12_01
        var steps = 0
        while t < UTC.d2026_04_01 && steps < 2_000 {
            let n = period.next(after: t)
            let s = period.start(containing: t)
            #expect(n > t)
            #expect(period.start(containing: n) == n)
            #expect(period.start(containing: n - 1) == s)
            #expect(period.start(containing: n) != s)
            t += 17 * UTC.day * 4 + 12_345  // ≈ 68 days, not aligned with anything
            steps += 1
        }
    }

    /// Walking MONTH boundaries through 2024 gives each month's length, 29 days in February.
    @Test func monthLengthsIn2024() {
        var s = UTC.d2024_01_01
        var lengths: [Int64] = []
        for _ in 0..<12 {
            let n = QuotaPeriod.month.next(after: s)
            lengths.append((n - s) / UTC.day)
            s = n
        }
        #expect(lengths == [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
        #expect(s == UTC.d2025_01_01)
    }
}

@Suite struct QuotaCounterTests {
    @Test func startsEmptyInThePeriodOfCreation() {
        let c = QuotaCounter(limit: 5, period: .week, nowMillis: UTC.d2026_03_05 + UTC.hour)
        #expect(c.used == 0)
        #expect(c.periodStart == UTC.d2026_03_02)
        #expect(c.createdMillis == UTC.d2026_03_05 + UTC.hour)
        #expect(c.offset == 0)
        #expect(c.remaining(nowMillis: UTC.d2026_03_05 + UTC.hour) == 5)
    }

    /// Consumes until refused at `t`; returns how many were counted.
    func exhaust(_ c: inout QuotaCounter, at t: Int64, cap: Int = 1_000) -> Int {
        var n = 0
        while n < cap, c.consume(nowMillis: t) { n += 1 }
        return n
    }

    @Test(arguments: [
        // (period, created, last instant of the period, first instant of the next)
        (QuotaPeriod.day, UTC.d2026_03_05 + 10 * UTC.hour, UTC.d2026_03_06 - 1, UTC.d2026_03_06),
        (.week, UTC.d2026_03_05, UTC.d2026_03_09 - 1, UTC.d2026_03_09),
        (.week, UTC.d1970_01_01, UTC.d1970_01_05 - 1, UTC.d1970_01_05),
        (.month, UTC.d2024_02_29 + 12 * UTC.hour, UTC.d2024_03_01 - 1, UTC.d2024_03_01),
        (.month, UTC.d2024_12_31 + 23 * UTC.hour, UTC.d2025_01_01 - 1, UTC.d2025_01_01),
        (.month, UTC.d2023_02_28, UTC.d2023_03_01 - 1, UTC.d2023_03_01),
        (.month, UTC.d1969_12_15, -1, 0),
        (.day, -UTC.hour, -1, 0),
    ])
    func rolloverResetsUsed(period: QuotaPeriod, created: Int64, lastInstant: Int64, nextStart: Int64) {
        var c = QuotaCounter(limit: 3, period: period, nowMillis: created)
        #expect(exhaust(&c, at: created) == 3)
        #expect(c.used == 3)
        #expect(c.remaining(nowMillis: lastInstant) == 0)
        var ok = c.consume(nowMillis: lastInstant)
        #expect(!ok)
        #expect(c.used == 3)
        #expect(period.next(after: created) == nextStart)
        #expect(c.remaining(nowMillis: nextStart) == 3)
        ok = c.consume(nowMillis: nextStart)
        #expect(ok)
        #expect(c.used == 1)
        #expect(c.periodStart == nextStart)
        #expect(c.remaining(nowMillis: nextStart) == 2)
    }

    @Test func skippingSeveralPeriodsResets() {
        var c = QuotaCounter(limit: 2, period: .month, nowMillis: UTC.d2024_01_01)
        #expect(exhaust(&c, at: UTC.d2024_01_01) == 2)
        #expect(exhaust(&c, at: UTC.d2026_03_05) == 2)
        #expect(c.periodStart == UTC.d2026_03_01)
        #expect(c.used == 2)
    }

    @Test func partialUseCarriesWithinThePeriodOnly() {
        var c = QuotaCounter(limit: 10, period: .day, nowMillis: UTC.d2026_03_05)
        for _ in 0..<4 { c.consume(nowMillis: UTC.d2026_03_05 + UTC.hour) }
        #expect(c.remaining(nowMillis: UTC.d2026_03_06 - 1) == 6)
        c.consume(nowMillis: UTC.d2026_03_06 - 1)
        #expect(c.used == 5)
        #expect(c.remaining(nowMillis: UTC.d2026_03_06) == 10)
    }

    @Test(arguments: [
        // (limit, offset, initial-period limit)
        (10, 3, 7),
        (10, 0, 10),
        (10, 10, 0),
        (10, 25, 0),
        (10, -4, 10),   // a negative offset counts as 0
        (0, 5, 0),
    ])
    func offsetReducesOnlyTheInitialPeriod(limit: Int, offset: Int, initial: Int) {
        let created = UTC.d2026_03_05 + 10 * UTC.hour
        var c = QuotaCounter(limit: limit, period: .day, offset: offset, nowMillis: created)
        // The whole initial period, even instants before creation, has the reduced limit.
        for t in [UTC.d2026_03_05, created, UTC.d2026_03_06 - 1] {
            #expect(c.limit(at: t) == initial)
        }
        #expect(c.remaining(nowMillis: created) == initial)
        #expect(exhaust(&c, at: created) == initial)
        #expect(c.remaining(nowMillis: created) == 0)
        // Later periods have the full limit.
        for t in [UTC.d2026_03_06, UTC.d2026_03_09, UTC.d2026_04_01] {
            #expect(c.limit(at: t) == max(0, limit))
        }
        #expect(exhaust(&c, at: UTC.d2026_03_06) == max(0, limit))
        #expect(exhaust(&c, at: UTC.d2026_03_09 + 1) == max(0, limit))
    }

    @Test func offsetWithMonthAndWeekPeriods() {
        // Created on the leap day: February is the initial month, March gets the full limit.
        var m = QuotaCounter(limit: 5, period: .month, offset: 2, nowMillis: UTC.d2024_02_29)
        #expect(m.limit(at: UTC.d2024_02_01) == 3)
        #expect(exhaust(&m, at: UTC.d2024_03_01 - 1) == 3)
        #expect(exhaust(&m, at: UTC.d2024_03_01) == 5)
        // Created on a Thursday: the rest of that week (to Sunday) is reduced, from Monday it is not.
        var w = QuotaCounter(limit: 5, period: .week, offset: 4, nowMillis: UTC.d2026_03_05)
        #expect(w.limit(at: UTC.d2026_03_02) == 1)
        #expect(w.limit(at: UTC.d2026_03_09 - 1) == 1)
        #expect(w.limit(at: UTC.d2026_03_09) == 5)
        #expect(exhaust(&w, at: UTC.d2026_03_09 - 1) == 1)
        #expect(exhaust(&w, at: UTC.d2026_03_09) == 5)
    }

    @Test(arguments: [0, -1, Int.min])
    func limitZeroNeverCounts(limit: Int) {
        var c = QuotaCounter(limit: limit, period: .day, nowMillis: UTC.d2026_03_05)
        #expect(c.limit == 0)
        for t in [UTC.d2026_03_05, UTC.d2026_03_06, UTC.d2026_04_01, UTC.d2026_04_01 + 400 * UTC.day] {
            #expect(c.remaining(nowMillis: t) == 0)
            let ok = c.consume(nowMillis: t)
            #expect(!ok)
            #expect(c.used == 0)
        }
    }

    @Test func consumeFailsWithoutCountingWhenExhausted() {
        var c = QuotaCounter(limit: 2, period: .week, nowMillis: UTC.d2026_03_05)
        #expect(exhaust(&c, at: UTC.d2026_03_05) == 2)
        let before = c
        for i in 0..<50 {
            let ok = c.consume(nowMillis: UTC.d2026_03_05 + Int64(i) * UTC.hour)
            #expect(!ok)
        }
        #expect(c == before)
        #expect(c.used == 2)
        #expect(c.remaining(nowMillis: UTC.d2026_03_09 - 1) == 0)
    }

    @Test func consumeCountsOneAtATime() {
        var c = QuotaCounter(limit: 3, period: .day, nowMillis: 0)
        for expectedUsed in 1...3 {
            let ok = c.consume(nowMillis: 1000)
            #expect(ok)
            #expect(c.used == expectedUsed)
            #expect(c.remaining(nowMillis: 1000) == 3 - expectedUsed)
        }
    }

    @Test(arguments: [UTC.d2026_03_05, UTC.d2026_03_06 - 1, UTC.d2026_03_06, UTC.d2026_04_01, UTC.d2026_03_04])
    func remainingDoesNotMutate(at t: Int64) {
        var c = QuotaCounter(limit: 4, period: .day, offset: 1, nowMillis: UTC.d2026_03_05 + UTC.hour)
        c.consume(nowMillis: UTC.d2026_03_05 + UTC.hour)
        c.consume(nowMillis: UTC.d2026_03_05 + UTC.hour)
        let before = c
        let r1 = c.remaining(nowMillis: t)
        let r2 = c.remaining(nowMillis: t)
        _ = c.limit(at: t)
        #expect(r1 == r2)
        #expect(c == before)
        #expect(c.used == 2)
        #expect(c.periodStart == UTC.d2026_03_05)
        #expect(c.remaining(nowMillis: UTC.d2026_03_05 + 2 * UTC.hour) == 1)
    }

    @Test func remainingInALaterPeriodIsTheFullLimit() {
        var c = QuotaCounter(limit: 4, period: .month, offset: 1, nowMillis: UTC.d2024_12_31)
        c.consume(nowMillis: UTC.d2024_12_31)
        #expect(c.remaining(nowMillis: UTC.d2024_12_31) == 2)
        #expect(c.remaining(nowMillis: UTC.d2025_01_01) == 4)
        #expect(c.used == 1)
        #expect(c.periodStart == UTC.d2024_12_01)
    }
}
