/// Dates, durations and anniversary day counts.
extension RuleChecker {
    /// The largest amount of each unit: about a thousand years, beyond which a duration is a typo.
    static let maximumAmount: [RuleTimeUnit: Int] = [
        .minutes: 525_960_000, .hours: 8_766_000, .days: 365_250, .weeks: 52_178, .months: 12_000, .years: 1_000,
    ]

    /// The largest `anniversary in N days` or `within next N days`: one year ahead.
    static let maximumAnniversaryDays = 366

    /// A date literal standing after `word` (before, after, since, between, and).
    mutating func time(_ literal: LiteralSyntax, after word: String) -> RuleTime? {
        switch literal.kind {
        case .date(let date):
            return time(date, at: literal.position)
        case .string(let text) where RuleTime(parsing: text) != nil:
            fail("write the date after `\(word)` without quotes: \(text)", at: literal.position)
        default:
            fail("expected a date like 2024-01-01 or 2024-01-01T10:00:00Z after `\(word)` but found \(Self.describe(literal))", at: literal.position)
        }
        return nil
    }

    /// The instant of a date literal, or nil after saying what is wrong with it.
    mutating func time(_ date: DateLiteral, at position: SourcePosition) -> RuleTime? {
        guard (1...12).contains(date.month) else {
            fail("\(date.text) is not a date: there is no month \(date.month)", at: position)
            return nil
        }
        let days = ISO8601.daysIn(month: date.month, year: date.year)
        guard (1...days).contains(date.day) else {
            fail("\(date.text) is not a date: month \(date.month) of \(date.year) has \(days) days", at: position)
            return nil
        }
        if let time = date.time {
            guard time.hour < 24, time.minute < 60, time.second < 60 else {
                fail("\(date.text) is not a time: hours run 00–23, minutes and seconds 00–59", at: position)
                return nil
            }
        }
        let time = RuleTime(date)
        guard RuleTime.writable.contains(time) else {
            fail("\(date.text) is outside the years 0000 to 9999 once its offset is applied", at: position)
            return nil
        }
        return time
    }

    mutating func duration(_ syntax: DurationSyntax) -> RuleDuration? {
        let unit = Self.unit(syntax.unit.value)
        if unit == nil {
            fail("expected a unit (minutes, hours, days, weeks, months or years) but found `\(syntax.unit.value)`", at: syntax.unit.position)
        }
        guard let amount = wholeAmount(syntax.amount), let unit else { return nil }
        let maximum = Self.maximumAmount[unit] ?? 1_000
        guard amount <= maximum else {
            fail("\(amount) \(unit.rawValue) is too long; at most \(maximum) \(unit.rawValue)", at: syntax.amount.position)
            return nil
        }
        return RuleDuration(amount, unit)
    }

    mutating func anniversaryDays(_ syntax: DurationSyntax) -> Int? {
        let unit = syntax.unit.value.lowercased()
        guard unit == "day" || unit == "days" else {
            fail("anniversaries count days: expected `days` but found `\(syntax.unit.value)`", at: syntax.unit.position)
            return nil
        }
        guard let amount = wholeAmount(syntax.amount) else { return nil }
        guard amount <= Self.maximumAnniversaryDays else {
            fail("an anniversary can be at most \(Self.maximumAnniversaryDays) days ahead, not \(amount)", at: syntax.amount.position)
            return nil
        }
        return amount
    }

    /// A positive whole number.
    private mutating func wholeAmount(_ literal: LiteralSyntax) -> Int? {
        guard case .number(let value, let text) = literal.kind else { return nil }
        guard value.rounded() == value, value.isFinite else {
            fail("a duration needs a whole number, not \(text.prefix(40))", at: literal.position)
            return nil
        }
        guard value >= 1 else {
            fail("a duration must be at least 1, not \(text.prefix(40)) (use `is today` for today's anniversaries)", at: literal.position)
            return nil
        }
        guard value < 1e12 else {
            fail("the duration \(text.prefix(40)) is too long", at: literal.position)
            return nil
        }
        return Int(value)
    }

    static func unit(_ word: String) -> RuleTimeUnit? {
        let lower = word.lowercased()
        return RuleTimeUnit(rawValue: lower) ?? RuleTimeUnit(rawValue: lower + "s")
    }
}
