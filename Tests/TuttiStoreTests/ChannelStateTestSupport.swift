import Foundation
import PostgresNIO
import TuttiDomain
import TuttiStore
import TuttiTestSupport

/// A tenant with one webhook channel, for tests of the channel's shared state
/// (`channel_states`: the rate-limit bucket and the circuit).
struct ChannelStateFixture {
    var tenantID: UUID
    var channelID: UUID

    static func make(_ name: String, in database: Database) async throws -> ChannelStateFixture {
        let tenant = try await TestTenant.make(name, in: database).tenant.id
        let channel = try await database.withTenant(tenant, logger: TestDatabase.logger) { session in
            try await session.channelInsert(
                name: "hook",
                configuration: .webhook(
                    WebhookChannelConfiguration(
                        url: "https://hooks.example.com/t", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")),
                rateLimitPerSecond: nil, secondaryChannelID: nil, keyring: .development)
        }
        return ChannelStateFixture(tenantID: tenant, channelID: channel.id)
    }

    /// The circuit as stored: its state, the consecutive failures, and whether its probe is due
    /// by the database clock (nil before the state row exists).
    func circuitRow(in database: Database) async throws -> (circuit: String, failures: Int, probeDue: Bool)? {
        try await database.withTenant(tenantID, logger: TestDatabase.logger) { session in
            let rows = try await session.connection.query(
                """
                SELECT circuit, consecutive_failures, coalesce(probe_at <= clock_timestamp(), false)
                FROM channel_states WHERE tenant_id = \(tenantID) AND channel_id = \(channelID)
                """, logger: TestDatabase.logger)
            for try await (circuit, failures, due) in rows.decode((String, Int, Bool).self) { return (circuit, failures, due) }
            return nil
        }
    }

    /// Moves the circuit's probe time into the past, as if its cool-down had passed. (`now()`,
    /// the transaction's start: Citus refuses `clock_timestamp()` in an UPDATE's SET.)
    func makeProbeDue(in database: Database) async throws {
        try await database.withTenant(tenantID, logger: TestDatabase.logger) { session in
            _ = try await session.connection.query(
                "UPDATE channel_states SET probe_at = now() - interval '1 second' WHERE tenant_id = \(tenantID) AND channel_id = \(channelID)",
                logger: TestDatabase.logger)
        }
    }

    /// When the bucket was last refilled, and the database clock now.
    func bucketClock(in database: Database) async throws -> (refilledAt: Date, now: Date)? {
        try await database.withTenant(tenantID, logger: TestDatabase.logger) { session in
            let rows = try await session.connection.query(
                "SELECT rate_refilled_at, clock_timestamp() FROM channel_states WHERE tenant_id = \(tenantID) AND channel_id = \(channelID)",
                logger: TestDatabase.logger)
            for try await (refilled, now) in rows.decode((Date, Date).self) { return (refilled, now) }
            return nil
        }
    }
}
