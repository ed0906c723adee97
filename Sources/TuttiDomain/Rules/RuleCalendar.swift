/// Anniversary arithmetic on day numbers (see ``AnniversaryTest``), the twin of the SQL helpers
/// `rule_local_date`, `rule_anniversary_on` and `rule_anniversary_days_until` (sql/0006).
public enum RuleCalendar {
    /// `inDays` further away than this is false: PostgreSQL's dates end near 4713 BC.
    public static let maximumDayDistance = 1_000_000

    /// The day number of today's date where the customer is.
    public static func localDay(now: RuleTime, zoneName: String?) -> Int64 {
        let offset = RuleTimeZones.offsetMilliseconds(zoneNamed: zoneName, at: now)
        return RuleCivil.floorDivide(now.millisecondsSinceEpoch + offset, RuleCivil.millisecondsPerDay)
    }

    /// The anniversary in `year` of the UTC date of `time`: the same month and day, 29 February
    /// on 28 February in common years.
    public static func anniversary(of time: RuleTime, inYear year: Int64) -> Int64 {
        let date = RuleCivil.date(days: RuleCivil.floorDivide(time.millisecondsSinceEpoch, RuleCivil.millisecondsPerDay))
        let day = date.month == 2 && date.day == 29 && !RuleCivil.isLeap(year) ? 28 : date.day
        return RuleCivil.days(year: year, month: date.month, day: day)
    }

    /// Whether an anniversary test holds for `time` with today's date `today` (a day number).
    public static func holds(_ test: AnniversaryTest, for time: RuleTime, today: Int64) -> Bool {
        switch test {
        case .isToday:
            return anniversary(of: time, inYear: RuleCivil.date(days: today).year) == today
        case .inDays(let days):
            guard abs(days) <= maximumDayDistance else { return false }
            let target = today + Int64(days)
            let year = RuleCivil.date(days: target).year
            guard (1...9999).contains(year) else { return false }
            return anniversary(of: time, inYear: year) == target
        case .withinNextDays(let days):
            guard days >= 0 else { return false }
            let year = RuleCivil.date(days: today).year
            var next = anniversary(of: time, inYear: year)
            if next < today { next = anniversary(of: time, inYear: year + 1) }
            return next - today <= Int64(days)
        }
    }
}
