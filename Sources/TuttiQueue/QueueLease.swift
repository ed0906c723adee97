/// Proof of one claim of one job: its id and the attempt number the claim gave it.
///
/// Completing, failing and extending a job all present its lease. A claim increments the
/// attempt, so after a lease has lapsed and another worker has claimed the job again, the first
/// worker's late report names an attempt that is no longer current and changes nothing.
public struct QueueLease: Sendable, Hashable, CustomStringConvertible {
    /// The job's id, unique within its tenant.
    public var jobID: Int64
    /// Which claim of the job this is, from 1.
    public var attempt: Int32

    public init(jobID: Int64, attempt: Int32) {
        self.jobID = jobID
        self.attempt = attempt
    }

    public var description: String { "job \(jobID) attempt \(attempt)" }
}

extension QueueLease {
    /// The lease as one number, job id and attempt together (attempts are at most 1,000), so
    /// that ``QueueClaimSQL/fence(tenant:ids:keys:)`` matches leases with `= ANY` and no join.
    public var fenceKey: Int64 { jobID &* 1024 &+ Int64(attempt) }
}
