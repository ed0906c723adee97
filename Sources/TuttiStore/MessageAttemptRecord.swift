import Foundation
import TuttiDomain
import TuttiQueue

/// One attempt's outcome as a worker records it with
/// ``TenantSession/messageRecordAttempts(_:worker:)``.
public struct MessageAttemptRecord: Sendable, Hashable {
    /// The delivery job and attempt (its lease): the attempt is recorded only while the lease
    /// is current.
    public var lease: QueueLease
    public var messageID: UUID
    public var attempt: Int32 { lease.attempt }
    /// The channel the attempt went through.
    public var channelID: UUID
    public var outcome: MessageAttempt.Outcome
    public var reason: String?
    public var httpStatus: Int?
    public var durationMilliseconds: Int
    public var providerMessageID: String?
    /// Whether no attempt follows a `retry` outcome (the job's last attempt): the message is dead.
    public var isFinal: Bool

    public init(
        lease: QueueLease, messageID: UUID, channelID: UUID, outcome: MessageAttempt.Outcome, reason: String?, httpStatus: Int?,
        durationMilliseconds: Int, providerMessageID: String?, isFinal: Bool
    ) {
        self.lease = lease
        self.messageID = messageID
        self.channelID = channelID
        self.outcome = outcome
        self.reason = reason
        self.httpStatus = httpStatus
        self.durationMilliseconds = durationMilliseconds
        self.providerMessageID = providerMessageID
        self.isFinal = isFinal
    }
}

/// What a worker needs of a message to send it.
public struct MessageForDelivery: Sendable, Hashable {
    public var id: UUID
    public var customerID: UUID
    public var channelID: UUID
    public var recipient: String?
    /// What to send, as the API accepted it.
    public var content: MessageContent
    /// Where the message's row was when it was claimed (its `ctid`, as text): the record of
    /// an accepted delivery goes straight to it, and by key only when the row has moved since.
    public var rowVersion: String?
    /// The campaign the message belongs to: its content is rendered at send time
    /// (``TenantSession/campaignMessagesToPrepare(_:)``), and it expires or stops with its campaign.
    public var campaignID: UUID?
    /// Whether the tenant's contact policy must admit it before it is sent: the tenant has a
    /// policy and the message is not transactional (``TenantSession/contactAdmit(_:)``).
    public var needsAdmission: Bool = false
    /// The `List-Unsubscribe` targets of a marketing message, set by the worker when it
    /// prepares a campaign message (docs/closed-loop.md, "Unsubscribe"); nil for the rest.
    public var unsubscribe: UnsubscribeLinks?
}
