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
    /// An HMAC keyed with the secret, made once rather than per request; nil when the
    /// secret is not a `whsec_` secret.
    let keyedMAC: HMAC<SHA256>?

    public init(configuration: WebhookChannelConfiguration, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
        self.clock = clock
        keyedMAC = WebhookChannelConfiguration.signingKey(of: configuration.secret).map { HMAC<SHA256>(key: SymmetricKey(data: $0)) }
    }

    public func request(for delivery: Delivery) throws(ConnectorError) -> Curl.HTTPRequest {
        guard let keyedMAC else {
            throw ConnectorError("the channel's secret is not a whsec_ secret")
        }
        let id = delivery.id.canonicalText
        let timestamp = Int(clock().timeIntervalSince1970)
        let body = Self.body(for: delivery, id: id)
        var request = Curl.HTTPRequest(
            method: .post,
            url: configuration.url,
            headers: [
                "content-type": "application/json",
                "user-agent": "Tutti-Webhooks/1",
                "webhook-id": id,
                "webhook-timestamp": "\(timestamp)",
                "webhook-signature": WebhookSignature.sign(id: id, timestamp: timestamp, body: body, keyed: keyedMAC),
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

    /// ``payload(_:)`` as sorted compact JSON (the bytes `JSONBody.encode` makes of it),
    /// written straight into the buffer: building the tree of dictionaries first was the
    /// largest part of the worker's own time per delivery. `id` is the delivery id's text.
    static func body(for delivery: Delivery, id: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256 + (delivery.content.text?.utf8.count ?? 0) + (delivery.content.html?.utf8.count ?? 0))
        func member(_ name: StaticString, _ first: Bool = false) {
            if !first { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            bytes.append(contentsOf: "\":".utf8)
        }
        func string(_ text: String) { JSONValue.appendJSONString(text, to: &bytes) }
        // Members in sorted order, as JSONBody writes every object.
        bytes.append(contentsOf: #"{"data":{"content":{"#.utf8)
        let content = delivery.content
        var firstInContent = true
        if let data = content.data {
            member("data", true)
            firstInContent = false
            data.appendSortedJSON(to: &bytes)
        }
        if let html = content.html {
            member("html", firstInContent)
            firstInContent = false
            string(html)
        }
        if let subject = content.subject {
            member("subject", firstInContent)
            firstInContent = false
            string(subject)
        }
        if let text = content.text {
            member("text", firstInContent)
            string(text)
        }
        bytes.append(UInt8(ascii: "}"))
        member("customer_id")
        string(delivery.customerID.canonicalText)
        member("delivery_id")
        string(id)
        member("message_id")
        string(delivery.messageID.canonicalText)
        if let recipient = delivery.recipient {
            member("recipient")
            string(recipient)
        }
        member("tenant_id")
        string(delivery.tenantID.canonicalText)
        bytes.append(contentsOf: #"},"type":"message.delivery"}"#.utf8)
        return bytes
    }

    /// The JSON document the endpoint receives; ``body(for:id:)`` writes it.
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
