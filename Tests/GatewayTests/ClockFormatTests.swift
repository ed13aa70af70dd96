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

/// The id generator's hand-written encoders against Foundation's, on many draws.
@Suite struct IdEncodingTests {
    @Test func base64URLMatchesFoundation() {
        for seed in UInt64(0)..<50 {
            for count in 1...41 {
                var a = IdGenerator(seed: seed), b = IdGenerator(seed: seed)
                var bytes: [UInt8] = []
                while bytes.count < count { withUnsafeBytes(of: b.next().littleEndian) { bytes += $0 } }
                let expected = Data(bytes.prefix(count)).base64EncodedString()
                    .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                #expect(a.base64URL(bytes: count) == expected)
            }
        }
    }

    @Test func uuidShape() {
        var g = IdGenerator(seed: 7)
        for _ in 0..<200 {
            let u = g.uuid()
            #expect(u.range(of: #"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"#, options: .regularExpression) != nil, "\(u)")
        }
    }
}
