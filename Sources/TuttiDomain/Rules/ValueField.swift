/// The customer value metric's fields, as rules name them (`value.rfm.recency`).
///
/// A customer with no conversion yet has `order_count` and `lifetime_revenue` 0 and no other
/// value (tests on them are false). RFM scores are 1–5 by tenant-wide quintiles;
/// `predicted_12m` is the model's expected revenue over the next twelve months.
public enum ValueField: String, Sendable, Hashable, Codable, CaseIterable {
    case lifetimeRevenue = "lifetime_revenue"
    case orderCount = "order_count"
    case firstPurchase = "first_purchase"
    case lastPurchase = "last_purchase"
    case averageOrderValue = "average_order_value"
    case recency = "rfm.recency"
    case frequency = "rfm.frequency"
    case monetary = "rfm.monetary"
    case predicted12Months = "predicted_12m"

    /// Whether the field is a time (tested with time tests) rather than a number.
    public var isTime: Bool {
        self == .firstPurchase || self == .lastPurchase
    }
}

/// `can receive email`: the customer has an identity that reaches the channel and is not on
/// the suppression list, and their consent for the channel as a whole is neither `opted_out`
/// nor `pending` (unknown counts as reachable; require `consent … is opted_in` where the law
/// asks for opt-in).
public enum ReachabilityChannel: String, Sendable, Hashable, Codable, CaseIterable {
    /// An `email` identity.
    case email
    /// A `phone` identity.
    case sms
    /// An `apns` or `fcm` identity.
    case push
    /// An `x`, `facebook`, `instagram` or `mastodon` identity.
    case social
    /// A `phone` identity (call center).
    case phone

    /// The identity types that reach this channel.
    public var identityTypes: [IdentityType] {
        switch self {
        case .email: [.email]
        case .sms, .phone: [.phone]
        case .push: [.apns, .fcm]
        case .social: [.x, .facebook, .instagram, .mastodon]
        }
    }

    /// The consent channel whose status gates it.
    public var consentChannel: ConsentChannel {
        switch self {
        case .email: .email
        case .sms: .sms
        case .push: .push
        case .social: .social
        case .phone: .phone
        }
    }
}
