import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing
import TuttiStore
import TuttiTestSupport

@Suite("Segment ingestion under concurrency")
struct IngestionConcurrencyTests {
    /// Messages for users nobody knows yet are written in bulk, without the advisory locks that
    /// serialize one-by-one customer writes. Batches racing each other and `POST /v1/customers`
    /// for the same new users must still make one customer per user, with every event on it,
    /// and leave no customer without an identity. (Such writers can also deadlock, which
    /// PostgreSQL breaks by failing one; the API runs that one's transaction again.)
    @Test func racingBatchesOfNewUsersMakeOneCustomerEachWithEveryEvent() async throws {
        try await withAPI(maxBodyBytes: 1 << 20) { client in
            // A few rounds, each in a tenant of its own: the races differ from round to round.
            for _ in 0..<3 {
                let tenant = try await client.createTenant()
                let users = (0..<40).map { "racer-\($0)" }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for writer in 0..<6 {
                        group.addTask {
                            // One message per user and batch, in an order of its own: every message
                            // takes the bulk path, and the bulk inserts meet in different orders.
                            let messages = users.shuffled().map { user in
                                writer.isMultiple(of: 2)
                                    ? #"{"type": "identify", "userId": "\#(user)", "traits": {"plan": "p\#(writer)"}, "messageId": "\#(user)-\#(writer)"}"#
                                    : #"{"type": "track", "userId": "\#(user)", "event": "Raced", "messageId": "\#(user)-\#(writer)"}"#
                            }
                            let (status, answer) = try await client.ingest(
                                tenant, "/v1/batch", #"{"batch": [\#(messages.joined(separator: ","))]}"#)
                            #expect(status == .ok, "batch \(writer) answered \(status): \(answer)")
                            #expect(answer["stored"] as? Int == users.count)
                        }
                    }
                    for writer in 0..<2 {
                        group.addTask {
                            for user in users.prefix(10) {
                                _ = try await client.customer(
                                    tenant,
                                    identities: [("external_id", user), ("email", "\(user)-\(writer)@example.com")])
                            }
                        }
                    }
                    try await group.waitForAll()
                }

                for user in users {
                    let (_, found) = try await client.send(
                        .get, "/v1/customers?identity=external_id:\(user)", tenant)
                    let customers = try #require(found["data"] as? [[String: Any]])
                    try #require(customers.count == 1, "\(user) resolves to one customer")
                    let id = try #require(customers[0]["id"] as? String)
                    let events = try await client.timeline(tenant, id, query: "&kind=event").titles("event")
                    #expect(
                        events.filter { $0 == "Raced" }.count == 3,
                        "\(user): every track landed on the one customer")
                    #expect(
                        events.filter { $0 == "Identify" }.count == 3,
                        "\(user): every identify landed on the one customer")
                    if users.prefix(10).contains(user) {
                        let emails = (customers[0]["identities"] as? [[String: Any]] ?? []).filter {
                            $0["type"] as? String == "email"
                        }
                        #expect(
                            emails.count == 2, "\(user): both customer writes' e-mails joined the one customer")
                    }
                }
                let (live, bare) = try await customerCounts(tenant)
                #expect(live == users.count, "one live customer per user")
                #expect(bare == 0, "no customer was left without an identity")
            }
        }
    }

    /// The tenant's live (not merged-away) customers, and how many of them hold no identity.
    private func customerCounts(_ tenant: CreatedTenant) async throws -> (live: Int, bare: Int) {
        let tenantID = try #require(UUID(uuidString: tenant.id))
        return try await withTestDatabase { database in
            try await database.withTenant(tenantID, logger: TestDatabase.logger) { session in
                let rows = try await session.connection.query(
                    """
                    SELECT count(*)::int8,
                           count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM customer_identities i
                                                              WHERE i.tenant_id = c.tenant_id AND i.customer_id = c.id))::int8
                    FROM customers c WHERE c.tenant_id = \(tenantID) AND c.merged_into IS NULL
                    """, logger: TestDatabase.logger)
                for try await counts in rows.decode((Int, Int).self) { return counts }
                return (0, 0)
            }
        }
    }
}
