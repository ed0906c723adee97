import Foundation
import PostgresNIO
import Testing
import TuttiDomain
import TuttiStore
import TuttiTestSupport

/// An Idempotency-Key claimed by a request whose process died is not stuck for the retention:
/// after `abandonAfter` without an answer the next request takes it over; an answered key is
/// still replayed.
@Suite("Idempotency-Key claims")
struct IdempotencyClaimTests {
    static let day = Duration.seconds(86400)

    @Test func aClaimLeftWithoutAnAnswerIsTakenOverAfterTheAbandonTimeAndNotBefore() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Idempotency claims", in: database).tenant.id
            let hash = Data("POST /v1/messages\n{}".utf8)
            func begin(_ key: String) async throws -> IdempotencyDecision {
                try await database.withTenant(tenant, logger: TestDatabase.logger) { session in
                    try await session.idempotencyBegin(key: key, method: "POST", path: "/v1/messages", requestHash: hash, retention: Self.day)
                }
            }
            func age(_ key: String, minutes: Int) async throws {
                try await database.withTenant(tenant, logger: TestDatabase.logger) { session in
                    try await session.connection.query(
                        "UPDATE idempotency_keys SET created_at = now() - make_interval(mins => \(minutes)::integer) WHERE tenant_id = \(tenant) AND key = \(key)",
                        logger: session.logger)
                }
            }

            #expect(try await begin("crashed") == .proceed)
            #expect(try await begin("crashed") == .inProgress)
            try await age("crashed", minutes: 1)
            #expect(try await begin("crashed") == .inProgress, "a claim a minute old may still be running")
            try await age("crashed", minutes: 3)
            #expect(try await begin("crashed") == .proceed, "a claim with no answer after 2 minutes is abandoned")
            #expect(try await begin("crashed") == .inProgress, "the new claim holds the key again")

            #expect(try await begin("answered") == .proceed)
            try await database.withTenant(tenant, logger: TestDatabase.logger) { session in
                try await session.idempotencyComplete(key: "answered", status: 201, contentType: "application/json", body: Data("{}".utf8))
            }
            try await age("answered", minutes: 3)
            #expect(try await begin("answered") == .replay(status: 201, contentType: "application/json", body: Data("{}".utf8)))
        }
    }
}
