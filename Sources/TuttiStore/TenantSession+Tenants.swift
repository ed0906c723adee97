import Foundation
import PostgresNIO
import TuttiDomain
import TuttiQueue

extension TenantSession {
    /// Creates this session's tenant; the session's tenant id becomes the tenant's id, so the
    /// row passes the row-level security check it is written under.
    public func tenantInsert(name: String) async throws -> Tenant {
        let rows = try await query(
            """
            INSERT INTO tenants (id, name) VALUES (\(tenantID), \(name))
            RETURNING id, name, created_at, default_country, sms_segment_limit
            """)
        for try await (id, name, createdAt, country, smsLimit) in rows.decode((UUID, String, Date, String?, Int).self) {
            return Tenant(id: id, name: name, createdAt: createdAt, defaultCountry: country, smsSegmentLimit: smsLimit)
        }
        throw StoreError.unavailable
    }

    /// The session's tenant, or nil if it does not exist.
    public func tenantGet() async throws -> Tenant? {
        let rows = try await query(
            "SELECT id, name, created_at, default_country, sms_segment_limit FROM tenants WHERE id = \(tenantID)")
        for try await (id, name, createdAt, country, smsLimit) in rows.decode((UUID, String, Date, String?, Int).self) {
            return Tenant(id: id, name: name, createdAt: createdAt, defaultCountry: country, smsSegmentLimit: smsLimit)
        }
        return nil
    }

    /// Changes the session's tenant: a nil argument leaves that setting alone; an empty
    /// country clears it.
    public func tenantUpdate(name: String?, defaultCountry: String?, smsSegmentLimit: Int? = nil) async throws -> Tenant? {
        let rows = try await query(
            """
            UPDATE tenants SET name = coalesce(\(name), name),
                sms_segment_limit = coalesce(\(smsSegmentLimit), sms_segment_limit),
                default_country = CASE WHEN \(defaultCountry)::text IS NULL THEN default_country ELSE nullif(\(defaultCountry), '') END
            WHERE id = \(tenantID) RETURNING id, name, created_at, default_country, sms_segment_limit
            """)
        for try await (id, name, createdAt, country, smsLimit) in rows.decode((UUID, String, Date, String?, Int).self) {
            return Tenant(id: id, name: name, createdAt: createdAt, defaultCountry: country, smsSegmentLimit: smsLimit)
        }
        return nil
    }
}

extension TenantSession {
    /// The key that signs this tenant's double opt-in tokens.
    public func tenantSigningKey() async throws -> Data {
        let rows = try await query("SELECT signing_key FROM tenants WHERE id = \(tenantID)")
        if let key = try await rows.decode(Data.self).firstRow() { return key }
        throw StoreError.unavailable
    }
}
