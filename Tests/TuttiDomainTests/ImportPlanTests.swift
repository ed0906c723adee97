import Foundation
import Testing
import TuttiDomain

@Suite("Import plan")
struct ImportPlanTests {
    func email(_ name: String) -> Identity { Identity(stored: .email, value: "\(name)@example.com") }

    @Test func rowsAreWrittenInBulkUnlessTheyMergeOrShare() {
        let (c1, c2, c3) = (UUID.v7(), UUID.v7(), UUID.v7())
        let owners = [email("known"): c1, email("a"): c2, email("b"): c3, email("shared-customer-1"): c1]
        let rows = [
            ImportRow(line: 2, identities: [email("new")]),
            ImportRow(line: 3, identities: [email("known"), email("extra")]),
            ImportRow(line: 4, identities: [email("a"), email("b")]),
            ImportRow(line: 5, identities: [email("twice")]),
            ImportRow(line: 6, identities: [email("twice"), email("other")]),
            ImportRow(line: 7, identities: [email("new2"), email("new2")]),
        ]
        let plan = ImportPlan(rows: rows, owners: owners)
        #expect(plan.creates.map(\.line) == [2, 7])
        #expect(plan.updates.map(\.row.line) == [3])
        #expect(plan.updates.first?.customerID == c1)
        #expect(plan.updates.first?.newIdentities == [email("extra")])
        #expect(plan.individually.map(\.line) == [4, 5, 6])
    }

    @Test func rowsNamingTheSameCustomerAreWrittenInLineOrder() {
        let c1 = UUID.v7()
        let owners = [email("one"): c1, email("two"): c1]
        let plan = ImportPlan(rows: [ImportRow(line: 9, identities: [email("two")]), ImportRow(line: 3, identities: [email("one")])], owners: owners)
        #expect(plan.updates.isEmpty)
        #expect(plan.individually.map(\.line) == [3, 9])
    }
}
