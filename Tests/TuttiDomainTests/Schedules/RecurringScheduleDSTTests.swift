import Foundation
import Testing
import TuttiDomain

/// The documented DST rules of recurring schedules, spelled out on examples (the croniter
/// agreement test covers them in bulk): every-hour expressions follow the hours, any other
/// fires each matching wall-clock time once.
@Suite("Recurring schedules across DST")
struct RecurringScheduleDSTTests {
    private func times(_ cron: String, in zone: String, after start: String, count: Int) throws -> [String] {
        let schedule = CampaignSchedule.recurring(try CronExpression(cron), timeZone: try #require(ScheduleTimeZone(named: zone)))
        var after = try #require(ISO8601.parse(start))
        var found: [String] = []
        for _ in 0..<count {
            after = try #require(schedule.nextOccurrence(after: after))
            found.append(ISO8601.format(after))
        }
        return found
    }

    @Test func anHourlyScheduleSkipsTheMissingHourAndRepeatsTheDoubledOne() throws {
        // New York, 8 March 2026: 01:00 EST, then 03:00 EDT (02:00 does not exist).
        #expect(
            try times("0 * * * *", in: "America/New_York", after: "2026-03-08T05:30:00Z", count: 3) == [
                "2026-03-08T06:00:00.000Z", "2026-03-08T07:00:00.000Z", "2026-03-08T08:00:00.000Z",
            ])
        // 1 November 2026: 01:00 EDT and 01:00 EST, one hour apart.
        #expect(
            try times("0 * * * *", in: "America/New_York", after: "2026-11-01T04:30:00Z", count: 3) == [
                "2026-11-01T05:00:00.000Z", "2026-11-01T06:00:00.000Z", "2026-11-01T07:00:00.000Z",
            ])
    }

    @Test func aDailyScheduleInTheMissingHourFiresAtTheJump() throws {
        #expect(
            try times("30 2 * * *", in: "Europe/Berlin", after: "2026-03-28T12:00:00Z", count: 2) == [
                "2026-03-29T01:00:00.000Z",  // 03:00 CEST
                "2026-03-30T00:30:00.000Z",  // 02:30 CEST
            ])
    }

    @Test func aDailyScheduleInTheRepeatedHourFiresOnce() throws {
        #expect(
            try times("30 1 * * *", in: "America/New_York", after: "2026-10-31T12:00:00Z", count: 2) == [
                "2026-11-01T05:30:00.000Z",  // 01:30 EDT; not again at 01:30 EST (06:30Z)
                "2026-11-02T06:30:00.000Z",
            ])
        // Weekly on Sunday at 02:00 in Berlin, on the Sunday the clocks go back: once.
        #expect(
            try times("0 2 * * SUN", in: "Europe/Berlin", after: "2026-10-20T00:00:00Z", count: 2) == [
                "2026-10-25T00:00:00.000Z", "2026-11-01T01:00:00.000Z",
            ])
        // Every 15 minutes from 1 to 3: the repeated hour is not run again.
        let quarterHours = try times("*/15 1-3 * * *", in: "America/New_York", after: "2026-11-01T05:40:00Z", count: 2)
        #expect(quarterHours == ["2026-11-01T05:45:00.000Z", "2026-11-01T07:00:00.000Z"])
    }

    /// Lord Howe Island's clocks go back 30 minutes (02:00 → 01:30): an every-hour expression
    /// fires its repeated times twice, whatever its minutes (croniter does for `0,30` but not for
    /// `*/20`; docs/campaign-schedules.md).
    @Test func halfHourDSTFollowsTheSameRules() throws {
        #expect(
            try times("*/20 * * * *", in: "Australia/Lord_Howe", after: "2026-04-04T14:30:00Z", count: 4) == [
                "2026-04-04T14:40:00.000Z",  // 01:40 +11:00
                "2026-04-04T15:10:00.000Z",  // 01:40 +10:30, again
                "2026-04-04T15:30:00.000Z",  // 02:00 +10:30
                "2026-04-04T15:50:00.000Z",
            ])
        // Spring: 02:00 → 02:30. 02:15 fires at the jump; 02:30 exists.
        #expect(
            try times("15 2 * * *", in: "Australia/Lord_Howe", after: "2026-10-03T12:00:00Z", count: 1) == [
                "2026-10-03T15:30:00.000Z"
            ])
    }

    @Test func oneOffSchedulesHaveOneOccurrence() throws {
        let launch = try #require(ISO8601.parse("2026-12-07T10:00:00Z"))
        let at = try #require(ISO8601.parse("2026-12-24T18:00:00+01:00"))
        #expect(CampaignSchedule.now.firstOccurrence(launchedAt: launch) == launch)
        #expect(CampaignSchedule.at(at).firstOccurrence(launchedAt: launch) == at)
        #expect(CampaignSchedule.now.nextOccurrence(after: launch) == nil)
        #expect(CampaignSchedule.at(at).nextOccurrence(after: at) == nil)
        let local = CampaignSchedule.local(try LocalDateTime(date: "2026-12-24", time: "18:00"))
        #expect(local.nextOccurrence(after: launch) == nil)
        let recurring = CampaignSchedule.recurring(try CronExpression("0 9 * * MON"), timeZone: .utc)
        #expect(recurring.firstOccurrence(launchedAt: launch).map(ISO8601.format) == "2026-12-14T09:00:00.000Z")
        // Everyone is due at the occurrence, whatever their zone, unless the schedule is local.
        let tokyo = try #require(ScheduleTimeZone(named: "Asia/Tokyo"))
        #expect(CampaignSchedule.at(at).due(occurrence: at, customerZone: tokyo) == at)
    }
}
