import Foundation
import TuttiDomain

/// One attempt's outcome as a worker records it with
/// ``TenantSession/messageRecordAttempts(_:worker:)``.
public struct MessageAttemptRecord: Sendable, Hashable {
    public var messageID: UUID
    public var attempt: Int32
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
        messageID: UUID, attempt: Int32, channelID: UUID, outcome: MessageAttempt.Outcome, reason: String?, httpStatus: Int?,
        durationMilliseconds: Int, providerMessageID: String?, isFinal: Bool
    ) {
        self.messageID = messageID
        self.attempt = attempt
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
    public var content: [String: JSONValue]
}
