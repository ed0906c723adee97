import Foundation
import Testing
import TuttiDomain

@Suite("Segment messages")
struct SegmentMessageTests {
    @Test func clockSkewIsCorrectedWithSentAt() throws {
        // The client's clock runs 10 minutes fast: it stamped the event at 12:05 and sent it at 12:15
        // by its own clock; we received it at 12:06, so it happened at 11:56 by ours.
        let message = try SegmentMessage(kind: .track, json: [
            "userId": .string("u1"), "event": .string("Clicked"),
            "timestamp": .string("2026-01-01T12:05:00.000Z"), "sentAt": .string("2026-01-01T12:15:00.000Z"),
        ])
        let received = try #require(ISO8601.parse("2026-01-01T12:06:00Z"))
        #expect(message.occurredAt(receivedAt: received) == ISO8601.parse("2026-01-01T11:56:00Z"))
    }

    @Test func withoutSentAtTheTimestampStandsAndWithoutEitherTheReceiptTime() throws {
        let stamped = try SegmentMessage(kind: .track, json: ["userId": .string("u"), "event": .string("E"), "timestamp": .string("2026-01-01T00:00:00+02:00")])
        #expect(stamped.occurredAt(receivedAt: Date()) == ISO8601.parse("2025-12-31T22:00:00Z"))
        let bare = try SegmentMessage(kind: .track, json: ["userId": .string("u"), "event": .string("E")])
        let now = Date()
        #expect(bare.occurredAt(receivedAt: now) == now)
    }

    @Test func pythonStyleMicrosecondTimestampsParse() {
        #expect(ISO8601.parse("2026-11-24T01:00:00.123456+00:00") == ISO8601.parse("2026-11-24T01:00:00.123Z"))
    }

    @Test func identifyNamesEmailAndPhoneTraitsAsIdentities() throws {
        let message = try SegmentMessage(kind: .identify, json: [
            "userId": .string("u1"), "anonymousId": .string("a1"),
            "traits": .object(["email": .string("Ann@Example.com"), "phone": .string("06 12 34 56 78"), "plan": .string("gold")]),
        ])
        let identities = try message.identities(defaultCountry: "FR")
        #expect(Set(identities.map(\.description)) == ["external_id:u1", "anonymous_id:a1", "email:ann@example.com", "phone:+33612345678"])
    }

    @Test func missingRequiredFieldsAreNamed() {
        #expect(throws: ValidationError(field: "event", message: "is required for track")) {
            try SegmentMessage(kind: .track, json: ["userId": .string("u")])
        }
        #expect(throws: ValidationError(field: "userId", message: "or anonymousId is required")) {
            try SegmentMessage(kind: .page, json: [:])
        }
        #expect(throws: ValidationError.self) {
            try SegmentMessage(kind: .track, json: ["userId": .string("u"), "event": .string("E"), "timestamp": .string("yesterday")])
        }
    }
}
