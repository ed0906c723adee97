import Foundation

/// One message to one customer on one channel, as stored and as `GET /v1/messages/{id}`
/// shows it: where it stands and every attempt so far.
public struct Message: Sendable, Hashable {
    public var id: UUID
    public var customerID: UUID
    public var channelID: UUID
    /// The channel's type when the message was created (`webhook`, `smtp`, …).
    public var channelType: String
    /// The address on the channel (an e-mail address, an E.164 number, a handle); nil for webhooks.
    public var recipient: String?
    /// `{"subject", "text", "html", "data"}` as the request gave them.
    public var content: [String: JSONValue]
    public var state: MessageState
    /// Attempts so far (claims of its delivery job).
    public var attemptCount: Int
    /// The gateway's id for the message once it was accepted, when the gateway gives one.
    public var providerMessageID: String?
    /// The reason of the last failed attempt.
    public var lastError: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var sentAt: Date?
    /// Every attempt, oldest first (empty in lists).
    public var attempts: [MessageAttempt]
    /// Sent as transactional: exempt from the contact policy's caps and quiet hours.
    public var transactional: Bool = false
    /// Why a `skipped` message was not sent (`capped`, `quiet_hours`, …).
    public var skipReason: String?
    /// Until when quiet hours held the message back, when they did.
    public var deferredUntil: Date?

    public init(
        id: UUID, customerID: UUID, channelID: UUID, channelType: String, recipient: String?, content: [String: JSONValue],
        state: MessageState, attemptCount: Int, providerMessageID: String?, lastError: String?, createdAt: Date,
        updatedAt: Date, sentAt: Date?, attempts: [MessageAttempt] = []
    ) {
        self.id = id
        self.customerID = customerID
        self.channelID = channelID
        self.channelType = channelType
        self.recipient = recipient
        self.content = content
        self.state = state
        self.attemptCount = attemptCount
        self.providerMessageID = providerMessageID
        self.lastError = lastError
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.sentAt = sentAt
        self.attempts = attempts
    }
}
