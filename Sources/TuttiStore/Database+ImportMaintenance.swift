import Foundation
import Logging
import PostgresNIO
import TuttiDomain

/// An import the scheduler's sweep marked failed because the process running it stopped.
public struct StaleImport: Sendable, Equatable {
    public var tenantID: UUID
    public var id: UUID
    /// The last heartbeat it had.
    public var heartbeatAt: Date
}

extension Database {
    /// Marks running imports whose heartbeat is older than `stale` as failed (at most `limit`),
    /// across tenants, through the owner's `imports_fail_stale` function (migration 0014), and
    /// returns them. Several schedulers may run it at once: the function re-checks every row.
    public func importsFailStale(olderThan stale: Duration, limit: Int = 1_000, logger: Logger) async throws(StoreError) -> [StaleImport] {
        do {
            let rows = try await client.query(
                """
                SELECT tenant_id, id, heartbeat_at
                FROM imports_fail_stale(make_interval(secs => \(stale.secondsValue)), \(Int32(clamping: limit)))
                """, logger: logger)
            var swept: [StaleImport] = []
            for try await (tenantID, id, heartbeatAt) in rows.decode((UUID, UUID, Date).self) {
                swept.append(StaleImport(tenantID: tenantID, id: id, heartbeatAt: heartbeatAt))
            }
            return swept
        } catch {
            throw StoreError(error)
        }
    }
}
