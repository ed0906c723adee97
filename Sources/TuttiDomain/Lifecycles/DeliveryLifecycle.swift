/// One delivery job's lifecycle, as a pure state machine: the worker feeds it what happened
/// (claimed, the gateway's answer, not sent, lease lapsed) and persists the decision it returns;
/// no SQL decides whether a job is retried or dead-lettered (docs/delivery.md, "Lifecycles").
///
/// ```
/// queued ──claimed──▶ inFlight ──accepted──▶ sent
///   ▲                  │  │ └──refused / last attempt failed──▶ deadLettered
///   └──retry at / lease lapsed (attempts left)──┘  └──not sent (circuit)──▶ queued, attempt not used
/// ```
public struct DeliveryLifecycle: Sendable, Hashable {
    /// Where the delivery stands.
    public enum State: Sendable, Hashable {
        /// Waiting to be claimed; `attemptsMade` gateway attempts are behind it.
        case queued(attemptsMade: Int32)
        /// Leased for attempt `attempt` (counted from 1).
        case inFlight(attempt: Int32)
        /// A gateway took it on attempt `attempt`. Final.
        case sent(attempt: Int32)
        /// No attempt can succeed, or none is left. Final.
        case deadLettered(reason: String)
    }

    /// What the worker must persist.
    public enum Decision: Sendable, Hashable {
        /// Send attempt `attempt` now.
        case send(attempt: Int32)
        /// Record the message as sent and complete the job.
        case recordSent
        /// Record the failed attempt; the job is claimable again `after` from now.
        case retry(after: Duration, error: String)
        /// Record the failed attempt and move the job to the dead letters.
        case deadLetter(reason: String)
        /// Hand the job back without using up its attempt: claimable again `after` from now.
        case postpone(after: Duration)
        /// The event does not apply in this state (a late answer after a lapsed lease); nothing to persist.
        case ignore
    }

    /// The longest a job is postponed (24 hours, like the longest `Retry-After` honoured).
    public static let maximumPostponement: Duration = .seconds(86_400)

    public private(set) var state: State
    /// Attempts a job may use before it is dead-lettered (the job's `max_attempts`).
    public let maxAttempts: Int32
    public let policy: QueueRetryPolicy

    public init(state: State = .queued(attemptsMade: 0), maxAttempts: Int32, policy: QueueRetryPolicy = QueueRetryPolicy()) {
        self.state = state
        self.maxAttempts = max(1, maxAttempts)
        self.policy = policy
    }

    /// The lifecycle of a job just claimed for `attempt`, as the claim returns it.
    public static func claimed(attempt: Int32, maxAttempts: Int32, policy: QueueRetryPolicy = QueueRetryPolicy()) -> Self {
        Self(state: .inFlight(attempt: attempt), maxAttempts: maxAttempts, policy: policy)
    }

    /// Whether the attempt in flight is the last one the job may use.
    public var isFinalAttempt: Bool {
        if case .inFlight(let attempt) = state { return attempt >= maxAttempts }
        return false
    }

    /// A worker leased the job.
    public mutating func claim() -> Decision {
        guard case .queued(let made) = state else { return .ignore }
        state = .inFlight(attempt: made + 1)
        return .send(attempt: made + 1)
    }

    /// The gateway answered (or could not be reached) for the attempt in flight.
    public mutating func answered(_ outcome: DeliveryOutcome) -> Decision {
        var generator = SystemRandomNumberGenerator()
        return answered(outcome, using: &generator)
    }

    /// As ``answered(_:)``, drawing the backoff's jitter from `generator`.
    public mutating func answered(_ outcome: DeliveryOutcome, using generator: inout some RandomNumberGenerator) -> Decision {
        guard case .inFlight(let attempt) = state else { return .ignore }
        switch outcome {
        case .accepted:
            state = .sent(attempt: attempt)
            return .recordSent
        case .failed(let reason):
            state = .deadLettered(reason: reason)
            return .deadLetter(reason: reason)
        case .retryLater(let after, let reason):
            guard attempt < maxAttempts else {
                let final = "attempt \(attempt) of \(maxAttempts) failed: \(reason)"
                state = .deadLettered(reason: final)
                return .deadLetter(reason: final)
            }
            state = .queued(attemptsMade: attempt)
            return .retry(after: policy.delay(afterAttempt: attempt, retryAfter: after, using: &generator), error: reason)
        }
    }

    /// The worker did not ask the gateway (the channel's circuit is open or another worker is
    /// probing it): the attempt does not count, and the job waits `wait`.
    public mutating func notSent(wait: Duration) -> Decision {
        guard case .inFlight(let attempt) = state else { return .ignore }
        state = .queued(attemptsMade: attempt - 1)
        return .postpone(after: Swift.min(Swift.max(wait, .zero), Self.maximumPostponement))
    }

    /// The job cannot be sent at all (its message or channel is gone): dead-lettered at once.
    public mutating func undeliverable(reason: String) -> Decision {
        guard case .inFlight = state else { return .ignore }
        state = .deadLettered(reason: reason)
        return .deadLetter(reason: reason)
    }

    /// The lease lapsed before any answer was recorded (the worker died or stalled): the
    /// attempt counts, since the gateway may have been asked. Claimable again at once while
    /// attempts are left; dead-lettered when none is.
    public mutating func leaseLapsed() -> Decision {
        guard case .inFlight(let attempt) = state else { return .ignore }
        guard attempt < maxAttempts else {
            let reason = "lease expired on attempt \(attempt) of \(maxAttempts)"
            state = .deadLettered(reason: reason)
            return .deadLetter(reason: reason)
        }
        state = .queued(attemptsMade: attempt)
        return .retry(after: .zero, error: "lease expired")
    }
}
