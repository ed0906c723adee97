import Foundation

extension CronExpression {
    /// Clocks never go back by more than this (the largest fold in the tz database is 3 hours),
    /// so an occurrence's wall-clock time is never this much earlier than an earlier occurrence's.
    private static let largestFold: Int64 = 4 * 3_600

    /// The first instant strictly after `instant` at which the expression fires in `zone`, or
    /// nil if there is none in the next nine years (only a 29 February that falls on no
    /// matching weekday could get there).
    ///
    /// The expression matches wall-clock times in `zone`; each matching time fires at:
    /// - its instant, when it exists once;
    /// - its first instant, when it repeats because the clocks went back, and its second one
    ///   too when ``firesTwiceInRepeatedHour`` (`0 * * * *` fires at 01:00 EDT and 01:00 EST;
    ///   `30 1 * * *` once, at 01:30 EDT), as cron(8) decides;
    /// - the instant the clocks jump, when it falls in the gap they jump over (`30 2 * * *` in
    ///   New York on the spring-forward day fires at 03:00 EDT), all such times as one.
    /// croniter fires every repeated time twice; it agrees on everything else
    /// (docs/campaign-schedules.md, "Recurring").
    public func next(after instant: Date, in zone: ScheduleTimeZone) -> Date? {
        let after = Int64(instant.timeIntervalSince1970.rounded(.down))
        let startWall = zone.wallSeconds(at: after) - Self.largestFold
        let firstDay = RuleCivil.floorDivide(startWall, 86_400)
        var best: Int64?
        var stopWall = Int64.max
        var day = firstDay
        while day <= firstDay + 9 * 366, day * 86_400 <= stopWall {
            defer { day += 1 }
            let date = RuleCivil.date(days: day)
            let weekday = ((day % 7) + 11) % 7  // 1970-01-01 was a Thursday (4)
            guard matches(year: date.year, month: date.month, day: date.day, weekday: weekday) else { continue }
            for hour in 0..<Int64(24) where hours >> hour & 1 == 1 {
                for minute in 0..<Int64(60) where minutes >> minute & 1 == 1 {
                    let wall = day * 86_400 + hour * 3_600 + minute * 60
                    if wall < startWall { continue }
                    if wall > stopWall { return best.map { Date(timeIntervalSince1970: Double($0)) } }
                    for candidate in firings(of: zone.resolve(wall: wall)) where candidate > after && candidate < (best ?? .max) {
                        best = candidate
                        if stopWall == .max { stopWall = wall + Self.largestFold }
                    }
                }
            }
        }
        return best.map { Date(timeIntervalSince1970: Double($0)) }
    }

    private func firings(of wallTime: WallTime) -> [Int64] {
        switch wallTime {
        case .unique(let instant): [instant]
        case .repeated(let first, let second): firesTwiceInRepeatedHour ? [first, second] : [first]
        case .skipped(let transition): [transition]
        }
    }
}
