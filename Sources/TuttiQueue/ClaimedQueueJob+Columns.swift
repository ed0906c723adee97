import Foundation

extension ClaimedQueueJob {
    /// The job from the columns `QueueClaimSQL.claim` returns (`id, attempts, priority, payload,
    /// unique_key, max_attempts, run_at`); nil on the one row of a claim that leased nothing,
    /// where they are all NULL.
    public init?(
        tenantID: UUID, queue: QueueName, id: Int64?, attempt: Int32?, priority: Int16?, payload: String?, uniqueKey: String?,
        maxAttempts: Int32?, runAt: Date?
    ) {
        guard let id, let attempt, let priority, let payload, let maxAttempts, let runAt else { return nil }
        self.init(
            tenantID: tenantID, queue: queue, lease: QueueLease(jobID: id, attempt: attempt),
            priority: QueuePriority(rawValue: priority) ?? .normal, payload: payload, uniqueKey: uniqueKey,
            maxAttempts: maxAttempts,
            runAt: runAt)
    }
}
