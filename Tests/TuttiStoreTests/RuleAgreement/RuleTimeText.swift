import TuttiDomain

/// Writes instants in the two forms rules read (and near misses of them), for generated data.
enum RuleTimeText {
    /// `YYYY-MM-DDTHH:MM:SS[.mmm](Z|±HH:MM)` for `ms` seen at `offsetMinutes`.
    static func dateTime(_ ms: Int64, offsetMinutes: Int64 = 0, fraction: String? = nil) -> String {
        let local = ms + offsetMinutes * 60_000
        let days = RuleCivil.floorDivide(local, RuleCivil.millisecondsPerDay)
        let timeOfDay = local - days * RuleCivil.millisecondsPerDay
        let date = RuleCivil.date(days: days)
        var text = "\(pad(date.year, 4))-\(pad(date.month, 2))-\(pad(date.day, 2))T"
        text += "\(pad(timeOfDay / 3_600_000, 2)):\(pad(timeOfDay / 60_000 % 60, 2)):\(pad(timeOfDay / 1000 % 60, 2))"
        text += fraction ?? ".\(pad(timeOfDay % 1000, 3))"
        if offsetMinutes == 0 { return text + "Z" }
        let sign = offsetMinutes < 0 ? "-" : "+"
        return text + "\(sign)\(pad(abs(offsetMinutes) / 60, 2)):\(pad(abs(offsetMinutes) % 60, 2))"
    }

    /// `YYYY-MM-DD` of the UTC date of `ms`.
    static func date(_ ms: Int64) -> String {
        let date = RuleCivil.date(days: RuleCivil.floorDivide(ms, RuleCivil.millisecondsPerDay))
        return "\(pad(date.year, 4))-\(pad(date.month, 2))-\(pad(date.day, 2))"
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
