import Foundation
import Testing
import TuttiDomain

/// Quiet hours as local wall-clock windows: crossing midnight, and the nights the clocks change.
@Suite("Quiet hours")
struct QuietHoursTests {
    let berlin = TimeZone(identifier: "Europe/Berlin")!
    let newYork = TimeZone(identifier: "America/New_York")!

    func hours(_ start: String, _ end: String) -> QuietHours { QuietHours(start: LocalTime(start)!, end: LocalTime(end)!) }

    func instant(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    @Test("21:00–08:00 crosses midnight: inside from 21:00 to 07:59 local, ending at the next 08:00")
    func crossingMidnight() {
        let quiet = hours("21:00", "08:00")
        // Berlin in June is UTC+2.
        #expect(quiet.end(containing: instant("2026-06-10T18:59:00Z"), in: berlin) == nil)
        #expect(quiet.end(containing: instant("2026-06-10T19:00:00Z"), in: berlin) == instant("2026-06-11T06:00:00Z"))
        #expect(quiet.end(containing: instant("2026-06-10T21:30:00Z"), in: berlin) == instant("2026-06-11T06:00:00Z"))
        #expect(quiet.end(containing: instant("2026-06-11T05:59:00Z"), in: berlin) == instant("2026-06-11T06:00:00Z"))
        #expect(quiet.end(containing: instant("2026-06-11T06:00:00Z"), in: berlin) == nil)
        #expect(quiet.end(containing: instant("2026-06-11T12:00:00Z"), in: berlin) == nil)
    }

    @Test("A window within one day (12:00–14:00) holds only between its ends")
    func sameDayWindow() {
        let quiet = hours("12:00", "14:00")
        #expect(quiet.end(containing: instant("2026-06-10T10:30:00Z"), in: berlin) == instant("2026-06-10T12:00:00Z"))
        #expect(quiet.end(containing: instant("2026-06-10T09:59:00Z"), in: berlin) == nil)
        #expect(quiet.end(containing: instant("2026-06-10T12:00:00Z"), in: berlin) == nil)
    }

    @Test("The same instant is quiet in one zone and not in another")
    func zoneDecides() {
        let quiet = hours("21:00", "08:00")
        let moment = instant("2026-06-10T20:00:00Z")  // 22:00 in Berlin, 16:00 in New York
        #expect(quiet.end(containing: moment, in: berlin) != nil)
        #expect(quiet.end(containing: moment, in: newYork) == nil)
    }

    @Test("Spring-forward night in Berlin: 22:00 CET to 08:00 CEST is nine real hours")
    func springForward() {
        let quiet = hours("21:00", "08:00")
        // 28 March 2026 22:00 CET = 21:00Z; the clocks go from 02:00 to 03:00 on the 29th.
        let end = quiet.end(containing: instant("2026-03-28T21:00:00Z"), in: berlin)
        #expect(end == instant("2026-03-29T06:00:00Z"))
        // Just after the change (03:30 CEST = 01:30Z) it is still quiet, with the same end.
        #expect(quiet.end(containing: instant("2026-03-29T01:30:00Z"), in: berlin) == instant("2026-03-29T06:00:00Z"))
    }

    @Test("Fall-back night in Berlin: the window ends at 08:00 CET, thirteen real hours after 20:00 CEST")
    func fallBack() {
        let quiet = hours("21:00", "08:00")
        #expect(quiet.end(containing: instant("2026-10-24T19:00:00Z"), in: berlin) == instant("2026-10-25T07:00:00Z"))
        // Both 02:30s of the repeated hour are quiet.
        #expect(quiet.end(containing: instant("2026-10-25T00:30:00Z"), in: berlin) == instant("2026-10-25T07:00:00Z"))
        #expect(quiet.end(containing: instant("2026-10-25T01:30:00Z"), in: berlin) == instant("2026-10-25T07:00:00Z"))
    }

    @Test("An end the clocks skip (02:30 on the spring-forward night) is the first moment after the gap")
    func endInGap() {
        let quiet = hours("22:00", "02:30")
        #expect(quiet.end(containing: instant("2026-03-28T22:00:00Z"), in: berlin) == instant("2026-03-29T01:00:00Z"))
    }

    @Test("An end the clocks show twice (02:30 on the fall-back night) is its first showing")
    func endRepeated() {
        let quiet = hours("22:00", "02:30")
        #expect(quiet.end(containing: instant("2026-10-24T21:00:00Z"), in: berlin) == instant("2026-10-25T00:30:00Z"))
    }

    @Test("New York's spring-forward night: 22:00 EST to 08:00 EDT")
    func newYorkSpringForward() {
        let quiet = hours("21:00", "08:00")
        #expect(quiet.end(containing: instant("2026-03-08T03:00:00Z"), in: newYork) == instant("2026-03-08T12:00:00Z"))
    }
}
