/// An instant in a rule, to the millisecond, as milliseconds since 1970-01-01T00:00:00Z.
///
/// Values are read as times from JSON strings in one of two forms, and nothing else:
/// a calendar date `YYYY-MM-DD` (midnight UTC of that date) or an RFC 3339 date-time
/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, with a real calendar date, hours 00–23,
/// minutes and seconds 00–59; fractions beyond milliseconds are truncated. Event aggregates
/// `first` and `last` yield times directly (event times rounded down to the millisecond).
/// Exactly: upper-case `T` and `Z` only, years 0001–9999, offsets up to ±23:59, at least one
/// fraction digit after a `.` (``RuleTime/reading(_:)``, and `rule_text_time_ms` in SQL).
public struct RuleTime: Sendable, Hashable, Codable, Comparable {
    public var millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    public static func < (lhs: RuleTime, rhs: RuleTime) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }
}

/// A calendar span: `30 days`, `2 years`. Months and years move the calendar (UTC) and clamp
/// to the month's last day (2024-03-31 minus 1 month is 2024-02-29), as PostgreSQL's interval
/// arithmetic does. A day is 24 hours and a week 7 days (the calendar is UTC). Both evaluators
/// use ``RuleTime/adding(_:)`` for the bounds; the SQL side binds the results.
public struct RuleDuration: Sendable, Hashable, Codable {
    public var amount: Int
    public var unit: RuleTimeUnit

    public init(_ amount: Int, _ unit: RuleTimeUnit) {
        self.amount = amount
        self.unit = unit
    }
}

/// Units of a ``RuleDuration``.
public enum RuleTimeUnit: String, Sendable, Hashable, Codable, CaseIterable {
    case minutes, hours, days, weeks, months, years
}

/// Relative time and bounds, with `now` the instant of evaluation (the database's clock, passed
/// to both evaluators alike).
public enum TimeTest: Sendable, Hashable, Codable {
    /// `within 30 days`: now − duration ≤ t ≤ now.
    case withinLast(RuleDuration)
    /// `within next 30 days`: now ≤ t ≤ now + duration.
    case withinNext(RuleDuration)
    /// `more than 2 years ago`: t < now − duration.
    case moreThanAgo(RuleDuration)
    /// `before 2024-01-01`: t < the instant.
    case before(RuleTime)
    /// `after 2024-01-01`: t > the instant.
    case after(RuleTime)
}

/// Anniversaries on the customer's local calendar: the value's month and day against today's
/// date where the customer is (their `time_zone` attribute when it names a zone, else UTC).
/// A 29 February anniversary falls on 28 February in common years.
///
/// The value's month and day are those of its UTC date (a date-only value's own date).
/// "Names a zone": see ``RuleTimeZones``. Inside event property filters, today is the UTC date.
/// `inDays` more than 1,000,000 days away, or landing outside years 0001–9999, is false;
/// `withinNextDays` with a negative count is false.
public enum AnniversaryTest: Sendable, Hashable, Codable {
    /// `birthday is today`.
    case isToday
    /// `renewal_date in 30 days`: the anniversary is exactly that many days after today.
    case inDays(Int)
    /// `birthday within next 7 days`: the anniversary is today or within the next N days.
    case withinNextDays(Int)
}
