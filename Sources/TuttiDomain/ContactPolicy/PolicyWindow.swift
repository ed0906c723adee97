/// A cap's rolling window, written `"<n> <unit>"`: n from 1 to 999 without leading zeros, and
/// the units minute(s), hour(s), day(s) and week(s) (`"7 days"`, `"1 day"`, `"12 hours"`). A
/// day is 24 hours: the window rolls, it is not a calendar day in anyone's time zone.
public struct PolicyWindow: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The window's length in seconds.
    public var seconds: Int
    /// The text it was written as.
    public var description: String

    static let units: [String: Int] = [
        "minute": 60, "minutes": 60, "hour": 3_600, "hours": 3_600, "day": 86_400, "days": 86_400,
        "week": 604_800, "weeks": 604_800,
    ]

    /// The form accepted, as the OpenAPI document states it.
    public static let pattern = "^[1-9][0-9]{0,2} (minute|minutes|hour|hours|day|days|week|weeks)$"

    /// Parses `"<n> <unit>"`; nil when it is not that form.
    public init?(_ text: String) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...3).contains(parts[0].count), parts[0].first != "0",
            parts[0].allSatisfy(\.isASCIIDigit), let count = Int(parts[0]), let unit = Self.units[String(parts[1])]
        else { return nil }
        seconds = count * unit
        description = text
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.seconds < rhs.seconds }
}
