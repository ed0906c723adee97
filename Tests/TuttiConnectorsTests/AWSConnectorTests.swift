import Curl
import Foundation
import GatewayStandIns
import Testing
import TuttiConnectors
import TuttiDomain

/// SES v2 and SNS against moto in server mode with signature checking on: the requests are
/// signed by libcurl's SigV4 with an IAM key created in moto, and moto records the messages.
@Suite("Amazon SES and SNS connectors against moto", .timeLimit(.minutes(2)))
struct AWSConnectorTests {
    private static let sender = "news@shop.example.com"

    private func aws(_ moto: MotoServer, secret: String? = nil) -> [String: JSONValue] {
        [
            "region": .string(moto.region), "access_key_id": .string(moto.accessKeyID),
            "secret_access_key": .string(secret ?? moto.secretAccessKey), "endpoint": .string(moto.endpoint),
        ]
    }

    @Test func sesAcceptsASignedSendEmailAndHoldsTheMessage() async throws {
        try await withMotoServer(sender: Self.sender) { moto in
            var fields = aws(moto)
            fields["from_address"] = .string(Self.sender)
            fields["from_name"] = "Café Shop"
            let connector = Connectors.connector(for: try configuration(.ses, fields))
            let delivery = Delivery.sample(
                recipient: "ann@example.com", content: MessageContent(subject: "Grüße", text: "Hallo Ann", html: "<p>Hallo Ann</p>"))
            let outcome = try await withTransport { await connector.send(delivery, through: $0) }
            let messageID = try #require(outcome.providerMessageID, "\(outcome)")

            let messages = try await moto.instances("ses", "Message")
            let message = try #require(messages.first { $0["id"] as? String == messageID }, "\(messages)")
            #expect(message["subject"] as? String == "Grüße")
            #expect(message["source"] as? String == "=?UTF-8?B?Q2Fmw6kgU2hvcA==?= <\(Self.sender)>")
            #expect((message["destinations"] as? [String: [String]])?["ToAddresses"] == ["ann@example.com"])
        }
    }

    @Test func snsAcceptsASignedPublishToAPhoneNumberAndHoldsTheSMS() async throws {
        try await withMotoServer(sender: Self.sender) { moto in
            let connector = Connectors.connector(for: try configuration(.sns, aws(moto)))
            let text = "Your code is 123 456 – thanks & bye"
            let outcome = try await withTransport { await connector.send(.sample(recipient: "+41791234567", content: MessageContent(text: text)), through: $0) }
            let messageID = try #require(outcome.providerMessageID, "\(outcome)")

            let sms = try await moto.instances("sns", "SMS")
            let message = try #require(sms.first { $0["message_id"] as? String == messageID }, "\(sms)")
            #expect(message["phone_number"] as? String == "+41791234567")
            #expect(message["message"] as? String == text)
        }
    }

    @Test func aWrongSecretKeyIsRefusedByMotosSignatureCheck() async throws {
        try await withMotoServer(sender: Self.sender) { moto in
            let connector = Connectors.connector(for: try configuration(.sns, aws(moto, secret: "not-the-secret-key-at-all")))
            let outcome = try await withTransport { await connector.send(.sample(recipient: "+41791234567", content: MessageContent(text: "hi")), through: $0) }
            #expect(outcome.isFailed && outcome.reason?.contains("SignatureDoesNotMatch") == true, "\(outcome)")
            #expect(try await moto.instances("sns", "SMS").isEmpty)
        }
    }
}
