import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiRuntime
import TuttiTestSupport

/// `POST /v1/messages` refuses a message that must not or cannot reach the customer with a
/// 422 problem naming why, and enqueues nothing.
@Suite("Messages: refusals")
struct MessageRefusalTests {
    /// Posts a message that must be refused with `slug`; nothing may be queued.
    private func expectRefused(
        _ client: any TestClientProtocol, _ tenant: CreatedTenant, customer: String, channel: String, slug: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let response = try await client.postMessage(tenant, customer: customer, channel: channel)
        let problem = try response.expectProblem(.unprocessableContent, sourceLocation: sourceLocation)
        #expect(problem["type"] as? String == "urn:tutti:problem:\(slug)", "\(problem)", sourceLocation: sourceLocation)
        #expect((problem["detail"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        let counts = try await deliveryCounts(tenant)
        #expect(counts.messages == 0 && counts.jobs == 0, "a refused message left \(counts)", sourceLocation: sourceLocation)
    }

    @Test func aCustomerWithoutAnAddressOnTheChannelIsRefusedWithNoRecipient() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let channel = try #require(try await client.createChannel(tenant, sendGridChannel)["id"] as? String)
            let customer = try await client.customer(tenant, identities: [("external_id", "no-mail-1"), ("phone", "+41791234567")])
            try await expectRefused(client, tenant, customer: customer, channel: channel, slug: "no-recipient")
        }
    }

    @Test func aSuppressedAddressIsRefusedUntilTheSuppressionIsLifted() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let channel = try #require(try await client.createChannel(tenant, sendGridChannel)["id"] as? String)
            let customer = try await client.customer(tenant, identities: [("email", "gus@example.com")])
            let (suppressed, _) = try await client.send(
                .post, "/v1/suppressions", tenant, json: #"{"identity": {"type": "email", "value": "gus@example.com"}, "reason": "hard_bounce"}"#)
            try #require(suppressed == .created)
            try await expectRefused(client, tenant, customer: customer, channel: channel, slug: "recipient-suppressed")

            let (lifted, _) = try await client.send(.delete, "/v1/suppressions?identity=email:gus@example.com", tenant)
            try #require(lifted == .noContent)
            let accepted = try await client.postMessage(tenant, customer: customer, channel: channel)
            #expect(accepted.status == .accepted, "\(String(buffer: accepted.body))")
            let counts = try await deliveryCounts(tenant)
            #expect(counts.messages == 1 && counts.jobs == 1, "\(counts)")
        }
    }

    @Test func aCustomerWhoOptedOutOfTheChannelsConsentIsRefused() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let channel = try #require(try await client.createChannel(tenant, sendGridChannel)["id"] as? String)
            let customer = try await client.customer(tenant, identities: [("email", "olga@example.com")])
            let (optedOut, answer) = try await client.send(
                .put, "/v1/customers/\(customer)/consents/email", tenant, json: #"{"status": "opted_out", "source": "preference centre"}"#)
            try #require(optedOut == .ok, "\(answer)")
            try await expectRefused(client, tenant, customer: customer, channel: channel, slug: "consent-opted-out")

            // Opting out of other mail (an SMS opt-out) does not stop e-mail.
            let other = try await client.customer(tenant, identities: [("email", "piet@example.com")])
            _ = try await client.send(.put, "/v1/customers/\(other)/consents/sms", tenant, json: #"{"status": "opted_out"}"#)
            let accepted = try await client.postMessage(tenant, customer: other, channel: channel)
            #expect(accepted.status == .accepted, "\(String(buffer: accepted.body))")
        }
    }
}
