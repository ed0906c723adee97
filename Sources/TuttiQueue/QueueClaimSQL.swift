import Foundation
import PostgresNIO
import TuttiDomain

/// The SQL of the queue's claim and of its lease fence, written once: the generic claim
/// (``QueueClaimStatement``), the delivery worker's cycle (the store's
/// `DeliveryCycleStatement`) and `ops/bench-queue` all run these same fragments, so the
/// benchmark measures the claim production runs. Arguments are placeholders (`$1`) of the
/// statement that embeds them.
public enum QueueClaimSQL {
    /// A CTE body that completes the jobs whose lease is current: deletes them and returns
    /// their ids. A lease is current while its job is leased (`lease_expires_at` set) for the
    /// same attempt; after a lapse, a rescue or a new claim the late report changes nothing.
    /// `ids` is an `int8[]` of job ids (for the primary key), `keys` an `int8[]` of
    /// ``QueueLease/fenceKey``s.
    public static func fence(tenant: String, ids: String, keys: String) -> String {
        """
        DELETE FROM queue_jobs AS j
            WHERE j.tenant_id = \(tenant) AND j.id = ANY (\(ids)::int8[]) AND j.lease_expires_at IS NOT NULL
              AND j.id * 1024 + j.attempts = ANY (\(keys)::int8[])
            RETURNING j.id
        """
    }

    /// Two CTEs, `picked` and `claimed`, that lease up to `limit` ready jobs of one tenant and
    /// queue in claim order (priority, run time, id), skipping rows other claimers hold;
    /// `claimed` returns each job's `id, attempts, priority, payload, unique_key,
    /// max_attempts, run_at`.
    ///
    /// The tenant is named in the locking SELECT and in the UPDATE: on Citus that routes the
    /// statement to the tenant's shard, where `FOR UPDATE SKIP LOCKED` is allowed. The locking
    /// SELECT is a materialized CTE, run exactly once: as a subquery in `UPDATE ... FROM` the
    /// planner may rescan it, and each rescan skips the rows already changed and locks more,
    /// claiming past the limit. The UPDATE reaches the picked rows by `ctid = ANY (ARRAY(...))`,
    /// a TID scan: joined to the CTE instead, the planner, which cannot know the CTE holds at
    /// most `limit` rows, hashed it and scanned the whole table (23 ms per claim of 500 from
    /// 20,000 ready jobs, measured). A locked row cannot move; a row that moved before it was
    /// locked is not updated and stays ready for the next claim, never claimed twice.
    public static func claim(tenant: String, queue: String, worker: String, limit: String, leaseSeconds: String) -> String {
        """
        picked AS MATERIALIZED (
            SELECT r.ctid FROM queue_jobs AS r
            WHERE r.tenant_id = \(tenant) AND r.queue = \(queue) AND r.state = 'ready'
            ORDER BY r.priority, r.run_at, r.id
            LIMIT \(limit)
            FOR UPDATE SKIP LOCKED
        ), claimed AS (
            UPDATE queue_jobs AS j
            SET state = 'leased', attempts = j.attempts + 1, leased_by = \(worker),
                lease_expires_at = now() + make_interval(secs => \(leaseSeconds))
            WHERE j.tenant_id = \(tenant) AND j.ctid = ANY (ARRAY(SELECT picked.ctid FROM picked))
            RETURNING j.id, j.attempts, j.priority, j.payload, j.unique_key, j.max_attempts, j.run_at
        )
        """
    }
}

/// The values of ``QueueClaimSQL/claim(tenant:queue:worker:limit:leaseSeconds:)``, bound as a
/// statement's `$1` to `$5` in that order: one tenant and queue, the worker's name, the batch
/// size and the lease.
public struct QueueClaimArguments: Sendable {
    public var tenantID: UUID
    public var queue: QueueName
    public var worker: QueueWorkerName
    public var limit: Int
    public var lease: Duration

    public init(tenantID: UUID, queue: QueueName, worker: QueueWorkerName, limit: Int, lease: Duration) {
        self.tenantID = tenantID
        self.queue = queue
        self.worker = worker
        self.limit = limit
        self.lease = lease
    }

    /// The binding types of `$1` to `$5`.
    public static let bindingDataTypes: [PostgresDataType] = [.uuid, .text, .text, .int4, .float8]

    /// Appends `$1` to `$5`.
    public func append(to bindings: inout PostgresBindings) {
        bindings.append(tenantID)
        bindings.append(queue.rawValue)
        bindings.append(worker)
        bindings.append(Int32(clamping: limit))
        bindings.append(lease.secondsValue)
    }
}
