import Foundation
import PostgresNIO
import TuttiDomain
import TuttiQueue

extension TenantSession {
    private typealias APIKeyRow = (UUID, UUID, String, String, String, Date, Date?, Date?)
    private static let apiKeyColumns = "tenant_id, id, name, role, prefix, created_at, last_used_at, revoked_at"

    /// Issues a new key: generates the token, stores only the secret's hash, and returns the
    /// token this once.
    public func apiKeyIssue(name: String, role: APIKeyRole) async throws -> IssuedAPIKey {
        let token = APIKeyToken.generate()
        let id = UUID.v7()
        let hash = APIKeySecretHash.digest(of: token.secret)
        let rows = try await query(
            """
            INSERT INTO api_keys (tenant_id, id, name, role, prefix, secret_hash)
            VALUES (\(tenantID), \(id), \(name), \(role.rawValue), \(token.prefix), \(hash))
            RETURNING \(unescaped: Self.apiKeyColumns)
            """)
        for try await row in rows.decode(APIKeyRow.self) {
            return IssuedAPIKey(key: try Self.apiKey(row), token: token.text)
        }
        throw StoreError.unavailable
    }

    /// A page of the tenant's keys, oldest first (ids are time-ordered UUIDv7).
    public func apiKeyList(page: PageRequest) async throws -> Page<APIKey> {
        let after = page.after ?? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        let rows = try await query(
            """
            SELECT \(unescaped: Self.apiKeyColumns) FROM api_keys
            WHERE tenant_id = \(tenantID) AND id > \(after)
            ORDER BY id LIMIT \(page.limit + 1)
            """)
        var keys: [APIKey] = []
        for try await row in rows.decode(APIKeyRow.self) { keys.append(try Self.apiKey(row)) }
        return Page(fetched: keys, request: page, id: \.id)
    }

    /// One key of this tenant, or nil (also for another tenant's key: ids do not leak).
    public func apiKeyGet(id: UUID) async throws -> APIKey? {
        let rows = try await query(
            "SELECT \(unescaped: Self.apiKeyColumns) FROM api_keys WHERE tenant_id = \(tenantID) AND id = \(id)")
        if let row = try await rows.decode(APIKeyRow.self).firstRow() { return try Self.apiKey(row) }
        return nil
    }

    /// Renames a key; nil when there is no such key for this tenant.
    public func apiKeyRename(id: UUID, name: String) async throws -> APIKey? {
        let rows = try await query(
            """
            UPDATE api_keys SET name = \(name) WHERE tenant_id = \(tenantID) AND id = \(id)
            RETURNING \(unescaped: Self.apiKeyColumns)
            """)
        if let row = try await rows.decode(APIKeyRow.self).firstRow() { return try Self.apiKey(row) }
        return nil
    }

    /// Revokes a key (idempotent: revoking twice keeps the first time); nil when there is no
    /// such key for this tenant.
    ///
    /// Sends the `tutti_api_keys` notification itself: on Citus the table's trigger is gone (a
    /// trigger fires on the worker holding the shard, out of the API's hearing). On PostgreSQL
    /// the trigger sends the same payload in the same transaction, which PostgreSQL delivers
    /// once. `(SELECT now())`: Citus refuses `now()` mixed with a column in an UPDATE's SET.
    public func apiKeyRevoke(id: UUID) async throws -> APIKey? {
        let rows = try await query(
            """
            UPDATE api_keys SET revoked_at = coalesce(revoked_at, (SELECT now()))
            WHERE tenant_id = \(tenantID) AND id = \(id)
            RETURNING \(unescaped: Self.apiKeyColumns)
            """)
        guard let row = try await rows.decode(APIKeyRow.self).firstRow() else { return nil }
        try await execute("SELECT pg_notify('tutti_api_keys', \("key " + row.4))")
        return try Self.apiKey(row)
    }

    private static func apiKey(_ row: APIKeyRow) throws -> APIKey {
        guard let role = APIKeyRole(rawValue: row.3) else { throw StoreError.unavailable }
        return APIKey(
            id: row.1, tenantID: row.0, name: row.2, role: role, prefix: row.4,
            createdAt: row.5, lastUsedAt: row.6, revokedAt: row.7)
    }
}
