/// Everything the in-memory evaluator may ask about one customer: the loaded profile plus
/// exactly the event aggregates the rule needs (``RuleExpression/eventAggregates``), which the
/// storage layer fetches in one round trip.
public struct RuleSubject: Sendable, Hashable {
    /// The customer's attributes (a JSON object's members).
    public var attributes: [String: JSONValue]
    /// Channels for which the customer has an identity that is not suppressed.
    public var channelsWithIdentity: Set<ReachabilityChannel>
    /// Current consents by channel and topic (`""` = the channel as a whole); absent = unknown.
    public var consents: [ConsentKey: ConsentStatus]
    /// The customer value metric, when the customer has a row.
    public var value: CustomerValue?
    /// The aggregates' results; an aggregate the rule needs must be present (one that is absent
    /// has no value: every test on it but `missing` is false).
    public var aggregates: [EventAggregate: AggregateValue]
    /// `context.*`: what the caller of a real-time decision sent with it (a JSON object's
    /// members); empty everywhere else, where every `context.` test but `missing` is false.
    public var context: [String: JSONValue] = [:]
    /// `event.*`: the event that fires a trigger, as `{"name": …, "properties": {…}}`; empty
    /// everywhere else, where every `event.` test but `missing` is false.
    public var event: [String: JSONValue] = [:]

    public init(
        attributes: [String: JSONValue] = [:],
        channelsWithIdentity: Set<ReachabilityChannel> = [],
        consents: [ConsentKey: ConsentStatus] = [:],
        value: CustomerValue? = nil,
        aggregates: [EventAggregate: AggregateValue] = [:]
    ) {
        self.attributes = attributes
        self.channelsWithIdentity = channelsWithIdentity
        self.consents = consents
        self.value = value
        self.aggregates = aggregates
    }
}

/// A channel and topic, the key of a current consent.
public struct ConsentKey: Sendable, Hashable, Codable {
    public var channel: ConsentChannel
    public var topic: String

    public init(channel: ConsentChannel, topic: String = "") {
        self.channel = channel
        self.topic = topic
    }
}

/// The result of one ``EventAggregate`` for one customer: a number (count, sum, and average,
/// minimum or maximum when some event had a numeric property), a time (first, last), or
/// nothing when no event matched.
public enum AggregateValue: Sendable, Hashable, Codable {
    case number(Double)
    case time(RuleTime)
    case none
}

/// One customer's value metric, as stored in `customer_values`.
public struct CustomerValue: Sendable, Hashable, Codable {
    public var lifetimeRevenue: Double
    public var orderCount: Int
    public var firstPurchase: RuleTime?
    public var lastPurchase: RuleTime?
    public var rfmRecency: Int?
    public var rfmFrequency: Int?
    public var rfmMonetary: Int?
    public var predicted12Months: Double?

    public init(
        lifetimeRevenue: Double = 0, orderCount: Int = 0, firstPurchase: RuleTime? = nil, lastPurchase: RuleTime? = nil,
        rfmRecency: Int? = nil, rfmFrequency: Int? = nil, rfmMonetary: Int? = nil, predicted12Months: Double? = nil
    ) {
        self.lifetimeRevenue = lifetimeRevenue
        self.orderCount = orderCount
        self.firstPurchase = firstPurchase
        self.lastPurchase = lastPurchase
        self.rfmRecency = rfmRecency
        self.rfmFrequency = rfmFrequency
        self.rfmMonetary = rfmMonetary
        self.predicted12Months = predicted12Months
    }

    /// `average_order_value`: lifetime revenue over order count, when there is an order.
    public var averageOrderValue: Double? {
        orderCount > 0 ? lifetimeRevenue / Double(orderCount) : nil
    }
}
