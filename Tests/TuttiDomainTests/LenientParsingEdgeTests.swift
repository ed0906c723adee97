import Foundation
import Testing
import TuttiDomain

/// Inputs the contract suite's fuzzer found the domain reading differently from the OpenAPI
/// document: a sign before a date's or time's digits, a whole number too large for Int64.
@Suite("Edges of lenient parsing")
struct LenientParsingEdgeTests {
    @Test func datesAndTimesTakeDigitsOnly() {
        #expect(LocalDate("2026-02-28") != nil)
        #expect(LocalDate("+001-01-01") == nil)
        #expect(LocalDate("2026-+1-01") == nil)
        #expect(LocalTime("09:30") != nil)
        #expect(LocalTime("+1:00") == nil)
        #expect(LocalTime("-0:00") == nil)
    }

    @Test func aWholeNumberBeyondInt64IsAnIdNotATrap() throws {
        let message = try SegmentMessage(kind: .track, json: ["userId": .number(1e300), "event": .string("E")])
        #expect(message.userID == String(1e300))
        let small = try SegmentMessage(kind: .track, json: ["userId": .number(42), "event": .string("E")])
        #expect(small.userID == "42")
    }

    @Test func aMessageIdIsCountedInCodePointsAsTheDocumentCountsIt() {
        // 255 combining marks on one base letter: one Character, 256 code points.
        let id = "e" + String(repeating: "\u{301}", count: 255)
        #expect(throws: ValidationError.self) {
            try SegmentMessage(kind: .track, json: ["userId": .string("u"), "event": .string("E"), "messageId": .string(id)])
        }
    }
}

extension LenientParsingEdgeTests {
    @Test func aSkewOfMillenniaLeavesTheTimestampAsSent() throws {
        let stamped = try #require(ISO8601.parse("0165-07-14T23:33:35Z"))
        let message = try SegmentMessage(
            kind: .track,
            json: [
                "userId": .string("u"), "event": .string("E"),
                "timestamp": .string("0165-07-14T23:33:35Z"), "sentAt": .string("7881-11-05T12:10:49Z"),
            ])
        #expect(message.occurredAt(receivedAt: Date()) == stamped)
    }

    @Test func attributesHoldingNULAreRefusedNotStored() {
        #expect(throws: ValidationErrors.self) {
            try CustomerAttributes.validate(["note": .object(["deep": .array([.string("a\u{0}b")])])])
        }
        #expect(throws: ValidationErrors.self) { try CustomerAttributes.validate(["first_name": .string("A\u{0}")]) }
    }
}
