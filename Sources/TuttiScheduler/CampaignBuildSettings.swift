import Foundation
import TuttiDomain

/// What the audience build reads from a campaign's stored definition: its schedule (for the
/// next occurrence and each customer's local time), holdout, throttle and expiry.
struct CampaignBuildSettings {
    var schedule: CampaignSchedule?
    var holdoutPercent: Double = 0
    var throttlePerSecond: Double?
    var expiresAfter: Duration = .seconds(24 * 3600)

    init(definition: String) {
        guard case .object(let fields)? = JSONValue.parse(definition) else { return }
        if case .object(let schedule)? = fields["schedule"] { self.schedule = try? CampaignSchedule(fields: schedule) }
        if case .number(let percent)? = fields["holdout_percent"] { holdoutPercent = percent }
        if case .number(let rate)? = fields["throttle_per_second"], rate > 0 { throttlePerSecond = rate }
    }

    /// When a customer's message is planned: the occurrence's instant, or for a local-time
    /// schedule that date and time in the customer's zone (their `attributes.time_zone` when it
    /// names one, else the tenant's).
    func plannedAt(occurrence: Date, customerZone: String?, tenantZone: ScheduleTimeZone) -> Date {
        guard let schedule else { return occurrence }
        return schedule.due(
            occurrence: occurrence, customerZone: ScheduleTimeZone.forCustomer(attribute: customerZone, tenantDefault: tenantZone)
        )
    }
}
