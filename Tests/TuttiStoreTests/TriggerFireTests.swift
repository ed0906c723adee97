import Foundation
import PostgresNIO
import Testing
import TuttiDomain
import TuttiStore
import TuttiTestSupport

/// The firing statement itself (``TenantSession/triggerFire(_:)``), below the API: the
/// reentry gate under concurrent transactions, and only stored events firing.
@Suite("Trigger firing")
struct TriggerFireTests {
    private struct Fixture {
        var tenant: UUID
        var customer: UUID
        var armed: ArmedTrigger
    }

    /// A tenant, a customer, a webhook channel and an armed triggered campaign (`once`).
    private func makeFixture(_ database: Database) async throws -> Fixture {
        let tenant = try await TestTenant.make("Trigger firing", in: database).tenant.id
        let customer = UUID.v7(), campaign = UUID.v7(), template = UUID.v7()
        let channel = try await database.withTenant(tenant, logger: TestDatabase.logger) { session in
            try await session.connection.query(
                "INSERT INTO customers (tenant_id, id) VALUES (\(tenant), \(customer))", logger: TestDatabase.logger)
            try await session.connection.query(
                "INSERT INTO templates (tenant_id, id, name, current_version) VALUES (\(tenant), \(template), 'T', 1)",
                logger: TestDatabase.logger)
            let channel = try await session.channelInsert(
                name: "hook",
                configuration: .webhook(
                    WebhookChannelConfiguration(
                        url: "https://hooks.example.com/x", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")),
                rateLimitPerSecond: nil, secondaryChannelID: nil, keyring: .development)
            let definition = """
                {"name": "T", "template_id": "\(template.canonicalText)", "channels": ["\(channel.id.canonicalText)"],
                 "trigger": {"event": "Signed Up", "reentry": "once"}}
                """
            try await session.connection.query(
                """
                INSERT INTO campaigns (tenant_id, id, name, definition, state, template_id, template_version, audience_rule, launched_at)
                VALUES (\(tenant), \(campaign), 'T', \(definition)::jsonb, 'scheduled', \(template), 1, '{"all": {"_0": []}}', now())
                """, logger: TestDatabase.logger)
            return channel.id
        }
        let trigger = try CampaignTrigger(json: .object(["event": .string("Signed Up"), "reentry": .string("once")]))
        let armed = ArmedTrigger(
            campaignID: campaign, trigger: trigger, rule: nil, templateID: template, templateVersion: 1,
            expiresAfterSeconds: 3_600,
            channels: [CampaignChannelOption(channelID: channel, channelType: "webhook")])
        return Fixture(tenant: tenant, customer: customer, armed: armed)
    }

    /// Stores one event of the fixture's customer and fires it, in one transaction.
    private func ingestAndFire(_ fixture: Fixture, _ database: Database, messageID: String) async throws -> TriggerOutcome {
        try await database.withTenant(fixture.tenant, logger: TestDatabase.logger) { session in
            let event = CustomerEvent(
                customerID: fixture.customer, kind: .track, name: "Signed Up", messageID: messageID, occurredAt: Date())
            _ = try await session.eventInsert([event])
            return try await session.triggerFire([
                TriggerCandidate(
                    trigger: fixture.armed, customerID: fixture.customer, eventID: event.id, occurredAt: event.occurredAt,
                    messageID: messageID, correlation: nil)
            ])
        }
    }

    @Test func concurrentEventsOfOneCustomerFireOnce() async throws {
        try await withTestDatabase { database in
            let fixture = try await makeFixture(database)
            let outcomes = try await withThrowingTaskGroup(of: TriggerOutcome.self) { group in
                for n in 0..<8 { group.addTask { try await ingestAndFire(fixture, database, messageID: "m\(n)") } }
                return try await group.reduce(into: [TriggerOutcome]()) { $0.append($1) }
            }
            #expect(outcomes.map(\.fired).reduce(0, +) == 1, "\(outcomes)")
            #expect(outcomes.map(\.queued).reduce(0, +) == 1)
            let firings = try await database.withTenant(fixture.tenant, logger: TestDatabase.logger) { session in
                try await session.triggerFirings(campaignID: fixture.armed.campaignID)
            }
            #expect(firings.count == 1 && firings.first?.state == "queued" && firings.first?.messageID != nil)
        }
    }

    @Test func anEventTheTransactionDidNotStoreFiresNothing() async throws {
        try await withTestDatabase { database in
            let fixture = try await makeFixture(database)
            let outcome = try await database.withTenant(fixture.tenant, logger: TestDatabase.logger) { session in
                try await session.triggerFire([
                    TriggerCandidate(
                        trigger: fixture.armed, customerID: fixture.customer, eventID: UUID.v7(), occurredAt: Date(),
                        messageID: "never-stored", correlation: nil)
                ])
            }
            #expect(outcome == TriggerOutcome())
        }
    }
}
