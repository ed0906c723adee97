import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiDomain
import TuttiRuntime
import TuttiStore
import TuttiTestSupport

/// Message touches on `GET /v1/customers/{id}/timeline`: a message queued, and each attempt
/// titled by the state it left the message in, with the channel type as the entry's channel.
@Suite("Timeline: message touches")
struct TimelineMessageTests {
    private static var hook: [String: Any] {
        ["type": "webhook", "name": "Hooks", "config": ["url": "https://hooks.example.com/t", "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]]
    }

    /// Records attempts as the worker does, one transaction each (so each has its own time).
    private func record(_ tenant: CreatedTenant, _ records: [MessageAttemptRecord]) async throws {
        let tenantID = try #require(UUID(uuidString: tenant.id))
        try await withTestDatabase { database in
            for record in records {
                try await database.withTenant(tenantID, logger: TestDatabase.logger) { try await $0.messageRecordAttempts([record], worker: "test-worker") }
            }
        }
    }

    private func attempt(
        _ message: String, _ channel: String, _ number: Int32, _ outcome: MessageAttempt.Outcome, status: Int, final: Bool = false
    ) throws -> MessageAttemptRecord {
        MessageAttemptRecord(
            messageID: try #require(UUID(uuidString: message)), attempt: number, channelID: try #require(UUID(uuidString: channel)), outcome: outcome,
            reason: outcome == .accepted ? nil : "the webhook endpoint answered \(status)", httpStatus: status, durationMilliseconds: 12,
            providerMessageID: nil, isFinal: final)
    }

    /// Creates a message as `POST /v1/messages` does and, in the same transaction, claims its
    /// delivery job for ten minutes: this test plays the worker, and no worker process of a test
    /// running alongside may send it (and add attempts of its own).
    private func heldMessage(_ tenant: CreatedTenant, customer: String, channel: String) async throws -> String {
        let tenantID = try #require(UUID(uuidString: tenant.id))
        let customerID = try #require(UUID(uuidString: customer)), channelID = try #require(UUID(uuidString: channel))
        return try await withTestDatabase { database in
            try await database.withTenant(tenantID, logger: TestDatabase.logger) { session in
                let message = try await session.messageCreate(customerID: customerID, channelID: channelID, content: ["subject": .string("Hi")])
                let held = try await session.queueClaim(queue: TenantSession.deliveryQueue, worker: "timeline-test", limit: 10, lease: .seconds(600))
                try #require(held.count == 1)
                return message.id.uuidString.lowercased()
            }
        }
    }

    @Test func queuedSentFailedAndDeadShowNewestFirstWithTheChannelTypeAndPageByCursor() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let channel = try #require(try await client.createChannel(tenant, Self.hook)["id"] as? String)
            let customer = try await client.customer(tenant, identities: [("external_id", "tl-1")])
            let first = try await heldMessage(tenant, customer: customer, channel: channel)
            let second = try await heldMessage(tenant, customer: customer, channel: channel)
            try await record(tenant, [
                try attempt(first, channel, 1, .retry, status: 500),
                try attempt(first, channel, 2, .accepted, status: 202),
                try attempt(second, channel, 1, .retry, status: 503, final: true),
            ])

            let entries = try await client.timeline(tenant, customer, query: "&kind=message")
            let shown = entries.map { entry -> String in
                let detail = entry["detail"] as? [String: Any] ?? [:]
                let message = (detail["message_id"] as? String) == first ? "first" : "second"
                return "\(message) \(entry["title"] ?? "") \(detail["http_status"] as? Int ?? 0)"
            }
            #expect(shown == [
                "second Message dead 503", "first Message sent 202", "first Message failed 500",
                "second Message queued 0", "first Message queued 0",
            ])
            #expect(entries.allSatisfy { $0["kind"] as? String == "message" && $0["channel"] as? String == "webhook" })
            #expect(entries.last?["id"] as? String == first, "a queued entry's id is the message's")

            // The channel filter takes the channel type; other kinds leave messages out.
            #expect(try await client.timeline(tenant, customer, query: "&channel=webhook").count == 5)
            #expect(try await client.timeline(tenant, customer, query: "&kind=message&channel=email").isEmpty)
            #expect(try await client.timeline(tenant, customer, query: "&kind=event,consent,merge").titles("message").isEmpty)

            // Two at a time, the pages add up to the whole, in order and without repeats.
            var paged: [String] = []
            var cursor: String?
            repeat {
                let (status, page) = try await client.send(
                    .get, "/v1/customers/\(customer)/timeline?kind=message&limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), tenant)
                try #require(status == .ok, "\(page)")
                paged += (page["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                cursor = page["next_cursor"] as? String
            } while cursor != nil && paged.count < 20
            #expect(paged == entries.compactMap { $0["id"] as? String })
        }
    }

    @Test func aMergedCustomersMessagesShowOnTheSurvivorsTimeline() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let channel = try #require(try await client.createChannel(tenant, Self.hook)["id"] as? String)
            let survivor = try await client.customer(tenant, identities: [("external_id", "tl-a")])
            let other = try await client.customer(tenant, identities: [("external_id", "tl-b")])
            let message = try await heldMessage(tenant, customer: other, channel: channel)
            let merged = try await client.customer(tenant, identities: [("external_id", "tl-a"), ("external_id", "tl-b")])
            #expect(merged == survivor)
            let entries = try await client.timeline(tenant, survivor, query: "&kind=message")
            #expect(entries.map { $0["id"] as? String } == [message], "\(entries)")
        }
    }

    @Test func anUnknownKindNamesTheKindsThereAre() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let customer = try await client.customer(tenant, identities: [("external_id", "tl-x")])
            let response = try await client.execute(uri: "/v1/customers/\(customer)/timeline?kind=messages", method: .get, headers: tenant.admin)
            let problem = try response.expectProblem(.badRequest)
            #expect((problem["detail"] as? String)?.contains("event, consent, merge, message") == true, "\(problem)")
        }
    }
}
