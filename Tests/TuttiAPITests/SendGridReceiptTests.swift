import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiRuntime
import TuttiTestSupport

/// SendGrid's signed event webhook (docs/closed-loop.md "Receipts"): fixtures signed with a
/// P-256 key made by `cryptography` and verified by the `sendgrid` package's EventWebhook,
/// then posted to our endpoint.
@Suite("SendGrid receipts")
struct SendGridReceiptTests {
    static let timestamp = "1765000000"

    func channel(publicKey: String) -> [String: Any] {
        [
            "type": "sendgrid", "name": "Signed mail",
            "config": ["api_key": "SG.test-key", "from_address": "news@shop.example.com", "event_webhook_public_key": publicKey],
        ]
    }

    func event(_ name: String, id: String, email: String, message: String?, sendGridID: String = "abc", extra: String = "")
        -> String
    {
        let custom = message.map { #", "tutti_message_id": "\#($0)""# } ?? ""
        return
            #"{"event": "\#(name)", "sg_event_id": "\#(id)", "email": "\#(email)", "timestamp": \#(Int(Date().timeIntervalSince1970) - 60), "sg_message_id": "\#(sendGridID).filter001"\#(custom)\#(extra)}"#
    }

    @Test func signedEventsAreRecordedOnceAndApplied() async throws {
        try await withReceiptAPI { client in
            let tenant = try await client.createTenant()
            let ann = try await client.customer(tenant, identities: [("email", "ann@example.com")])
            let bob = try await client.customer(tenant, identities: [("email", "bob@example.com")])
            let setupKey = try await sendGridFixtures(timestamp: Self.timestamp, payloads: ["[]"])
            let mail = try #require(
                try await client.createChannel(tenant, channel(publicKey: setupKey.publicKey))["id"] as? String)
            let messageID = try await client.acceptedMessage(tenant, customer: ann, channel: mail, providerID: "abc")

            let annEvents =
                "["
                + [
                    event("processed", id: "e0", email: "ann@example.com", message: messageID),
                    event("delivered", id: "e1", email: "ann@example.com", message: messageID),
                    event("open", id: "e2", email: "ann@example.com", message: messageID),
                    event(
                        "click", id: "e3", email: "ann@example.com", message: messageID,
                        extra: #", "url": "https://shop.example.com/a""#),
                    event(
                        "bounce", id: "e4", email: "Ann@Example.com", message: messageID,
                        extra: #", "type": "bounce", "reason": "550 no such user""#),
                    event(
                        "click", id: "e3", email: "ann@example.com", message: messageID,
                        extra: #", "url": "https://shop.example.com/a""#),
                ].joined(separator: ",") + "]"
            let bobEvents = "[" + event("spamreport", id: "e5", email: "bob@example.com", message: nil, sendGridID: "other") + "]"
            let fixtures = try await sendGridFixtures(timestamp: Self.timestamp, payloads: [annEvents, bobEvents])
            // Re-key the channel with the fixtures' key.
            let (patched, _) = try await client.send(
                .patch, "/v1/channels/\(mail)", tenant,
                json: #"{"config": {"event_webhook_public_key": "\#(fixtures.publicKey)"}}"#)
            #expect(patched == .ok)

            // Tampered (one byte of the body), wrong timestamp, missing headers: 403, nothing stored.
            var tampered = Array(annEvents.utf8)
            tampered[tampered.count - 3] = UInt8(ascii: "1")
            try await client.postSendGrid(
                mail, payload: String(decoding: tampered, as: UTF8.self), signature: fixtures.signatures[0],
                timestamp: Self.timestamp
            )
            .expectProblem(.forbidden)
            try await client.postSendGrid(mail, payload: annEvents, signature: fixtures.signatures[0], timestamp: "1765000001")
                .expectProblem(.forbidden)
            let unsigned = try await client.execute(
                uri: "/v1/callbacks/\(mail)/sendgrid", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: annEvents))
            try unsigned.expectProblem(.forbidden)
            var (_, json) = try await client.send(.get, "/v1/messages/\(messageID)", tenant)
            #expect((json["history"] as? [Any])?.isEmpty == true)

            let first = try await client.postSendGrid(
                mail, payload: annEvents, signature: fixtures.signatures[0], timestamp: Self.timestamp)
            #expect(first.status == .ok, "\(String(buffer: first.body))")
            #expect(try first.json()["received"] as? Int == 5)
            #expect(try first.json()["stored"] as? Int == 4)
            let replay = try await client.postSendGrid(
                mail, payload: annEvents, signature: fixtures.signatures[0], timestamp: Self.timestamp)
            #expect(try replay.json()["stored"] as? Int == 0)
            let complaint = try await client.postSendGrid(
                mail, payload: bobEvents, signature: fixtures.signatures[1], timestamp: Self.timestamp)
            #expect(try complaint.json()["stored"] as? Int == 1)

            (_, json) = try await client.send(.get, "/v1/messages/\(messageID)", tenant)
            #expect(json["delivery_status"] as? String == "bounced")
            let history = try #require(json["history"] as? [[String: Any]])
            #expect(Set(history.compactMap { $0["kind"] as? String }) == ["delivered", "opened", "clicked", "bounced"])
            #expect(history.count == 4)
            let click = history.first { $0["kind"] as? String == "clicked" }
            #expect((click?["detail"] as? [String: Any])?["url"] as? String == "https://shop.example.com/a")

            let annTimeline = try await client.timeline(tenant, ann).titles("event")
            for name in ["Message Delivered", "Message Opened", "Message Clicked", "Message Bounced"] {
                #expect(annTimeline.filter { $0 == name }.count == 1, "\(name) in \(annTimeline)")
            }
            // The hard bounce suppressed Ann's address; Bob's complaint suppressed his and opted him out.
            #expect(try await client.postMessage(tenant, customer: ann, channel: mail).status == .unprocessableContent)
            #expect(try await client.postMessage(tenant, customer: bob, channel: mail).status == .unprocessableContent)
            let (_, consents) = try await client.send(.get, "/v1/customers/\(bob)/consents", tenant)
            #expect(
                (consents["data"] as? [[String: Any]])?.first { $0["channel"] as? String == "email" }?["status"] as? String
                    == "opted_out")
            #expect(try await client.timeline(tenant, bob).titles("event") == ["Complained"])

            // Rules see the receipts as events: Ann was delivered to, Bob was not.
            let (created, segment) = try await client.send(
                .post, "/v1/segments", tenant,
                json: #"{"name": "Delivered", "rule": "count(\"Message Delivered\", last 30 days) >= 1"}"#)
            #expect(created == .created, "\(segment)")
            let segmentID = try #require(segment["id"] as? String)
            let (_, members) = try await client.send(.get, "/v1/segments/\(segmentID)/count", tenant)
            #expect(members["count"] as? Int == 1, "\(members)")
        }
    }

    @Test func badInputAndOtherTenantsKeysAreRefused() async throws {
        try await withReceiptAPI { client in
            let tenantA = try await client.createTenant("A"), tenantB = try await client.createTenant("B")
            let payloads = [
                "not json", #"{"event": "delivered"}"#, #"[{"event": "delivered"}]"#, #"[{"sg_event_id": "x"}]"#, "[1]",
                #"[{"event": "delivered", "sg_event_id": "x", "timestamp": "soon"}]"#,
            ]
            let keyA = try await sendGridFixtures(timestamp: Self.timestamp, payloads: payloads)
            let keyB = try await sendGridFixtures(timestamp: Self.timestamp, payloads: ["[]"])
            let mailA = try #require(try await client.createChannel(tenantA, channel(publicKey: keyA.publicKey))["id"] as? String)
            let mailB = try #require(try await client.createChannel(tenantB, channel(publicKey: keyB.publicKey))["id"] as? String)
            // Signed correctly, but not SendGrid's events: 400, never 500.
            for (payload, signature) in zip(payloads, keyA.signatures) {
                let response = try await client.postSendGrid(
                    mailA, payload: payload, signature: signature, timestamp: Self.timestamp)
                try response.expectProblem(.badRequest)
            }
            // A's signature on B's channel: 403.
            try await client.postSendGrid(mailB, payload: payloads[0], signature: keyA.signatures[0], timestamp: Self.timestamp)
                .expectProblem(.forbidden)
            // A signature that is not base64 DER: 403, not 500.
            try await client.postSendGrid(mailB, payload: "[]", signature: "%%%", timestamp: Self.timestamp).expectProblem(
                .forbidden)
            // A channel without a key refuses everything.
            let bare = try #require(try await client.createChannel(tenantB, sendGridChannel)["id"] as? String)
            try await client.postSendGrid(bare, payload: "[]", signature: keyB.signatures[0], timestamp: Self.timestamp)
                .expectProblem(.forbidden)
        }
    }
}
