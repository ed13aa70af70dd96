import Testing
@testable import Throttling

@Suite struct TokenBucketBasics {
    /// The seed's key bucket (rate 5, burst 10) starts full: 10 at once, then one every 200 ms.
    @Test func startsFullThenRefillsAtTheRate() {
        var b = TokenBucket(rateLimit: 5, burstLimit: 10, nowMillis: 0)
        var admitted = 0
        for _ in 0..<10 where b.take(nowMillis: 0) { admitted += 1 }
        #expect(admitted == 10)
        let eleventh = b.take(nowMillis: 0), at199 = b.take(nowMillis: 199), at200 = b.take(nowMillis: 200)
        #expect(!eleventh)
        #expect(!at199)
        #expect(at200)
        #expect(b.millisUntilToken(nowMillis: 200) == 200)
    }
}
