/// A standard five-field cron expression, `minute hour day-of-month month day-of-week`, as
/// recurring campaigns take it (`"0 9 * * MON-FRI"`).
///
/// Each field is `*`, a value, a range `a-b`, a step `*/n`, `a-b/n` or `a/n` (from `a` to the
/// field's end), or a comma-separated list of those. Months may be named `JAN`–`DEC` and days
/// of the week `SUN`–`SAT` (any case); day-of-week 0 and 7 are both Sunday. When both
/// day-of-month and day-of-week are written as anything but `*`, a day matches when either
/// does (the classic OR rule, as croniter and Vixie cron read it; with `*/2` counting as
/// restricted, as croniter counts it). ``next(after:in:)`` evaluates it in a zone.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The text as the client wrote it.
    public let text: String
    let minutes: UInt64
    let hours: UInt64
    let daysOfMonth: UInt64
    let months: UInt64
    /// Bit 0 is Sunday, bit 6 Saturday (7 is folded onto 0).
    let daysOfWeek: UInt64
    /// Day-of-month and day-of-week both written as other than `*`: a day matches when either does.
    let dayOr: Bool
    /// Whether the hour field matches all 24 hours (`*`, `*/1`, `0-23`): such an expression
    /// follows the hours as they pass across DST transitions rather than the clock face; see
    /// ``next(after:in:)``.
    public var everyHour: Bool { hours == (1 << 24) - 1 }

    /// Parses `text`; the error names the field and what to write instead.
    public init(_ text: String) throws(ScheduleError) {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count == 5 else {
            throw Self.error(
                "must have 5 fields separated by spaces (minute hour day-of-month month day-of-week), e.g. \"0 9 * * MON-FRI\"; "
                    + "found \(fields.count)")
        }
        self.text = text
        minutes = try CronField.minute.parse(fields[0])
        hours = try CronField.hour.parse(fields[1])
        daysOfMonth = try CronField.dayOfMonth.parse(fields[2])
        months = try CronField.month.parse(fields[3])
        let weekdays = try CronField.dayOfWeek.parse(fields[4])
        daysOfWeek = (weekdays & 0x7F) | (weekdays >> 7 & 1)
        dayOr = fields[2] != "*" && fields[4] != "*"
        // With the OR rule every week has a matching day; with `*` as day-of-month every month does.
        guard dayOr || fields[2] == "*" || Self.someMonthHasADay(daysOfMonth, months) else {
            throw ScheduleError(
                .cronNeverFires, field: "schedule.cron",
                message: "matches no date: no month in \"\(fields[3])\" has a day \"\(fields[2])\"; check day-of-month and month")
        }
    }

    public var description: String { text }

    /// Whether a calendar date matches the day-of-month, month and day-of-week fields.
    func matches(year: Int64, month: Int64, day: Int64, weekday: Int64) -> Bool {
        guard months >> month & 1 == 1 else { return false }
        let byDay = daysOfMonth >> day & 1 == 1, byWeekday = daysOfWeek >> weekday & 1 == 1
        return dayOr ? byDay || byWeekday : byDay && byWeekday
    }

    /// Some month of the expression has one of its days in a leap year (29 February counts).
    private static func someMonthHasADay(_ days: UInt64, _ months: UInt64) -> Bool {
        (1...12).contains { month in
            months >> month & 1 == 1 && (1...RuleCivil.daysIn(month: Int64(month), year: 2000)).contains { days >> $0 & 1 == 1 }
        }
    }

    static func error(_ message: String) -> ScheduleError {
        ScheduleError(.invalidCron, field: "schedule.cron", message: message)
    }
}
