import Foundation
import Logging
import PostgresNIO
import TuttiQueue

extension Database {
    /// Every tenant's id, for the scheduler's per-tenant jobs.
    public func tenantIDs(logger: Logger) async throws(StoreError) -> [UUID] {
        do {
            let rows = try await client.query("SELECT tenants_list_ids()", logger: logger)
            var ids: [UUID] = []
            for try await id in rows.decode(UUID.self) { ids.append(id) }
            return ids
        } catch {
            throw StoreError(error)
        }
    }
}

extension TenantSession {
    /// Takes a transaction-scoped advisory lock named by `purpose` and this tenant, or returns
    /// false when another process holds it: two schedulers then do a tenant's job once.
    public func tryLockForTenantJob(_ purpose: String) async throws -> Bool {
        let rows = try await query("SELECT pg_try_advisory_xact_lock(hashtextextended(\(purpose) || ':' || \(tenantID)::text, 0))")
        if let locked = try await rows.decode(Bool.self).firstRow() { return locked }
        return false
    }
}
