import Foundation
import PostgresNIO
import Testing
import TuttiDomain
import TuttiStore
import TuttiTestSupport

/// Ingested message ids are remembered for the deduplication window, for every tenant, and
/// then forgotten in batches of the size asked for.
@Suite("Message id deduplication window")
struct EventMessageIDWindowTests {
    @Test func idsOlderThanTheWindowAreForgottenForEveryTenantInBatchesAndNewerOnesKept() async throws {
        try await withTestDatabase { database in
            let first = try await TestTenant.make("Dedup window A", in: database)
            let second = try await TestTenant.make("Dedup window B", in: database)
            let owner = try await TestDatabase.shared.migratedDatabase().owner
            let (a, b) = (first.tenant.id, second.tenant.id)
            let tag = UUID().uuidString
            try await TestDatabase.withConnection(owner) { connection in
                try await connection.query(
                    """
                    INSERT INTO event_message_ids (tenant_id, message_id, received_at) VALUES
                        (\(a), \("old-a-" + tag), now() - interval '8 days'),
                        (\(a), \("new-a-" + tag), now() - interval '6 days'),
                        (\(b), \("old-b-" + tag), now() - interval '9 days')
                    """, logger: TestDatabase.logger)
            }

            let week = Duration.seconds(7 * 86400)
            let firstBatch = try await database.eventMessageIDsPurge(olderThan: week, limit: 1, logger: TestDatabase.logger)
            #expect(firstBatch == 1)
            var rest = 0
            while case let deleted = try await database.eventMessageIDsPurge(olderThan: week, limit: 1, logger: TestDatabase.logger), deleted > 0 {
                rest += deleted
            }
            #expect(rest >= 1)

            let left = try await TestDatabase.withConnection(owner) { connection in
                var ids: [String] = []
                let rows = try await connection.query(
                    "SELECT message_id FROM event_message_ids WHERE message_id LIKE \("%-" + tag) ORDER BY message_id",
                    logger: TestDatabase.logger)
                for try await id in rows.decode(String.self) { ids.append(id) }
                return ids
            }
            #expect(left == ["new-a-" + tag])
        }
    }

    @Test func theApplicationRoleCannotDeleteAnotherTenantsIdsDirectly() async throws {
        try await withTestDatabase { database in
            let first = try await TestTenant.make("Dedup RLS A", in: database)
            let second = try await TestTenant.make("Dedup RLS B", in: database)
            let owner = try await TestDatabase.shared.migratedDatabase().owner
            let tag = UUID().uuidString
            try await TestDatabase.withConnection(owner) { connection in
                try await connection.query(
                    "INSERT INTO event_message_ids (tenant_id, message_id) VALUES (\(second.tenant.id), \("b-" + tag))",
                    logger: TestDatabase.logger)
            }
            let deleted = try await database.withTenant(first.tenant.id, logger: TestDatabase.logger) { session in
                var count = 0
                let rows = try await session.connection.query(
                    "WITH d AS (DELETE FROM event_message_ids WHERE message_id = \("b-" + tag) RETURNING 1) SELECT count(*)::int FROM d",
                    logger: session.logger)
                for try await value in rows.decode(Int.self) { count = value }
                return count
            }
            #expect(deleted == 0)
        }
    }
}
