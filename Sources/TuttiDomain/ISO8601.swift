import Foundation

/// ISO 8601 date-times as clients send them: `YYYY-MM-DDTHH:MM:SS` (`t` or a space may separate
/// date and time), optional fractional seconds of any length (read to the millisecond, as
/// before), then `Z` or an offset `±HH:MM` (also `±HHMM` or `±HH`); or a date `YYYY-MM-DD` alone,
/// which means midnight UTC.
///
/// Parsed by hand: `ISO8601DateFormatter` goes through ICU, and making one per message took
/// more than half of the API's CPU under sustained ingestion (every Segment message carries a
/// `timestamp`, every batch a `sentAt`).
public enum ISO8601 {
    public static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { parse(utf8: $0) }
    }

    public static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        var scanner = Scanner(bytes: bytes)
        guard let year = scanner.number(digits: 4), scanner.skip("-"), let month = scanner.number(digits: 2), scanner.skip("-"),
            let day = scanner.number(digits: 2), (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        if scanner.atEnd { return date(milliseconds: days * 86_400_000) }

        guard scanner.skip("T") || scanner.skip("t") || scanner.skip(" "),
            let hour = scanner.number(digits: 2), scanner.skip(":"), let minute = scanner.number(digits: 2), scanner.skip(":"),
            let second = scanner.number(digits: 2), hour < 24, minute < 60, second <= 60
        else { return nil }
        var milliseconds = 0
        if scanner.skip(".") || scanner.skip(",") {
            var count = 0
            while let digit = scanner.digit() {
                if count < 3 { milliseconds = milliseconds * 10 + digit }
                count += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<max(count, 3) { milliseconds *= 10 }
        }
        var offset = 0
        if scanner.skip("Z") || scanner.skip("z") {
            offset = 0
        } else if let sign = scanner.skip("+") ? 1 : scanner.skip("-") ? -1 : nil, let hours = scanner.number(digits: 2), hours < 24 {
            var minutes = 0
            if !scanner.atEnd {
                _ = scanner.skip(":")
                guard let value = scanner.number(digits: 2), value < 60 else { return nil }
                minutes = value
            }
            offset = sign * (hours * 60 + minutes) * 60
        } else {
            return nil
        }
        guard scanner.atEnd else { return nil }
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset
        return date(milliseconds: seconds * 1_000 + milliseconds)
    }

    /// Whole milliseconds since 1970 as a `Date`, computed as ICU's did (milliseconds / 1000,
    /// then to the reference date), so that dates compare equal to those parsed before.
    private static func date(milliseconds: Int) -> Date {
        Date(timeIntervalSinceReferenceDate: Double(milliseconds) / 1_000 - Date.timeIntervalBetween1970AndReferenceDate)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        var atEnd: Bool { index == bytes.count }

        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }

        mutating func digit() -> Int? {
            guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else { return nil }
            defer { index += 1 }
            return Int(bytes[index] - UInt8(ascii: "0"))
        }

        mutating func number(digits: Int) -> Int? {
            var value = 0
            for _ in 0..<digits {
                guard let digit = digit() else { return nil }
                value = value * 10 + digit
            }
            return value
        }
    }
}
