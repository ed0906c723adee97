import Foundation
import PostgresNIO
import TuttiDomain
import TuttiQueue

/// What the hosted preference centre shows one customer (docs/closed-loop.md, "Preference
/// centre"): the tenant's name and colour, the consent channels the customer can be reached
/// on, the tenant's topics and the customer's consents.
public struct PreferenceView: Sendable {
    public var tenantName: String
    public var brandColour: String?
    public var customerID: UUID
    /// `attributes.locale`, if set (`de`, `de-AT`, `en-GB`, …).
    public var locale: String?
    /// The consent channels the customer has an identity for, in ``ConsentChannel`` order.
    public var channels: [ConsentChannel]
    public var topics: [Topic]
    public var consents: [ConsentState]

    /// The recorded status for `channel` and `topic` ('' = the channel as a whole).
    public func status(_ channel: ConsentChannel, topic: String = "") -> ConsentStatus? {
        consents.first { $0.channel == channel && $0.topic == topic }?.status
    }

    /// Whether the page shows `channel` (and `topic`) as subscribed: anything but an opt-out
    /// (or a double opt-in still pending) reads as subscribed.
    public func isSubscribed(_ channel: ConsentChannel, topic: String = "") -> Bool {
        let status = status(channel, topic: topic)
        return status != .optedOut && status != .pending
    }
}

/// The preference centre's tenant settings.
public struct PreferenceSettings: Sendable, Equatable {
    /// How long a preference link lasts, 1 to 365 days (default 30).
    public var linkDays: Int
    /// `#rrggbb` in lower case, or nil for the default.
    public var brandColour: String?

    public init(linkDays: Int, brandColour: String?) {
        self.linkDays = linkDays
        self.brandColour = brandColour
    }
}

extension TenantSession {
    /// The preference centre's view of a customer; nil when the customer no longer exists.
    public func preferenceView(customerID: UUID) async throws -> PreferenceView? {
        guard let live = try await customerResolve(id: customerID) else { return nil }
        let rows = try await query(
            """
            SELECT t.name, t.brand_colour, c.attributes ->> 'locale',
                   ARRAY(SELECT DISTINCT i.type FROM customer_identities AS i WHERE i.tenant_id = \(tenantID) AND i.customer_id = c.id)
            FROM customers AS c JOIN tenants AS t ON t.id = c.tenant_id
            WHERE c.tenant_id = \(tenantID) AND c.id = \(live)
            """)
        guard let (name, colour, locale, types) = try await rows.decode((String, String?, String?, [String]).self).firstRow()
        else {
            return nil
        }
        var channels: [ConsentChannel] = []
        if types.contains("email") { channels.append(.email) }
        if types.contains("phone") { channels.append(.sms) }
        return PreferenceView(
            tenantName: name, brandColour: colour, customerID: live, locale: locale, channels: channels,
            topics: try await topicList(),
            consents: try await consentList(customerID: live))
    }

    public func preferenceSettingsGet() async throws -> PreferenceSettings {
        let rows = try await query("SELECT preference_link_days, brand_colour FROM tenants WHERE id = \(tenantID)")
        guard let (days, colour) = try await rows.decode((Int32, String?).self).firstRow() else { throw StoreError.unavailable }
        return PreferenceSettings(linkDays: Int(days), brandColour: colour)
    }

    public func preferenceSettingsPut(_ settings: PreferenceSettings) async throws -> PreferenceSettings {
        try await execute(
            """
            UPDATE tenants SET preference_link_days = \(Int32(settings.linkDays)), brand_colour = \(settings.brandColour)
            WHERE id = \(tenantID)
            """)
        return try await preferenceSettingsGet()
    }
}
