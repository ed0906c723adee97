import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiAPI
import TuttiRuntime
import TuttiTestSupport

/// `POST /v1/messages` with an Idempotency-Key: a retry of the same request answers the same
/// message and queues no second delivery; the key with another body is refused.
@Suite("Messages: Idempotency-Key")
struct MessageIdempotencyTests {
    private static var hook: [String: Any] {
        ["type": "webhook", "name": "Hooks", "config": ["url": "https://hooks.example.com/t", "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]]
    }

    @Test func theSameKeyAndBodyAnswerTheSameMessageAndQueueOneDelivery() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let channel = try #require(try await client.createChannel(tenant, Self.hook)["id"] as? String)
            let customer = try await client.customer(tenant, identities: [("external_id", "idem-1")])
            let first = try await client.postMessage(tenant, customer: customer, channel: channel, idempotencyKey: "send-once-1")
            let second = try await client.postMessage(tenant, customer: customer, channel: channel, idempotencyKey: "send-once-1")
            #expect(first.status == .accepted && second.status == .accepted, "\(String(buffer: second.body))")
            #expect(second.headers[.idempotentReplayed] == "true")
            let id = try #require(try first.json()["id"] as? String)
            #expect(try second.json()["id"] as? String == id)
            let counts = try await deliveryCounts(tenant)
            #expect(counts.messages == 1 && counts.jobs == 1, "\(counts)")

            // Another key is another message.
            let third = try await client.postMessage(tenant, customer: customer, channel: channel, idempotencyKey: "send-once-2")
            let thirdID = try third.json()["id"] as? String
            #expect(third.status == .accepted && thirdID != id)
            let after = try await deliveryCounts(tenant)
            #expect(after.messages == 2 && after.jobs == 2, "\(after)")
        }
    }

    @Test func theSameKeyWithAnotherBodyIsRefusedAndQueuesNothing() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let channel = try #require(try await client.createChannel(tenant, Self.hook)["id"] as? String)
            let customer = try await client.customer(tenant, identities: [("external_id", "idem-2")])
            let first = try await client.postMessage(tenant, customer: customer, channel: channel, text: "Hello", idempotencyKey: "send-once-3")
            #expect(first.status == .accepted)
            let changed = try await client.postMessage(tenant, customer: customer, channel: channel, text: "Hello again", idempotencyKey: "send-once-3")
            let problem = try changed.expectProblem(.unprocessableContent)
            #expect(problem["type"] as? String == "urn:tutti:problem:idempotency-key-reused")
            let counts = try await deliveryCounts(tenant)
            #expect(counts.messages == 1 && counts.jobs == 1, "\(counts)")
        }
    }
}
