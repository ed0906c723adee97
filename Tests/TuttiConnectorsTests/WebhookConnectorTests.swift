import Curl
import Foundation
import GatewayStandIns
import Testing
import TuttiConnectors
import TuttiDomain

@Suite("Webhook connector", .timeLimit(.minutes(1)))
struct WebhookConnectorTests {
    @Test func theStandardWebhooksLibraryVerifiesTheSignatureAndReadsTheMessage() async throws {
        let secret = makeWebhookSecret()
        try await withRecordingServer(webhookSecret: secret) { server in
            let connector = Connectors.connector(for: try configuration(.webhook, ["url": .string(server.baseURL + "/hooks"), "secret": .string(secret)]))
            let delivery = Delivery.sample(content: MessageContent(subject: "Grüezi", text: "Your order ✓", html: "<b>✓</b>", data: .object(["order": .number(42)])))
            let outcome = try await withTransport { await connector.send(delivery, through: $0) }
            #expect(outcome.outcome == .accepted(providerMessageID: nil) && outcome.httpStatus == 200, "\(outcome)")

            let request = try #require(try await server.requests().first)
            #expect(request.verified == true, "standardwebhooks refused the signature: \(request.verifyError ?? "")")
            #expect(request.method == "POST" && request.path == "/hooks")
            #expect(request.header("webhook-id") == delivery.id.uuidString.lowercased())
            #expect(request.header("content-type") == "application/json")
            let data = try #require(request.jsonObject["data"] as? [String: Any])
            #expect(request.jsonObject["type"] as? String == "message.delivery")
            #expect(data["message_id"] as? String == delivery.messageID.uuidString.lowercased())
            #expect(data["customer_id"] as? String == delivery.customerID.uuidString.lowercased())
            let content = try #require(data["content"] as? [String: Any])
            #expect(content["subject"] as? String == "Grüezi" && content["text"] as? String == "Your order ✓")
            #expect((content["data"] as? [String: Any])?["order"] as? Int == 42)
        }
    }

    @Test func aSignatureMadeWithAnotherSecretIsRefusedByTheLibrary() async throws {
        try await withRecordingServer(webhookSecret: makeWebhookSecret()) { server in
            let connector = Connectors.connector(for: try configuration(.webhook, ["url": .string(server.baseURL), "secret": .string(makeWebhookSecret())]))
            _ = try await withTransport { await connector.send(.sample(), through: $0) }
            let request = try #require(try await server.requests().first)
            #expect(request.verified == false, "the verifier must catch a wrong key, or the passing test proves nothing")
        }
    }

    @Test func aRetryCarriesTheSameWebhookIDAndBody() async throws {
        let secret = makeWebhookSecret()
        try await withRecordingServer(responses: [ScriptedResponse(status: 503)], webhookSecret: secret) { server in
            let connector = Connectors.connector(for: try configuration(.webhook, ["url": .string(server.baseURL), "secret": .string(secret)]))
            let delivery = Delivery.sample()
            let (first, second) = try await withTransport { transport in
                (await connector.send(delivery, through: transport), await connector.send(delivery, through: transport))
            }
            #expect(first.isRetry && second.isAccepted)
            let requests = try await server.requests(atLeast: 2)
            #expect(requests[0].header("webhook-id") == requests[1].header("webhook-id"))
            #expect(requests[0].body == requests[1].body)
            #expect(requests.allSatisfy { $0.verified == true })
        }
    }

    @Test func aSelfSignedEndpointFailsTLSUnlessItsCertificateIsTrustedInTheChannel() async throws {
        let certificate = try SelfSignedCertificate.make()
        defer { certificate.remove() }
        let secret = makeWebhookSecret()
        try await withRecordingServer(webhookSecret: secret, certificate: certificate) { server in
            let untrusted = Connectors.connector(for: try configuration(.webhook, ["url": .string(server.baseURL), "secret": .string(secret)]))
            let trusted = Connectors.connector(
                for: try configuration(.webhook, ["url": .string(server.baseURL), "secret": .string(secret), "ca_pem": .string(certificate.pem)]))
            let (refused, accepted) = try await withTransport { transport in
                (await untrusted.send(.sample(), through: transport), await trusted.send(.sample(), through: transport))
            }
            #expect(refused.isRetry && refused.reason?.hasPrefix("tls") == true, "\(refused)")
            #expect(accepted.isAccepted, "\(accepted)")
        }
    }
}
