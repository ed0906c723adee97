import Foundation

/// When a job may first run. The database's clock decides when that time has come: a delay is
/// added to the database's `now()`, never to the clock of the process that enqueues.
public enum QueueSchedule: Sendable, Hashable {
    /// As soon as a worker is free.
    case now
    /// This long after the enqueueing transaction's `now()`.
    case after(Duration)
    /// At this moment (a time in the past means now), e.g. 9:00 in the customer's time zone.
    case at(Date)
}
