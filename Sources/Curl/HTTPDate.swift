/// Parses the three HTTP-date forms RFC 9110 §5.6.7 obliges recipients to
/// accept, without `DateFormatter`: formatters are costly, locale-sensitive
/// and differ between Foundation implementations.
///
/// - IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`
/// - RFC 850:     `Sunday, 06-Nov-94 08:49:37 GMT`
/// - asctime:     `Sun Nov  6 08:49:37 1994`
enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Seconds since 1970-01-01T00:00:00Z, or nil when `text` is not an HTTP-date.
    static func secondsSince1970(_ text: String) -> Int? {
        // All three forms are the same tokens in different orders: a weekday,
        // a month name, a day, a year and hh:mm:ss.
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "-" })
        var month: Int?
        var numbers: [Int] = []
        var time: [Int] = []
        for token in tokens {
            if token.contains(":") {
                time = token.split(separator: ":").compactMap { Int($0) }
            } else if let number = Int(token) {
                numbers.append(number)
            } else if let index = months.firstIndex(of: token.lowercased()) {
                month = index + 1
            }
        }
        guard let month, numbers.count == 2, time.count == 3 else { return nil }
        let day = numbers[0]
        var year = numbers[1]
        if year < 100 { year += year < 70 ? 2000 : 1900 }  // RFC 850's two-digit years
        guard (1...31).contains(day), (0...23).contains(time[0]), (0...59).contains(time[1]),
            (0...60).contains(time[2])
        else { return nil }
        return daysFromCivil(year: year, month: month, day: day) * 86_400 + time[0] * 3600 + time[1] * 60 + time[2]
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
