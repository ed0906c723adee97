import Foundation
import PostgresNIO
import TuttiDomain

/// The outcome of ``QueueTransaction/queueFail(_:policy:)``.
public struct QueueFailResult: Sendable, Equatable {
    /// Jobs scheduled for another attempt.
    public var retried: Int
    /// Jobs moved to the dead letters: permanent failures and final attempts.
    public var deadLettered: Int

    public init(retried: Int, deadLettered: Int) {
        self.retried = retried
        self.deadLettered = deadLettered
    }
}

extension QueueTransaction {
    /// Completes the jobs of `leases`: deletes those whose lease is current
    /// (``QueueClaimSQL/fence(tenant:ids:keys:)``). Returns how many that was; the others had
    /// lapsed and may be running elsewhere. Record whatever history the work needs (a
    /// delivery's attempt) in the same transaction.
    @discardableResult
    public func queueComplete(_ leases: [QueueLease]) async throws -> Int {
        guard !leases.isEmpty else { return 0 }
        var binds = PostgresBindings(capacity: 3)
        binds.append(tenantID)
        binds.append(leases.map(\.jobID))
        binds.append(leases.map(\.fenceKey))
        let rows = try await query(
            PostgresQuery(
                unsafeSQL:
                    "WITH done AS (\(QueueClaimSQL.fence(tenant: "$1", ids: "$2", keys: "$3"))) SELECT count(*)::int8 FROM done",
                binds: binds))
        if let count = try await rows.decode(Int.self).firstRow() { return count }
        return 0
    }

    /// Records failed attempts in one statement. Each job whose lease is current either waits
    /// for another attempt (the policy's backoff, or the gateway's `Retry-After`), or, when the
    /// failure is permanent or this was its last attempt, moves to the dead letters with every
    /// attempt's error. Failures whose lease lapsed change nothing.
    @discardableResult
    public func queueFail(_ failures: [QueueFailure], policy: QueueRetryPolicy = QueueRetryPolicy()) async throws
        -> QueueFailResult
    {
        guard !failures.isEmpty else { return QueueFailResult(retried: 0, deadLettered: 0) }
        var permanent: [Bool] = []
        var delays: [Double] = []
        for failure in failures {
            switch failure.disposition {
            case .permanent:
                permanent.append(true)
                delays.append(0)
            case .retry(let retryAfter):
                permanent.append(false)
                delays.append(policy.delay(afterAttempt: failure.lease.attempt, retryAfter: retryAfter).secondsValue)
            case .retryIn(let delay):
                permanent.append(false)
                delays.append(delay.secondsValue)
            }
        }
        let rows = try await query(
            """
            WITH input AS (
                SELECT * FROM unnest(\(failures.map(\.lease.jobID))::int8[], \(failures.map(\.lease.attempt))::int4[],
                                     \(failures.map(\.message))::text[], \(delays)::float8[], \(permanent)::bool[])
                    AS f(id, attempt, message, delay, permanent)
            ), dead AS (
                DELETE FROM queue_jobs AS j USING input AS f
                WHERE j.tenant_id = \(tenantID) AND j.id = f.id AND j.attempts = f.attempt AND j.state = 'leased'
                  AND (f.permanent OR j.attempts >= j.max_attempts)
                RETURNING j.*, f.message
            ), buried AS (
                INSERT INTO queue_dead_letters
                    (tenant_id, id, queue, priority, unique_key, payload, attempts, max_attempts, errors, created_at)
                SELECT d.tenant_id, d.id, d.queue, d.priority, d.unique_key, d.payload, d.attempts, d.max_attempts,
                       d.errors || jsonb_build_object('attempt', d.attempts, 'at', (SELECT now()), 'worker', d.leased_by,
                                                      'error', left(d.message, 2000)),
                       d.created_at
                FROM dead AS d
                RETURNING 1
            ), retried AS (
                UPDATE queue_jobs AS j
                SET state = n.state, run_at = n.run_at, leased_by = NULL, lease_expires_at = NULL, errors = n.errors
                FROM (
                    -- Computed here, not in the SET: Citus refuses a STABLE function over the
                    -- row's columns in an UPDATE (OFFSET 0 keeps the planner from folding it back).
                    SELECT o.id, o.attempts, CASE WHEN f.delay > 0 THEN 'scheduled' ELSE 'ready' END AS state,
                           now() + make_interval(secs => greatest(f.delay, 0)) AS run_at,
                           o.errors || jsonb_build_object('attempt', o.attempts, 'at', now(), 'worker', o.leased_by,
                                                          'error', left(f.message, 2000)) AS errors
                    FROM queue_jobs AS o JOIN input AS f ON f.id = o.id AND f.attempt = o.attempts
                    WHERE o.tenant_id = \(tenantID) AND o.state = 'leased' AND NOT f.permanent AND o.attempts < o.max_attempts
                    OFFSET 0
                ) AS n
                WHERE j.tenant_id = \(tenantID) AND j.id = n.id AND j.attempts = n.attempts AND j.state = 'leased'
                RETURNING j.queue, j.state
            ), notified AS (
                -- ::text: Citus refuses a CTE column of pseudo-type void.
                SELECT pg_notify('tutti_queue', ready.queue || ' ' || \(tenantID)::text)::text
                FROM (SELECT DISTINCT retried.queue FROM retried WHERE retried.state = 'ready') AS ready
            )
            SELECT (SELECT count(*) FROM retried)::int8, (SELECT count(*) FROM buried)::int8, (SELECT count(*) FROM notified)::int8
            """)
        for try await (retried, buried, _) in rows.decode((Int, Int, Int).self) {
            return QueueFailResult(retried: retried, deadLettered: buried)
        }
        return QueueFailResult(retried: 0, deadLettered: 0)
    }
}
