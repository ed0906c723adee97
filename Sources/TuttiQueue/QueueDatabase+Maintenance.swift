import Foundation
import Logging
import PostgresNIO
import TuttiDomain

/// Queue work that spans tenants, each through one of the owner's narrow SECURITY DEFINER
/// functions (the application role cannot see across tenants otherwise). Several schedulers may
/// run these at once: each statement re-checks every row it changes.
extension QueueDatabase {
    /// Up to `limit` tenants with ready jobs in `queue`, in tenant order after `after` (nil:
    /// from the first). A lock-free read of one index probe per tenant.
    public func queueReadyTenants(queue: QueueName, after: UUID?, limit: Int, logger: Logger) async throws(Failure) -> [UUID] {
        do {
            let rows = try await client.query(
                "SELECT tenant_id FROM queue_ready_tenants(\(queue.rawValue), \(after), \(Int32(clamping: limit)))",
                logger: logger)
            var tenants: [UUID] = []
            for try await tenant in rows.decode(UUID.self) { tenants.append(tenant) }
            return tenants
        } catch {
            throw Self.failure(error)
        }
    }

    /// Makes scheduled jobs whose run time has passed ready (at most `limit`); returns how many.
    public func queuePromoteDue(limit: Int = 10_000, logger: Logger) async throws(Failure) -> Int {
        try await queueScalar("SELECT queue_promote_due(\(Int32(clamping: limit)))", logger: logger)
    }

    /// Returns jobs whose lease has run out to ready (dead-letters those on their last
    /// attempt), at most `limit`.
    public func queueRescueExpired(limit: Int = 10_000, logger: Logger) async throws(Failure) -> (rescued: Int, deadLettered: Int)
    {
        do {
            let rows = try await client.query("SELECT * FROM queue_rescue_expired(\(Int32(clamping: limit)))", logger: logger)
            if let counts = try await rows.decode((Int, Int).self).firstRow() { return counts }
            return (0, 0)
        } catch {
            throw Self.failure(error)
        }
    }

    /// Deletes dead letters older than `age`; returns how many.
    public func queueDeadLettersPurge(olderThan age: Duration, logger: Logger) async throws(Failure) -> Int {
        try await queueScalar("SELECT queue_dead_letters_purge(make_interval(secs => \(age.secondsValue)))", logger: logger)
    }

    /// Per-queue counts and the age of the oldest ready job, across tenants.
    public func queueStats(logger: Logger) async throws(Failure) -> [QueueStats] {
        do {
            let rows = try await client.query(
                "SELECT queue, ready, scheduled, leased, oldest_ready_seconds, dead_letters FROM queue_stats()", logger: logger)
            var stats: [QueueStats] = []
            for try await (queue, ready, scheduled, leased, oldest, dead) in rows.decode(
                (String, Int, Int, Int, Double, Int).self)
            {
                stats.append(
                    QueueStats(
                        queue: queue, ready: ready, scheduled: scheduled, leased: leased, oldestReadySeconds: oldest,
                        deadLetters: dead))
            }
            return stats
        } catch {
            throw Self.failure(error)
        }
    }
}

extension QueueDatabase {
    /// The first column of the first row of `query` as an integer, or 0 when there is no row:
    /// for the maintenance functions that answer how many rows they changed.
    func queueScalar(_ query: PostgresQuery, logger: Logger) async throws(Failure) -> Int {
        do {
            let rows = try await client.query(query, logger: logger)
            return try await rows.decode(Int.self).firstRow() ?? 0
        } catch {
            throw Self.failure(error)
        }
    }
}
