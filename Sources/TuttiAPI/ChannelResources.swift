import Foundation
import TuttiConnectors
import TuttiDomain
import TuttiStore

/// A channel as the API shows it: credentials masked, never returned.
struct ChannelResource: Encodable, Sendable {
    var id: UUID
    var type: String
    var name: String
    var config: JSONValue
    var rateLimitPerSecond: Int?
    var secondaryChannelID: UUID?
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, type, name, config, rateLimitPerSecond = "rate_limit_per_second", secondaryChannelID = "secondary_channel_id"
        case createdAt = "created_at", updatedAt = "updated_at"
    }

    init(_ record: ChannelRecord) {
        id = record.id
        type = record.type.rawValue
        name = record.name
        config = .object(record.maskedConfig)
        rateLimitPerSecond = record.rateLimitPerSecond
        secondaryChannelID = record.secondaryChannelID
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }

    /// Nulls are written out so a client sees every member.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.lowercasedText, forKey: .id)
        try container.encode(type, forKey: .type)
        try container.encode(name, forKey: .name)
        try container.encode(config, forKey: .config)
        try container.encode(rateLimitPerSecond, forKey: .rateLimitPerSecond)
        try container.encode(secondaryChannelID?.lowercasedText, forKey: .secondaryChannelID)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// What `POST /v1/channels/{id}/test` reports: the connector's outcome for one real send.
struct ChannelTestResource: Encodable, Sendable {
    /// The test delivery's id in lower case, as every id the API writes (and the webhook-id sent).
    var deliveryID: String
    var outcome: String
    var providerMessageID: String?
    var retryAfterSeconds: Double?
    var reason: String?
    var httpStatus: Int?

    enum CodingKeys: String, CodingKey {
        case deliveryID = "delivery_id", outcome, providerMessageID = "provider_message_id"
        case retryAfterSeconds = "retry_after_seconds", reason, httpStatus = "http_status"
    }

    init(deliveryID: UUID, report: SentDelivery) {
        self.deliveryID = deliveryID.lowercasedText
        httpStatus = report.httpStatus
        switch report.outcome {
        case .accepted(let id):
            self.outcome = "accepted"
            providerMessageID = id
        case .retryLater(let after, let reason):
            self.outcome = "retry_later"
            retryAfterSeconds = after.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }
            self.reason = reason
        case .failed(let reason):
            self.outcome = "failed"
            self.reason = reason
        }
    }
}
