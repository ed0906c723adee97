import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing
import TuttiRuntime
import TuttiStore
import TuttiTestSupport

@Suite("Triggered campaigns")
struct TriggerRouteTests {
    static let abandonedCart = """
        {"event": "Cart Abandoned", "delay": "30 minutes", "reentry": "always", "exit_events": ["Order Completed"],
         "correlation": "properties.cart_id"}
        """

    @Test func anOrderForTheCartBeforeTheDelayCancelsItsFiringAndAnOrderForAnotherCartDoesNot() async throws {
        try await withAPI { client in
            let fixture = try await client.campaignFixture()
            let tenant = fixture.tenant
            let campaign = try await client.armedTrigger(fixture, Self.abandonedCart)
            let (_, shown) = try await client.send(.get, "/v1/campaigns/\(campaign)", tenant)
            #expect(shown["state"] as? String == "scheduled" && shown["audience"] is NSNull && shown["schedule"] is NSNull)
            #expect((shown["trigger"] as? [String: Any])?["correlation"] as? String == "properties.cart_id")

            try await client.track(tenant, user: "ann", event: "Cart Abandoned", properties: #"{"cart_id": "c1"}"#)
            try await client.track(tenant, user: "ann", event: "Cart Abandoned", properties: #"{"cart_id": "c2"}"#)
            var seen = try await firings(tenant, campaign: campaign)
            #expect(seen.map(\.record.state) == ["queued", "queued"])
            let due = try #require(seen.first?.jobRunAt)
            #expect(due.timeIntervalSinceNow > 29 * 60, "the message waits for the trigger's delay")

            try await client.track(tenant, user: "ann", event: "Order Completed", properties: #"{"cart_id": "c1"}"#)
            seen = try await firings(tenant, campaign: campaign)
            #expect(seen.map(\.record.correlation) == ["c1", "c2"])
            #expect(seen[0].record.state == "skipped" && seen[0].record.reason == "exited")
            #expect(seen[0].messageState == "skipped" && seen[0].skipReason == "exited" && seen[0].jobRunAt == nil)
            #expect(seen[1].record.state == "queued" && seen[1].messageState == "queued" && seen[1].jobRunAt != nil)

            // Another customer's order for cart c2 cancels nothing of ann's.
            try await client.track(tenant, user: "bob", event: "Order Completed", properties: #"{"cart_id": "c2"}"#)
            #expect(try await firings(tenant, campaign: campaign)[1].record.state == "queued")
        }
    }

    @Test func anAbandonmentAndItsOrderInOneBatchSendNothing() async throws {
        try await withAPI { client in
            let fixture = try await client.campaignFixture()
            let campaign = try await client.armedTrigger(fixture, Self.abandonedCart)
            let (status, _) = try await client.ingest(
                fixture.tenant, "/v1/batch",
                """
                {"batch": [
                  {"type": "track", "userId": "cy", "event": "Cart Abandoned", "properties": {"cart_id": "k"}, "messageId": "x1",
                   "timestamp": "2026-12-01T10:00:00Z"},
                  {"type": "track", "userId": "cy", "event": "Order Completed", "properties": {"cart_id": "k"}, "messageId": "x2",
                   "timestamp": "2026-12-01T10:00:05Z"}
                ]}
                """)
            #expect(status == .ok)
            let seen = try await firings(fixture.tenant, campaign: campaign)
            #expect(seen.map(\.record.reason) == ["exited"])
        }
    }

    @Test func aReplayedMessageIdARetriedBatchAndTwoEventsInOneSecondFireOnce() async throws {
        try await withAPI { client in
            let fixture = try await client.campaignFixture()
            let tenant = fixture.tenant
            let campaign = try await client.armedTrigger(fixture, #"{"event": "Signed Up", "reentry": "once"}"#)

            try await client.track(tenant, user: "replay", event: "Signed Up", messageID: "same")
            try await client.track(tenant, user: "replay", event: "Signed Up", messageID: "same")

            let batch = """
                {"batch": [
                  {"type": "track", "userId": "retry", "event": "Signed Up", "messageId": "r1"},
                  {"type": "track", "userId": "second", "event": "Signed Up", "messageId": "s1", "timestamp": "2026-12-01T10:00:00Z"},
                  {"type": "track", "userId": "second", "event": "Signed Up", "messageId": "s2", "timestamp": "2026-12-01T10:00:00Z"}
                ]}
                """
            #expect(try await client.ingest(tenant, "/v1/batch", batch).0 == .ok)
            #expect(try await client.ingest(tenant, "/v1/batch", batch).0 == .ok)

            let seen = try await firings(tenant, campaign: campaign)
            #expect(seen.count == 3, "one firing each for replay, retry and second: \(seen.map(\.record.customerID))")
            #expect(Set(seen.map(\.record.customerID)).count == 3)
            #expect(seen.allSatisfy { $0.messageState == "queued" })
        }
    }

    @Test func reentryOnceAlwaysWithCorrelationAndAfterAWindow() async throws {
        try await withAPI { client in
            let fixture = try await client.campaignFixture()
            let tenant = fixture.tenant
            let always = try await client.armedTrigger(fixture, #"{"event": "Viewed", "reentry": "always"}"#)
            let perCart = try await client.armedTrigger(
                fixture, #"{"event": "Viewed", "reentry": "always", "correlation": "properties.sku"}"#)
            let weekly = try await client.armedTrigger(fixture, #"{"event": "Viewed", "reentry": "after 7 days"}"#)
            let once = try await client.armedTrigger(fixture, #"{"event": "Viewed", "reentry": "once"}"#)

            for sku in ["a", "a", "b"] {
                try await client.track(tenant, user: "dee", event: "Viewed", properties: #"{"sku": "\#(sku)"}"#)
            }
            #expect(try await firings(tenant, campaign: always).count == 3)
            #expect(try await firings(tenant, campaign: perCart).map(\.record.correlation) == ["a", "b"])
            #expect(try await firings(tenant, campaign: weekly).count == 1)
            #expect(try await firings(tenant, campaign: once).count == 1)

            // Eight days later (the gate's last firing moved back), the weekly one fires again; once never does.
            // Values, not `last_fired_at - interval …`: Citus refuses stable functions over columns in an UPDATE.
            let eightDaysAgo = Date().addingTimeInterval(-8 * 86_400)
            try await tenantSQL(
                tenant,
                """
                UPDATE trigger_entries SET last_fired_at = \(eightDaysAgo),
                    reentry_at = CASE WHEN reentry_at IS NOT NULL THEN \(eightDaysAgo.addingTimeInterval(7 * 86_400)) END
                WHERE tenant_id = \(UUID(uuidString: tenant.id)!)
                """
            )
            try await client.track(tenant, user: "dee", event: "Viewed", properties: #"{"sku": "c"}"#)
            #expect(try await firings(tenant, campaign: weekly).count == 2)
            #expect(try await firings(tenant, campaign: once).count == 1)
        }
    }

    @Test func aTriggerRuleReadsTheEventsProperties() async throws {
        try await withAPI { client in
            let fixture = try await client.campaignFixture()
            let tenant = fixture.tenant
            let campaign = try await client.armedTrigger(
                fixture,
                #"{"event": "Order Completed", "rule": "event.properties.total > 50 and event.properties.currency = \"EUR\"", "reentry": "always"}"#
            )
            try await client.track(
                tenant, user: "eve", event: "Order Completed", properties: #"{"total": 20, "currency": "EUR"}"#)
            try await client.track(
                tenant, user: "eve", event: "Order Completed", properties: #"{"total": 80, "currency": "USD"}"#)
            #expect(try await firings(tenant, campaign: campaign).isEmpty)
            try await client.track(
                tenant, user: "eve", event: "Order Completed", properties: #"{"total": 80, "currency": "EUR"}"#)
            #expect(try await firings(tenant, campaign: campaign).count == 1)
        }
    }

    @Test func pausingDisarmsAndResumingArmsAgain() async throws {
        try await withAPI { client in
            let fixture = try await client.campaignFixture()
            let tenant = fixture.tenant
            let campaign = try await client.armedTrigger(fixture, #"{"event": "Visited", "reentry": "always"}"#)
            #expect(try await client.send(.post, "/v1/campaigns/\(campaign)/pause", tenant).0 == .ok)
            try await client.track(tenant, user: "fay", event: "Visited")
            #expect(try await firings(tenant, campaign: campaign).isEmpty)
            #expect(try await client.send(.post, "/v1/campaigns/\(campaign)/resume", tenant).0 == .ok)
            try await client.track(tenant, user: "fay", event: "Visited")
            #expect(try await firings(tenant, campaign: campaign).count == 1)
            #expect(try await client.send(.post, "/v1/campaigns/\(campaign)/cancel", tenant).0 == .ok)
            try await client.track(tenant, user: "fay", event: "Visited")
            #expect(try await firings(tenant, campaign: campaign).count == 1)
        }
    }

    @Test(arguments: [
        (#"{"event": "X", "reentry": "once", "delay": "2 fortnights"}"#, "trigger.delay"),
        (#"{"event": "X", "reentry": "sometimes"}"#, "trigger.reentry"),
        (#"{"event": "X", "reentry": "once", "correlation": "cart_id"}"#, "trigger.correlation"),
        (#"{"event": "X", "reentry": "once", "correlation": "properties..id"}"#, "trigger.correlation"),
        (#"{"event": "", "reentry": "once"}"#, "trigger.event"),
        (#"{"event": "X", "reentry": "once", "exit_events": ["Y"]}"#, "trigger.exit_events"),
        (#"{"event": "X", "reentry": "once", "colour": 1}"#, "trigger.colour"),
        (#"{"event": "X", "reentry": "once", "rule": "event.total > 5"}"#, "trigger.rule"),
        (#"{"event": "X", "reentry": "once", "rule": "context.page = \"home\""}"#, "trigger.rule"),
        (#"{"event": "X", "reentry": "once", "rule": "event.properties. > 5"}"#, "trigger.rule"),
        (#"[1]"#, "trigger"),
    ])
    func aBadTriggerIsA422NamingItsField(trigger: String, field: String) async throws {
        try await withAPI { client in
            let fixture = try await client.campaignFixture()
            let response = try await client.execute(
                uri: "/v1/campaigns", method: .post, headers: fixture.tenant.admin.with(.contentType, "application/json"),
                body: ByteBuffer(string: fixture.triggered(trigger)))
            let problem = try response.expectProblem(.unprocessableContent)
            let fields = (problem["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []
            #expect(fields.contains { $0 == field || $0.hasPrefix(field + ".") }, "\(problem)")
        }
    }

    @Test func eventIsRefusedWhereNoEventExistsAndATriggerTakesNoAudience() async throws {
        try await withAPI { client in
            let fixture = try await client.campaignFixture()
            let tenant = fixture.tenant
            let (status, problem) = try await client.send(
                .post, "/v1/segments", tenant, json: #"{"name": "E", "rule": "event.properties.total > 5"}"#)
            #expect(status == .unprocessableContent, "\(problem)")
            let both = """
                {"name": "x", "template_id": "\(fixture.templateID)", "channels": ["\(fixture.channels[0])"],
                 "audience": {"segment_id": "\(fixture.segmentID)"}, "trigger": {"event": "X", "reentry": "once"}}
                """
            let (refused, body) = try await client.send(.post, "/v1/campaigns", tenant, json: both)
            #expect(refused == .unprocessableContent)
            #expect((body["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } == ["audience"])
        }
    }

    @Test func anotherTenantsEventsNeverFireACampaignAndItsFiringsAreUnseen() async throws {
        try await withAPI { client in
            let fixture = try await client.campaignFixture()
            let other = try await client.campaignFixture("Other")
            let campaign = try await client.armedTrigger(fixture, #"{"event": "Shared Name", "reentry": "always"}"#)
            try await client.track(other.tenant, user: "gus", event: "Shared Name")
            #expect(try await firings(fixture.tenant, campaign: campaign).isEmpty)
            #expect(try await firings(other.tenant, campaign: campaign).isEmpty)
            #expect(try await client.send(.get, "/v1/campaigns/\(campaign)", other.tenant).0 == .notFound)
            #expect(try await client.send(.post, "/v1/campaigns/\(campaign)/pause", other.tenant).0 == .notFound)
            try await client.track(fixture.tenant, user: "gus", event: "Shared Name")
            #expect(try await firings(fixture.tenant, campaign: campaign).count == 1)
        }
    }
}
