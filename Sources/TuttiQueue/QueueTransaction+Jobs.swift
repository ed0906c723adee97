import Foundation
import PostgresNIO
import TuttiDomain

extension QueueTransaction {
    /// The jobs among `ids` that are pending or dead, with their errors; completed (or unknown)
    /// ids are absent.
    public func queueJobs(ids: [Int64]) async throws -> [QueueJobSnapshot] {
        guard !ids.isEmpty else { return [] }
        let rows = try await query(
            """
            WITH found AS (
                SELECT id, queue, state, priority, run_at, attempts, max_attempts, leased_by, lease_expires_at, errors, payload
                FROM queue_jobs WHERE tenant_id = \(tenantID) AND id = ANY(\(ids)::int8[])
                UNION ALL
                SELECT id, queue, 'dead', priority, died_at, attempts, max_attempts, NULL, NULL, errors, payload
                FROM queue_dead_letters WHERE tenant_id = \(tenantID) AND id = ANY(\(ids)::int8[])
            )
            SELECT f.id, f.queue, f.state, f.priority, f.run_at, f.attempts, f.max_attempts, f.leased_by, f.lease_expires_at,
                   f.payload::text, (e.value->>'attempt')::int4, (e.value->>'at')::timestamptz, e.value->>'worker', e.value->>'error'
            FROM found AS f LEFT JOIN LATERAL jsonb_array_elements(f.errors) WITH ORDINALITY AS e(value, ord) ON true
            ORDER BY f.id, e.ord
            """)
        var jobs: [QueueJobSnapshot] = []
        for try await row in rows.decode(
            (Int64, String, String, Int16, Date, Int32, Int32, String?, Date?, String, Int32?, Date?, String?, String?).self)
        {
            let (id, queue, state, priority, runAt, attempts, maxAttempts, leasedBy, leaseExpiresAt, payload) =
                (row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9)
            if jobs.last?.id != id {
                jobs.append(
                    QueueJobSnapshot(
                        id: id, queue: try QueueName(queue), state: QueueJobState(rawValue: state) ?? .ready,
                        priority: QueuePriority(rawValue: priority) ?? .normal, runAt: runAt, attempts: attempts,
                        maxAttempts: maxAttempts, leasedBy: leasedBy, leaseExpiresAt: leaseExpiresAt, errors: [], payload: payload
                    ))
            }
            if let attempt = row.10, let at = row.11, let message = row.13 {
                jobs[jobs.count - 1].errors.append(QueueAttemptError(attempt: attempt, at: at, worker: row.12, message: message))
            }
        }
        return jobs
    }
}
