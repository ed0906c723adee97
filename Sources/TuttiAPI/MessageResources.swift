import Foundation
import HTTPTypes
import TuttiDomain
import TuttiRuntime

/// A message as the API shows it.
struct MessageResource: Encodable, Sendable {
    struct AttemptJSON: Encodable, Sendable {
        var attempt: Int
        var channelID: String
        var at: Date
        var outcome: String
        var reason: String?
        var httpStatus: Int?
        var durationMS: Int
        var worker: String?

        enum CodingKeys: String, CodingKey {
            case attempt, at, outcome, reason, worker
            case channelID = "channel_id"
            case httpStatus = "http_status"
            case durationMS = "duration_ms"
        }
    }

    var id: String
    var customerID: String
    var channelID: String
    var channelType: String
    var recipient: String?
    var content: [String: JSONValue]
    var state: String
    var providerMessageID: String?
    var lastError: String?
    var createdAt: Date
    var updatedAt: Date
    var sentAt: Date?
    var attempts: [AttemptJSON]
    var transactional: Bool
    var skipReason: String?
    var deferredUntil: Date?
    /// What the gateway reported after accepting it (MessageDeliveryResource); only on
    /// `GET /v1/messages/{id}`.
    var deliveryStatus: String?
    var deliveryStatusAt: Date?
    var history: [MessageDeliveryResource.ReceiptJSON]?

    enum CodingKeys: String, CodingKey {
        case id, recipient, content, state, attempts, transactional, history
        case deliveryStatus = "delivery_status"
        case deliveryStatusAt = "delivery_status_at"
        case skipReason = "skip_reason"
        case deferredUntil = "deferred_until"
        case customerID = "customer_id"
        case channelID = "channel_id"
        case channelType = "channel_type"
        case providerMessageID = "provider_message_id"
        case lastError = "last_error"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case sentAt = "sent_at"
    }

    init(_ message: Message) {
        id = message.id.lowercasedText
        customerID = message.customerID.lowercasedText
        channelID = message.channelID.lowercasedText
        channelType = message.channelType
        recipient = message.recipient
        content = message.content
        state = message.state.rawValue
        providerMessageID = message.providerMessageID
        lastError = message.lastError
        createdAt = message.createdAt
        updatedAt = message.updatedAt
        sentAt = message.sentAt
        transactional = message.transactional
        skipReason = message.skipReason
        deferredUntil = message.deferredUntil
        attempts = message.attempts.map {
            AttemptJSON(
                attempt: $0.attempt, channelID: $0.channelID.lowercasedText, at: $0.at, outcome: $0.outcome.rawValue,
                reason: $0.reason,
                httpStatus: $0.httpStatus, durationMS: $0.durationMilliseconds, worker: $0.worker)
        }
    }
}

extension MessageRefusal {
    /// The 422 problem a client sees.
    var problem: Problem {
        switch self {
        case .unknownCustomer:
            Problem(
                .unprocessableContent, slug: "unknown-customer", title: "Unknown Customer",
                detail: "No customer with this customer_id.")
        case .unknownChannel:
            Problem(
                .unprocessableContent, slug: "unknown-channel", title: "Unknown Channel",
                detail: "No channel with this channel_id.")
        case .noIdentity(let identityType, let channelType):
            Problem(
                .unprocessableContent, slug: "no-recipient", title: "No Recipient",
                detail: "The customer has no \(identityType) identity, which a \(channelType) channel sends to.")
        case .suppressed(let identityType, let reason):
            Problem(
                .unprocessableContent, slug: "recipient-suppressed", title: "Recipient Suppressed",
                detail: "The customer's \(identityType) is on the suppression list (\(reason)).")
        case .optedOut(let channel):
            Problem(
                .unprocessableContent, slug: "consent-opted-out", title: "Consent Opted Out",
                detail: "The customer opted out of \(channel) messages.")
        }
    }
}
