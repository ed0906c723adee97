/// An aggregate over one customer's events of one name, optionally filtered by properties,
/// over a window: `count("Order Completed" where total > 50, last 90 days)`.
///
/// Events of customers merged into this one count as this customer's. With no matching event,
/// `count` and `sum` are 0, and `average`, `minimum`, `maximum`, `first` and `last` have no
/// value, so every test on them is false. `sum`, `average`, `minimum` and `maximum` read the
/// property as a JSON number and skip events where it is anything else.
///
/// They are computed exactly in decimal and then rounded to a double (so the order of events
/// cannot change a result); a sum beyond ±1e300 is infinite; a sum over events none of which
/// has a numeric property is 0. Both evaluators get aggregates from the same SQL.
public struct EventAggregate: Sendable, Hashable, Codable {
    public var function: AggregateFunction
    /// The event name, compared exactly.
    public var event: String
    /// Conditions on the event's properties, all of which must hold.
    public var filters: [FieldCondition]
    public var window: EventWindow

    public init(function: AggregateFunction, event: String, filters: [FieldCondition] = [], window: EventWindow = .allTime) {
        self.function = function
        self.event = event
        self.filters = filters
        self.window = window
    }
}

/// What an ``EventAggregate`` computes. Numeric functions are compared with numbers
/// (``FieldTest/compare(_:_:)`` with a number literal); `first` and `last` are times.
public enum AggregateFunction: Sendable, Hashable, Codable {
    case count
    case sum(property: [String])
    case average(property: [String])
    case minimum(property: [String])
    case maximum(property: [String])
    /// When the earliest matching event occurred.
    case first
    /// When the latest matching event occurred.
    case last
}

/// Which events an aggregate looks at, by `occurred_at`.
public enum EventWindow: Sendable, Hashable, Codable {
    case allTime
    /// `last 90 days`: now − duration ≤ occurred_at ≤ now.
    case last(RuleDuration)
    /// `since 2024-01-01`: occurred_at ≥ the instant.
    case since(RuleTime)
    /// `between 2024-01-01 and 2024-07-01`: start ≤ occurred_at < end.
    case between(RuleTime, RuleTime)
}
