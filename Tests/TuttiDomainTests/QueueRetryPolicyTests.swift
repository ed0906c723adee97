import Testing
import TuttiDomain

@Suite("Queue retry policy")
struct QueueRetryPolicyTests {
    /// SplitMix64: varied, repeatable draws. (A generator returning one constant would make
    /// `Double.random(in:using:)` reject its samples forever.)
    private struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func backoffRangesDoubleWithoutOverlappingUntilTheCap() {
        let policy = QueueRetryPolicy(base: .seconds(2), cap: .seconds(60))
        #expect(policy.backoffRange(afterAttempt: 1) == .seconds(1) ... .seconds(2))
        #expect(policy.backoffRange(afterAttempt: 2) == .seconds(2) ... .seconds(4))
        #expect(policy.backoffRange(afterAttempt: 5) == .seconds(16) ... .seconds(32))
        #expect(policy.backoffRange(afterAttempt: 6) == .seconds(30) ... .seconds(60))
        #expect(policy.backoffRange(afterAttempt: 1000) == .seconds(30) ... .seconds(60))
    }

    @Test func delaysAreDrawnFromTheBackoffRangeAndSpreadAcrossIt() {
        let policy = QueueRetryPolicy()
        var generator = SplitMix(state: 42)
        for attempt in Int32(1)...25 {
            let range = policy.backoffRange(afterAttempt: attempt)
            let delays = (0..<200).map { _ in policy.delay(afterAttempt: attempt, retryAfter: nil, using: &generator) }
            #expect(delays.allSatisfy(range.contains), "attempt \(attempt)")
            #expect(Set(delays).count > 100, "jitter spreads the retries of attempt \(attempt)")
        }
    }

    @Test func retryAfterIsNeverShortenedAndIsCapped() {
        let policy = QueueRetryPolicy(maximumRetryAfter: .seconds(3600))
        var generator = SplitMix(state: 7)
        func draws(_ retryAfter: Duration) -> [Duration] {
            (0..<200).map { _ in policy.delay(afterAttempt: 1, retryAfter: retryAfter, using: &generator) }
        }
        #expect(draws(.seconds(30)).allSatisfy { $0 >= .seconds(30) && $0 <= .seconds(33) })
        #expect(draws(.seconds(7200)).allSatisfy { $0 >= .seconds(3600) && $0 <= .seconds(3660) })
        #expect(draws(.seconds(-5)) == Array(repeating: .zero, count: 200))
    }
}
