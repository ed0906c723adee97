/// A job to enqueue: what to do (the payload, read by the worker of its queue), when, and how
/// hard to try.
public struct NewQueueJob: Sendable, Hashable {
    /// The queue whose workers run it.
    public var queue: QueueName
    /// A JSON document for the worker, stored as `jsonb`: for a delivery, the ids it needs to
    /// load the rest. Keep it small; it travels with every claim.
    public var payload: String
    public var priority: QueuePriority
    public var schedule: QueueSchedule
    /// At most one pending (scheduled, ready or leased) job per tenant, queue and key: a second
    /// enqueue with the same key is skipped. The key is free again once the job completes or
    /// is dead-lettered. Nil: no deduplication. 1 to 255 characters.
    public var uniqueKey: String?
    /// Claims before the job is dead-lettered, counting the first (1 to 1000).
    public var maxAttempts: Int

    /// The default number of attempts: with the default retry policy they span about a day.
    public static let defaultMaxAttempts = 20

    public init(
        queue: QueueName, payload: String = "{}", priority: QueuePriority = .normal, schedule: QueueSchedule = .now,
        uniqueKey: String? = nil, maxAttempts: Int = NewQueueJob.defaultMaxAttempts
    ) {
        self.queue = queue
        self.payload = payload
        self.priority = priority
        self.schedule = schedule
        self.uniqueKey = uniqueKey
        self.maxAttempts = maxAttempts
    }
}
