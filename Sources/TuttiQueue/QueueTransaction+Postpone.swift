import Foundation
import PostgresNIO
import TuttiDomain

extension QueueTransaction {
    /// Hands claimed jobs back to wait `delay` without counting the claim as an attempt
    /// (see ``QueuePostponement``), in one statement. Each job whose lease is current returns
    /// to `scheduled` (or `ready` for no delay, with a NOTIFY hint) with its attempt count
    /// lowered by the claim's one, its error history untouched and its lease released; since
    /// the count is lowered, a job on its last attempt stays on it instead of being
    /// dead-lettered. Returns how many jobs were postponed; a lapsed lease changes nothing.
    ///
    /// The next claim receives the same attempt number again, so the postponing worker must
    /// not present the lease afterwards (no complete, fail or heartbeat): as with every
    /// report, the postponement ends its hold on the job.
    @discardableResult
    public func queuePostpone(_ postponements: [QueuePostponement]) async throws -> Int {
        guard !postponements.isEmpty else { return 0 }
        let rows = try await query(
            """
            WITH input AS (
                SELECT * FROM unnest(\(postponements.map(\.lease.jobID))::int8[], \(postponements.map(\.lease.attempt))::int4[],
                                     \(postponements.map(\.effectiveDelay.secondsValue))::float8[])
                    AS p(id, attempt, delay)
            ), timed AS (
                -- The run time is computed here, not in the UPDATE: Citus refuses a STABLE
                -- function (timestamptz + interval) over a column in an UPDATE.
                SELECT p.*, now() + make_interval(secs => p.delay) AS run_at FROM input AS p
            ), postponed AS (
                UPDATE queue_jobs AS j
                SET state = CASE WHEN p.delay > 0 THEN 'scheduled' ELSE 'ready' END,
                    run_at = p.run_at,
                    attempts = j.attempts - 1,
                    leased_by = NULL, lease_expires_at = NULL
                FROM timed AS p
                WHERE j.tenant_id = \(tenantID) AND j.id = p.id AND j.attempts = p.attempt AND j.state = 'leased'
                RETURNING j.queue, j.state
            ), notified AS (
                -- ::text: Citus refuses a CTE column of pseudo-type void.
                SELECT pg_notify('tutti_queue', ready.queue || ' ' || \(tenantID)::text)::text
                FROM (SELECT DISTINCT postponed.queue FROM postponed WHERE postponed.state = 'ready') AS ready
            )
            SELECT (SELECT count(*) FROM postponed)::int8, (SELECT count(*) FROM notified)::int8
            """)
        if let counts = try await rows.decode((Int, Int).self).firstRow() { return counts.0 }
        return 0
    }
}
