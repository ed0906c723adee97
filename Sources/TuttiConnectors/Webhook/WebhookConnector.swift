import Crypto
import Curl
import Foundation
import TuttiDomain

/// Posts a delivery as signed JSON to the tenant's endpoint.
///
/// Body: `{"type": "message.delivery", "data": {"delivery_id", "message_id", "customer_id",
/// "tenant_id", "recipient", "content": {"subject", "text", "html", "data"}}}`, keys sorted.
/// Headers: `webhook-id` (the delivery id, the same on every attempt so the receiver can
/// drop duplicates), `webhook-timestamp` (seconds, this attempt) and `webhook-signature`.
/// Any 2xx is acceptance; the receiver's id for the message is not asked for.
public struct WebhookConnector: HTTPConnector {
    public let configuration: WebhookChannelConfiguration
    /// Tells the time of each attempt; a parameter so tests can sign at a fixed instant.
    let clock: @Sendable () -> Date
    /// The secret's HMAC key, decoded once rather than per request; nil when the secret is
    /// not a `whsec_` secret.
    let key: SymmetricKey?

    public init(configuration: WebhookChannelConfiguration, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
        self.clock = clock
        key = WebhookChannelConfiguration.signingKey(of: configuration.secret).map { SymmetricKey(data: $0) }
    }

    public func request(for delivery: Delivery) throws(ConnectorError) -> Curl.HTTPRequest {
        guard let key else {
            throw ConnectorError("the channel's secret is not a whsec_ secret")
        }
        let id = delivery.id.canonicalText
        let timestamp = Int(clock().timeIntervalSince1970)
        let body = JSONBody.encode(Self.payload(delivery))
        var request = Curl.HTTPRequest(
            method: .post,
            url: configuration.url,
            headers: [
                "Content-Type": "application/json",
                "User-Agent": "Tutti-Webhooks/1",
                "webhook-id": id,
                "webhook-timestamp": "\(timestamp)",
                "webhook-signature": WebhookSignature.sign(id: id, timestamp: timestamp, body: body, key: key),
            ],
            body: body,
            timeout: .milliseconds(configuration.timeoutMilliseconds)
        )
        request.caCertificates = configuration.caCertificates
        return request
    }

    public func outcome(of response: HTTPResponse) -> DeliveryOutcome {
        if (200..<300).contains(response.status) { return .accepted(providerMessageID: nil) }
        // Standard Webhooks: 410 Gone means the endpoint is gone for good.
        return .refusal(response, gateway: "the webhook endpoint")
    }

    /// The JSON document the endpoint receives.
    static func payload(_ delivery: Delivery) -> JSONValue {
        var content: [String: JSONValue] = [:]
        content["subject"] = delivery.content.subject.map(JSONValue.string)
        content["text"] = delivery.content.text.map(JSONValue.string)
        content["html"] = delivery.content.html.map(JSONValue.string)
        content["data"] = delivery.content.data
        var data: [String: JSONValue] = [
            "delivery_id": .string(delivery.id.canonicalText),
            "message_id": .string(delivery.messageID.canonicalText),
            "customer_id": .string(delivery.customerID.canonicalText),
            "tenant_id": .string(delivery.tenantID.canonicalText),
            "content": .object(content),
        ]
        data["recipient"] = delivery.recipient.map(JSONValue.string)
        return .object(["type": .string("message.delivery"), "data": .object(data)])
    }
}
