import Foundation

/// Where a job stands, for status pages and operators.
public enum QueueJobState: String, Sendable, Hashable, Codable {
    /// Waiting for its run time (first run, or a retry's backoff).
    case scheduled
    /// Waiting for a worker.
    case ready
    /// A worker holds it.
    case leased
    /// Out of attempts, or failed permanently; kept in the dead letters.
    case dead
}

/// One failed attempt of a job, as the queue recorded it.
public struct QueueAttemptError: Sendable, Hashable {
    public var attempt: Int32
    public var at: Date
    /// The worker that held the lease, when known.
    public var worker: String?
    public var message: String

    public init(attempt: Int32, at: Date, worker: String?, message: String) {
        self.attempt = attempt
        self.at = at
        self.worker = worker
        self.message = message
    }
}

/// A pending or dead job as stored (completed jobs are gone: their history is the caller's).
public struct QueueJobSnapshot: Sendable, Hashable {
    public var id: Int64
    public var queue: QueueName
    public var state: QueueJobState
    public var priority: QueuePriority
    public var runAt: Date
    /// Claims so far.
    public var attempts: Int32
    public var maxAttempts: Int32
    public var leasedBy: String?
    public var leaseExpiresAt: Date?
    /// Every failed attempt's error, oldest first.
    public var errors: [QueueAttemptError]
    public var payload: String

    public init(
        id: Int64, queue: QueueName, state: QueueJobState, priority: QueuePriority, runAt: Date, attempts: Int32,
        maxAttempts: Int32, leasedBy: String?, leaseExpiresAt: Date?, errors: [QueueAttemptError], payload: String
    ) {
        self.id = id
        self.queue = queue
        self.state = state
        self.priority = priority
        self.runAt = runAt
        self.attempts = attempts
        self.maxAttempts = maxAttempts
        self.leasedBy = leasedBy
        self.leaseExpiresAt = leaseExpiresAt
        self.errors = errors
        self.payload = payload
    }
}
