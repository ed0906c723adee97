import Foundation

/// Customers' due times for one occurrence, remembered by time-zone name: an audience of a
/// million customers lives in a few hundred zones, and a lookup costs a dictionary probe where
/// opening the zone and resolving the wall-clock time costs about 2.7 µs.
public struct CustomerDueTimes: Sendable {
    public let schedule: CampaignSchedule
    public let occurrence: Date
    public let tenantZone: ScheduleTimeZone
    private var byName: [String: Date] = [:]
    private let tenantDue: Date
    /// Names remembered at most: customer data cannot grow the table without bound.
    private static let capacity = 4_096

    public init(schedule: CampaignSchedule, occurrence: Date, tenantZone: ScheduleTimeZone) {
        self.schedule = schedule
        self.occurrence = occurrence
        self.tenantZone = tenantZone
        tenantDue = schedule.due(occurrence: occurrence, customerZone: tenantZone)
    }

    /// When the send to a customer whose `attributes.time_zone` is `attribute` is due: the same
    /// as `schedule.due(occurrence:customerZone:)` with ``ScheduleTimeZone/forCustomer(attribute:tenantDefault:)``.
    public mutating func due(timeZoneAttribute attribute: String?) -> Date {
        guard let attribute else { return tenantDue }
        if let known = byName[attribute] { return known }
        let due = ScheduleTimeZone(named: attribute).map { schedule.due(occurrence: occurrence, customerZone: $0) } ?? tenantDue
        if byName.count < Self.capacity { byName[attribute] = due }
        return due
    }
}
