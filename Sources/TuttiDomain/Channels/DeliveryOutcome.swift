/// What became of one attempt to hand a delivery to its gateway.
///
/// The queue turns these into its own states: `accepted` completes the job,
/// `retryLater` fails it with a retry (after `after`, or the retry policy's backoff),
/// `failed` dead-letters it at once.
public enum DeliveryOutcome: Sendable, Hashable {
    /// The gateway took the message; `providerMessageID` is its id for it, when it gives one
    /// (status callbacks name it).
    case accepted(providerMessageID: String?)
    /// The gateway is busy, failing or unreachable, or asked us to wait (`after`); the same
    /// delivery may succeed later. `reason` is for operators and never holds a credential.
    case retryLater(after: Duration?, reason: String)
    /// No attempt can succeed as things stand: the gateway refused the message or the
    /// channel's settings (4xx other than 408 and 429, an unknown recipient, bad credentials).
    case failed(reason: String)

    /// The reason, or nil when accepted.
    public var reason: String? {
        switch self {
        case .accepted: nil
        case .retryLater(_, let reason), .failed(let reason): reason
        }
    }
}
