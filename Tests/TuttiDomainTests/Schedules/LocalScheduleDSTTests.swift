import Foundation
import Testing
import TuttiDomain

/// When a `local` schedule's send is due for a customer in a zone, on ordinary days and on the
/// days the clocks change (docs/campaign-schedules.md, "Local time and DST").
@Suite("Local-time sends across DST")
struct LocalScheduleDSTTests {
    private func due(_ date: String, _ time: String, in zone: String) throws -> String {
        let local = try LocalDateTime(date: date, time: time)
        return ISO8601.format(local.due(in: try #require(ScheduleTimeZone(named: zone))))
    }

    @Test func anOrdinaryDayIsTheWallClockTimeWithThatDaysOffset() throws {
        #expect(try due("2026-03-20", "09:00", in: "Europe/Berlin") == "2026-03-20T08:00:00.000Z")
        #expect(try due("2026-07-01", "09:00", in: "Europe/Berlin") == "2026-07-01T07:00:00.000Z")
        #expect(try due("2026-07-01", "09:00", in: "Asia/Kathmandu") == "2026-07-01T03:15:00.000Z")
        #expect(try due("2026-07-01", "09:00", in: "UTC") == "2026-07-01T09:00:00.000Z")
    }

    /// 09:00 exists on the spring-forward day: it is sent at 09:00 with the offset after the change.
    @Test func nineOnTheSpringForwardDayIsNineWithTheSummerOffset() throws {
        #expect(try due("2026-03-29", "09:00", in: "Europe/Berlin") == "2026-03-29T07:00:00.000Z")
        #expect(try due("2026-03-08", "09:00", in: "America/New_York") == "2026-03-08T13:00:00.000Z")
        #expect(try due("2026-10-04", "09:00", in: "Australia/Sydney") == "2026-10-03T22:00:00.000Z")
    }

    /// 02:30 does not exist on the spring-forward day: it is due when the clocks jump, 03:00 local.
    @Test func aTimeTheClocksJumpOverIsDueAtTheJump() throws {
        #expect(try due("2026-03-29", "02:30", in: "Europe/Berlin") == "2026-03-29T01:00:00.000Z")  // 03:00 CEST
        #expect(try due("2026-03-29", "02:00", in: "Europe/Berlin") == "2026-03-29T01:00:00.000Z")
        #expect(try due("2026-03-29", "02:59", in: "Europe/Berlin") == "2026-03-29T01:00:00.000Z")
        #expect(try due("2026-03-29", "03:00", in: "Europe/Berlin") == "2026-03-29T01:00:00.000Z")
        #expect(try due("2026-03-08", "02:30", in: "America/New_York") == "2026-03-08T07:00:00.000Z")  // 03:00 EDT
        #expect(try due("2026-10-04", "02:30", in: "Australia/Sydney") == "2026-10-03T16:00:00.000Z")  // 03:00 AEDT
        #expect(try due("1986-01-01", "00:10", in: "Asia/Kathmandu") == "1985-12-31T18:30:00.000Z")  // 00:15 +05:45
        #expect(try due("2026-10-04", "02:10", in: "Australia/Lord_Howe") == "2026-10-03T15:30:00.000Z")  // 02:30 +11:00
    }

    /// 01:30 happens twice on the fall-back day: the send is due at the first, once.
    @Test func aTimeTheClocksGoBackOverIsDueAtItsFirstOccurrence() throws {
        #expect(try due("2026-11-01", "01:30", in: "America/New_York") == "2026-11-01T05:30:00.000Z")  // EDT, not 06:30Z
        #expect(try due("2026-10-25", "02:30", in: "Europe/Berlin") == "2026-10-25T00:30:00.000Z")  // CEST, not 01:30Z
        #expect(try due("2026-04-05", "02:30", in: "Australia/Sydney") == "2026-04-04T15:30:00.000Z")  // AEDT, not 16:30Z
        #expect(try due("2026-04-05", "01:45", in: "Australia/Lord_Howe") == "2026-04-04T14:45:00.000Z")  // +11:00
        // Just outside the repeated hour there is one instant, with its own offset.
        #expect(try due("2026-11-01", "00:59", in: "America/New_York") == "2026-11-01T04:59:00.000Z")
        #expect(try due("2026-11-01", "02:00", in: "America/New_York") == "2026-11-01T07:00:00.000Z")
    }

    /// Three minutes of every day of a year (one random) in several zones: the due instant reads back as the wall-clock time
    /// asked for, except in a gap (where it reads as the end of the gap, and nothing earlier
    /// reads as the time asked for); and it is never the second of two instants that read so.
    @Test func minutesOfEachDayOfAYearResolveToThemselvesOrTheJump() throws {
        for name in ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe", "Asia/Kathmandu"] {
            let zone = try #require(ScheduleTimeZone(named: name))
            let foundation = try #require(TimeZone(identifier: name))
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = foundation
            var random = SplitMix64(seed: UInt64(name.utf8.count))
            var previous = Date.distantPast
            let newYear = try #require(ISO8601.parse("2026-01-01"))
            for dayOfYear in 0..<365 {
                let minute = Int(random.next() % 1_440)
                let parts = Calendar(identifier: .gregorian).dateComponents(
                    in: TimeZone(identifier: "UTC")!, from: newYear.addingTimeInterval(Double(dayOfYear) * 86_400))
                for (index, time) in [minute, 90, 150].enumerated() {
                    let local = try #require(
                        LocalDateTime(year: parts.year!, month: parts.month!, day: parts.day!, hour: time / 60, minute: time % 60)
                    )
                    let instant = local.due(in: zone)
                    let read = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
                    let readsAsAsked =
                        (read.year, read.month, read.day, read.hour, read.minute) == (
                            local.year, local.month, local.day, local.hour, local.minute
                        )
                    if readsAsAsked {
                        // Not the second occurrence: an hour (or 30 minutes) earlier does not read the same.
                        for back in [1_800.0, 3_600.0] {
                            let earlier = calendar.dateComponents([.hour, .minute], from: instant.addingTimeInterval(-back))
                            #expect(
                                (earlier.hour, earlier.minute) != (read.hour, read.minute), "\(name) \(local): a later occurrence"
                            )
                        }
                    } else {
                        // A gap: the instant is a jump (a second earlier has another offset) and after the asked time.
                        #expect(
                            foundation.secondsFromGMT(for: instant)
                                != foundation.secondsFromGMT(for: instant.addingTimeInterval(-1)), "\(name) \(local)")
                    }
                    if index == 1 {
                        #expect(instant > previous, "\(name) \(local): 01:30 on consecutive days goes forward")
                        previous = instant
                    }
                }
            }
        }
    }

    @Test func theCustomersZoneFallsBackToTheTenantsDefault() throws {
        let tenant = try #require(ScheduleTimeZone(named: "Europe/Paris"))
        #expect(ScheduleTimeZone.forCustomer(attribute: "Asia/Tokyo", tenantDefault: tenant).identifier == "Asia/Tokyo")
        #expect(ScheduleTimeZone.forCustomer(attribute: "Mars/Olympus", tenantDefault: tenant).identifier == "Europe/Paris")
        #expect(ScheduleTimeZone.forCustomer(attribute: nil, tenantDefault: tenant).identifier == "Europe/Paris")
        let schedule = CampaignSchedule.local(try LocalDateTime(date: "2026-06-01", time: "09:00"))
        let occurrence = try #require(schedule.firstOccurrence(launchedAt: .now))
        #expect(ISO8601.format(occurrence) == "2026-05-31T19:00:00.000Z")  // 09:00 at UTC+14, the first anywhere
        let tokyo = try #require(ScheduleTimeZone(named: "Asia/Tokyo"))
        #expect(ISO8601.format(schedule.due(occurrence: occurrence, customerZone: tokyo)) == "2026-06-01T00:00:00.000Z")
        #expect(schedule.due(occurrence: occurrence, customerZone: tokyo) >= occurrence)
        let kiritimati = try #require(ScheduleTimeZone(named: "Pacific/Kiritimati"))
        #expect(schedule.due(occurrence: occurrence, customerZone: kiritimati) == occurrence)
    }
}

@Suite("Customers' due times remembered by zone")
struct CustomerDueTimesTests {
    @Test func aRememberedDueTimeIsTheOneComputedEachTime() throws {
        let tenant = try #require(ScheduleTimeZone(named: "Europe/Paris"))
        let schedule = CampaignSchedule.local(try LocalDateTime(date: "2026-10-25", time: "02:30"))
        let occurrence = try #require(schedule.firstOccurrence(launchedAt: .now))
        var dueTimes = CustomerDueTimes(schedule: schedule, occurrence: occurrence, tenantZone: tenant)
        for name in [
            "Europe/Berlin", "America/New_York", "Europe/Berlin", "Mars/Olympus", "", "Asia/Kathmandu", "Asia/Kathmandu",
        ] {
            let expected = schedule.due(
                occurrence: occurrence, customerZone: ScheduleTimeZone.forCustomer(attribute: name, tenantDefault: tenant))
            #expect(dueTimes.due(timeZoneAttribute: name) == expected, "\(name)")
        }
        #expect(dueTimes.due(timeZoneAttribute: nil) == schedule.due(occurrence: occurrence, customerZone: tenant))
        let at = try #require(ISO8601.parse("2026-12-24T17:00:00Z"))
        var atTimes = CustomerDueTimes(schedule: .at(at), occurrence: at, tenantZone: tenant)
        #expect(atTimes.due(timeZoneAttribute: "Asia/Tokyo") == at)
    }
}
