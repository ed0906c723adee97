import Foundation

/// One attempt to hand a message to its gateway.
public struct MessageAttempt: Sendable, Hashable {
    /// What an attempt came to.
    public enum Outcome: String, Sendable, Hashable, Codable {
        /// The gateway took the message.
        case accepted
        /// It failed in a way another attempt may not (busy, unreachable, 5xx, 429).
        case retry
        /// It was refused for good.
        case failed
    }

    /// The queue's attempt number.
    public var attempt: Int
    /// The channel used: the message's own, or its secondary while the first's circuit was open.
    public var channelID: UUID
    public var at: Date
    public var outcome: Outcome
    public var reason: String?
    /// The gateway's HTTP status, when it answered over HTTP.
    public var httpStatus: Int?
    public var durationMilliseconds: Int
    /// The worker that made the attempt.
    public var worker: String?

    public init(
        attempt: Int, channelID: UUID, at: Date, outcome: Outcome, reason: String?, httpStatus: Int?, durationMilliseconds: Int,
        worker: String?
    ) {
        self.attempt = attempt
        self.channelID = channelID
        self.at = at
        self.outcome = outcome
        self.reason = reason
        self.httpStatus = httpStatus
        self.durationMilliseconds = durationMilliseconds
        self.worker = worker
    }
}
