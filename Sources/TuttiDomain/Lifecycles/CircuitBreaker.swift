import Foundation

/// A channel's circuit breaker, as a pure state machine shared by every worker through its
/// persisted ``State`` (docs/delivery.md, "Circuit breaking").
///
/// Closed, it counts consecutive gateway failures; at ``threshold`` it opens for
/// ``cooldown``. When the cooldown is over, the first worker to check takes the half-open
/// slot and sends one probe; the others wait. The probe's success closes the circuit, its
/// failure opens it for another cooldown, and a probe that never reports (its worker died)
/// frees the slot again after a cooldown. A refusal (4xx, a bad recipient) counts as the
/// gateway being up: it answered.
public struct CircuitBreaker: Sendable, Hashable {
    /// The circuit, as persisted (`channel_states`). Times are the database's clock.
    public enum State: Sendable, Hashable {
        case closed(consecutiveFailures: Int)
        /// Nothing may be sent until `probeAt`.
        case open(probeAt: Date)
        /// One worker holds the probe slot until `probeUntil`.
        case halfOpen(probeUntil: Date)
    }

    /// What a worker about to send a batch through the channel may do.
    public enum Permission: Sendable, Hashable {
        case send
        /// Send one message; this worker holds the probe slot.
        case probe
        /// Send nothing; ask again after `retryAfter`.
        case wait(retryAfter: Duration)
    }

    /// What one batch said about the gateway, in completion order: whether any delivery got
    /// an answer, and the failures after the last answer.
    public struct Tally: Sendable, Hashable {
        public var answered: Bool
        public var trailingFailures: Int
        public var lastFailure: String?

        public init(answered: Bool = false, trailingFailures: Int = 0, lastFailure: String? = nil) {
            self.answered = answered
            self.trailingFailures = trailingFailures
            self.lastFailure = lastFailure
        }

        /// Adds one delivery's outcome.
        public mutating func add(_ outcome: DeliveryOutcome) {
            switch outcome {
            case .accepted, .failed:
                answered = true
                trailingFailures = 0
            case .retryLater(_, let reason):
                trailingFailures += 1
                lastFailure = reason
            }
        }

        /// Whether the batch says nothing new about a healthy circuit.
        public var isClean: Bool { trailingFailures == 0 }
    }

    public private(set) var state: State
    /// Consecutive failures that open the circuit.
    public let threshold: Int
    /// How long an open circuit stays open, and how long a probe slot is held.
    public let cooldown: Duration

    public init(state: State = .closed(consecutiveFailures: 0), threshold: Int, cooldown: Duration) {
        self.state = state
        self.threshold = max(1, threshold)
        self.cooldown = cooldown
    }

    /// A worker asks before sending at `now`.
    public mutating func check(now: Date) -> Permission {
        switch state {
        case .closed:
            return .send
        case .open(let probeAt) where probeAt <= now, .halfOpen(let probeAt) where probeAt <= now:
            state = .halfOpen(probeUntil: now.addingTimeInterval(cooldown.secondsValue))
            return .probe
        case .open(let until), .halfOpen(let until):
            return .wait(retryAfter: .milliseconds(Int64(max(0.1, until.timeIntervalSince(now)) * 1000)))
        }
    }

    /// A batch's outcomes arrive at `now`.
    public mutating func record(_ tally: Tally, now: Date) {
        let failures: Int
        switch state {
        case .closed(let before): failures = tally.answered ? tally.trailingFailures : before + tally.trailingFailures
        case .open, .halfOpen: failures = tally.answered ? tally.trailingFailures : threshold
        }
        if failures >= threshold {
            state = .open(probeAt: now.addingTimeInterval(cooldown.secondsValue))
        } else if tally.answered {
            state = .closed(consecutiveFailures: failures)
        } else if case .closed = state {
            state = .closed(consecutiveFailures: failures)
        }
    }
}
