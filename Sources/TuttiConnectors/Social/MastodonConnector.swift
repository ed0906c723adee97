import Curl
import Foundation
import TuttiDomain

/// Sends a direct message on a Mastodon-compatible server (`POST /api/v1/statuses`, Bearer):
/// a status that mentions the recipient, with `direct` visibility so only they see it.
///
/// The delivery id is the `Idempotency-Key`, which Mastodon honours for an hour; the
/// status `id` is the provider message id.
public struct MastodonConnector: HTTPConnector {
    public let configuration: MastodonChannelConfiguration

    public init(configuration: MastodonChannelConfiguration) {
        self.configuration = configuration
    }

    public func request(for delivery: Delivery) throws(ConnectorError) -> Curl.HTTPRequest {
        guard let handle = Self.handle(delivery.recipient) else { throw .missingRecipient("a handle such as @user@example.social") }
        guard let text = delivery.content.text, !text.isEmpty else { throw .missingContent("text") }
        let body: JSONValue = .object([
            "status": .string("\(handle) \(text)"),
            "visibility": .string(configuration.visibility),
        ])
        return Curl.HTTPRequest(
            method: .post,
            url: configuration.baseURL + "/api/v1/statuses",
            headers: [
                "Content-Type": "application/json",
                "Authorization": "Bearer \(configuration.accessToken)",
                "Idempotency-Key": delivery.id.uuidString.lowercased(),
            ],
            body: JSONBody.encode(body)
        )
    }

    public func outcome(of response: HTTPResponse) -> DeliveryOutcome {
        if (200..<300).contains(response.status) {
            return .accepted(providerMessageID: JSONBody.decode(response.body)?[member: "id"])
        }
        return .refusal(response, gateway: "the Mastodon server")
    }

    /// `@user@host` from `user@host` or `@user@host`; nil unless it has exactly that shape.
    static func handle(_ recipient: String?) -> String? {
        guard var text = recipient?.trimmingCharacters(in: .whitespaces) else { return nil }
        if text.hasPrefix("@") { text.removeFirst() }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && !$0.contains(where: \.isWhitespace) }) else { return nil }
        return "@" + text
    }
}
