/// Where a message stands (sql/0008_messages.sql describes each state).
public enum MessageState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Waiting in the queue.
    case queued
    /// A worker holds its delivery job and is talking to the gateway.
    case sending
    /// The gateway accepted it.
    case sent
    /// The last attempt failed; another is scheduled.
    case failed
    /// No attempt will follow: refused by the gateway, or out of attempts.
    case dead
    /// Never sent, and never will be: the contact policy kept it back (its reason says why:
    /// ``Message/skipReason``).
    case skipped
}
