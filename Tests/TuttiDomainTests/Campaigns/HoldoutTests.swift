import Foundation
import Testing
import TuttiDomain

@Suite("Campaign holdout")
struct HoldoutTests {
    /// 10,000 customer ids drawn from a fixed seed.
    static func customers(seed: UInt64, count: Int = 10_000) -> [UUID] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in UUID.v7(at: Date(timeIntervalSince1970: 1_800_000_000), using: &random) }
    }

    /// The bucket is md5's, as PostgreSQL's `md5()` writes it: known digests pin the hash.
    @Test func theBucketIsTheFirst32BitsOfTheMD5OfTheIdsModulo10000() throws {
        let campaign = try #require(UUID(uuidString: "01939e3c-0000-7000-8000-000000000001"))
        let customer = try #require(UUID(uuidString: "01939e3c-0000-7000-8000-0000000000aa"))
        // md5("01939e3c-0000-7000-8000-000000000001:01939e3c-0000-7000-8000-0000000000aa")
        //   = 3859d65a… (python3 -c 'import hashlib; print(hashlib.md5(b"…").hexdigest())')
        #expect(Holdout.bucket(customerID: customer, campaignID: campaign) == Int(UInt32(0x3859_d65a) % 10_000))
    }

    @Test func theHeldOutShareIsThePercentWithinATolerance() {
        let campaign = UUID()
        let customers = Self.customers(seed: 7)
        for percent in [0.0, 1, 5, 10, 12.5, 50, 90, 100] {
            let held = customers.filter { Holdout.isHeldOut(customerID: $0, campaignID: campaign, percent: percent) }.count
            let expected = Double(customers.count) * percent / 100
            // Five standard deviations of a binomial count: fails by chance less than once in a million.
            let tolerance = 5 * (Double(customers.count) * percent / 100 * (1 - percent / 100)).squareRoot()
            #expect(abs(Double(held) - expected) <= tolerance, "\(percent) %: \(held) held out of \(customers.count)")
        }
    }

    @Test func theAnswerIsStableAndALargerPercentHoldsOutASuperset() {
        let campaign = UUID()
        let customers = Self.customers(seed: 8, count: 2_000)
        let five = Set(customers.filter { Holdout.isHeldOut(customerID: $0, campaignID: campaign, percent: 5) })
        let again = Set(customers.filter { Holdout.isHeldOut(customerID: $0, campaignID: campaign, percent: 5) })
        let twenty = Set(customers.filter { Holdout.isHeldOut(customerID: $0, campaignID: campaign, percent: 20) })
        #expect(five == again)
        #expect(five.isSubset(of: twenty) && twenty.count > five.count)
    }

    /// Two campaigns at 10 % share about 1 % of the audience, not the same 10 %.
    @Test func differentCampaignsHoldOutUnrelatedCustomers() {
        let customers = Self.customers(seed: 9)
        let first = Set(customers.filter { Holdout.isHeldOut(customerID: $0, campaignID: UUID(), percent: 10) })
        let secondCampaign = UUID()
        let both = first.filter { Holdout.isHeldOut(customerID: $0, campaignID: secondCampaign, percent: 10) }.count
        #expect((40...160).contains(both), "\(both) held out of both")
    }

    @Test func aPercentIsANumberFrom0To100WithTwoDecimals() throws {
        for good in [0.0, 2.5, 12.25, 100] { try Holdout.validate(percent: good) }
        for bad in [-1.0, 100.5, 1.125, .nan, .infinity] {
            #expect(throws: ValidationError.self) { try Holdout.validate(percent: bad) }
        }
        #expect(Holdout.basisPoints(percent: 12.25) == 1_225)
        #expect(Holdout.basisPoints(percent: 0.07) == 7)
    }
}
