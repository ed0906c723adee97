import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiRuntime
import TuttiTestSupport

/// Twilio status callbacks and inbound SMS (docs/closed-loop.md "Receipts"), signed by the
/// `twilio` package's own RequestValidator.
@Suite("Twilio receipts")
struct TwilioReceiptTests {
    static let token = "twilio-auth-token-0123456789abcdef"

    func statusFields(_ sid: String, _ status: String) -> [(String, String)] {
        [
            ("MessageSid", sid), ("MessageStatus", status), ("AccountSid", "AC0123456789abcdef"), ("To", "+15550100001"),
            ("From", "+15005550006"), ("ApiVersion", "2010-04-01"),
        ]
    }

    func message(_ client: some TestClientProtocol, _ tenant: CreatedTenant, _ id: String) async throws -> [String: Any] {
        let (status, json) = try await client.send(.get, "/v1/messages/\(id)", tenant)
        try #require(status == .ok)
        return json
    }

    @Test func aSignedStatusIsRecordedOnceAndOneWrongByteIsRefused() async throws {
        try await withReceiptAPI { client in
            let tenant = try await client.createTenant()
            let channel = try #require(
                try await client.createChannel(tenant, twilioChannel(authToken: Self.token))["id"] as? String)
            let customer = try await client.customer(tenant, identities: [("phone", "+15550100001")])
            let messageID = try await client.acceptedMessage(
                tenant, customer: customer, channel: channel, providerID: "SM00000000000000000000000000000001")
            let path = "/v1/callbacks/\(channel)/twilio/status"
            let fields = statusFields("SM00000000000000000000000000000001", "delivered")

            // One wrong byte of the signature, a field changed after signing, no signature: 403, nothing stored.
            let good = try await twilioSignature(url: receiptPublicURL + path, fields: fields, authToken: Self.token)
            var bad = Array(good.utf8)
            bad[3] = bad[3] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            try await client.postTwilio(
                path, fields: fields, authToken: Self.token, signature: String(decoding: bad, as: UTF8.self)
            )
            .expectProblem(.forbidden)
            var changed = fields
            changed[1].1 = "failed"
            try await client.postTwilio(path, fields: changed, authToken: Self.token, signature: good).expectProblem(.forbidden)
            let unsigned = try await client.execute(
                uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "MessageSid=SM1&MessageStatus=delivered"))
            try unsigned.expectProblem(.forbidden)
            // Signed for another token (another tenant's account): refused too.
            try await client.postTwilio(path, fields: fields, authToken: "another-token").expectProblem(.forbidden)
            #expect(((try await message(client, tenant, messageID))["history"] as? [Any])?.isEmpty == true)

            let first = try await client.postTwilio(path, fields: fields, authToken: Self.token)
            #expect(first.status == .ok, "\(String(buffer: first.body))")
            #expect(try first.json()["stored"] as? Int == 1)
            let replay = try await client.postTwilio(path, fields: fields, authToken: Self.token)
            #expect(try replay.json()["stored"] as? Int == 0)

            var json = try await message(client, tenant, messageID)
            #expect(json["delivery_status"] as? String == "delivered")
            var history = try #require(json["history"] as? [[String: Any]])
            #expect(history.map { $0["kind"] as? String } == ["delivered"])
            #expect(history.first?["gateway_status"] as? String == "delivered")
            let events = try await client.timeline(tenant, customer).titles("event")
            #expect(events.filter { $0 == "Message Delivered" }.count == 1)

            // A late "sent" does not hide "delivered"; "undelivered" ranks above it.
            _ = try await client.postTwilio(
                path, fields: statusFields("SM00000000000000000000000000000001", "sent"), authToken: Self.token)
            json = try await message(client, tenant, messageID)
            #expect(json["delivery_status"] as? String == "delivered")
            _ = try await client.postTwilio(
                path, fields: statusFields("SM00000000000000000000000000000001", "undelivered") + [("ErrorCode", "30003")],
                authToken: Self.token)
            json = try await message(client, tenant, messageID)
            #expect(json["delivery_status"] as? String == "undelivered")
            history = try #require(json["history"] as? [[String: Any]])
            #expect(history.map { $0["kind"] as? String } == ["delivered", "sent", "undelivered"])
            #expect((history.last?["detail"] as? [String: Any])?["error_code"] as? String == "30003")

            // Twilio's own steps before the carrier record nothing.
            let queued = try await client.postTwilio(
                path, fields: statusFields("SM00000000000000000000000000000001", "queued"), authToken: Self.token)
            #expect(try queued.json()["received"] as? Int == 0)
        }
    }

    @Test func stopOptsTheNumberOutAndStartOptsItBackIn() async throws {
        try await withReceiptAPI { client in
            let tenant = try await client.createTenant()
            let channel = try #require(
                try await client.createChannel(tenant, twilioChannel(authToken: Self.token))["id"] as? String)
            let customer = try await client.customer(tenant, identities: [("phone", "+15550100002")])
            let path = "/v1/callbacks/\(channel)/twilio/inbound"
            func inbound(_ sid: String, _ body: String) async throws -> TestResponse {
                let response = try await client.postTwilio(
                    path, fields: [("MessageSid", sid), ("From", "+15550100002"), ("To", "+15005550006"), ("Body", body)],
                    authToken: Self.token)
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                #expect(response.headers[.contentType] == "application/xml")
                return response
            }
            func smsConsent() async throws -> String? {
                let (_, json) = try await client.send(.get, "/v1/customers/\(customer)/consents", tenant)
                return (json["data"] as? [[String: Any]])?.first { $0["channel"] as? String == "sms" }?["status"] as? String
            }

            let stop = try await inbound("SM00000000000000000000000000000010", "  stop \n")
            #expect(String(buffer: stop.body).hasSuffix("<Response/>"))
            #expect(try await smsConsent() == "opted_out")
            let refused = try await client.postMessage(tenant, customer: customer, channel: channel)
            #expect(refused.status == .unprocessableContent)
            // Twilio retries a webhook it got no answer to: the replay changes nothing.
            _ = try await inbound("SM00000000000000000000000000000010", "  stop \n")

            _ = try await inbound("SM00000000000000000000000000000011", "Start")
            #expect(try await smsConsent() == "opted_in")
            let sent = try await client.postMessage(tenant, customer: customer, channel: channel)
            #expect(sent.status == .accepted, "\(String(buffer: sent.body))")

            // Not the whole message: an SMS Received event, no consent change.
            _ = try await inbound("SM00000000000000000000000000000012", "stop sending me this please")
            #expect(try await smsConsent() == "opted_in")

            let events = try await client.timeline(tenant, customer).titles("event")
            #expect(events.filter { $0 == "Unsubscribed" }.count == 1)
            #expect(events.filter { $0 == "Resubscribed" }.count == 1)
            #expect(events.filter { $0 == "SMS Received" }.count == 1)
            let consents = try await client.timeline(tenant, customer, query: "&kinds=consent")
            #expect(consents.count >= 2)
        }
    }

    @Test func helpIsAnsweredWithTheTenantsHelpTextAsTwiML() async throws {
        try await withReceiptAPI { client in
            let tenant = try await client.createTenant("Acme & Sons")
            let channel = try #require(
                try await client.createChannel(tenant, twilioChannel(authToken: Self.token))["id"] as? String)
            let path = "/v1/callbacks/\(channel)/twilio/inbound"
            // An unknown number still gets its answer.
            let response = try await client.postTwilio(
                path, fields: [("MessageSid", "SM00000000000000000000000000000020"), ("From", "+15550100099"), ("Body", "help")],
                authToken: Self.token)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/xml")
            let xml = String(buffer: response.body)
            #expect(xml.contains("<Response><Message>Acme &amp; Sons: for help"), "\(xml)")
            #expect(xml.hasSuffix("</Message></Response>"))

            let (status, _) = try await client.send(
                .patch, "/v1/tenant", tenant, json: #"{"sms_help_text": "Call 555-0100 <24/7>"}"#)
            #expect(status == .ok)
            let info = try await client.postTwilio(
                path, fields: [("MessageSid", "SM00000000000000000000000000000021"), ("From", "+15550100099"), ("Body", "INFO")],
                authToken: Self.token)
            #expect(String(buffer: info.body).hasSuffix("<Response><Message>Call 555-0100 &lt;24/7&gt;</Message></Response>"))
        }
    }

    @Test func aChannelOfTenantACannotRecordIntoTenantB() async throws {
        try await withReceiptAPI { client in
            let tenantA = try await client.createTenant("A"), tenantB = try await client.createTenant("B")
            let channelA = try #require(
                try await client.createChannel(tenantA, twilioChannel(authToken: Self.token))["id"] as? String)
            let channelB = try #require(
                try await client.createChannel(tenantB, twilioChannel(authToken: "b-token"))["id"] as? String)
            let customerB = try await client.customer(tenantB, identities: [("phone", "+15550100003")])
            let messageB = try await client.acceptedMessage(
                tenantB, customer: customerB, channel: channelB, providerID: "SM00000000000000000000000000000030")

            // B's message id and B's customer's number, through A's channel with A's token.
            let status = try await client.postTwilio(
                "/v1/callbacks/\(channelA)/twilio/status", fields: statusFields("SM00000000000000000000000000000030", "failed"),
                authToken: Self.token)
            #expect(status.status == .ok)
            _ = try await client.postTwilio(
                "/v1/callbacks/\(channelA)/twilio/inbound",
                fields: [("MessageSid", "SM00000000000000000000000000000031"), ("From", "+15550100003"), ("Body", "STOP")],
                authToken: Self.token)

            let (_, message) = try await client.send(.get, "/v1/messages/\(messageB)", tenantB)
            #expect(message["delivery_status"] == nil)
            #expect((message["history"] as? [Any])?.isEmpty == true)
            let (_, consents) = try await client.send(.get, "/v1/customers/\(customerB)/consents", tenantB)
            #expect((consents["data"] as? [Any])?.isEmpty == true)
            #expect(try await client.timeline(tenantB, customerB).titles("event").isEmpty)
            let sent = try await client.postMessage(tenantB, customer: customerB, channel: channelB)
            #expect(sent.status == .accepted)
            // And B's channel does not answer to A's token.
            try await client.postTwilio(
                "/v1/callbacks/\(channelB)/twilio/status", fields: statusFields("SM00000000000000000000000000000030", "failed"),
                authToken: Self.token
            ).expectProblem(.forbidden)
        }
    }

    @Test func badInputIsAProblemNeverA500() async throws {
        try await withReceiptAPI { client in
            let tenant = try await client.createTenant()
            let channel = try #require(
                try await client.createChannel(tenant, twilioChannel(authToken: Self.token))["id"] as? String)
            let form: HTTPFields = [
                .contentType: "application/x-www-form-urlencoded", HTTPField.Name("X-Twilio-Signature")!: "x",
            ]
            for body in ["MessageSid=%zz", "Body=%C3%28", "=value"] {
                let response = try await client.execute(
                    uri: "/v1/callbacks/\(channel)/twilio/status", method: .post, headers: form, body: ByteBuffer(string: body))
                try response.expectProblem(.badRequest)
            }
            // Signed, but without the fields a status callback has.
            try await client.postTwilio("/v1/callbacks/\(channel)/twilio/status", fields: [("Foo", "bar")], authToken: Self.token)
                .expectProblem(.unprocessableContent)
            try await client.postTwilio(
                "/v1/callbacks/\(channel)/twilio/inbound", fields: [("MessageSid", "SM1")], authToken: Self.token
            )
            .expectProblem(.unprocessableContent)
            // Not an id, no such channel, a channel of another type.
            let notID = try await client.execute(
                uri: "/v1/callbacks/nope/twilio/status", method: .post, headers: form, body: ByteBuffer(string: "a=b"))
            try notID.expectProblem(.badRequest)
            let unknown = try await client.execute(
                uri: "/v1/callbacks/\(UUID().uuidString)/twilio/status", method: .post, headers: form,
                body: ByteBuffer(string: "a=b"))
            try unknown.expectProblem(.notFound)
            let mail = try #require(try await client.createChannel(tenant, sendGridChannel)["id"] as? String)
            let wrongType = try await client.execute(
                uri: "/v1/callbacks/\(mail)/twilio/status", method: .post, headers: form, body: ByteBuffer(string: "a=b"))
            try wrongType.expectProblem(.notFound)
        }
    }
}
