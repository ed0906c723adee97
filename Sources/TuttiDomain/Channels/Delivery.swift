import Foundation

/// One message to one recipient on one channel: everything a connector needs, and nothing
/// that needs a database. The worker builds it from the queued job.
public struct Delivery: Sendable, Hashable {
    /// Stable across attempts: the idempotency key given to every gateway that takes one,
    /// the Standard Webhooks `webhook-id`, and the seed of the mail Message-ID, so a gateway
    /// that sees a retry can tell it is the same message.
    public var id: UUID
    public var tenantID: UUID
    /// The message (as created by `POST /v1/messages` or a campaign) this delivery sends.
    public var messageID: UUID
    public var customerID: UUID
    /// The address on this channel: an e-mail address, an E.164 phone number, a
    /// `@user@host` handle; nil for webhooks, whose address is the channel's URL.
    public var recipient: String?
    public var content: MessageContent
    /// Unsubscribe links for mail (`List-Unsubscribe`); nil uses the channel's mailto, if any.
    public var unsubscribe: UnsubscribeLinks?

    public init(
        id: UUID, tenantID: UUID, messageID: UUID, customerID: UUID, recipient: String?, content: MessageContent,
        unsubscribe: UnsubscribeLinks? = nil
    ) {
        self.id = id
        self.tenantID = tenantID
        self.messageID = messageID
        self.customerID = customerID
        self.recipient = recipient
        self.content = content
        self.unsubscribe = unsubscribe
    }
}

/// What a message says; each channel type uses the parts it can carry (SMS: `text`; mail:
/// `subject`, `text`, `html`; webhook: all of them as JSON).
public struct MessageContent: Sendable, Hashable, Codable {
    public var subject: String?
    public var text: String?
    public var html: String?
    /// Free-form data for webhooks.
    public var data: JSONValue?

    public init(subject: String? = nil, text: String? = nil, html: String? = nil, data: JSONValue? = nil) {
        self.subject = subject
        self.text = text
        self.html = html
        self.data = data
    }
}

/// RFC 2369 / RFC 8058 unsubscribe targets for one recipient.
public struct UnsubscribeLinks: Sendable, Hashable {
    /// An https URL that unsubscribes on `POST` with `List-Unsubscribe=One-Click` (RFC 8058).
    public var oneClickURL: String?
    /// An address whose mail unsubscribes.
    public var mailto: String?

    public init(oneClickURL: String? = nil, mailto: String? = nil) {
        self.oneClickURL = oneClickURL
        self.mailto = mailto
    }
}
