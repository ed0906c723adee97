import Foundation
import Logging
import PostgresNIO

extension Database {
    /// The tenants with a campaign scheduled or running: the only ones the scheduler's campaign
    /// engine visits (`campaign_tenants_active()`, sql/0065).
    public func campaignTenantsActive(logger: Logger) async throws(StoreError) -> [UUID] {
        do {
            let rows = try await client.query("SELECT campaign_tenants_active()", logger: logger)
            var ids: [UUID] = []
            for try await id in rows.decode(UUID.self) { ids.append(id) }
            return ids
        } catch {
            throw StoreError(error)
        }
    }
}
