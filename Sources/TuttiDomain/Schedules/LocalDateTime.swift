/// A calendar date and a time of day with no zone, as a `local` schedule names them
/// (`"date": "2026-03-29", "time": "09:00"`).
public struct LocalDateTime: Sendable, Hashable, Comparable {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int

    /// A date-time, or nil when the date is not a calendar date or the time not a time of day.
    public init?(year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...Int(RuleCivil.daysIn(month: Int64(month), year: Int64(year)))).contains(day),
            (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        (self.year, self.month, self.day, self.hour, self.minute) = (year, month, day, hour, minute)
    }

    /// Reads `YYYY-MM-DD` (exactly that many digits) and `HH:MM` (24-hour clock).
    public init(date: String, time: String) throws(ScheduleError) {
        let dateParts = date.split(separator: "-", omittingEmptySubsequences: false)
        guard dateParts.count == 3, dateParts.map(\.count) == [4, 2, 2],
            let year = Self.digits(dateParts[0]), let month = Self.digits(dateParts[1]), let day = Self.digits(dateParts[2]),
            year >= 1, (1...12).contains(month), (1...Int(RuleCivil.daysIn(month: Int64(month), year: Int64(year)))).contains(day)
        else {
            throw ScheduleError(
                .invalidDate, field: "schedule.date", message: "must be a calendar date YYYY-MM-DD, e.g. 2026-03-29")
        }
        let timeParts = time.split(separator: ":", omittingEmptySubsequences: false)
        guard timeParts.count == 2, timeParts.map(\.count) == [2, 2],
            let hour = Self.digits(timeParts[0]), let minute = Self.digits(timeParts[1]), hour < 24, minute < 60
        else {
            throw ScheduleError(
                .invalidTime, field: "schedule.time", message: "must be a time of day HH:MM (00:00 to 23:59), e.g. 09:00")
        }
        (self.year, self.month, self.day, self.hour, self.minute) = (year, month, day, hour, minute)
    }

    /// `YYYY-MM-DD`.
    public var dateText: String { "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))" }
    /// `HH:MM`.
    public var timeText: String { "\(Self.pad(hour, 2)):\(Self.pad(minute, 2))" }

    /// Seconds from 1970-01-01T00:00 to this wall-clock time, read as if it were UTC.
    var wallSeconds: Int64 {
        RuleCivil.days(year: Int64(year), month: Int64(month), day: Int64(day)) * 86_400 + Int64(hour * 3_600 + minute * 60)
    }

    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool { lhs.wallSeconds < rhs.wallSeconds }

    private static func digits(_ text: Substring) -> Int? {
        guard text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return Int(text)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
