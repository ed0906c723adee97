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

    @Test func queuedSentFailedAndDeadShowNewestFirstWithTheChannelTypeAndPageByCursor() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let channel = try #require(try await client.createChannel(tenant, Self.hook)["id"] as? String)
            let customer = try await client.customer(tenant, identities: [("external_id", "tl-1")])
            let worker = try HeldDeliveries(tenant: tenant, channel: channel)
            var first = try await worker.create(customer: customer)
            var second = try await worker.create(customer: customer)
            var third = try await worker.create(customer: customer)
            try await worker.attempt(&first, .retry, status: 500)
            try await worker.attempt(&first, .accepted, status: 202)
            try await worker.attempt(&second, .failed, status: 410)
            try await worker.attempt(&third, .retry, status: 503, last: true)

            let entries = try await client.timeline(tenant, customer, query: "&kind=message")
            let names = [first.text: "first", second.text: "second", third.text: "third"]
            let shown = entries.map { entry -> String in
                let detail = entry["detail"] as? [String: Any] ?? [:]
                let message = names[detail["message_id"] as? String ?? ""] ?? "?"
                return "\(message) \(entry["title"] ?? "") \(detail["http_status"] as? Int ?? 0)"
            }
            #expect(shown == [
                "third Message dead 503", "second Message dead 410", "first Message sent 202", "first Message failed 500",
                "third Message queued 0", "second Message queued 0", "first Message queued 0",
            ])
            #expect(entries.allSatisfy { $0["kind"] as? String == "message" && $0["channel"] as? String == "webhook" })
            #expect(entries.last?["id"] as? String == first.text, "a queued entry's id is the message's")

            // The channel filter takes the channel type; other kinds leave messages out.
            #expect(try await client.timeline(tenant, customer, query: "&channel=webhook").count == 7)
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
            let message = try await HeldDeliveries(tenant: tenant, channel: channel).create(customer: other)
            let merged = try await client.customer(tenant, identities: [("external_id", "tl-a"), ("external_id", "tl-b")])
            #expect(merged == survivor)
            let entries = try await client.timeline(tenant, survivor, query: "&kind=message")
            #expect(entries.map { $0["id"] as? String } == [message.text], "\(entries)")
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
