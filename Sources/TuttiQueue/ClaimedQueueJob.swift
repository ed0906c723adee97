import Foundation

/// A job a worker has claimed and holds a lease on until it completes it, fails it, or the
/// lease runs out.
public struct ClaimedQueueJob: Sendable, Hashable {
    public var tenantID: UUID
    public var queue: QueueName
    public var lease: QueueLease
    public var priority: QueuePriority
    /// The JSON text it was enqueued with.
    public var payload: String
    public var uniqueKey: String?
    public var maxAttempts: Int32
    /// When it became due (for a retry, when its backoff ended).
    public var runAt: Date

    public init(
        tenantID: UUID, queue: QueueName, lease: QueueLease, priority: QueuePriority, payload: String,
        uniqueKey: String?, maxAttempts: Int32, runAt: Date
    ) {
        self.tenantID = tenantID
        self.queue = queue
        self.lease = lease
        self.priority = priority
        self.payload = payload
        self.uniqueKey = uniqueKey
        self.maxAttempts = maxAttempts
        self.runAt = runAt
    }

    public var id: Int64 { lease.jobID }
    /// Which claim this is, from 1.
    public var attempt: Int32 { lease.attempt }
    /// A failure of this attempt dead-letters the job.
    public var isFinalAttempt: Bool { lease.attempt >= maxAttempts }
}
