import Foundation
import Testing
import TuttiDomain

@Suite("Pagination")
struct PaginationTests {
    @Test func cursorRoundTripsAnId() {
        let id = UUID.v7()
        #expect(PageCursor.decode(PageCursor.encode(after: id)) == id)
    }

    @Test(arguments: ["", "abc", "!!!", Base64URL.encode(Array("v2:x".utf8)), Base64URL.encode(Array("v1:not-a-uuid".utf8))])
    func foreignCursorIsRefused(_ cursor: String) {
        #expect(PageCursor.decode(cursor) == nil)
    }

    @Test func limitOutsideItsRangeIsRefusedWithTheFieldNamed() {
        #expect(throws: ValidationError.self) { try PageRequest(limit: "0", cursor: nil) }
        #expect(throws: ValidationError.self) { try PageRequest(limit: "201", cursor: nil) }
        #expect(throws: ValidationError.self) { try PageRequest(limit: "ten", cursor: nil) }
        do {
            _ = try PageRequest(limit: nil, cursor: "garbage!")
            Issue.record("a garbage cursor was accepted")
        } catch {
            #expect(error.field == "cursor")
        }
    }

    @Test func extraFetchedRowMeansAnotherPage() {
        let ids = (0..<3).map { _ in UUID.v7() }
        let page = Page(fetched: ids, request: PageRequest(limit: 2), id: { $0 })
        #expect(page.items == Array(ids.prefix(2)))
        #expect(page.nextCursor.flatMap(PageCursor.decode) == ids[1])
        let last = Page(fetched: Array(ids.prefix(2)), request: PageRequest(limit: 2), id: { $0 })
        #expect(last.nextCursor == nil)
    }
}

@Suite("Display names")
struct DisplayNameTests {
    @Test func nameIsTrimmed() throws {
        #expect(try DisplayName.validate("  Acme  ") == "Acme")
    }

    @Test(arguments: ["", "   ", String(repeating: "x", count: 201), "bad\u{0007}name"])
    func unusableNameIsRefused(_ name: String) {
        #expect(throws: ValidationError.self) { try DisplayName.validate(name) }
    }
}
