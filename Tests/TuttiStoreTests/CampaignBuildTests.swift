import Foundation
import PostgresNIO
import Testing
import TuttiDomain
import TuttiStore
import TuttiTestSupport

/// The audience build of a campaign occurrence (``TenantSession/campaignBuildChunk(_:)``): one
/// recipient row per customer, channel choice by reachability, consent and suppression, the
/// held-out share, and no customer planned twice however often a chunk runs.
@Suite("Campaign audience build")
struct CampaignBuildTests {
    /// 40 customers with `plan = "gold"`: 1–20 have an e-mail address, 21–30 a phone only,
    /// 31–40 nothing; customer 3 opted out of e-mail, customer 4's address is suppressed.
    /// Channels in order: SMTP, then Twilio.
    private struct Fixture {
        var tenant: UUID
        var customers: [UUID]
        var smtp: UUID
        var twilio: UUID
        var campaign: UUID
    }

    private func makeFixture(_ database: Database, holdout: Double = 0) async throws -> Fixture {
        let tenant = try await TestTenant.make("Campaign build", in: database).tenant.id
        let customers = (0..<40).map { _ in UUID.v7() }
        let smtp = UUID.v7(), twilio = UUID.v7(), campaign = UUID.v7()
        try await database.withTenant(tenant, logger: TestDatabase.logger) { session in
            func run(_ query: PostgresQuery) async throws {
                try await session.connection.query(query, logger: session.logger).collect().count
            }
            // One row at a time: Citus runs an INSERT … SELECT over unnest as a COPY, which
            // row-level security refuses.
            for id in customers {
                try await run(
                    "INSERT INTO customers (tenant_id, id, attributes) VALUES (\(tenant), \(id), '{\"plan\": \"gold\"}')")
            }
            for (index, id) in customers.enumerated() {
                if index < 20 {
                    try await run(
                        "INSERT INTO customer_identities (tenant_id, type, value, customer_id) VALUES (\(tenant), 'email', \("c\(index)@example.com"), \(id))"
                    )
                } else if index < 30 {
                    try await run(
                        "INSERT INTO customer_identities (tenant_id, type, value, customer_id) VALUES (\(tenant), 'phone', \("+4915100000\(index)"), \(id))"
                    )
                }
            }
            try await run(
                "INSERT INTO consents (tenant_id, customer_id, channel, status) VALUES (\(tenant), \(customers[3]), 'email', 'opted_out')"
            )
            try await run(
                "INSERT INTO suppressions (tenant_id, identity_type, identity_value, reason) VALUES (\(tenant), 'email', 'c4@example.com', 'hard_bounce')"
            )
            for (id, type) in [(smtp, "smtp"), (twilio, "twilio")] {
                try await run(
                    """
                    INSERT INTO channels (tenant_id, id, type, name, config, secrets, secrets_key_id)
                    VALUES (\(tenant), \(id), \(type), \(type), '{}', '\\x00'::bytea, 'test')
                    """)
            }
            let definition = JSONValue.object([
                "name": .string("Spring"), "channels": .array([.string(smtp.uuidString), .string(twilio.uuidString)]),
                "holdout_percent": .number(holdout), "schedule": .object(["type": .string("now")]),
            ]).jsonText
            let rule = String(decoding: try JSONEncoder().encode(Self.gold), as: UTF8.self)
            try await run(
                """
                INSERT INTO campaigns (tenant_id, id, name, definition, state, audience_rule, launched_at, next_occurrence_at)
                VALUES (\(tenant), \(campaign), 'Spring', \(definition)::jsonb, 'draft', \(rule)::jsonb, now(), NULL)
                """)
        }
        return Fixture(tenant: tenant, customers: customers, smtp: smtp, twilio: twilio, campaign: campaign)
    }

    private static let gold = RuleExpression.attribute(FieldCondition(path: ["plan"], test: .compare(.equal, .string("gold"))))

    /// Opens the due occurrence and builds it in chunks of `chunk`, as the scheduler does.
    private func build(
        _ fixture: Fixture, _ database: Database, chunk: Int, holdout: Double = 0, policy: ContactPolicy? = nil
    ) async throws -> Int {
        // The campaign stays a draft until this one transaction runs it, opens the occurrence and
        // takes its build: the schedulers that process tests start on the same database would
        // otherwise open and build it themselves.
        let build = try #require(
            try await database.withTenant(fixture.tenant, logger: TestDatabase.logger) { session in
                try await session.connection.query(
                    "UPDATE campaigns SET state = 'running' WHERE tenant_id = \(fixture.tenant) AND id = \(fixture.campaign)",
                    logger: session.logger
                ).collect().count
                _ = try await session.campaignOpenOccurrence(campaignID: fixture.campaign, plannedAt: Date(), next: nil)
                return try await session.campaignClaimBuild(lease: .seconds(600))
            })
        #expect(build.channels.map(\.channelID) == [fixture.smtp, fixture.twilio])
        var cursor: UUID?
        var queued = 0
        while true {
            let page = try await database.withTenant(fixture.tenant, logger: TestDatabase.logger) { session in
                let now = try await session.databaseNow()
                let page = try await session.campaignAudiencePage(build.audience, now: now, after: cursor, limit: chunk)
                guard !page.isEmpty else { return page }
                let result = try await session.campaignBuildChunk(
                    CampaignAudienceChunk(
                        campaignID: fixture.campaign, occurrence: build.occurrence,
                        customers: page.map { .init(customerID: $0.customerID, plannedAt: build.plannedAt) },
                        channels: build.channels, holdoutPercent: holdout, expiresAfter: .seconds(3600), templateID: nil,
                        templateVersion: nil, throttlePerSecond: nil, policy: policy))
                queued += result.queued
                return page
            }
            guard let last = page.last else { break }
            cursor = last.customerID
        }
        return queued
    }

    private func recipients(_ fixture: Fixture, _ database: Database) async throws -> [UUID: (
        outcome: String, reason: String?, channel: UUID?
    )] {
        try await database.withTenant(fixture.tenant, logger: TestDatabase.logger) { session in
            let rows = try await session.connection.query(
                "SELECT customer_id, outcome, reason, channel_id FROM campaign_recipients WHERE tenant_id = \(fixture.tenant) AND occurrence = 1",
                logger: session.logger)
            var found: [UUID: (outcome: String, reason: String?, channel: UUID?)] = [:]
            for try await (id, outcome, reason, channel) in rows.decode((UUID, String, String?, UUID?).self) {
                found[id] = (outcome, reason, channel)
            }
            return found
        }
    }

    @Test func everyCustomerIsPlannedOnceOnTheFirstChannelTheyCanReceive() async throws {
        try await withTestDatabase { database in
            let fixture = try await makeFixture(database)
            let queued = try await build(fixture, database, chunk: 7)
            let found = try await recipients(fixture, database)
            #expect(found.count == 40)
            // 20 e-mail customers minus the opted-out and the suppressed one, plus 10 by SMS.
            #expect(queued == 28)
            for (index, id) in fixture.customers.enumerated() {
                let recipient = try #require(found[id])
                switch index {
                case 3, 4, 30...: #expect(recipient.outcome == "skipped" && recipient.reason == "unreachable")
                case 0..<20: #expect(recipient.outcome == "queued" && recipient.channel == fixture.smtp)
                default: #expect(recipient.outcome == "queued" && recipient.channel == fixture.twilio)
                }
            }
            try await database.withTenant(fixture.tenant, logger: TestDatabase.logger) { session in
                let rows = try await session.connection.query(
                    """
                    SELECT count(*), count(DISTINCT m.customer_id), count(j.id), min(m.recipient), bool_and(m.expires_at > now())
                    FROM messages AS m LEFT JOIN queue_jobs AS j ON j.tenant_id = m.tenant_id AND j.id = m.job_id
                    WHERE m.tenant_id = \(fixture.tenant) AND m.campaign_id = \(fixture.campaign)
                    """, logger: session.logger)
                for try await (messages, customers, jobs, first, fresh) in rows.decode((Int64, Int64, Int64, String?, Bool?).self)
                {
                    #expect(messages == 28 && customers == 28 && jobs == 28)
                    #expect(first == "+491510000020")
                    #expect(fresh == true)
                }
            }
        }
    }

    @Test func aChunkBuiltTwiceQueuesNobodyTwice() async throws {
        try await withTestDatabase { database in
            let fixture = try await makeFixture(database)
            #expect(try await build(fixture, database, chunk: 100) == 28)
            // A second builder (or the same after a crash before its cursor moved) writes the
            // same customers again: the recipients' key turns every one of them away.
            let again = try await database.withTenant(fixture.tenant, logger: TestDatabase.logger) { session in
                try await session.campaignBuildChunk(
                    CampaignAudienceChunk(
                        campaignID: fixture.campaign, occurrence: 1,
                        customers: fixture.customers.map { .init(customerID: $0, plannedAt: Date()) },
                        channels: [CampaignChannelOption(channelID: fixture.smtp, channelType: "smtp")], holdoutPercent: 0,
                        expiresAfter: .seconds(60), templateID: nil, templateVersion: nil, throttlePerSecond: nil))
            }
            #expect(again.recipients == 0 && again.queued == 0)
            try await database.withTenant(fixture.tenant, logger: TestDatabase.logger) { session in
                let rows = try await session.connection.query(
                    "SELECT count(*) FROM messages WHERE tenant_id = \(fixture.tenant) AND campaign_id = \(fixture.campaign)",
                    logger: session.logger)
                for try await count in rows.decode(Int64.self) { #expect(count == 28) }
            }
        }
    }

    @Test func theHeldOutShareIsStableAndSentNothing() async throws {
        try await withTestDatabase { database in
            let fixture = try await makeFixture(database, holdout: 50)
            _ = try await build(fixture, database, chunk: 9, holdout: 50)
            let found = try await recipients(fixture, database)
            let held = Set(found.filter { $0.value.outcome == "held_out" }.keys)
            // 50 % of 40 by a hash: not exactly 20, but never none or all.
            #expect((8...32).contains(held.count))
            #expect(found.filter { $0.value.outcome == "held_out" }.allSatisfy { $0.value.channel == nil })
            // The next occurrence of the same campaign holds out the same customers.
            try await database.withTenant(fixture.tenant, logger: TestDatabase.logger) { session in
                try await session.campaignFinishBuild(campaignID: fixture.campaign, occurrence: 1)
                try await session.connection.query(
                    "UPDATE campaigns SET state = 'draft' WHERE tenant_id = \(fixture.tenant) AND id = \(fixture.campaign)",
                    logger: session.logger
                ).collect().count
            }
            _ = try await build(fixture, database, chunk: 9, holdout: 50)
            let second = try await database.withTenant(fixture.tenant, logger: TestDatabase.logger) { session in
                let rows = try await session.connection.query(
                    """
                    SELECT customer_id FROM campaign_recipients
                    WHERE tenant_id = \(fixture.tenant) AND campaign_id = \(fixture.campaign) AND occurrence = 2 AND outcome = 'held_out'
                    """, logger: session.logger)
                var ids: Set<UUID> = []
                for try await id in rows.decode(UUID.self) { ids.insert(id) }
                return ids
            }
            #expect(second == held)
        }
    }

    @Test func customersAtACapAreSkippedAndQuietHoursDeferTheRest() async throws {
        try await withTestDatabase { database in
            let fixture = try await makeFixture(database)
            // Customers 0 and 1 were e-mailed an hour ago: at the cap of one a day.
            try await database.withTenant(fixture.tenant, logger: TestDatabase.logger) { session in
                for customer in fixture.customers.prefix(2) {
                    let message = UUID.v7()
                    try await session.connection.query(
                        """
                        INSERT INTO messages (tenant_id, id, customer_id, channel_id, channel_type, content, state)
                        VALUES (\(fixture.tenant), \(message), \(customer), \(fixture.smtp), 'smtp', '{}', 'sent')
                        """, logger: session.logger
                    ).collect().count
                    try await session.connection.query(
                        """
                        INSERT INTO contact_ledger (tenant_id, customer_id, message_id, channel_type, counted_at)
                        VALUES (\(fixture.tenant), \(customer), \(message), 'smtp', now() - interval '1 hour')
                        """, logger: session.logger
                    ).collect().count
                }
            }
            // Quiet hours from an hour ago to an hour ahead, in UTC (the tenant's zone).
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            func clock(_ date: Date) -> String {
                String(format: "%02d:%02d", calendar.component(.hour, from: date), calendar.component(.minute, from: date))
            }
            let now = Date()
            let policy = try ContactPolicy(
                json: .object([
                    "caps": .array([.object(["channels": .string("all"), "max": .number(1), "per": .string("1 day")])]),
                    "quiet_hours": .object([
                        "start": .string(clock(now - 3600)), "end": .string(clock(now + 3600)), "channels": .string("all"),
                        "action": .string("defer"),
                    ]),
                ]))
            _ = try await build(fixture, database, chunk: 16, policy: policy)
            let found = try await recipients(fixture, database)
            #expect(found[fixture.customers[0]]?.outcome == "skipped" && found[fixture.customers[0]]?.reason == "capped")
            #expect(found[fixture.customers[1]]?.reason == "capped")
            // The others are queued, deferred to the end of the quiet hours.
            #expect(found[fixture.customers[2]]?.outcome == "queued" && found[fixture.customers[2]]?.reason == "quiet_hours")
            try await database.withTenant(fixture.tenant, logger: TestDatabase.logger) { session in
                let rows = try await session.connection.query(
                    """
                    SELECT min(j.run_at), max(j.run_at), count(*) FILTER (WHERE j.state = 'scheduled'), count(*)
                    FROM messages AS m JOIN queue_jobs AS j ON j.tenant_id = m.tenant_id AND j.id = m.job_id
                    WHERE m.tenant_id = \(fixture.tenant) AND m.campaign_id = \(fixture.campaign)
                    """, logger: session.logger)
                for try await (first, last, scheduled, all) in rows.decode((Date, Date, Int64, Int64).self) {
                    #expect(all == 26 && scheduled == 26)
                    #expect(abs(first.timeIntervalSince(now + 3600)) < 120 && abs(last.timeIntervalSince(now + 3600)) < 120)
                }
            }
        }
    }

    @Test func theTimelineShowsWhatACampaignDecidedForEachCustomer() async throws {
        try await withTestDatabase { database in
            let fixture = try await makeFixture(database, holdout: 50)
            _ = try await build(fixture, database, chunk: 40, holdout: 50)
            let found = try await recipients(fixture, database)
            let held = try #require(found.first { $0.value.outcome == "held_out" }?.key)
            let unreachable = try #require(found.first { $0.value.reason == "unreachable" }?.key)
            let queued = try #require(found.first { $0.value.outcome == "queued" }?.key)
            try await database.withTenant(fixture.tenant, logger: TestDatabase.logger) { session in
                let heldEntries = try await session.timeline(customerID: held, kinds: [], channel: nil, before: nil, limit: 10)
                #expect(heldEntries.map(\.title) == ["Held out of the campaign"])
                #expect(heldEntries.first?.detail["campaign_id"]?.stringValue == fixture.campaign.canonicalText)
                let skipped = try await session.timeline(
                    customerID: unreachable, kinds: [.campaign], channel: nil, before: nil, limit: 10)
                #expect(skipped.map(\.title) == ["Skipped by the campaign: unreachable"])
                let sent = try await session.timeline(customerID: queued, kinds: [], channel: nil, before: nil, limit: 10)
                #expect(sent.map(\.title) == ["Message queued"])
                #expect(sent.first?.detail["campaign_id"]?.stringValue == fixture.campaign.canonicalText)
                #expect(sent.first?.detail["campaign_occurrence"] == .number(1))
            }
        }
    }
}
