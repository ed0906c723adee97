/// Dates and date-times of rule text, and back.
extension RuleTime {
    /// The earliest and latest instants a rule can write: years 0000 to 9999.
    static let writable = RuleTime(millisecondsSinceEpoch: -62_167_219_200_000)...RuleTime(millisecondsSinceEpoch: 253_402_300_799_999)

    /// The instant of a checked date literal (fields already in range).
    init(_ date: DateLiteral) {
        let days = Int64(ISO8601.daysSinceEpoch(year: date.year, month: date.month, day: date.day))
        var milliseconds = days * 86_400_000
        if let time = date.time {
            let seconds = Int64(time.hour * 3_600 + time.minute * 60 + time.second - time.offsetMinutes * 60)
            milliseconds += seconds * 1_000 + Int64(time.millisecond)
        }
        self.init(millisecondsSinceEpoch: milliseconds)
    }

    /// A date or RFC 3339 date-time (as the lexer reads them), for messages that suggest
    /// dropping quotes.
    init?(parsing text: String) {
        let tokens = RuleLexer.tokens(text)
        guard tokens.count == 2, case .date(let date) = tokens[0].kind, (1...12).contains(date.month),
            (1...ISO8601.daysIn(month: date.month, year: date.year)).contains(date.day)
        else { return nil }
        self.init(date)
    }

    /// Year, month, day, hour, minute, second and millisecond in UTC.
    var utcComponents: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int) {
        // Floor division without an intermediate that could overflow at Int64's ends.
        let milliseconds = millisecondsSinceEpoch
        let truncated = milliseconds % 86_400_000
        let remainder = Int(truncated < 0 ? truncated + 86_400_000 : truncated)
        let dayCount = milliseconds / 86_400_000 - (truncated < 0 ? 1 : 0)
        // Howard Hinnant's civil_from_days.
        let z = Int(dayCount) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day, remainder / 3_600_000, remainder / 60_000 % 60, remainder / 1_000 % 60, remainder % 1_000)
    }
}
