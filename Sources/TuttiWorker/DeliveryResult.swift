import Foundation
import TuttiDomain
import TuttiStore

/// What one claimed job came to in this batch.
struct DeliveryResult: Sendable {
    var job: ClaimedQueueJob
    var messageID: UUID?
    /// The channel the attempt went through (the secondary after a fail-over).
    var channelID: UUID?
    var outcome: DeliveryOutcome
    var milliseconds: Int
    /// The gateway's HTTP status, when it answered over HTTP.
    var httpStatus: Int? = nil
    /// Whether the outcome says something about the gateway's health (false when the
    /// message was not sent at all because the circuit was open).
    var countsForCircuit = true
    /// The message row's version at the claim (``MessageForDelivery/rowVersion``).
    var messageRowVersion: String? = nil

    func attemptRecord(messageID: UUID, channelID: UUID) -> MessageAttemptRecord {
        let kind: MessageAttempt.Outcome
        var provider: String?
        switch outcome {
        case .accepted(let id):
            kind = .accepted
            provider = id
        case .retryLater: kind = .retry
        case .failed: kind = .failed
        }
        return MessageAttemptRecord(
            lease: job.lease, messageID: messageID, channelID: channelID, outcome: kind, reason: outcome.reason, httpStatus: httpStatus,
            durationMilliseconds: milliseconds, providerMessageID: provider, isFinal: job.isFinalAttempt)
    }
}

extension DeliveryResult {
    /// The record of an accepted delivery, or nil for any other outcome.
    var acceptedDelivery: AcceptedDelivery? {
        guard case .accepted(let provider) = outcome, let messageID, let channelID else { return nil }
        return AcceptedDelivery(
            lease: job.lease, messageID: messageID, channelID: channelID, httpStatus: httpStatus, durationMilliseconds: milliseconds,
            providerMessageID: provider, messageRowVersion: messageRowVersion)
    }
}

/// A channel's circuit-relevant results of one batch, in completion order.
struct CircuitTally: Sendable {
    var succeeded = false
    var trailingFailures = 0
    var lastFailure: String?

    static func tally(_ results: [DeliveryResult]) -> [UUID: CircuitTally] {
        var tallies: [UUID: CircuitTally] = [:]
        for result in results where result.countsForCircuit {
            guard let channel = result.channelID else { continue }
            var tally = tallies[channel] ?? CircuitTally()
            switch result.outcome {
            case .accepted, .failed:
                // A refusal (bad recipient, 4xx) means the gateway is up.
                tally.succeeded = true
                tally.trailingFailures = 0
            case .retryLater(_, let reason):
                tally.trailingFailures += 1
                tally.lastFailure = reason
            }
            tallies[channel] = tally
        }
        return tallies
    }
}
