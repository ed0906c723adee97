import Foundation

/// One offer as arbitration weighs it: what it is worth, its limits and how much is left.
/// Build one per offer and reuse it for every customer of a batch (its rule is compiled once).
public struct OfferCandidate: Sendable {
    public var id: UUID
    public var priority: Int
    public var value: Double?
    public var weight: Double
    /// Nil: every customer is eligible.
    public var eligibility: RuleEvaluator?
    public var startsAt: Date?
    public var endsAt: Date?
    /// How many times one customer may be given it (1 for an offer with a code pool); nil: no limit.
    public var perCustomerLimit: Int?
    public var totalCap: Int?
    public var given: Int
    /// Codes left in the pool; nil for an offer without one.
    public var codesLeft: Int?
    public var channels: Set<OfferChannel>

    public init(
        id: UUID, priority: Int, value: Double? = nil, weight: Double = 1, eligibility: RuleExpression? = nil,
        startsAt: Date? = nil, endsAt: Date? = nil, perCustomerLimit: Int? = nil, totalCap: Int? = nil, given: Int = 0,
        codesLeft: Int? = nil, channels: Set<OfferChannel>
    ) {
        self.id = id
        self.priority = priority
        self.value = value
        self.weight = weight
        self.eligibility = eligibility.map(RuleEvaluator.init)
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.perCustomerLimit = codesLeft == nil ? perCustomerLimit : min(perCustomerLimit ?? 1, 1)
        self.totalCap = totalCap
        self.given = given
        self.codesLeft = codesLeft
        self.channels = channels
    }

    /// The candidate for a saved offer.
    public init(_ offer: Offer) {
        let definition = offer.definition
        self.init(
            id: offer.id, priority: definition.priority, value: definition.value, weight: definition.weight,
            eligibility: offer.eligibilityRule, startsAt: definition.startsAt, endsAt: definition.endsAt,
            perCustomerLimit: definition.perCustomerLimit, totalCap: definition.totalCap, given: offer.given,
            codesLeft: offer.codesLeft, channels: definition.channels)
    }

    /// The score that ranks eligible offers, highest first:
    /// `weight × (priority + 10 × log10(1 + value))`. Priority (0–100) leads; value adds a
    /// bonus that grows with each tenfold (9 → +10, 99 → +20, 999 → +30), so a bigger discount
    /// helps without drowning priority; the weight scales both (0 ranks an offer last).
    public var score: Double {
        weight * (Double(priority) + 10 * log10(1 + max(value ?? 0, 0)))
    }
}

/// Why arbitration left an offer out for one customer, checked in this order (the first that
/// applies is reported).
public enum OfferExclusionReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// `starts_at` is still ahead.
    case notStarted = "not_started"
    /// `ends_at` has passed.
    case ended
    /// The offer has no creative for the channel asked about.
    case noCreativeForChannel = "no_creative_for_channel"
    /// Given `total_cap` times already.
    case totalCap = "total_cap"
    /// Its code pool is used up.
    case codesExhausted = "codes_exhausted"
    /// The customer was given it `per_customer_limit` times (once, with a code pool).
    case perCustomerLimit = "per_customer_limit"
    /// The customer does not satisfy its eligibility rule.
    case notEligible = "not_eligible"
}
