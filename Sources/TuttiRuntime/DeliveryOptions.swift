/// How a worker claims and sends deliveries (`TUTTI_WORKER_*`, README's configuration table),
/// read with the rest of ``TuttiConfiguration``.
public struct DeliveryOptions: Sendable, Hashable {
    /// Jobs per claim (`TUTTI_WORKER_BATCH`, default 500).
    public var batchSize: Int
    /// Requests in flight per channel at once, per lane (`TUTTI_WORKER_IN_FLIGHT`, default 64).
    public var inFlightPerChannel: Int
    /// Batches a worker works on at once (`TUTTI_WORKER_LANES`, default 4): while one lane
    /// waits for the database, the others send, so neither the database nor the network
    /// waits for the other.
    public var lanes: Int
    /// The lease each claim takes; heartbeats extend it every third of it
    /// (`TUTTI_WORKER_LEASE_SECONDS`, 3 to 25, default 20).
    public var lease: Duration
    /// How long an idle worker waits for a NOTIFY hint before it polls again
    /// (`TUTTI_WORKER_POLL_MS`, default 1000 ms).
    public var pollInterval: Duration
    /// Consecutive failed attempts on a channel that open its circuit (default 5).
    public var circuitThreshold: Int
    /// How long an open circuit waits before one half-open probe (default 30 s).
    public var circuitCooldown: Duration

    public init(
        batchSize: Int = 500, inFlightPerChannel: Int = 64, lanes: Int = 4, lease: Duration = .seconds(20),
        pollInterval: Duration = .seconds(1),
        circuitThreshold: Int = 5, circuitCooldown: Duration = .seconds(30)
    ) {
        self.batchSize = batchSize
        self.inFlightPerChannel = inFlightPerChannel
        self.lanes = lanes
        self.lease = lease
        self.pollInterval = pollInterval
        self.circuitThreshold = circuitThreshold
        self.circuitCooldown = circuitCooldown
    }
}
