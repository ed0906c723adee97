import Foundation

extension CampaignSchedule {
    /// When the first occurrence is due for a campaign launched at `launch`: `launch` itself
    /// for `now`; the instant for `at` (one already past is due at once); for `local`, the
    /// earliest instant any customer's send can be due (``LocalDateTime/earliestDue``); for
    /// `recurring`, the expression's first time after `launch`.
    public func firstOccurrence(launchedAt launch: Date) -> Date? {
        switch self {
        case .now: launch
        case .at(let instant): instant
        case .local(let time): time.earliestDue
        case .recurring(let cron, let zone): cron.next(after: launch, in: zone)
        }
    }

    /// The occurrence after the one due at `previous`: the next time of a recurring schedule,
    /// nil for the one-off types.
    public func nextOccurrence(after previous: Date) -> Date? {
        guard case .recurring(let cron, let zone) = self else { return nil }
        return cron.next(after: previous, in: zone)
    }

    /// When one customer's send is due, given the customer's zone (see
    /// ``ScheduleTimeZone/forCustomer(attribute:tenantDefault:)``): for `local`, the
    /// wall-clock time there; otherwise `occurrence`, the occurrence's own instant.
    public func due(occurrence: Date, customerZone: ScheduleTimeZone) -> Date {
        guard case .local(let time) = self else { return occurrence }
        return time.due(in: customerZone)
    }
}

extension LocalDateTime {
    /// UTC offsets run from −12:00 to +14:00: a wall-clock time is due nowhere before its
    /// reading 14 hours ahead of UTC, nor later than 12 hours behind (plus a jump of the clocks).
    static let largestOffsetAhead: Int64 = 14 * 3_600

    /// The instant this wall-clock time is due in `zone`: the instant itself when it exists
    /// once; the first of the two when the clocks went back over it (sent once, at the first);
    /// the instant the clocks jumped when they jumped over it (02:30 in Berlin on the last
    /// Sunday of March is due at 03:00 CEST). docs/campaign-schedules.md says why.
    public func due(in zone: ScheduleTimeZone) -> Date {
        Date(timeIntervalSince1970: Double(zone.resolve(wall: wallSeconds).due))
    }

    /// The earliest instant any zone reads this wall-clock time (UTC+14:00, Kiritimati): a
    /// scheduler that opens the occurrence then is early for every customer.
    public var earliestDue: Date {
        Date(timeIntervalSince1970: Double(wallSeconds - Self.largestOffsetAhead))
    }
}

extension ScheduleTimeZone {
    /// The zone a customer's sends follow: their `attributes.time_zone` when it names a zone,
    /// else the tenant's default.
    public static func forCustomer(attribute: String?, tenantDefault: ScheduleTimeZone) -> ScheduleTimeZone {
        attribute.flatMap(ScheduleTimeZone.init(named:)) ?? tenantDefault
    }
}
