import Curl
import Foundation
import TuttiConnectors
import TuttiDomain

extension Delivery {
    /// A delivery with fresh ids and the given recipient and content.
    static func sample(
        recipient: String? = nil,
        content: MessageContent = MessageContent(subject: "Hello", text: "Hello there", html: "<p>Hello there</p>"),
        unsubscribe: UnsubscribeLinks? = nil
    ) -> Delivery {
        Delivery(
            id: UUID(), tenantID: UUID(), messageID: UUID(), customerID: UUID(), recipient: recipient, content: content,
            unsubscribe: unsubscribe)
    }
}

/// A random Standard Webhooks secret.
func makeWebhookSecret() -> String {
    "whsec_" + Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
}

/// Runs `body` with a transport that ignores proxy variables (the stand-ins are on loopback).
func withTransport<T>(_ body: (CurlTransport) async throws -> T) async throws -> T {
    let transport = CurlTransport(configuration: .init(timeout: .seconds(10), proxy: .none))
    do {
        let result = try await body(transport)
        await transport.shutdown()
        return result
    } catch {
        await transport.shutdown()
        throw error
    }
}

/// A channel configuration read from JSON-ish fields, failing the test when invalid.
func configuration(_ type: ChannelType, _ fields: [String: JSONValue]) throws -> ChannelConfiguration {
    try ChannelConfiguration(type: type, fields: fields)
}

extension DeliveryOutcome {
    var isAccepted: Bool { if case .accepted = self { true } else { false } }
    var isFailed: Bool { if case .failed = self { true } else { false } }
    var retryDelay: Duration?? { if case .retryLater(let after, _) = self { after } else { nil } }
    var isRetry: Bool { if case .retryLater = self { true } else { false } }
    var providerMessageID: String? { if case .accepted(let id) = self { id } else { nil } }
}

extension SentDelivery {
    var isAccepted: Bool { outcome.isAccepted }
    var isFailed: Bool { outcome.isFailed }
    var retryDelay: Duration?? { outcome.retryDelay }
    var isRetry: Bool { outcome.isRetry }
    var providerMessageID: String? { outcome.providerMessageID }
    var reason: String? { outcome.reason }
}

extension String {
    /// The Basic credentials in an Authorization header value, decoded.
    var basicCredentials: String? {
        guard hasPrefix("Basic "), let data = Data(base64Encoded: String(dropFirst(6))) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

extension JSONValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        self = .string(value)
    }
}
