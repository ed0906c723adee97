import Foundation
import PostgresNIO
import TuttiDomain

extension TenantSession {
    /// The attributes of customer `id` (a live id: resolve merged ids first) with, key by key,
    /// when each was last written and by which source; nil when there is no such customer.
    ///
    /// Kept off ``customerGet(id:)``, the one-round-trip read behind lookups, so that the hot
    /// lookup path does not carry a second map it rarely needs.
    public func customerAttributeSources(id: UUID) async throws -> TimedAttributes? {
        let rows = try await query(
            """
            SELECT attributes::text, attribute_times::text, attribute_sources::text FROM customers
            WHERE tenant_id = \(tenantID) AND id = \(id)
            """)
        for try await (values, times, sources) in rows.decode((String, String, String).self) {
            return JSONColumns.attributes(values: values, times: times, sources: sources)
        }
        return nil
    }
}
