import Foundation
import PostgresNIO
import TuttiDomain

/// A worker's identity, recorded on the jobs it leases (`leased_by`) and in their errors, so
/// that operators can tell whose lease lapsed. Host and process id make a good one.
public typealias QueueWorkerName = String

/// The outcome of ``QueueTransaction/queueCompleteAndClaim(completing:queue:worker:limit:lease:)``.
public struct QueueClaimResult: Sendable {
    /// How many of the leases given to complete were still current and are now completed.
    public var completed: Int
    /// The jobs now leased, in claim order: priority, then run time, then id.
    public var jobs: [ClaimedQueueJob]
}

extension QueueTransaction {
    /// Leases up to `limit` ready jobs of this tenant in `queue` for `lease`, in claim order
    /// (priority, then run time, then enqueue order). Commit promptly: the rows stay locked
    /// until then, and other claimers skip them.
    public func queueClaim(
        queue: QueueName, worker: QueueWorkerName, limit: Int, lease: Duration
    ) async throws -> [ClaimedQueueJob] {
        try await queueCompleteAndClaim(completing: [], queue: queue, worker: worker, limit: limit, lease: lease).jobs
    }

    /// Completes `leases` (deletes those jobs, if each lease is still current) and leases up to
    /// `limit` ready jobs, in one statement: a worker finishing a batch asks for the next in
    /// the same round trip.
    public func queueCompleteAndClaim(
        completing leases: [QueueLease], queue: QueueName, worker: QueueWorkerName, limit: Int, lease: Duration
    ) async throws -> QueueClaimResult {
        let statement = QueueClaimStatement(
            claim: QueueClaimArguments(tenantID: tenantID, queue: queue, worker: worker, limit: limit, lease: lease),
            completing: leases)
        var result = QueueClaimResult(completed: 0, jobs: [])
        result.jobs.reserveCapacity(limit)
        for try await (id, attempt, priority, payload, uniqueKey, maxAttempts, runAt, completed) in try await connection.execute(
            statement, logger: logger)
        {
            result.completed = completed
            if let job = ClaimedQueueJob(
                tenantID: tenantID, queue: queue, id: id, attempt: attempt, priority: priority, payload: payload,
                uniqueKey: uniqueKey,
                maxAttempts: maxAttempts, runAt: runAt)
            {
                result.jobs.append(job)
            }
        }
        return result
    }

    /// Extends `leases` to `lease` from now, for work that takes longer than its lease. Returns
    /// the leases that were no longer current (rescued, or completed or failed already): stop
    /// working on those, another worker may have them.
    public func queueHeartbeat(_ leases: [QueueLease], lease: Duration) async throws -> [QueueLease] {
        guard !leases.isEmpty else { return [] }
        let rows = try await query(
            """
            UPDATE queue_jobs AS j SET lease_expires_at = now() + make_interval(secs => \(lease.secondsValue))
            FROM unnest(\(leases.map(\.jobID))::int8[], \(leases.map(\.attempt))::int4[]) AS h(id, attempt)
            WHERE j.tenant_id = \(tenantID) AND j.id = h.id AND j.attempts = h.attempt AND j.state = 'leased'
            RETURNING j.id, j.attempts
            """)
        var held: Set<QueueLease> = []
        for try await (id, attempt) in rows.decode((Int64, Int32).self) { held.insert(QueueLease(jobID: id, attempt: attempt)) }
        return leases.filter { !held.contains($0) }
    }
}
