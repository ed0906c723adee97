import Foundation
import PostgresNIO
import Testing
import TuttiDomain
import TuttiStore
import TuttiTestSupport

/// Row-level security is the net under every query: these tests deliberately write queries
/// that forget their tenant filter and check that nothing of another tenant comes back.
@Suite("Tenant isolation in the database")
struct TenantIsolationTests {
    let logger = TestDatabase.logger

    @Test func unfilteredQueryInsideTenantATransactionSeesNothingOfTenantB() async throws {
        try await withTestDatabase { database in
            let a = try await TestTenant.make("A", in: database)
            let b = try await TestTenant.make("B", in: database)
            let (tenantIDs, keyTenantIDs, idempotencyTenantIDs) = try await database.withTenant(a.tenant.id, logger: logger) { session in
                // Give tenant A an idempotency row too, so all three tables have rows of A.
                _ = try await session.idempotencyBegin(key: "k", method: "POST", path: "/x", requestHash: Data([1]), retention: .seconds(60))
                return (
                    try await Self.uuids("SELECT id FROM tenants", session),
                    try await Self.uuids("SELECT tenant_id FROM api_keys", session),
                    try await Self.uuids("SELECT tenant_id FROM idempotency_keys", session))
            }
            #expect(tenantIDs == [a.tenant.id])
            #expect(Set(keyTenantIDs) == [a.tenant.id])
            #expect(Set(idempotencyTenantIDs) == [a.tenant.id])
            #expect(!keyTenantIDs.contains(b.tenant.id))
        }
    }

    @Test func queryWithNoTenantSetSeesNoRowsAtAll() async throws {
        try await withTestDatabase { database in
            _ = try await TestTenant.make("Someone", in: database)
            let count = try await database.client.withConnection { connection in
                var count = -1
                for try await value in try await connection.query("SELECT count(*)::int FROM api_keys", logger: logger).decode(Int.self) {
                    count = value
                }
                return count
            }
            #expect(count == 0)
        }
    }

    @Test func writingARowForAnotherTenantIsRefusedByThePolicy() async throws {
        try await withTestDatabase { database in
            let a = try await TestTenant.make("A", in: database)
            let b = try await TestTenant.make("B", in: database)
            await #expect(throws: StoreError.self) {
                try await database.withTenant(a.tenant.id, logger: logger) { session in
                    try await session.connection.query(
                        "UPDATE tenants SET name = 'stolen' WHERE id = \(b.tenant.id) RETURNING id", logger: logger)
                    try await session.connection.query(
                        "INSERT INTO api_keys (tenant_id, id, name, role, prefix, secret_hash) VALUES (\(b.tenant.id), \(UUID()), 'x', 'admin', '0123456789abcdef', \(Data(count: 32)))",
                        logger: logger)
                }
            }
            let name = try await database.withTenant(b.tenant.id, logger: logger) { try await $0.tenantGet()?.name }
            #expect(name == b.tenant.name)
        }
    }

    @Test func applicationRoleOwnsNoTableAndCannotBypassRowLevelSecurity() async throws {
        try await withTestDatabase { database in
            let (bypass, superuser, owned) = try await database.client.withConnection { connection in
                var result = (true, true, -1)
                let rows = try await connection.query(
                    """
                    SELECT r.rolbypassrls, r.rolsuper,
                           (SELECT count(*)::int FROM pg_tables t WHERE t.schemaname = 'public' AND t.tableowner = current_user)
                    FROM pg_roles r WHERE r.rolname = current_user
                    """, logger: logger)
                for try await row in rows.decode((Bool, Bool, Int).self) { result = row }
                return result
            }
            #expect(!bypass)
            #expect(!superuser)
            #expect(owned == 0)
        }
    }

    @Test func everyTenantOwnedTableHasRowLevelSecurityAndKeysBeginningWithTenantID() async throws {
        let urls = try await TestDatabase.shared.migratedDatabase()
        let offenders = try await TestDatabase.withConnection(urls.owner) { connection in
            var offenders: [String] = []
            let rows = try await connection.query(
                """
                SELECT c.relname, c.relrowsecurity,
                       (SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                        WHERE i.indrelid = c.oid AND i.indisprimary)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
                  AND c.relname NOT IN ('schema_migrations', 'tenants')
                  AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id')
                """, logger: logger)
            for try await (name, rowSecurity, firstKeyColumn) in rows.decode((String, Bool, String?).self) {
                if !rowSecurity || firstKeyColumn != "tenant_id" { offenders.append(name) }
            }
            return offenders
        }
        #expect(offenders.isEmpty, "tables without RLS or with a primary key not starting with tenant_id: \(offenders)")
    }

    private static func uuids(_ sql: String, _ session: TenantSession) async throws -> [UUID] {
        var ids: [UUID] = []
        for try await id in try await session.connection.query(PostgresQuery(unsafeSQL: sql), logger: session.logger).decode(UUID.self) {
            ids.append(id)
        }
        return ids
    }
}
