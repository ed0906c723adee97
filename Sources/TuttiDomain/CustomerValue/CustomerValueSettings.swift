/// Which events a tenant counts as purchases, and which of their properties holds the revenue
/// (`Order Completed` and `revenue` unless the tenant says otherwise).
public struct CustomerValueSettings: Sendable, Hashable, Codable {
    public var eventName: String
    public var revenueProperty: String

    public init(eventName: String, revenueProperty: String) {
        self.eventName = eventName
        self.revenueProperty = revenueProperty
    }
}
