import Foundation
import Testing
import TuttiDomain

@Suite("Tenant rotation")
struct TenantRotationTests {
    private let a = UUID(uuidString: "00000000-0000-0000-0000-00000000000a")!
    private let b = UUID(uuidString: "00000000-0000-0000-0000-00000000000b")!
    private let c = UUID(uuidString: "00000000-0000-0000-0000-00000000000c")!

    @Test func eachTenantOfARoundGetsOneTurnBeforeTheNextRound() {
        var rotation = TenantRotation(pageSize: 10)
        #expect(rotation.needsRefill)
        rotation.refill(with: [a, b, c])
        #expect([rotation.next(), rotation.next(), rotation.next()] == [a, b, c])
        #expect(rotation.next() == nil)
        #expect(rotation.needsRefill)
    }

    @Test func fullPageContinuesAfterItsLastTenantAndAShortPageWrapsToTheStart() {
        var rotation = TenantRotation(pageSize: 2)
        rotation.refill(with: [a, b])
        #expect(rotation.discoveryCursor == b)
        rotation.refill(with: [c])
        #expect(rotation.discoveryCursor == nil)
    }

    @Test func hintAddsAnIdleTenantToTheRoundButNotOneAlreadyWaiting() {
        var rotation = TenantRotation()
        rotation.refill(with: [a, b])
        #expect(rotation.next() == a)
        rotation.hint(b)
        rotation.hint(c)
        #expect([rotation.next(), rotation.next(), rotation.next()] == [b, c, nil])
        rotation.hint(a)
        #expect(!rotation.needsRefill)
        #expect(rotation.next() == a)
    }
}
