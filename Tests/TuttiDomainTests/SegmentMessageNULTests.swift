import Foundation
import Testing
import TuttiDomain

/// PostgreSQL stores no U+0000 in `text` or `jsonb`: a message carrying one is refused with the
/// field named (a 422), instead of failing in the database (a 500).
@Suite("Segment messages with U+0000")
struct SegmentMessageNULTests {
    @Test(arguments: [
        ("event", ["event": JSONValue.string("Clic\u{0}ked")]),
        ("messageId", ["event": .string("E"), "messageId": .string("m\u{0}1")]),
        ("properties", ["event": .string("E"), "properties": .object(["deep": .array([.object(["k": .string("a\u{0}")])])])]),
        ("properties", ["event": .string("E"), "properties": .object(["\u{0}": .number(1)])]),
        ("context", ["event": .string("E"), "context": .object(["page": .object(["title": .string("\u{0}")])])]),
    ] as [(String, [String: JSONValue])])
    func aNULAnywhereIsAValidationErrorNamingTheField(_ field: String, _ json: [String: JSONValue]) {
        var message = json
        message["userId"] = .string("u1")
        #expect(throws: ValidationError.self) { try SegmentMessage(kind: .track, json: message) }
        do {
            _ = try SegmentMessage(kind: .track, json: message)
        } catch {
            #expect(error.field == field)
        }
    }

    @Test func aNULInTheBatchContextIsRefusedToo() {
        #expect(throws: ValidationError.self) {
            try SegmentMessage(kind: .track, json: ["userId": .string("u1"), "event": .string("E")], batchContext: ["ip": .string("\u{0}")])
        }
    }
}
