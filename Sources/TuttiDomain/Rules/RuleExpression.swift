/// A checked rule: a condition that is true or false for one customer at one instant.
///
/// This is the tree that both evaluators consume: ``RuleEvaluator`` for one loaded customer in
/// memory, and the SQL compiler for every customer of a tenant at once. The parser and type
/// checker produce it from text; it is also accepted as JSON (its `Codable` form).
///
/// Logic is two-valued. Every leaf is either true or false, never unknown: a leaf whose value
/// is missing, null or of another JSON type than the test needs is **false**. `not` then
/// simply negates, so `not (attributes.age > 30)` holds for a customer without an age.
public indirect enum RuleExpression: Sendable, Hashable, Codable {
    /// True when every member is; `all([])` is true (everyone).
    case all([RuleExpression])
    /// True when any member is; `any([])` is false (no one).
    case any([RuleExpression])
    case not(RuleExpression)
    /// A test of the value at a path inside the customer's attributes.
    case attribute(FieldCondition)
    /// A test of one of the customer value metric's fields.
    case value(ValueField, FieldTest)
    /// A test of the value at a path inside the request's context (`context.page = "home"`):
    /// what a real-time decision's caller sent. Only rules checked with
    /// ``RuleChecker/allowsContext`` may hold it; with no context (a campaign's message) it
    /// reads as missing, in memory and in SQL alike.
    case context(FieldCondition)
    /// A test of the event that fires a trigger (`event.properties.total > 50`, `event.name`):
    /// only rules checked with ``RuleChecker/allowsEvent`` (a trigger's rule) may hold it; with
    /// no event it reads as missing, in memory and in SQL alike.
    case event(FieldCondition)
    /// `can receive email`: see ``ReachabilityChannel``.
    case canReceive(ReachabilityChannel)
    /// `consent email "newsletter" is opted_in`: the current consent for a channel and topic
    /// (`""` = the channel as a whole). A customer with no consent row has status `unknown`.
    case consent(ConsentChannel, topic: String, status: ConsentStatus)
    /// An aggregate over the customer's events, compared with a number or a time.
    case aggregate(EventAggregate, FieldTest)
    /// `in segment "vip"`: the referenced segment's checked rule, inlined by the checker (which
    /// refuses cycles), so that neither evaluator needs to look segments up.
    case inSegment(SegmentReference, RuleExpression)
}

/// Which segment an `in segment` clause named, and which version of its rule was inlined.
public struct SegmentReference: Sendable, Hashable, Codable {
    public var name: String
    public var version: Int

    public init(name: String, version: Int) {
        self.name = name
        self.version = version
    }
}

extension RuleExpression {
    /// Every event aggregate the rule reads, inlined segments included: what the storage layer
    /// must fetch for the in-memory evaluator.
    public var eventAggregates: Set<EventAggregate> {
        var found: Set<EventAggregate> = []
        collectAggregates(into: &found)
        return found
    }

    private func collectAggregates(into found: inout Set<EventAggregate>) {
        switch self {
        case .all(let members), .any(let members):
            for member in members { member.collectAggregates(into: &found) }
        case .not(let inner), .inSegment(_, let inner):
            inner.collectAggregates(into: &found)
        case .aggregate(let aggregate, _):
            found.insert(aggregate)
        case .attribute, .value, .canReceive, .consent, .context, .event:
            break
        }
    }
}
