import Foundation

/// An offer as its author writes it: everything `POST /v1/offers` takes and `PATCH` changes.
/// ``OfferDefinition/parse(_:)`` checks the shape and ranges; the eligibility rule and the
/// creative's Mustache are checked where their checkers live (rules need the tenant's segments,
/// templates the Mustache compiler).
public struct OfferDefinition: Sendable, Hashable {
    /// Unique per tenant among live offers, compared without case: `SPRING-10`.
    public var code: String
    public var name: String
    public var description: String?
    /// Rule text in the rule language; nil means every customer.
    public var eligibility: String?
    public var startsAt: Date?
    public var endsAt: Date?
    /// 0–100; the larger, the earlier the offer ranks. Default 50.
    public var priority: Int
    /// What the offer is worth to the customer, in ``currency``; counts in the score.
    public var value: Double?
    /// An ISO 4217 code (`EUR`), upper case.
    public var currency: String?
    /// How many times one customer may be given the offer; nil means no limit. An offer with
    /// a code pool is given to a customer at most once whatever this says.
    public var perCustomerLimit: Int?
    /// How many times the offer may be given in all; nil means no cap.
    public var totalCap: Int?
    /// Multiplies the score (0–1000, default 1).
    public var weight: Double
    /// Creative per ``OfferChannel`` name: free-form string fields, each a Mustache template.
    public var creative: [String: [String: String]]

    public init(
        code: String, name: String, description: String? = nil, eligibility: String? = nil, startsAt: Date? = nil,
        endsAt: Date? = nil, priority: Int = 50, value: Double? = nil, currency: String? = nil, perCustomerLimit: Int? = nil,
        totalCap: Int? = nil, weight: Double = 1, creative: [String: [String: String]] = [:]
    ) {
        self.code = code
        self.name = name
        self.description = description
        self.eligibility = eligibility
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.priority = priority
        self.value = value
        self.currency = currency
        self.perCustomerLimit = perCustomerLimit
        self.totalCap = totalCap
        self.weight = weight
        self.creative = creative
    }

    /// The channels the offer has creative for.
    public var channels: Set<OfferChannel> { Set(creative.keys.compactMap(OfferChannel.init(rawValue:))) }
}

extension OfferDefinition {
    public static let priorityRange = 0...100
    public static let weightRange = 0.0...1000.0
    public static let maximumCodeLength = 64
    public static let maximumDescriptionLength = 2000
    public static let maximumCreativeFieldLength = 20_000
    public static let maximumCreativeFields = 32
    /// Limits and caps are stored as 32-bit integers.
    public static let countRange = 1...2_000_000_000
}
