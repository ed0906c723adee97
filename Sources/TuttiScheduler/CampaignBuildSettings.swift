import Foundation
import TuttiDomain

/// What the audience build reads from a campaign's stored definition (``CampaignDefinition``):
/// its schedule (for the next occurrence and each customer's local time), holdout, throttle
/// and expiry.
struct CampaignBuildSettings {
    /// An unsent message is dropped this long after its planned time unless the campaign says.
    static let defaultExpiry: Duration = .seconds(24 * 3600)

    var schedule: CampaignSchedule?
    var holdoutPercent: Double = 0
    var throttlePerSecond: Double?
    var expiresAfter = Self.defaultExpiry

    /// The settings of the stored definition; a definition that no longer reads (it was checked
    /// when saved) builds at once, for everyone, with the defaults.
    init(definition: String) {
        guard let data = definition.data(using: .utf8),
            let stored = try? JSONDecoder().decode(CampaignDefinition.self, from: data)
        else { return }
        schedule = stored.schedule
        holdoutPercent = stored.holdoutPercent ?? 0
        throttlePerSecond = stored.throttlePerSecond.map(Double.init)
        expiresAfter = stored.expiresAfter.map { .seconds($0.seconds) } ?? Self.defaultExpiry
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
