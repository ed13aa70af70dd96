import Foundation

/// The simulation's time: milliseconds since the Unix epoch, moved only by commands and simulated latency.
public struct VirtualClock: Sendable, Equatable {
    public var millis: Int64

    /// Sessions and the shell start here (SESSIONS.md): 2026-03-05T12:00:00Z.
    public static let sessionStart = VirtualClock(millis: 1_772_712_000_000)

    public init(millis: Int64) { self.millis = millis }

    /// The clock stays within 1970-01-01 … 9999-12-31 (AWS's formats have four-digit years and no negative epochs).
    public static let latestMillis: Int64 = 253_402_300_799_999

    public mutating func advance(millis delta: Int64) {
        millis = min(Self.latestMillis, millis + min(max(0, delta), Self.latestMillis))
    }

    public var date: Date { Date(timeIntervalSince1970: Double(millis) / 1000) }

    /// `2026-03-05T12:00:00Z` (milliseconds shown only when not zero).
    public var iso8601: String {
        let c = UTCFields(millis)
        let base = "\(c.year)-\(pad2(c.month))-\(pad2(c.day))T\(pad2(c.hour)):\(pad2(c.minute)):\(pad2(c.second))"
        return c.millisecond == 0 ? base + "Z" : base + "." + pad(c.millisecond, 3) + "Z"
    }

    /// Java's `Date.toString()` in UTC, as the console Test log prints it: `Thu Mar 05 12:00:00 UTC 2026`
    /// (rest-request-flow.md §5.2 rule 78).
    public var javaDateString: String {
        let c = UTCFields(millis)
        return "\(c.weekdayName) \(c.monthName) \(pad2(c.day)) \(c.time) UTC \(c.year)"
    }

    /// The HTTP `Date` header: `Thu, 05 Mar 2026 12:00:00 GMT`.
    public var httpDate: String {
        let c = UTCFields(millis)
        return "\(c.weekdayName), \(pad2(c.day)) \(c.monthName) \(c.year) \(c.time) GMT"
    }

    /// `$context.requestTime`: CLF `05/Mar/2026:12:00:00 +0000` (lambda-payloads.md §1.4).
    public var clfDate: String {
        let c = UTCFields(millis)
        return "\(pad2(c.day))/\(c.monthName)/\(c.year):\(c.time) +0000"
    }

    /// SigV4's `X-Amz-Date`: `20260305T120000Z`.
    public var amzDate: String {
        let c = UTCFields(millis)
        return "\(c.year)\(pad2(c.month))\(pad2(c.day))T\(pad2(c.hour))\(pad2(c.minute))\(pad2(c.second))Z"
    }

    /// Parses `2026-03-05T12:00:00Z`, with optional fractional seconds, or `2026-03-05` (midnight UTC).
    public static func parse(_ s: String) -> VirtualClock? {
        guard let c = parseUnbounded(s), (0...latestMillis).contains(c.millis) else { return nil }
        return c
    }

    private static func parseUnbounded(_ s: String) -> VirtualClock? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: s) { return VirtualClock(millis: Int64((d.timeIntervalSince1970 * 1000).rounded())) }
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: s) { return VirtualClock(millis: Int64((d.timeIntervalSince1970 * 1000).rounded())) }
        f.formatOptions = [.withFullDate]
        if let d = f.date(from: s) { return VirtualClock(millis: Int64((d.timeIntervalSince1970 * 1000).rounded())) }
        return nil
    }

    /// Parses a duration such as `500ms`, `2s`, `1.5s`, `10m`, `1h`, `1d` into milliseconds.
    public static func parseDuration(_ s: String) -> Int64? {
        let units: [(String, Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        for (u, f) in units where s.hasSuffix(u) {
            let n = s.dropLast(u.count)
            if let v = Double(n), v >= 0, v * f <= Double(latestMillis) { return Int64((v * f).rounded()) }
        }
        return nil
    }

}

/// The UTC calendar fields of an instant, computed directly (days-from-civil arithmetic): formatting dates
/// is on every request's path, and DateFormatter is far too slow for it. Valid for 1970…9999, the clock's range.
struct UTCFields {
    let year, month, day, hour, minute, second, millisecond, weekday: Int

    init(_ millis: Int64) {
        let ms = Int(millis % 1000), totalSeconds = Int(millis / 1000)
        let days = totalSeconds / 86_400, secondsOfDay = totalSeconds % 86_400
        // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
        let z = days + 719_468
        let era = z / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        month = m
        day = d
        hour = secondsOfDay / 3600
        minute = secondsOfDay % 3600 / 60
        second = secondsOfDay % 60
        millisecond = ms
        weekday = (days + 4) % 7  // 1970-01-01 was a Thursday; 0 = Sunday
    }

    static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    var weekdayName: String { Self.weekdays[weekday] }
    var monthName: String { Self.months[month - 1] }
    var time: String { "\(pad2(hour)):\(pad2(minute)):\(pad2(second))" }
}

func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }

func pad(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    let digits = s.utf8.count
    guard digits < width else { return s }
    var out = [UInt8](repeating: UInt8(ascii: "0"), count: width - digits)
    out += s.utf8
    return String(decoding: out, as: UTF8.self)
}

/// Lower-case hex of `value`, zero-padded to `width` digits.
func hexDigits(_ value: UInt64, width: Int) -> String {
    var out = [UInt8]()
    out.reserveCapacity(max(width, 16))
    var v = value
    repeat {
        out.append(IdGenerator.hexAlphabet[Int(v & 0xF)])
        v >>= 4
    } while v != 0
    while out.count < width { out.append(UInt8(ascii: "0")) }
    out.reverse()
    return String(decoding: out, as: UTF8.self)
}

/// Deterministic ids (request ids, extended request ids, trace ids…) from a seed: SplitMix64.
public struct IdGenerator: Sendable, Equatable {
    private var random: SplitMix64
    public let seed: UInt64

    public init(seed: UInt64) {
        self.seed = seed
        self.random = SplitMix64(seed: seed)
    }

    public mutating func next() -> UInt64 { random.next() }

    static let hexAlphabet: [UInt8] = Array("0123456789abcdef".utf8)

    /// `count` lower-case hex digits: each 64-bit draw gives 16, most significant first.
    public mutating func hex(_ count: Int) -> String {
        guard count > 0 else { return "" }
        return String(unsafeUninitializedCapacity: count) { buffer in
            var i = 0
            while i < count {
                var v = next()
                // Most significant digit first, 16 per draw.
                for _ in 0..<16 where i < count {
                    buffer[i] = Self.hexAlphabet[Int(v >> 60)]
                    v <<= 4
                    i += 1
                }
            }
            return count
        }
    }

    /// A version-4 UUID in lower case, like AWS's request ids.
    public mutating func uuid() -> String {
        let h = hex(32)
        let variant = Self.uuidVariants[Int(next() % 4)]
        return String(unsafeUninitializedCapacity: 36) { out in
            var j = 0
            for (i, c) in h.utf8.enumerated() {
                if i == 8 || i == 12 || i == 16 || i == 20 { out[j] = UInt8(ascii: "-"); j += 1 }
                out[j] = i == 12 ? UInt8(ascii: "4") : i == 16 ? variant : c
                j += 1
            }
            return j
        }
    }

    static let uuidVariants: [UInt8] = Array("89ab".utf8)

    public mutating func chars(_ count: Int, from alphabet: String) -> String {
        // ASCII alphabets (all of gwsh's) by byte; others by character.
        if alphabet.utf8.allSatisfy({ $0 < 0x80 }) {
            let a = Array(alphabet.utf8)
            var out = [UInt8]()
            out.reserveCapacity(count)
            for _ in 0..<count { out.append(a[Int(next() % UInt64(a.count))]) }
            return String(decoding: out, as: UTF8.self)
        }
        let a = Array(alphabet)
        return String((0..<count).map { _ in a[Int(next() % UInt64(a.count))] })
    }

    /// `x-amz-apigw-id` / `extendedRequestId`: 16 characters of the base64 alphabet ending in `=`
    /// (rest-request-flow.md §4.1 rule 62).
    public mutating func extendedRequestId() -> String { base64URL(bytes: 11) }

    static let base64URLAlphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// `count` random bytes in URL-safe base64 with padding, as AWS's ids are written.
    public mutating func base64URL(bytes count: Int) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 8)
        while bytes.count < count { withUnsafeBytes(of: next().littleEndian) { bytes += $0 } }
        let a = Self.base64URLAlphabet
        var out = [UInt8]()
        out.reserveCapacity((count + 2) / 3 * 4)
        var i = 0
        while i < count {
            let b0 = bytes[i], b1 = i + 1 < count ? bytes[i + 1] : 0, b2 = i + 2 < count ? bytes[i + 2] : 0
            out.append(a[Int(b0 >> 2)])
            out.append(a[Int((b0 & 0x03) << 4 | b1 >> 4)])
            out.append(i + 1 < count ? a[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(i + 2 < count ? a[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// SplitMix64: a small, fast, seeded generator (the same seed, the same sequence on every platform).
public struct SplitMix64: Sendable, Equatable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [lo, hi).
    public mutating func uniform(_ lo: Double, _ hi: Double) -> Double {
        lo + (hi - lo) * (Double(next() >> 11) / Double(1 << 53))
    }
}
