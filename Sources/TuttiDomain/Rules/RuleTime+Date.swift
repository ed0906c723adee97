import Foundation

extension RuleTime {
    /// The instant of `date`, to the millisecond (rounded down, as PostgreSQL truncates
    /// microseconds when a rule reads a stored timestamp).
    public init(_ date: Date) {
        self.init(millisecondsSinceEpoch: Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
    }

    /// The instant as a `Date`.
    public var date: Date {
        Date(timeIntervalSince1970: Double(millisecondsSinceEpoch) / 1000)
    }
}
