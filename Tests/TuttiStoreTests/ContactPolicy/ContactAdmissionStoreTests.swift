import Foundation
import PostgresNIO
import Testing
import TuttiDomain
import TuttiQueue
import TuttiStore
import TuttiTestSupport

/// The contact policy at claim time, against PostgreSQL: what the claim says, what the
/// admission writes, and what it leaves alone.
@Suite("Contact admission in the store")
struct ContactAdmissionStoreTests {
    @Test func withoutAPolicyTheClaimMarksNoMessageAndAdmissionChangesNothing() async throws {
        try await withTestDatabase { database in
            let fixture = try await ContactPolicyFixture.make(database, customers: 2, policy: nil)
            let queue = uniqueQueueName("contact")
            try await fixture.messages(to: fixture.customers + fixture.customers, on: queue)
            let claimed = try await fixture.claim(queue)
            #expect(claimed.count == 4)
            #expect(claimed.allSatisfy { $0.message?.needsAdmission == false })
            let result = try await fixture.admit(claimed)
            #expect(result.admitted.map(\.job.id) == claimed.map(\.job.id))
            #expect(try await fixture.ledger().isEmpty)
        }
    }

    @Test func aCapOfOneSendsTheFirstMessageAndSkipsTheSecondAsCapped() async throws {
        try await withTestDatabase { database in
            let fixture = try await ContactPolicyFixture.make(
                database, customers: 1, policy: ContactPolicyFixture.cap(1, per: "1 day"))
            let queue = uniqueQueueName("contact")
            let ids = try await fixture.messages(to: fixture.customers + fixture.customers, on: queue)
            let claimed = try await fixture.claim(queue)
            #expect(claimed.allSatisfy { $0.message?.needsAdmission == true })
            let result = try await fixture.admit(claimed)
            #expect(result.admitted.map { $0.message?.id } == [ids[0]])
            #expect(result.skipped == [.capped: 1])
            let skipped = try await fixture.message(ids[1])
            #expect(skipped.state == .skipped)
            #expect(skipped.skipReason == "capped")
            #expect(try await fixture.ledger() == [fixture.customers[0]: 1])
            #expect(try await fixture.claim(queue).isEmpty, "the skipped message's job is finished, not retried")

            // A later batch for the same customer is capped by the ledger row of the first.
            let later = try await fixture.messages(to: fixture.customers, on: queue)
            let second = try await fixture.admit(try await fixture.claim(queue))
            #expect(second.admitted.isEmpty)
            #expect(try await fixture.message(later[0]).skipReason == "capped")
        }
    }

    @Test func transactionalMessagesAreNeitherCheckedNorCounted() async throws {
        try await withTestDatabase { database in
            let fixture = try await ContactPolicyFixture.make(
                database, customers: 1, policy: ContactPolicyFixture.cap(1, per: "1 day"))
            let queue = uniqueQueueName("contact")
            try await fixture.messages(to: fixture.customers + fixture.customers, on: queue, transactional: true)
            let claimed = try await fixture.claim(queue)
            #expect(claimed.allSatisfy { $0.message?.needsAdmission == false })
            #expect(try await fixture.admit(claimed).admitted.count == 2)
            #expect(try await fixture.ledger().isEmpty)
            #expect(try await fixture.message(claimed[0].message!.id).transactional)
        }
    }

    @Test func aMessageThatFinallyFailedNoLongerCounts() async throws {
        try await withTestDatabase { database in
            let fixture = try await ContactPolicyFixture.make(
                database, customers: 1, policy: ContactPolicyFixture.cap(1, per: "7 days"))
            let queue = uniqueQueueName("contact")
            let first = try await fixture.messages(to: fixture.customers, on: queue)
            #expect(try await fixture.admit(try await fixture.claim(queue)).admitted.count == 1)
            try await database.withTenant(fixture.tenant, logger: fixture.logger) { session in
                try await session.connection.query(
                    "UPDATE messages SET state = 'dead' WHERE tenant_id = \(fixture.tenant) AND id = \(first[0])",
                    logger: fixture.logger)
            }
            try await fixture.messages(to: fixture.customers, on: queue)
            #expect(try await fixture.admit(try await fixture.claim(queue)).admitted.count == 1)
        }
    }

    @Test func quietHoursDeferTheJobToTheirEndWithoutUsingAnAttempt() async throws {
        try await withTestDatabase { database in
            // Quiet hours around the present moment in UTC (the tenant's default zone).
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let hour = calendar.component(.hour, from: Date())
            let quiet = QuietHours(
                start: LocalTime(hour: (hour + 23) % 24, minute: 0)!, end: LocalTime(hour: (hour + 2) % 24, minute: 0)!)
            let fixture = try await ContactPolicyFixture.make(
                database, customers: 1, policy: ContactPolicy(caps: [], quietHours: quiet))
            let queue = uniqueQueueName("contact")
            let ids = try await fixture.messages(to: fixture.customers, on: queue)
            let claimed = try await fixture.claim(queue)
            let result = try await fixture.admit(claimed)
            #expect(result.admitted.isEmpty)
            #expect(result.deferred == 1)
            let message = try await fixture.message(ids[0])
            #expect(message.state == .queued)
            let until = try #require(message.deferredUntil)
            #expect(until > Date().addingTimeInterval(3600) && until <= Date().addingTimeInterval(2 * 3600 + 60))
            #expect(calendar.component(.minute, from: until) == 0)
            let job = try await database.withTenant(fixture.tenant, logger: fixture.logger) { session in
                try await session.connection.query(
                    "SELECT state, attempts, run_at FROM queue_jobs WHERE tenant_id = \(fixture.tenant) AND id = \(claimed[0].job.id)",
                    logger: fixture.logger
                ).decode((String, Int, Date).self).firstRow()
            }
            #expect(job?.0 == "scheduled")
            #expect(job?.1 == 0, "a deferral is not an attempt")
            #expect(abs((job?.2 ?? .distantPast).timeIntervalSince(until)) < 1)
            #expect(try await fixture.ledger().isEmpty, "a deferred message is not counted")
        }
    }

    @Test func theCustomersOwnTimeZoneDecidesOverTheTenantsDefault() async throws {
        try await withTestDatabase { database in
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let hour = calendar.component(.hour, from: Date())
            // Quiet for two hours around now in UTC; twelve hours away in the customer's zone.
            let quiet = QuietHours(
                start: LocalTime(hour: (hour + 23) % 24, minute: 0)!, end: LocalTime(hour: (hour + 2) % 24, minute: 0)!,
                action: .skip)
            let fixture = try await ContactPolicyFixture.make(
                database, customers: 2, policy: ContactPolicy(caps: [], quietHours: quiet))
            try await database.withTenant(fixture.tenant, logger: fixture.logger) { session in
                try await session.connection.query(
                    """
                    UPDATE customers SET attributes = jsonb_build_object('time_zone', 'Etc/GMT-12')
                    WHERE tenant_id = \(fixture.tenant) AND id = \(fixture.customers[0])
                    """, logger: fixture.logger)
            }
            let queue = uniqueQueueName("contact")
            let ids = try await fixture.messages(to: fixture.customers, on: queue)
            let result = try await fixture.admit(try await fixture.claim(queue))
            #expect(result.admitted.map { $0.message?.id } == [ids[0]])
            #expect(try await fixture.message(ids[1]).skipReason == "quiet_hours")
        }
    }
}
