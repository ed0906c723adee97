/// A cap's rolling window, written `"<n> <unit>"` with the units minute(s), hour(s), day(s)
/// and week(s) (`"7 days"`, `"1 day"`, `"12 hours"`), from 1 minute to 366 days. A day is 24
/// hours: the window rolls, it is not a calendar day in anyone's time zone.
public struct PolicyWindow: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The window's length in seconds.
    public var seconds: Int
    /// The text it was written as.
    public var description: String

    static let units: [String: Int] = [
        "minute": 60, "minutes": 60, "hour": 3_600, "hours": 3_600, "day": 86_400, "days": 86_400,
        "week": 604_800, "weeks": 604_800,
    ]
    /// The longest window accepted: 366 days.
    public static let maximumSeconds = 366 * 86_400

    /// Parses `"<n> <unit>"`; nil when it is not that form or out of range.
    public init?(_ text: String) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].allSatisfy(\.isASCIIDigit), parts[0].count <= 6, let count = Int(parts[0]),
            let unit = Self.units[String(parts[1])], count >= 1, count * unit <= Self.maximumSeconds
        else { return nil }
        seconds = count * unit
        description = text
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.seconds < rhs.seconds }
}
