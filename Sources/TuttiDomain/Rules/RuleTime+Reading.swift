extension RuleTime {
    /// Reads a JSON string's text as a time, exactly as ``RuleTime`` specifies and as the SQL
    /// helper `rule_text_time_ms` (sql/0006) does: `YYYY-MM-DD`, or
    /// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` with upper-case `T` and `Z`, years 0001–9999, a
    /// real calendar date, hours 00–23, minutes and seconds 00–59, offsets up to ±23:59;
    /// fractions of any length, truncated to milliseconds. Anything else is not a time.
    public static func reading(_ text: String) -> RuleTime? {
        var text = text
        return text.withUTF8 { reading(utf8: $0) }
    }

    /// ``reading(_:)`` over UTF-8 bytes; allocates nothing.
    public static func reading(utf8 s: UnsafeBufferPointer<UInt8>) -> RuleTime? {
        let count = s.count
        guard count == 10 || count >= 20 else { return nil }
        func digits(_ start: Int, _ length: Int) -> Int64? {
            var value: Int64 = 0
            for index in start..<(start + length) {
                let byte = s[index]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int64(byte - 0x30)
            }
            return value
        }
        guard let year = digits(0, 4), s[4] == UInt8(ascii: "-"), let month = digits(5, 2), s[7] == UInt8(ascii: "-"),
            let day = digits(8, 2), year >= 1, (1...12).contains(month), day >= 1, day <= RuleCivil.daysIn(month: month, year: year)
        else { return nil }
        let midnight = RuleCivil.days(year: year, month: month, day: day) * RuleCivil.millisecondsPerDay
        if count == 10 { return RuleTime(millisecondsSinceEpoch: midnight) }

        guard s[10] == UInt8(ascii: "T"), let hour = digits(11, 2), s[13] == UInt8(ascii: ":"), let minute = digits(14, 2),
            s[16] == UInt8(ascii: ":"), let second = digits(17, 2), hour < 24, minute < 60, second < 60
        else { return nil }
        var index = 19
        var milliseconds: Int64 = 0
        if s[index] == UInt8(ascii: ".") {
            index += 1
            var fractionDigits = 0
            while index < count, s[index] >= 0x30, s[index] <= 0x39 {
                if fractionDigits < 3 { milliseconds = milliseconds * 10 + Int64(s[index] - 0x30) }
                fractionDigits += 1
                index += 1
            }
            guard fractionDigits > 0 else { return nil }
            for _ in fractionDigits..<max(fractionDigits, 3) { milliseconds *= 10 }
        }
        var offset: Int64 = 0
        if index == count - 1, s[index] == UInt8(ascii: "Z") {
            offset = 0
        } else if index == count - 6, s[index] == UInt8(ascii: "+") || s[index] == UInt8(ascii: "-"),
            let hours = digits(index + 1, 2), s[index + 3] == UInt8(ascii: ":"), let minutes = digits(index + 4, 2),
            hours < 24, minutes < 60
        {
            offset = (s[index] == UInt8(ascii: "-") ? -1 : 1) * (hours * 3_600_000 + minutes * 60_000)
        } else {
            return nil
        }
        return RuleTime(
            millisecondsSinceEpoch: midnight + hour * 3_600_000 + minute * 60_000 + second * 1000 + milliseconds - offset)
    }
}
