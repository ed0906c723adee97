import TuttiDomain

/// What a worker reports about an attempt that did not succeed.
public struct QueueFailure: Sendable, Hashable {
    /// Whether another attempt may succeed.
    public enum Disposition: Sendable, Hashable {
        /// Try again after the retry policy's backoff, or after `retryAfter` when the gateway
        /// named a delay (HTTP `Retry-After`); dead-lettered once attempts run out.
        case retry(retryAfter: Duration?)
        /// Try again after exactly `delay`: the caller's lifecycle decided it, jitter included
        /// (a delivery's ``DeliveryLifecycle``).
        case retryIn(Duration)
        /// No attempt can succeed (a rejected address, a 4xx that is not a rate limit):
        /// dead-letter now.
        case permanent
    }

    public var lease: QueueLease
    /// For the job's error history and the dead letter; shown to operators, so say what failed
    /// and what the gateway answered, never a credential. Cut to 2,000 characters when stored.
    public var message: String
    public var disposition: Disposition

    public init(lease: QueueLease, message: String, disposition: Disposition = .retry(retryAfter: nil)) {
        self.lease = lease
        self.message = message
        self.disposition = disposition
    }
}

extension QueueFailure {
    /// The failure that persists a delivery lifecycle's `decision`, or nil when the decision
    /// is not a failure (sent, postponed, ignored).
    public init?(lease: QueueLease, decision: DeliveryLifecycle.Decision) {
        switch decision {
        case .retry(let after, let error): self.init(lease: lease, message: error, disposition: .retryIn(after))
        case .deadLetter(let reason): self.init(lease: lease, message: reason, disposition: .permanent)
        case .send, .recordSent, .postpone, .ignore: return nil
        }
    }
}
