import Testing
import TuttiDomain

@Suite("Queue retry policy")
struct QueueRetryPolicyTests {
    private struct Fixed: RandomNumberGenerator {
        var value: UInt64
        mutating func next() -> UInt64 { value }
    }

    @Test func backoffRangesDoubleWithoutOverlappingUntilTheCap() {
        let policy = QueueRetryPolicy(base: .seconds(2), cap: .seconds(60))
        #expect(policy.backoffRange(afterAttempt: 1) == .seconds(1) ... .seconds(2))
        #expect(policy.backoffRange(afterAttempt: 2) == .seconds(2) ... .seconds(4))
        #expect(policy.backoffRange(afterAttempt: 5) == .seconds(16) ... .seconds(32))
        #expect(policy.backoffRange(afterAttempt: 6) == .seconds(30) ... .seconds(60))
        #expect(policy.backoffRange(afterAttempt: 1000) == .seconds(30) ... .seconds(60))
    }

    @Test func delaysAreDrawnFromTheBackoffRange() {
        let policy = QueueRetryPolicy()
        for attempt in Int32(1)...25 {
            for seed in [UInt64.min, .max / 2, .max] {
                var generator = Fixed(value: seed)
                let delay = policy.delay(afterAttempt: attempt, retryAfter: nil, using: &generator)
                #expect(policy.backoffRange(afterAttempt: attempt).contains(delay), "attempt \(attempt)")
            }
        }
    }

    @Test func retryAfterIsNeverShortenedAndIsCapped() {
        let policy = QueueRetryPolicy(maximumRetryAfter: .seconds(3600))
        var low = Fixed(value: 0)
        var high = Fixed(value: .max)
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(30), using: &low) == .seconds(30))
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(30), using: &high) == .seconds(33))
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(7200), using: &high) == .seconds(3660))
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(-5), using: &low) == .zero)
    }
}
