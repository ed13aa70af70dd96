import Foundation
import Testing
@testable import Gateway

/// The hand-written UTC formatting agrees with Foundation's DateFormatter across the clock's whole range.
@Suite struct ClockFormatTests {
    static func formatted(_ millis: Int64, _ pattern: String) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = pattern
        return f.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }

    @Test func agreesWithDateFormatterOnTwoThousandInstants() {
        var ids = IdGenerator(seed: 7)
        var instants: [Int64] = [0, 951_782_400_000, 1_772_712_000_000, 4_107_542_399_999, VirtualClock.latestMillis]
        for _ in 0..<2000 { instants.append(Int64(ids.next() % UInt64(VirtualClock.latestMillis))) }
        for m in instants {
            let c = VirtualClock(millis: m)
            #expect(c.javaDateString == Self.formatted(m, "EEE MMM dd HH:mm:ss 'UTC' yyyy"), "\(m)")
            #expect(c.httpDate == Self.formatted(m, "EEE, dd MMM yyyy HH:mm:ss 'GMT'"), "\(m)")
            #expect(c.clfDate == Self.formatted(m, "dd/MMM/yyyy:HH:mm:ss '+0000'"), "\(m)")
            #expect(c.amzDate == Self.formatted(m, "yyyyMMdd'T'HHmmss'Z'"), "\(m)")
            let iso = Self.formatted(m, "yyyy-MM-dd'T'HH:mm:ss") + (m % 1000 == 0 ? "Z" : "." + Self.formatted(m, "SSS") + "Z")
            #expect(c.iso8601 == iso, "\(m)")
        }
    }
}
