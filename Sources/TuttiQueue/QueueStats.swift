/// One queue's figures across all tenants, for metrics gauges.
public struct QueueStats: Sendable, Hashable {
    public var queue: String
    public var ready: Int
    public var scheduled: Int
    public var leased: Int
    /// How long the oldest ready job has been due, in seconds (0 when none is ready): the wait
    /// a new job would see if workers fell no further behind.
    public var oldestReadySeconds: Double
    public var deadLetters: Int

    public init(queue: String, ready: Int, scheduled: Int, leased: Int, oldestReadySeconds: Double, deadLetters: Int) {
        self.queue = queue
        self.ready = ready
        self.scheduled = scheduled
        self.leased = leased
        self.oldestReadySeconds = oldestReadySeconds
        self.deadLetters = deadLetters
    }
}
