import Foundation
import PostgresNIO
import TuttiDomain

extension TenantSession {
    /// Creates this session's tenant; the session's tenant id becomes the tenant's id, so the
    /// row passes the row-level security check it is written under.
    public func tenantInsert(name: String) async throws -> Tenant {
        let rows = try await query(
            "INSERT INTO tenants (id, name) VALUES (\(tenantID), \(name)) RETURNING id, name, created_at")
        for try await (id, name, createdAt) in rows.decode((UUID, String, Date).self) {
            return Tenant(id: id, name: name, createdAt: createdAt)
        }
        throw StoreError.unavailable
    }

    /// The session's tenant, or nil if it does not exist.
    public func tenantGet() async throws -> Tenant? {
        let rows = try await query("SELECT id, name, created_at FROM tenants WHERE id = \(tenantID)")
        for try await (id, name, createdAt) in rows.decode((UUID, String, Date).self) {
            return Tenant(id: id, name: name, createdAt: createdAt)
        }
        return nil
    }

    /// Renames the session's tenant.
    public func tenantRename(to name: String) async throws -> Tenant? {
        let rows = try await query(
            "UPDATE tenants SET name = \(name) WHERE id = \(tenantID) RETURNING id, name, created_at")
        for try await (id, name, createdAt) in rows.decode((UUID, String, Date).self) {
            return Tenant(id: id, name: name, createdAt: createdAt)
        }
        return nil
    }
}
