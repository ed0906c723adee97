/// How long a failed job waits before its next attempt.
///
/// Exponential backoff with "equal jitter": after attempt `n` the wait is drawn from
/// `[d/2, d]` where `d = min(cap, base × 2^(n-1))`. The halves never overlap from one attempt to
/// the next, so waits always grow until the cap, while the random half spreads a burst of
/// failures (a gateway outage) so that the retries do not arrive together.
///
/// A gateway that names a delay (`Retry-After`) is obeyed: the wait is that delay plus up to
/// 10% (at most a minute) of jitter, never less, and at most ``maximumRetryAfter``.
public struct QueueRetryPolicy: Sendable, Hashable {
    /// The wait after the first attempt, before jitter (default 2 s).
    public var base: Duration
    /// The longest backoff wait (default 1 hour). With the defaults, 20 attempts span about 7 to
    /// 10 hours.
    public var cap: Duration
    /// The longest `Retry-After` honoured (default 24 hours); a longer one is cut to this.
    public var maximumRetryAfter: Duration

    public init(base: Duration = .seconds(2), cap: Duration = .seconds(3600), maximumRetryAfter: Duration = .seconds(86_400)) {
        self.base = base
        self.cap = cap
        self.maximumRetryAfter = maximumRetryAfter
    }

    /// The wait before the attempt after `attempt` (counted from 1), honouring `retryAfter`.
    public func delay(afterAttempt attempt: Int32, retryAfter: Duration? = nil) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(afterAttempt: attempt, retryAfter: retryAfter, using: &generator)
    }

    /// As ``delay(afterAttempt:retryAfter:)``, drawing the jitter from `generator`.
    public func delay(
        afterAttempt attempt: Int32, retryAfter: Duration?, using generator: inout some RandomNumberGenerator
    ) -> Duration {
        if let retryAfter {
            let honoured = Swift.max(Duration.zero, Swift.min(retryAfter, maximumRetryAfter))
            let spread = Swift.min(honoured.secondsValue * 0.1, 60)
            return honoured + .milliseconds(Int64((spread * Self.unit(&generator) * 1000).rounded()))
        }
        let exponent = Double(Swift.max(0, Swift.min(attempt - 1, 62)))
        let full = Swift.min(cap.secondsValue, base.secondsValue * pow2(exponent))
        let seconds = full / 2 + full / 2 * Self.unit(&generator)
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// The range ``delay(afterAttempt:retryAfter:)`` draws from when the gateway named no delay.
    public func backoffRange(afterAttempt attempt: Int32) -> ClosedRange<Duration> {
        let exponent = Double(Swift.max(0, Swift.min(attempt - 1, 62)))
        let full = Swift.min(cap.secondsValue, base.secondsValue * pow2(exponent))
        return .milliseconds(Int64((full / 2 * 1000).rounded())) ... .milliseconds(Int64((full * 1000).rounded()))
    }

    /// A fraction in [0, 1] from one draw. `Double.random(in:using:)` rejects some draws and
    /// draws again, which never ends with a generator that repeats itself (as tests' do).
    private static func unit(_ generator: inout some RandomNumberGenerator) -> Double {
        Double(generator.next() >> 11) / Double((1 as UInt64) << 53 - 1)
    }

    private func pow2(_ exponent: Double) -> Double {
        var result = 1.0
        for _ in 0..<Int(exponent) { result *= 2 }
        return result
    }
}
