import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiRuntime
import TuttiStore
import TuttiTestSupport

@Suite("Messages")
struct MessageRouteTests {
    private static var hook: [String: Any] {
        [
        "type": "webhook", "name": "Hooks", "config": ["url": "https://hooks.example.com/t", "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
        ]
    }

    @Test func aMessageIsQueuedWithItsJobAndShownWithItsState() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let channel = try #require(try await client.createChannel(tenant, Self.hook)["id"] as? String)
            let (_, customer) = try await client.send(.post, "/v1/customers", tenant, json: #"{"identities": [{"type": "email", "value": "ann@example.com"}]}"#)
            let customerID = try #require(customer["id"] as? String)
            let body = #"{"customer_id": "\#(customerID)", "channel_id": "\#(channel)", "content": {"subject": "Hi", "text": "Hello", "data": {"order": 7}}}"#
            let (status, message) = try await client.send(.post, "/v1/messages", tenant, json: body)
            #expect(status == .accepted, "\(message)")
            #expect(message["state"] as? String == "queued" && message["customer_id"] as? String == customerID)
            #expect(message["recipient"] == nil || message["recipient"] is NSNull)
            let id = try #require(message["id"] as? String)

            let (got, shown) = try await client.send(.get, "/v1/messages/\(id)", tenant)
            #expect(got == .ok && (shown["attempts"] as? [Any])?.isEmpty == true)
            #expect((shown["content"] as? [String: Any])?["subject"] as? String == "Hi")
            let (missing, _) = try await client.send(.get, "/v1/messages/\(UUID().uuidString)", tenant)
            #expect(missing == .notFound)
        }
    }

    @Test func messagesThatCannotBeSentAreRefusedWithClearProblems() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let channel = try #require(try await client.createChannel(tenant, Self.hook)["id"] as? String)
            let (_, customer) = try await client.send(.post, "/v1/customers", tenant, json: #"{"identities": [{"type": "external_id", "value": "c-1"}]}"#)
            let customerID = try #require(customer["id"] as? String)
            func post(_ customer: String, _ channel: String) async throws -> String? {
                let (status, problem) = try await client.send(
                    .post, "/v1/messages", tenant, json: #"{"customer_id": "\#(customer)", "channel_id": "\#(channel)", "content": {"text": "x"}}"#)
                #expect(status == .unprocessableContent, "\(problem)")
                return problem["type"] as? String
            }
            #expect(try await post(UUID().uuidString, channel) == "urn:tutti:problem:unknown-customer")
            #expect(try await post(customerID, UUID().uuidString) == "urn:tutti:problem:unknown-channel")
        }
    }
}
