import Foundation

extension CronExpression {
    /// Clocks never go back by more than this (the largest fold in the tz database is 3 hours):
    /// an occurrence's wall-clock time is never this much earlier than an earlier occurrence's.
    private static let largestFold: Int64 = 4 * 3_600

    /// The first instant strictly after `instant` at which the expression fires in `zone`, or
    /// nil if it fires in none of the next nine years (an expression that ``init(_:)`` accepted
    /// always does: a 29 February comes at least every eight years).
    ///
    /// The expression matches wall-clock times in `zone`. An expression whose hour field
    /// matches every hour (``everyHour``: `0 * * * *`, `*/15 * * * *`) follows the hours as
    /// they pass: a matching time the clocks jump over is skipped, and one they go back over
    /// fires both times (01:00 EDT and 01:00 EST). Any other expression follows the clock face,
    /// each matching wall-clock time firing once: a time the clocks jump over fires at the
    /// jump (`30 2 * * *` in New York on the spring-forward day fires at 03:00 EDT, all such
    /// times of one jump as one), and a time they go back over fires at its first occurrence
    /// only (`30 1 * * *` at 01:30 EDT, not again at 01:30 EST). croniter fires the latter
    /// twice; on everything else the two agree (docs/campaign-schedules.md, "Recurring").
    public func next(after instant: Date, in zone: ScheduleTimeZone) -> Date? {
        let after = Int64(instant.timeIntervalSince1970.rounded(.down))
        // An earlier wall-clock time can only be later than `after` across a fold after it, and
        // only by the fold's length: start looking that far back.
        let startWall = zone.wallSeconds(at: after) - max(0, zone.offset(at: after) - zone.offset(at: after + Self.largestFold))
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
                        // A later wall-clock time has an earlier instant only across a fold that ends
                        // before `candidate`, and only within the fold's length: look that far.
                        if stopWall == .max {
                            stopWall = wall + max(0, zone.offset(at: candidate - Self.largestFold) - zone.offset(at: candidate))
                        }
                    }
                }
            }
        }
        return best.map { Date(timeIntervalSince1970: Double($0)) }
    }

    private func firings(of wallTime: WallTime) -> [Int64] {
        switch wallTime {
        case .unique(let instant): [instant]
        case .repeated(let first, let second): everyHour ? [first, second] : [first]
        case .skipped(let transition): everyHour ? [] : [transition]
        }
    }
}
