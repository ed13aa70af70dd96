import Testing
import Gateway

/// `traffic`'s retry waits: the formulas and their determinism.
@Suite struct RetryPolicyTests {
    @Test func exponentialWithoutJitterDoublesUpToTheCap() {
        var p = RetryPolicy(retries: 5, exponential: true, baseMillis: 100, capMillis: 1_000, jitter: .none)
        let waits = (0..<6).map { p.wait(attempt: $0, previous: 0) }
        #expect(waits == [100, 200, 400, 800, 1_000, 1_000])
        var fixed = RetryPolicy(retries: 3, exponential: false, baseMillis: 250, capMillis: 1_000, jitter: .none)
        #expect((0..<3).map { fixed.wait(attempt: $0, previous: 0) } == [250, 250, 250])
    }

    @Test(arguments: [RetryPolicy.Jitter.full, .equal, .decorrelated])
    func jitterStaysInItsRangeAndRepeatsWithTheSeed(_ jitter: RetryPolicy.Jitter) {
        var a = RetryPolicy(retries: 8, exponential: true, baseMillis: 100, capMillis: 5_000, jitter: jitter, seed: 42)
        var b = a
        var previous: Int64 = 100
        for attempt in 0..<8 {
            let grown = min(5_000, 100 * (1 << attempt))
            let w = a.wait(attempt: attempt, previous: previous)
            #expect(w == b.wait(attempt: attempt, previous: previous))
            switch jitter {
            case .full: #expect((0...Int64(grown)).contains(w))
            case .equal: #expect((Int64(grown / 2)...Int64(grown)).contains(w))
            case .decorrelated: #expect((100...5_000).contains(w))
            case .none: break
            }
            previous = max(1, w)
        }
    }
}
