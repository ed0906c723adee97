import Foundation

/// Local wall-clock hours in which no message goes out on `channels`: from `start` (inclusive)
/// to `end` (exclusive) in the customer's time zone, crossing midnight when `start` is later
/// than `end` (`21:00`–`08:00`). A message claimed inside them is deferred to their end, or
/// skipped when `action` is ``Action/skip``.
public struct QuietHours: Sendable, Hashable {
    public enum Action: String, Sendable, Hashable, CaseIterable {
        /// Sent when the quiet hours end.
        case `defer`
        /// Not sent at all: skipped with reason `quiet_hours`.
        case skip
    }

    public var start: LocalTime
    public var end: LocalTime
    public var channels: ChannelSelection
    public var action: Action

    public init(start: LocalTime, end: LocalTime, channels: ChannelSelection = .all, action: Action = .defer) {
        self.start = start
        self.end = end
        self.channels = channels
        self.action = action
    }

    /// Whether the local wall-clock time `time` falls inside the hours.
    public func contains(_ time: LocalTime) -> Bool {
        let minute = time.minutesSinceMidnight
        if start.minutesSinceMidnight <= end.minutesSinceMidnight {
            return start.minutesSinceMidnight <= minute && minute < end.minutesSinceMidnight
        }
        return minute >= start.minutesSinceMidnight || minute < end.minutesSinceMidnight
    }

    /// When the quiet hours that contain `instant` in `zone` end, or nil when `instant` is
    /// outside them (whatever the channel: ask ``channels`` first).
    ///
    /// The local time is the zone's wall clock at `instant`, so on a night the clocks change
    /// the hours are as long as the clocks say: 21:00–08:00 in Europe/Berlin lasts ten hours
    /// on the spring-forward night and twelve on the fall-back night. The end is the next
    /// moment the wall clock shows `end`; an end that the clocks skip (02:30 on a
    /// spring-forward night) is the first moment after the gap, and an end that the clocks
    /// show twice (02:30 on a fall-back night in Berlin) is its first showing.
    public func end(containing instant: Date, in zone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.hour, .minute], from: instant)
        guard let hour = parts.hour, let minute = parts.minute, let now = LocalTime(hour: hour, minute: minute),
            contains(now)
        else { return nil }
        return calendar.nextDate(
            after: instant, matching: DateComponents(hour: end.hour, minute: end.minute, second: 0), matchingPolicy: .nextTime,
            repeatedTimePolicy: .first, direction: .forward)
    }
}
