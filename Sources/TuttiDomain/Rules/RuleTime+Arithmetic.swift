extension RuleTime {
    /// The instant `duration` later (earlier for a negative amount). Minutes to weeks are fixed
    /// lengths (a day is 24 hours: the calendar is UTC); months and years move the UTC calendar
    /// and clamp to the month's last day, as PostgreSQL's interval arithmetic does
    /// (2024-03-31 − 1 month = 2024-02-29). Saturates instead of overflowing, so that no amount
    /// a rule can hold traps.
    public func adding(_ duration: RuleDuration) -> RuleTime {
        shifted(by: duration, negated: false)
    }

    /// The instant `duration` earlier: `adding` with the amount negated.
    public func subtracting(_ duration: RuleDuration) -> RuleTime {
        shifted(by: duration, negated: true)
    }

    private func shifted(by duration: RuleDuration, negated: Bool) -> RuleTime {
        var amount = Int64(duration.amount)
        if negated { amount = amount == .min ? .max : -amount }
        let unitMilliseconds: Int64
        switch duration.unit {
        case .minutes: unitMilliseconds = 60_000
        case .hours: unitMilliseconds = 3_600_000
        case .days: unitMilliseconds = RuleCivil.millisecondsPerDay
        case .weeks: unitMilliseconds = 7 * RuleCivil.millisecondsPerDay
        case .months: return addingMonths(amount)
        case .years:
            let (months, overflow) = amount.multipliedReportingOverflow(by: 12)
            return addingMonths(overflow ? (amount < 0 ? .min : .max) : months)
        }
        return RuleTime(millisecondsSinceEpoch: Self.saturatingAdd(millisecondsSinceEpoch, Self.saturatingMultiply(amount, unitMilliseconds)))
    }

    private func addingMonths(_ months: Int64) -> RuleTime {
        // Beyond a million years either way the answer is "before/after every stored time".
        guard abs(months) <= 12_000_000 else { return RuleTime(millisecondsSinceEpoch: months < 0 ? .min : .max) }
        let days = RuleCivil.floorDivide(millisecondsSinceEpoch, RuleCivil.millisecondsPerDay)
        let timeOfDay = millisecondsSinceEpoch - days * RuleCivil.millisecondsPerDay
        let date = RuleCivil.date(days: days)
        let monthIndex = date.year * 12 + (date.month - 1) + months
        let year = RuleCivil.floorDivide(monthIndex, 12)
        let month = monthIndex - year * 12 + 1
        let day = min(date.day, RuleCivil.daysIn(month: month, year: year))
        return RuleTime(millisecondsSinceEpoch: RuleCivil.days(year: year, month: month, day: day) * RuleCivil.millisecondsPerDay + timeOfDay)
    }

    static func saturatingAdd(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b < 0 ? .min : .max) : sum
    }

    static func saturatingMultiply(_ a: Int64, _ b: Int64) -> Int64 {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? ((a < 0) != (b < 0) ? .min : .max) : product
    }
}
