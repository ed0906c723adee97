import Foundation
import PostgresNIO
import Testing
import TuttiDomain
import TuttiQueue
import TuttiStore
import TuttiTestSupport

/// Two claims at once over overlapping customers, with a cap of one message a day: whatever
/// the interleaving, every customer gets exactly one message and the other is skipped.
@Suite("Contact policy under concurrency")
struct ContactPolicyConcurrencyTests {
    @Test(arguments: 1...5)
    func twoConcurrentClaimsOfOverlappingCustomersSendEachCustomerExactlyOneMessage(round: Int) async throws {
        try await withTestDatabase { database in
            let fixture = try await ContactPolicyFixture.make(
                database, customers: 40, policy: ContactPolicyFixture.cap(1, per: "1 day"))
            // Two campaigns' worth: every customer in both, in opposite orders, so that each
            // claim's lock order differs from the order of its messages.
            let (first, second) = (uniqueQueueName("contact-a"), uniqueQueueName("contact-b"))
            try await fixture.messages(to: fixture.customers, on: first)
            try await fixture.messages(to: fixture.customers.reversed(), on: second)
            let (batchA, batchB) = (try await fixture.claim(first), try await fixture.claim(second))
            #expect(batchA.count == 40 && batchB.count == 40)

            let admitted = try await withThrowingTaskGroup(of: [ClaimedDelivery].self) { group in
                for batch in [batchA, batchB] { group.addTask { try await fixture.admit(batch).admitted } }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            let perCustomer = Dictionary(grouping: admitted, by: { $0.message!.customerID }).mapValues(\.count)
            #expect(perCustomer.count == 40, "every customer gets a message")
            #expect(perCustomer.values.allSatisfy { $0 == 1 }, "no customer gets two")
            #expect(try await fixture.ledger() == Dictionary(uniqueKeysWithValues: fixture.customers.map { ($0, 1) }))
            let skipped = try await database.withTenant(fixture.tenant, logger: fixture.logger) { session in
                try await session.connection.query(
                    "SELECT count(*)::int8 FROM messages WHERE tenant_id = \(fixture.tenant) AND state = 'skipped' AND skip_reason = 'capped'",
                    logger: fixture.logger
                ).decode(Int.self).firstRow()
            }
            #expect(skipped == 40)
        }
    }
}
