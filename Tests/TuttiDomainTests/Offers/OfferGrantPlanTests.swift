import Foundation
import Testing
import TuttiDomain

@Suite("Offer grant plans")
struct OfferGrantPlanTests {
    static let offer = UUID()
    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    static func plan(_ customers: [UUID], _ state: OfferGrantState, soFar: [OfferCustomerKey: Int] = [:]) -> [OfferGrantOutcome] {
        OfferGrantPlan(
            customers.map { OfferGrantRequest(offerID: offer, customerID: $0) }, offers: [offer: state],
            knownCustomers: Set(customers), grantsSoFar: soFar, now: now
        ).outcomes
    }

    @Test func requestsOfOneBatchCountAgainstTheCapTheLimitAndThePool() {
        let (a, b, c) = (UUID(), UUID(), UUID())
        #expect(
            Self.plan([a, a, b, c], OfferGrantState(perCustomerLimit: 1, totalCap: 2))
                == [.given(code: nil), .refused(.perCustomerLimit), .given(code: nil), .refused(.totalCap)])
        #expect(
            Self.plan([a, b, c], OfferGrantState(codesLeft: 2)) == [
                .given(code: nil), .given(code: nil), .refused(.codesExhausted),
            ])
        #expect(
            Self.plan([a, a], OfferGrantState(perCustomerLimit: 5, codesLeft: 9)) == [
                .given(code: nil), .refused(.perCustomerLimit),
            ],
            "a pooled offer is given once per customer")
        let earlier = [OfferCustomerKey(offerID: Self.offer, customerID: a): 2]
        #expect(
            Self.plan([a, b], OfferGrantState(perCustomerLimit: 2), soFar: earlier) == [
                .refused(.perCustomerLimit), .given(code: nil),
            ])
    }

    @Test func unknownOffersAndCustomersAndTheWindowRefuse() {
        let a = UUID()
        #expect(Self.plan([a], OfferGrantState(startsAt: Self.now.addingTimeInterval(1))) == [.refused(.notStarted)])
        #expect(Self.plan([a], OfferGrantState(endsAt: Self.now)) == [.refused(.ended)])
        let plan = OfferGrantPlan(
            [OfferGrantRequest(offerID: UUID(), customerID: a), OfferGrantRequest(offerID: Self.offer, customerID: UUID())],
            offers: [Self.offer: OfferGrantState()], knownCustomers: [a], grantsSoFar: [:], now: Self.now)
        #expect(plan.outcomes == [.refused(.unknownOffer), .refused(.unknownCustomer)])
        #expect(plan.givenPerOffer.isEmpty)
    }
}
