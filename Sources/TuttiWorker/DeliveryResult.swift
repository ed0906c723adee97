import Foundation
import TuttiDomain
import TuttiQueue
import TuttiStore

/// What one claimed job came to in this batch.
struct DeliveryResult: Sendable {
    enum Outcome: Sendable {
        /// The gateway was asked, and this is what it answered.
        case sent(DeliveryOutcome)
        /// The gateway was not asked (the channel's circuit is open or probing): wait `wait`.
        case notSent(wait: Duration, reason: String)
        /// Nothing can be sent: the job names no message, or the channel is gone.
        case undeliverable(reason: String)
    }

    var job: ClaimedQueueJob
    var messageID: UUID?
    /// The channel the attempt went through (the secondary after a fail-over).
    var channelID: UUID?
    var outcome: Outcome
    var milliseconds: Int = 0
    /// The gateway's HTTP status, when it answered over HTTP.
    var httpStatus: Int? = nil
    /// The message row's version at the claim (``MessageForDelivery/rowVersion``).
    var messageRowVersion: String? = nil

    /// The attempt's record on its message, or nil when no attempt was made at a message.
    func attemptRecord(isFinal: Bool) -> MessageAttemptRecord? {
        guard let messageID, let channelID else { return nil }
        let kind: MessageAttempt.Outcome
        var provider: String?
        let reason: String?
        switch outcome {
        case .sent(.accepted(let id)):
            kind = .accepted
            provider = id
            reason = nil
        case .sent(.retryLater(_, let text)):
            kind = .retry
            reason = text
        case .sent(.failed(let text)), .undeliverable(let text):
            kind = .failed
            reason = text
        case .notSent:
            return nil
        }
        return MessageAttemptRecord(
            lease: job.lease, messageID: messageID, channelID: channelID, outcome: kind, reason: reason, httpStatus: httpStatus,
            durationMilliseconds: milliseconds, providerMessageID: provider, isFinal: isFinal)
    }

    /// The record of an accepted delivery, or nil for any other outcome.
    var acceptedDelivery: AcceptedDelivery? {
        guard case .sent(.accepted(let provider)) = outcome, let messageID, let channelID else { return nil }
        return AcceptedDelivery(
            lease: job.lease, messageID: messageID, channelID: channelID, httpStatus: httpStatus,
            durationMilliseconds: milliseconds,
            providerMessageID: provider, messageRowVersion: messageRowVersion)
    }
}
