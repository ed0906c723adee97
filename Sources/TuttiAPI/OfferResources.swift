import Foundation
import TuttiDomain

/// An offer as the API shows it; every member present, `null` when unset.
struct OfferResource: Encodable {
    struct Codes: Encodable {
        var total: Int
        var assigned: Int
        var left: Int
    }

    let offer: Offer

    init(_ offer: Offer) {
        self.offer = offer
    }

    enum CodingKeys: String, CodingKey {
        case id, code, name, description, eligibility, startsAt = "starts_at", endsAt = "ends_at", priority, value, currency
        case perCustomerLimit = "per_customer_limit", totalCap = "total_cap", weight, creative, codes, given
        case createdAt = "created_at", updatedAt = "updated_at"
    }

    func encode(to encoder: any Encoder) throws {
        let d = offer.definition
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(offer.id.lowercasedText, forKey: .id)
        try container.encode(d.code, forKey: .code)
        try container.encode(d.name, forKey: .name)
        try container.encode(d.description, forKey: .description)
        try container.encode(d.eligibility, forKey: .eligibility)
        try container.encode(d.startsAt, forKey: .startsAt)
        try container.encode(d.endsAt, forKey: .endsAt)
        try container.encode(d.priority, forKey: .priority)
        try container.encode(d.value, forKey: .value)
        try container.encode(d.currency, forKey: .currency)
        try container.encode(d.perCustomerLimit, forKey: .perCustomerLimit)
        try container.encode(d.totalCap, forKey: .totalCap)
        try container.encode(d.weight, forKey: .weight)
        try container.encode(d.creative, forKey: .creative)
        try container.encode(
            Codes(total: offer.codesTotal, assigned: offer.codesAssigned, left: offer.codesTotal - offer.codesAssigned),
            forKey: .codes)
        try container.encode(offer.given, forKey: .given)
        try container.encode(offer.createdAt, forKey: .createdAt)
        try container.encode(offer.updatedAt, forKey: .updatedAt)
    }
}

/// What `POST /v1/offers/{id}/codes` answers.
struct OfferCodesResource: Encodable {
    var added: Int
    /// Codes refused as duplicates: already in the pool, or repeated within the upload.
    var duplicates: [String]
    var duplicateCount: Int
    var codes: OfferResource.Codes

    enum CodingKeys: String, CodingKey {
        case added, duplicates, duplicateCount = "duplicate_count", codes
    }
}

/// What `POST /v1/offers/arbitrate` answers.
struct OfferArbitrationResource: Encodable {
    struct Chosen: Encodable {
        var offerID: String
        var offerCode: String
        /// Always null: a dry run reserves no code.
        var code: String?
        var score: Double
        var rank: Int
        var reason: String

        enum CodingKeys: String, CodingKey {
            case offerID = "offer_id", offerCode = "offer_code", code, score, rank, reason
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(offerID, forKey: .offerID)
            try container.encode(offerCode, forKey: .offerCode)
            try container.encode(code, forKey: .code)
            try container.encode(score, forKey: .score)
            try container.encode(rank, forKey: .rank)
            try container.encode(reason, forKey: .reason)
        }
    }

    struct Excluded: Encodable {
        var offerID: String
        var offerCode: String
        var reason: String

        enum CodingKeys: String, CodingKey {
            case offerID = "offer_id", offerCode = "offer_code", reason
        }
    }

    var customerID: String
    var channel: String
    var evaluatedAt: Date
    var offers: [Chosen]
    var excluded: [Excluded]

    enum CodingKeys: String, CodingKey {
        case customerID = "customer_id", channel, evaluatedAt = "evaluated_at", offers, excluded
    }

    init(customerID: UUID, channel: OfferChannel, now: Date, result: OfferArbitration.Result, offers: [Offer]) {
        let codes = Dictionary(uniqueKeysWithValues: offers.map { ($0.id, $0.definition.code) })
        self.customerID = customerID.lowercasedText
        self.channel = channel.rawValue
        evaluatedAt = now
        self.offers = result.chosen.map {
            Chosen(
                offerID: $0.offerID.lowercasedText, offerCode: codes[$0.offerID] ?? "", code: nil,
                score: ($0.score * 1000).rounded() / 1000, rank: $0.rank, reason: $0.reason)
        }
        excluded =
            result.outranked.map {
                Excluded(offerID: $0.offerID.lowercasedText, offerCode: codes[$0.offerID] ?? "", reason: "outranked")
            }
            + result.excluded.map {
                Excluded(offerID: $0.offerID.lowercasedText, offerCode: codes[$0.offerID] ?? "", reason: $0.reason.rawValue)
            }
    }
}
