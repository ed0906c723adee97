import Foundation
import Testing
import TuttiDomain

@Suite("ISO 8601 date-times")
struct ISO8601Tests {
    /// What Foundation's ICU-backed formatter (the parser before this one) reads.
    static func foundation(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = text.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        return formatter.date(from: text)
    }

    @Test(arguments: [
        "2026-01-01T12:05:00Z", "2026-01-01T12:05:00.000Z", "2026-11-24T01:00:00.123+00:00", "2025-12-31T23:59:59.999-08:00",
        "2024-02-29T00:00:00+05:30", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.5Z", "2000-03-01T10:11:12.250+14:00",
        "2100-12-31T23:59:59Z", "1900-02-28T06:07:08.010-03:30",
    ])
    func readsWhatFoundationRead(_ text: String) throws {
        let expected = try #require(Self.foundation(text))
        #expect(ISO8601.parse(text) == expected)
    }

    @Test func fractionsOfAnyLengthAreReadToTheMillisecond() {
        #expect(ISO8601.parse("2026-11-24T01:00:00.123456+00:00") == ISO8601.parse("2026-11-24T01:00:00.123Z"))
        #expect(ISO8601.parse("2026-11-24T01:00:00.1Z") == ISO8601.parse("2026-11-24T01:00:00.100Z"))
        #expect(ISO8601.parse("2026-11-24T01:00:00.987654321Z") == ISO8601.parse("2026-11-24T01:00:00.987Z"))
    }

    @Test func offsetsWithoutColonsAndDatesAloneAreRead() {
        #expect(ISO8601.parse("2026-01-01T02:00:00+0200") == ISO8601.parse("2026-01-01T00:00:00Z"))
        #expect(ISO8601.parse("2026-01-01T02:00:00+02") == ISO8601.parse("2026-01-01T00:00:00Z"))
        #expect(ISO8601.parse("2026-01-01 00:00:00z") == ISO8601.parse("2026-01-01T00:00:00Z"))
        #expect(ISO8601.parse("2026-01-01") == ISO8601.parse("2026-01-01T00:00:00Z"))
    }

    @Test(arguments: [
        "", "yesterday", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-01-32", "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z",
        "2026-01-01T00:00:00", "2026-01-01T00:00Z", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00+2:00", "2026-01-01T00:00:00Zjunk",
        "26-01-01T00:00:00Z", "2026-1-01T00:00:00Z", "２０２６-01-01", "2026-01-01T00:00:00+02:",
    ])
    func refusesWhatIsNotADateTime(_ text: String) {
        #expect(ISO8601.parse(text) == nil)
    }
}
