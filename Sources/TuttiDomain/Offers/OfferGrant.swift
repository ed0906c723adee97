import Foundation

/// One "give this offer to this customer" of a batch (``OfferGrantPlan``).
public struct OfferGrantRequest: Sendable, Hashable {
    public var offerID: UUID
    public var customerID: UUID
    /// The message that carries the offer, when there is one.
    public var messageID: UUID?

    public init(offerID: UUID, customerID: UUID, messageID: UUID? = nil) {
        self.offerID = offerID
        self.customerID = customerID
        self.messageID = messageID
    }
}

/// Why a grant was refused.
public enum OfferGrantRefusal: String, Sendable, Hashable, Codable {
    /// No live offer with this id (never existed, deleted, or another tenant's).
    case unknownOffer = "unknown_offer"
    /// No live customer with this id.
    case unknownCustomer = "unknown_customer"
    case notStarted = "not_started"
    case ended
    case totalCap = "total_cap"
    case codesExhausted = "codes_exhausted"
    case perCustomerLimit = "per_customer_limit"
}

/// What became of one request: given (with the customer's code when the offer has a pool), or
/// refused.
public enum OfferGrantOutcome: Sendable, Hashable {
    case given(code: String?)
    case refused(OfferGrantRefusal)

    public var code: String? {
        if case .given(let code) = self { return code }
        return nil
    }
}

/// An offer's limits and counters as they stand under its row lock.
public struct OfferGrantState: Sendable, Hashable {
    public var startsAt: Date?
    public var endsAt: Date?
    public var perCustomerLimit: Int?
    public var totalCap: Int?
    public var given: Int
    /// Codes left; nil without a pool.
    public var codesLeft: Int?

    /// Whether giving the offer to one customer changes what others can get (a total cap or a
    /// code pool): its givers must take turns on the offer itself.
    public var limitsSpanCustomers: Bool { totalCap != nil || codesLeft != nil }

    /// Whether the offer is limited per customer and in no other way: its givers need to take
    /// turns only over the same customer.
    public var limitsPerCustomerOnly: Bool { perCustomerLimit != nil && !limitsSpanCustomers }

    public init(
        startsAt: Date? = nil, endsAt: Date? = nil, perCustomerLimit: Int? = nil, totalCap: Int? = nil, given: Int = 0,
        codesLeft: Int? = nil
    ) {
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.perCustomerLimit = perCustomerLimit
        self.totalCap = totalCap
        self.given = given
        self.codesLeft = codesLeft
    }
}

/// Decides a batch of grants against the offers' limits, in request order: the pure half of
/// ``TenantSession/offersGive(_:)``, which reads the state under the offers' row locks, applies
/// this plan and writes it in the same transaction. Requests of one batch count against each
/// other (a customer named twice in a batch of a once-per-customer offer gets it once).
public struct OfferGrantPlan: Sendable {
    /// One decision per request, in request order; `.given(code: nil)` for a pooled offer means
    /// "give a code": the store fills in which one.
    public var outcomes: [OfferGrantOutcome]
    /// How many grants and codes each offer gives in this batch.
    public var givenPerOffer: [UUID: Int]
    public var codesPerOffer: [UUID: Int]

    /// - Parameters:
    ///   - offers: the state of every live offer named (absent: unknown offer).
    ///   - knownCustomers: the live customers among those named.
    ///   - grantsSoFar: earlier grants per offer and customer.
    public init(
        _ requests: [OfferGrantRequest], offers: [UUID: OfferGrantState], knownCustomers: Set<UUID>,
        grantsSoFar: [OfferCustomerKey: Int], now: Date
    ) {
        var grants = grantsSoFar
        var given: [UUID: Int] = [:]
        var codes: [UUID: Int] = [:]
        outcomes = requests.map { request in
            guard let offer = offers[request.offerID] else { return .refused(.unknownOffer) }
            guard knownCustomers.contains(request.customerID) else { return .refused(.unknownCustomer) }
            if let start = offer.startsAt, now < start { return .refused(.notStarted) }
            if let end = offer.endsAt, now >= end { return .refused(.ended) }
            let givenNow = given[request.offerID, default: 0]
            if let cap = offer.totalCap, offer.given + givenNow >= cap { return .refused(.totalCap) }
            if let left = offer.codesLeft, codes[request.offerID, default: 0] >= left { return .refused(.codesExhausted) }
            let key = OfferCustomerKey(offerID: request.offerID, customerID: request.customerID)
            let limit = offer.codesLeft == nil ? offer.perCustomerLimit : min(offer.perCustomerLimit ?? 1, 1)
            if let limit, grants[key, default: 0] >= limit { return .refused(.perCustomerLimit) }
            grants[key, default: 0] += 1
            given[request.offerID] = givenNow + 1
            if offer.codesLeft != nil { codes[request.offerID, default: 0] += 1 }
            return .given(code: nil)
        }
        givenPerOffer = given
        codesPerOffer = codes
    }
}

/// An offer and a customer: the key of grant counts.
public struct OfferCustomerKey: Sendable, Hashable {
    public var offerID: UUID
    public var customerID: UUID

    public init(offerID: UUID, customerID: UUID) {
        self.offerID = offerID
        self.customerID = customerID
    }
}
