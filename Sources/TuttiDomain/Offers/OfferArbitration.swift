import Foundation

/// Chooses which offers one customer should get on one channel: the single function campaigns
/// and real-time decisions both call. It is pure: the caller loads the offers
/// (``OfferCandidate``), the customer (a ``RuleSubject`` and their grants so far) and the
/// database's `now`; nothing is given here.
///
/// An offer is excluded for the first reason of ``OfferExclusionReason`` that applies; the
/// others are ranked by ``OfferCandidate/score``, ties broken by ``tieBreaker(customer:offer:)``
/// (a hash of the customer's and the offer's ids: stable for one customer, spread across
/// customers, so equal offers share the audience instead of one always winning), then by id.
public enum OfferArbitration {
    /// The customer being decided for.
    public struct Customer: Sendable {
        public var id: UUID
        public var subject: RuleSubject
        /// How many times the customer was given each offer, by offer id (absent: never).
        public var grants: [UUID: Int]

        public init(id: UUID, subject: RuleSubject, grants: [UUID: Int] = [:]) {
            self.id = id
            self.subject = subject
            self.grants = grants
        }
    }

    /// An offer chosen, with its rank (1 = best) and why.
    public struct Choice: Sendable, Hashable {
        public var offerID: UUID
        public var score: Double
        public var rank: Int
        public var reason: String
    }

    /// An offer left out, and why.
    public struct Exclusion: Sendable, Hashable {
        public var offerID: UUID
        public var reason: OfferExclusionReason
    }

    public struct Result: Sendable, Hashable {
        /// The best `limit` eligible offers, best first.
        public var chosen: [Choice]
        /// Eligible offers ranked below the limit.
        public var outranked: [Choice]
        /// Every offer that could not be chosen, in the order given.
        public var excluded: [Exclusion]
    }

    /// Ranks `offers` for `customer` on `channel` at `now` and keeps the `limit` best.
    public static func arbitrate(
        _ offers: [OfferCandidate], for customer: Customer, channel: OfferChannel, now: RuleTime, limit: Int
    ) -> Result {
        var excluded: [Exclusion] = []
        var eligible: [(offer: OfferCandidate, score: Double, tie: UInt64)] = []
        for offer in offers {
            if let reason = exclusion(of: offer, for: customer, channel: channel, now: now) {
                excluded.append(Exclusion(offerID: offer.id, reason: reason))
            } else {
                eligible.append((offer, offer.score, tieBreaker(customer: customer.id, offer: offer.id)))
            }
        }
        eligible.sort { a, b in
            if a.score != b.score { return a.score > b.score }
            if a.tie != b.tie { return a.tie < b.tie }
            return a.offer.id.uuidString < b.offer.id.uuidString
        }
        let ranked = eligible.enumerated().map { index, entry in
            Choice(
                offerID: entry.offer.id, score: entry.score, rank: index + 1,
                reason: reason(entry.offer, score: entry.score, rank: index + 1, of: eligible.count))
        }
        let kept = max(0, limit)
        return Result(chosen: Array(ranked.prefix(kept)), outranked: Array(ranked.dropFirst(kept)), excluded: excluded)
    }

    /// Why `offer` cannot be chosen for `customer`, or nil when it can.
    public static func exclusion(
        of offer: OfferCandidate, for customer: Customer, channel: OfferChannel, now: RuleTime
    ) -> OfferExclusionReason? {
        let milliseconds = now.millisecondsSinceEpoch
        if let start = offer.startsAt, milliseconds < Self.milliseconds(start) { return .notStarted }
        if let end = offer.endsAt, milliseconds >= Self.milliseconds(end) { return .ended }
        if !offer.channels.contains(channel) { return .noCreativeForChannel }
        if let cap = offer.totalCap, offer.given >= cap { return .totalCap }
        if let left = offer.codesLeft, left <= 0 { return .codesExhausted }
        if let limit = offer.perCustomerLimit, customer.grants[offer.id, default: 0] >= limit { return .perCustomerLimit }
        if let rule = offer.eligibility, !rule.evaluate(customer.subject, now: now) { return .notEligible }
        return nil
    }

    /// The tie-breaker of two equal scores: FNV-1a over the customer's and the offer's id
    /// bytes, finished with SplitMix64's mixer. The same for the same pair on every machine.
    public static func tieBreaker(customer: UUID, offer: UUID) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for id in [customer, offer] {
            withUnsafeBytes(of: id.uuid) { bytes in
                for byte in bytes {
                    hash ^= UInt64(byte)
                    hash = hash &* 0x0000_0100_0000_01B3
                }
            }
        }
        var mixer = SplitMix64(seed: hash)
        return mixer.next()
    }

    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    private static func reason(_ offer: OfferCandidate, score: Double, rank: Int, of count: Int) -> String {
        let value = offer.value.map { " + 10·log10(1 + value \(number($0)))" } ?? ""
        return "rank \(rank) of \(count) eligible: score \(number(score)) = weight \(number(offer.weight)) × "
            + "(priority \(offer.priority)\(value))"
    }

    private static func number(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        return rounded.rounded() == rounded && abs(rounded) < 1e15 ? String(Int64(rounded)) : String(rounded)
    }
}
