import Foundation

/// A saved offer: its definition, its checked eligibility rule and how much of it is left.
public struct Offer: Sendable, Hashable {
    public var id: UUID
    public var definition: OfferDefinition
    /// The checked eligibility rule; nil when every customer is eligible.
    public var eligibilityRule: RuleExpression?
    /// How many times it has been given (grants recorded).
    public var given: Int
    /// The code pool: codes uploaded, and codes given to customers.
    public var codesTotal: Int
    public var codesAssigned: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, definition: OfferDefinition, eligibilityRule: RuleExpression?, given: Int = 0, codesTotal: Int = 0,
        codesAssigned: Int = 0, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.definition = definition
        self.eligibilityRule = eligibilityRule
        self.given = given
        self.codesTotal = codesTotal
        self.codesAssigned = codesAssigned
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Whether the offer hands out unique codes: it has a pool, even one used up.
    public var hasCodePool: Bool { codesTotal > 0 }

    /// Codes not yet given; nil for an offer without a pool.
    public var codesLeft: Int? { hasCodePool ? codesTotal - codesAssigned : nil }

    /// The offer as a template reads it (`offer.*`): `offer.code` is the unique code given to
    /// the customer from the pool when there is one, else the offer's own code.
    public func templateOffer(code: String?) -> TemplateOffer {
        TemplateOffer(
            id: id.uuidString.lowercased(), code: code ?? definition.code, name: definition.name,
            description: definition.description,
            value: definition.value, currency: definition.currency, creative: definition.creative)
    }
}
