/// A claimed job handed back to wait, without its claim counting as an attempt: the work was
/// not tried (a channel's circuit is open and nothing may be sent until its probe is due), so
/// it must neither use up the job's attempts nor leave an error.
///
/// Reported with ``QueueTransaction/queuePostpone(_:)`` in place of completing or failing the
/// lease. The next claim gets the same attempt number this one had.
public struct QueuePostponement: Sendable, Hashable {
    public var lease: QueueLease
    /// How long the job waits before it may be claimed again; cut to 0 ... 24 hours. No
    /// jitter is added: spread the delays yourself when many jobs wait for the same moment.
    public var delay: Duration

    /// The longest delay honoured (24 hours, like a gateway's `Retry-After`).
    public static let maximumDelay: Duration = .seconds(86_400)

    public init(lease: QueueLease, delay: Duration) {
        self.lease = lease
        self.delay = delay
    }

    /// The delay as it is applied: never negative, at most ``maximumDelay``.
    public var effectiveDelay: Duration { Swift.min(Swift.max(delay, .zero), Self.maximumDelay) }
}
