import Foundation
import GatewayStandIns
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiRuntime
import TuttiTestSupport

/// Amazon SES events through SNS (docs/closed-loop.md, "Amazon SES through SNS"): messages
/// signed with a test certificate (made by `cryptography`) that an HTTPS stand-in on loopback
/// serves as SNS serves its own, SignatureVersion 1 and 2.
@Suite("SES receipts through SNS")
struct SNSReceiptTests {
    static let topic = "arn:aws:sns:eu-west-1:123456789012:ses-events"

    @Test func signedEventsAreVerifiedRecordedOnceAndApplied() async throws {
        try await withSNSAPI { client, server, signer in
            let tenant = try await client.createTenant()
            let ann = try await client.customer(tenant, identities: [("email", "ann@example.com")])
            let bob = try await client.customer(tenant, identities: [("email", "bob@example.com")])
            let mail = try #require(try await client.createChannel(tenant, sesChannel(topics: [Self.topic]))["id"] as? String)
            let annMessage = try await client.acceptedMessage(tenant, customer: ann, channel: mail, providerID: "ses-ann-1")
            _ = try await client.acceptedMessage(tenant, customer: bob, channel: mail, providerID: "ses-bob-1")
            let certURL = server.baseURL + "/SimpleNotificationService-test.pem"

            let bounce =
                #"{"bounceType": "Permanent", "bounceSubType": "General", "timestamp": "2026-12-08T00:01:00.000Z", "feedbackId": "fb-1", "bouncedRecipients": [{"emailAddress": "ann@example.com", "action": "failed", "status": "5.1.1", "diagnosticCode": "smtp; 550 5.1.1 user unknown"}]}"#
            let bodies = try await signer.sign([
                snsEnvelope(
                    type: "SubscriptionConfirmation", id: "sub-1", topic: Self.topic, message: "You have chosen to subscribe",
                    certURL: certURL, version: "1", subscribeURL: server.baseURL + "/confirm?Action=ConfirmSubscription&Token=abc"
                ),
                snsEnvelope(
                    id: "n-1", topic: Self.topic,
                    message: sesEvent(
                        "Delivery", sesID: "ses-ann-1", to: "ann@example.com",
                        section:
                            #"{"timestamp": "2026-12-08T00:00:30.000Z", "recipients": ["ann@example.com"], "smtpResponse": "250 ok"}"#
                    ),
                    certURL: certURL, version: "1", subject: "Amazon SES Email Event Notification"),
                snsEnvelope(
                    id: "n-2", topic: Self.topic,
                    message: sesEvent("Bounce", sesID: "ses-ann-1", to: "ann@example.com", section: bounce),
                    certURL: certURL, version: "2"),
                snsEnvelope(
                    id: "n-3", topic: Self.topic,
                    message: sesEvent(
                        "Complaint", sesID: "ses-bob-1", to: "bob@example.com",
                        section:
                            #"{"feedbackId": "fb-2", "complaintFeedbackType": "abuse", "complainedRecipients": [{"emailAddress": "bob@example.com"}]}"#
                    ),
                    certURL: certURL, version: "2"),
                // Signed by our certificate, but from a topic the channel does not name.
                snsEnvelope(
                    id: "n-4", topic: "arn:aws:sns:eu-west-1:999999999999:other",
                    message: sesEvent(
                        "Delivery", sesID: "ses-ann-1", to: "ann@example.com", section: #"{"recipients": ["ann@example.com"]}"#),
                    certURL: certURL),
                // Its certificate URL is off the allowed hosts.
                snsEnvelope(
                    id: "n-5", topic: Self.topic,
                    message: sesEvent(
                        "Delivery", sesID: "ses-ann-1", to: "ann@example.com", section: #"{"recipients": ["ann@example.com"]}"#),
                    certURL: "https://sns.eu-west-1.amazonaws.com.evil.example/cert.pem"),
                // A transient bounce is recorded, the address kept.
                snsEnvelope(
                    id: "n-6", topic: Self.topic,
                    message: sesEvent(
                        "Bounce", sesID: "ses-bob-1", to: "bob@example.com",
                        section:
                            #"{"bounceType": "Transient", "bounceSubType": "MailboxFull", "bouncedRecipients": [{"emailAddress": "bob@example.com"}]}"#
                    ),
                    certURL: certURL, version: "1"),
            ])

            // Refusals first: nothing is stored by any of them.
            var flipped = Array(bodies[2].utf8)
            let at = try #require(bodies[2].range(of: "Permanent")).lowerBound.utf16Offset(in: bodies[2])
            flipped[at] = UInt8(ascii: "Q")
            try await client.postSNS(mail, String(decoding: flipped, as: UTF8.self)).expectProblem(.forbidden)
            var badSignature = try #require(try JSONSerialization.jsonObject(with: Data(bodies[1].utf8)) as? [String: String])
            badSignature["SignatureVersion"] = "2"  // a v1 signature checked as v2
            try await client.postSNS(
                mail, String(decoding: try JSONSerialization.data(withJSONObject: badSignature), as: UTF8.self)
            ).expectProblem(.forbidden)
            let wrongTopic = try await client.postSNS(mail, bodies[4]).expectProblem(.forbidden)
            #expect(wrongTopic["type"] as? String == "urn:tutti:problem:topic-not-allowed")
            try await client.postSNS(mail, bodies[5]).expectProblem(.forbidden)
            var (_, json) = try await client.send(.get, "/v1/messages/\(annMessage)", tenant)
            #expect((json["history"] as? [Any])?.isEmpty == true)
            #expect(try await client.timeline(tenant, ann).titles("event").isEmpty)

            // The subscription is confirmed by fetching SubscribeURL.
            let confirmed = try await client.postSNS(mail, bodies[0], type: "SubscriptionConfirmation")
            #expect(confirmed.status == .ok, "\(String(buffer: confirmed.body))")
            #expect(try confirmed.json()["subscription_confirmed"] as? Bool == true)
            let fetched = try await server.requests(atLeast: 2).map(\.path)
            #expect(fetched.contains("/confirm?Action=ConfirmSubscription&Token=abc"), "\(fetched)")
            #expect(fetched.contains("/SimpleNotificationService-test.pem"), "\(fetched)")

            for body in bodies[1...3] + [bodies[6]] {
                let response = try await client.postSNS(mail, body)
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                #expect(try response.json()["stored"] as? Int == 1)
            }
            for body in bodies[1...3] {
                #expect(try await client.postSNS(mail, body).json()["stored"] as? Int == 0)
            }

            (_, json) = try await client.send(.get, "/v1/messages/\(annMessage)", tenant)
            #expect(json["delivery_status"] as? String == "bounced")
            let history = try #require(json["history"] as? [[String: Any]])
            #expect(history.compactMap { $0["kind"] as? String } == ["delivered", "bounced"])
            #expect(history.allSatisfy { $0["gateway"] as? String == "ses" })
            #expect((history.last?["detail"] as? [String: Any])?["diagnostic_code"] as? String == "smtp; 550 5.1.1 user unknown")
            #expect(try await client.timeline(tenant, ann).titles("event").sorted() == ["Message Bounced", "Message Delivered"])
            #expect(try await client.timeline(tenant, bob).titles("event").sorted() == ["Complained", "Message Bounced"])

            // The permanent bounce suppressed Ann's address: a new message to her is refused.
            #expect(try await client.postMessage(tenant, customer: ann, channel: mail).status == .unprocessableContent)
            // Bob's complaint suppressed him and opted him out of e-mail.
            #expect(try await client.postMessage(tenant, customer: bob, channel: mail).status == .unprocessableContent)
            let (_, consents) = try await client.send(.get, "/v1/customers/\(bob)/consents", tenant)
            #expect(
                (consents["data"] as? [[String: Any]])?.first { $0["channel"] as? String == "email" }?["status"] as? String
                    == "opted_out")
        }
    }

    @Test func transientBounceKeepsTheAddress() async throws {
        try await withSNSAPI { client, server, signer in
            let tenant = try await client.createTenant()
            let cy = try await client.customer(tenant, identities: [("email", "cy@example.com")])
            let mail = try #require(try await client.createChannel(tenant, sesChannel(topics: [Self.topic]))["id"] as? String)
            let message = try await client.acceptedMessage(tenant, customer: cy, channel: mail, providerID: "ses-cy-1")
            let bodies = try await signer.sign([
                snsEnvelope(
                    id: "t-1", topic: Self.topic,
                    message: sesEvent(
                        "Bounce", sesID: "ses-cy-1", to: "cy@example.com",
                        section:
                            #"{"bounceType": "Transient", "bounceSubType": "MailboxFull", "bouncedRecipients": [{"emailAddress": "cy@example.com"}]}"#
                    ),
                    certURL: server.baseURL + "/cert.pem", version: "1")
            ])
            #expect(try await client.postSNS(mail, bodies[0]).json()["stored"] as? Int == 1)
            let (_, json) = try await client.send(.get, "/v1/messages/\(message)", tenant)
            #expect(json["delivery_status"] as? String == "blocked")
            #expect(try await client.timeline(tenant, cy).titles("event") == ["Message Bounced"])
            #expect(try await client.postMessage(tenant, customer: cy, channel: mail).status == .accepted)
        }
    }

    @Test func badInputAndOtherTenantsAreRefused() async throws {
        try await withSNSAPI { client, server, signer in
            let tenantA = try await client.createTenant("A"), tenantB = try await client.createTenant("B")
            let mailA = try #require(try await client.createChannel(tenantA, sesChannel(topics: [Self.topic]))["id"] as? String)
            let mailB = try #require(try await client.createChannel(tenantB, sesChannel(topics: []))["id"] as? String)
            let dee = try await client.customer(tenantB, identities: [("email", "dee@example.com")])
            let deeMessage = try await client.acceptedMessage(tenantB, customer: dee, channel: mailB, providerID: "ses-dee-1")
            let certURL = server.baseURL + "/cert.pem"
            let bodies = try await signer.sign([
                // A's channel naming B's SES message and B's customer's address.
                snsEnvelope(
                    id: "x-1", topic: Self.topic,
                    message: sesEvent(
                        "Complaint", sesID: "ses-dee-1", to: "dee@example.com",
                        section: #"{"complainedRecipients": [{"emailAddress": "dee@example.com"}]}"#),
                    certURL: certURL),
                // Signed, but the SES event has no mail.messageId.
                snsEnvelope(
                    id: "x-2", topic: Self.topic, message: #"{"notificationType": "Bounce", "bounce": {}}"#, certURL: certURL),
                // Signed, not an SES event (SNS's own test message): recorded as nothing.
                snsEnvelope(id: "x-3", topic: Self.topic, message: "hello", certURL: certURL),
            ])
            let crossing = try await client.postSNS(mailA, bodies[0])
            #expect(crossing.status == .ok, "\(String(buffer: crossing.body))")
            let (_, json) = try await client.send(.get, "/v1/messages/\(deeMessage)", tenantB)
            #expect((json["history"] as? [Any])?.isEmpty == true)
            #expect(try await client.timeline(tenantB, dee).titles("event").isEmpty)
            #expect(try await client.postMessage(tenantB, customer: dee, channel: mailB).status == .accepted)
            // B's channel accepts no topic at all; A's body there is refused.
            try await client.postSNS(mailB, bodies[0]).expectProblem(.forbidden)

            try await client.postSNS(mailA, bodies[1]).expectProblem(.badRequest)
            #expect(try await client.postSNS(mailA, bodies[2]).json()["received"] as? Int == 0)
            for body in ["not json", "[]", #"{"Type": "Notification"}"#, #"{"Type": "Other", "MessageId": "m"}"#] {
                try await client.postSNS(mailA, body).expectProblem(.badRequest)
            }
            try await client.postSNS(UUID().uuidString, bodies[2]).expectProblem(.notFound)
            try await client.postSNS("not-a-uuid", bodies[2]).expectProblem(.badRequest)
        }
    }
}
