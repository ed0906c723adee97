extension RuleExpression {
    /// Whether deciding the rule needs a customer's profile: true when any leaf reads the
    /// customer (attributes, the value metric, reachability, consent, events, segments). A rule
    /// that reads only `context.*` and constants does not, so a real-time decision for a
    /// visitor without a profile can still decide it.
    public var readsCustomer: Bool {
        switch self {
        case .all(let members), .any(let members): members.contains { $0.readsCustomer }
        case .not(let inner): inner.readsCustomer
        case .context, .event: false
        case .attribute, .value, .canReceive, .consent, .aggregate, .inSegment: true
        }
    }

    /// Whether the rule reads the request's context anywhere (`context.*`).
    public var readsContext: Bool {
        switch self {
        case .all(let members), .any(let members): members.contains { $0.readsContext }
        case .not(let inner), .inSegment(_, let inner): inner.readsContext
        case .context: true
        case .attribute, .value, .canReceive, .consent, .aggregate, .event: false
        }
    }

    /// Whether the rule reads the firing event anywhere (`event.*`).
    public var readsEvent: Bool {
        switch self {
        case .all(let members), .any(let members): members.contains { $0.readsEvent }
        case .not(let inner), .inSegment(_, let inner): inner.readsEvent
        case .event: true
        case .attribute, .value, .canReceive, .consent, .aggregate, .context: false
        }
    }
}
