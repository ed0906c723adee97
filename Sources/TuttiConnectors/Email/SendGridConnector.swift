import Curl
import Foundation
import TuttiDomain

/// Sends mail with SendGrid's v3 Mail Send (`POST /v3/mail/send`, Bearer API key).
///
/// The delivery and message ids travel as `custom_args`, which SendGrid copies into every
/// event webhook; SendGrid takes no idempotency key. SendGrid answers 202 with the id in
/// the `X-Message-Id` header.
public struct SendGridConnector: HTTPConnector {
    public let configuration: SendGridChannelConfiguration

    public init(configuration: SendGridChannelConfiguration) {
        self.configuration = configuration
    }

    public func request(for delivery: Delivery) throws(ConnectorError) -> Curl.HTTPRequest {
        let domain = configuration.fromAddress.split(separator: "@").last.map(String.init) ?? "localhost"
        let mail = try MailComposition(
            delivery: delivery, fromAddress: configuration.fromAddress, fromName: configuration.fromName,
            unsubscribeMailto: configuration.unsubscribeMailto, messageIDDomain: domain)
        var from: [String: JSONValue] = ["email": .string(mail.fromAddress)]
        from["name"] = mail.fromName.map(JSONValue.string)
        // SendGrid requires text/plain before text/html.
        var content: [JSONValue] = []
        if let text = mail.text { content.append(.object(["type": .string("text/plain"), "value": .string(text)])) }
        if let html = mail.html { content.append(.object(["type": .string("text/html"), "value": .string(html)])) }
        let personalization: [String: JSONValue] = [
            "to": .array([.object(["email": .string(mail.to)])]),
            "custom_args": .object([
                "tutti_delivery_id": .string(delivery.id.uuidString.lowercased()),
                "tutti_message_id": .string(delivery.messageID.uuidString.lowercased()),
            ]),
        ]
        var body: [String: JSONValue] = [
            "personalizations": .array([.object(personalization)]),
            "from": .object(from),
            "subject": .string(mail.subject),
            "content": .array(content),
        ]
        if !mail.unsubscribeHeaders.isEmpty {
            body["headers"] = .object(Dictionary(uniqueKeysWithValues: mail.unsubscribeHeaders.map { ($0.name, JSONValue.string($0.value)) }))
        }
        return Curl.HTTPRequest(
            method: .post,
            url: configuration.baseURL + "/v3/mail/send",
            headers: ["Content-Type": "application/json", "Authorization": "Bearer \(configuration.apiKey)"],
            body: JSONBody.encode(.object(body))
        )
    }

    public func outcome(of response: HTTPResponse) -> DeliveryOutcome {
        if (200..<300).contains(response.status) {
            return .accepted(providerMessageID: response.headers["x-message-id"])
        }
        return .refusal(response, gateway: "SendGrid")
    }
}
