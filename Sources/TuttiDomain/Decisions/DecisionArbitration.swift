import Foundation

/// What a real-time decision shows: ``OfferArbitration/arbitrate(_:for:channel:now:limit:)``
/// (the function campaigns use) over the placement's offers, with what only a decision adds
/// around it. Pure: the caller loads the offers, the customer, their grants and declines.
///
/// - A known customer: the placement's offers minus those the customer declined too often
///   (``DeclineSuppression``), arbitrated with the customer's profile and `context.*`.
/// - Nobody known (an unknown identity, an anonymous id without a profile): only offers whose
///   eligibility reads no customer data (none, or `context.*` only) and that hand out no
///   unique code (a code goes to a customer), arbitrated with `context.*` alone.
/// - A customer opted out of the channel's consent: nothing (an impression is not a message and
///   counts against no contact-policy cap, but a marketing opt-out holds on every channel).
/// - Nothing chosen: the placement's fallback, which skips its eligibility rule, per-customer
///   limit and decline suppression but still needs its dates, caps, codes and creative.
public enum DecisionArbitration {
    /// The customer a decision is for, when one is known.
    public struct Known: Sendable {
        public var customer: OfferArbitration.Customer
        /// Offers this customer declined too often to be shown now.
        public var suppressed: Set<UUID>
        /// Opted out of the consent channel the decision's channel is shown on.
        public var optedOut: Bool

        public init(customer: OfferArbitration.Customer, suppressed: Set<UUID> = [], optedOut: Bool = false) {
            self.customer = customer
            self.suppressed = suppressed
            self.optedOut = optedOut
        }
    }

    /// One offer to show, best first.
    public struct Shown: Sendable, Hashable {
        public var offerID: UUID
        public var score: Double
        public var reason: String
    }

    /// Chooses at most `limit` offers of `offers` (the placement's, in any order) for `known`
    /// (nil: nobody known, `anonymousKey` breaks ties) on `channel`.
    public static func decide(
        _ offers: [OfferCandidate], known: Known?, anonymousKey: UUID, context: [String: JSONValue], channel: OfferChannel,
        fallback: OfferCandidate?, now: RuleTime, limit: Int
    ) -> [Shown] {
        if known?.optedOut == true { return [] }
        var customer = known?.customer ?? OfferArbitration.Customer(id: anonymousKey, subject: RuleSubject())
        customer.subject.context = context
        let suppressed = known?.suppressed ?? []
        let candidates = offers.filter { offer in
            if suppressed.contains(offer.id) { return false }
            guard known == nil else { return true }
            return offer.codesLeft == nil && offer.eligibility?.rule.readsCustomer != true
        }
        let result = OfferArbitration.arbitrate(candidates, for: customer, channel: channel, now: now, limit: limit)
        if !result.chosen.isEmpty {
            return result.chosen.map { Shown(offerID: $0.offerID, score: $0.score, reason: $0.reason) }
        }
        guard var fallback, known != nil || fallback.codesLeft == nil else { return [] }
        fallback.eligibility = nil
        fallback.perCustomerLimit = nil
        guard OfferArbitration.exclusion(of: fallback, for: customer, channel: channel, now: now) == nil else { return [] }
        return [Shown(offerID: fallback.id, score: fallback.score, reason: "fallback: no offer of the placement is eligible")]
    }

    /// A stable tie-breaking key for an anonymous visitor: two FNV-1a hashes of the id's bytes,
    /// so one visitor sees the same order of equal offers on every request.
    public static func anonymousKey(_ anonymousID: String) -> UUID {
        var first: UInt64 = 0xcbf2_9ce4_8422_2325
        var second: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in anonymousID.utf8 {
            first = (first ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            second = (second ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<8 {
            bytes[index] = UInt8(truncatingIfNeeded: first >> (8 * index))
            bytes[8 + index] = UInt8(truncatingIfNeeded: second >> (8 * index))
        }
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }
}

extension OfferChannel {
    /// The consent channel whose opt-out silences decisions on this channel (nil: none does).
    public var consentChannel: ConsentChannel? {
        switch self {
        case .email: .email
        case .sms: .sms
        case .push, .app: .push
        case .social: .social
        case .web: .web
        case .callCenter: .phone
        case .webhook, .pos: nil
        }
    }
}
