import Testing
import TuttiDomain

@Suite("Rule times, durations and anniversaries")
struct RuleTimeTests {
    static func ms(_ text: String) -> Int64? { RuleTime.reading(text)?.millisecondsSinceEpoch }

    @Test func theTwoFormsAreReadToTheMillisecond() {
        #expect(Self.ms("1970-01-01") == 0)
        #expect(Self.ms("2024-02-29") == 1_709_164_800_000)
        #expect(Self.ms("2024-01-01T00:00:00Z") == 1_704_067_200_000)
        #expect(Self.ms("2024-01-01T23:59:59.9999+05:45") == 1_704_132_899_999)
        #expect(Self.ms("2024-01-01T23:59:59.1-00:30") == 1_704_155_399_100)
        #expect(Self.ms("1969-12-31T23:59:59.999Z") == -1)
        #expect(Self.ms("0001-01-01") == -62_135_596_800_000)
        #expect(Self.ms("9999-12-31T23:59:59.999Z") == 253_402_300_799_999)
    }

    @Test(arguments: [
        "2023-02-29", "2023-02-30", "2024-04-31", "2024-13-01", "2024-00-10", "0000-01-01", "2024-1-01", "2024-01-01T24:00:00Z",
        "2024-01-01T23:60:00Z", "2024-01-01T23:59:60Z", "2024-01-01t00:00:00z", "2024-01-01 00:00:00Z", "2024-01-01T00:00:00",
        "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00+24:00", "2024-01-01T00:00:00+0100", "2024-01-01T00:00:00+01", " 2024-01-01",
        "2024-01-01 ", "", "hello", "١٢٣٤-01-01",
    ])
    func everythingElseIsNotATime(_ text: String) {
        #expect(RuleTime.reading(text) == nil)
    }

    @Test func monthsAndYearsClampToTheLastDayOfTheMonth() {
        let march31 = RuleTime.reading("2024-03-31T10:00:00Z")!
        #expect(march31.subtracting(RuleDuration(1, .months)) == RuleTime.reading("2024-02-29T10:00:00Z"))
        #expect(march31.adding(RuleDuration(1, .months)) == RuleTime.reading("2024-04-30T10:00:00Z"))
        #expect(RuleTime.reading("2024-02-29")!.adding(RuleDuration(1, .years)) == RuleTime.reading("2025-02-28"))
        #expect(march31.subtracting(RuleDuration(90, .days)) == RuleTime.reading("2024-01-01T10:00:00Z"))
    }

    @Test func hugeDurationsSaturateInsteadOfTrapping() {
        let now = RuleTime.reading("2024-01-01")!
        #expect(now.subtracting(RuleDuration(.max, .weeks)).millisecondsSinceEpoch < EventWindowBounds.earliest)
        #expect(now.adding(RuleDuration(.max, .years)).millisecondsSinceEpoch == .max)
        #expect(now.subtracting(RuleDuration(.min, .minutes)).millisecondsSinceEpoch > EventWindowBounds.latest)
    }

    @Test func civilDaysRoundTripAcrossEras() {
        for days in stride(from: Int64(-1_000_000), through: 3_000_000, by: 997) {
            let date = RuleCivil.date(days: days)
            #expect(RuleCivil.days(year: date.year, month: date.month, day: date.day) == days)
        }
    }

    @Test func aLeapDayAnniversaryFallsOnFebruary28InCommonYears() {
        let birthday = RuleTime.reading("1992-02-29")!
        let feb28 = RuleCivil.days(year: 2023, month: 2, day: 28), feb28Leap = RuleCivil.days(year: 2024, month: 2, day: 28)
        #expect(RuleCalendar.holds(.isToday, for: birthday, today: feb28))
        #expect(!RuleCalendar.holds(.isToday, for: birthday, today: feb28Leap))
        #expect(RuleCalendar.holds(.isToday, for: birthday, today: feb28Leap + 1))
        #expect(RuleCalendar.holds(.inDays(1), for: birthday, today: feb28Leap))
        #expect(RuleCalendar.holds(.withinNextDays(365), for: birthday, today: feb28 + 1))
        #expect(!RuleCalendar.holds(.withinNextDays(364), for: birthday, today: feb28 + 1))
    }

    @Test func todayIsTheCustomersLocalDate() {
        // 2024-06-01T11:30Z is already 2 June in Samoa (UTC+13) and still 1 June in New York.
        let now = RuleTime.reading("2024-06-01T11:30:00Z")!
        #expect(RuleCalendar.localDay(now: now, zoneName: "Pacific/Apia") == RuleCivil.days(year: 2024, month: 6, day: 2))
        #expect(RuleCalendar.localDay(now: now, zoneName: "America/New_York") == RuleCivil.days(year: 2024, month: 6, day: 1))
        // Unknown names, wrong case and PostgreSQL's abbreviations all mean UTC.
        let late = RuleTime.reading("2024-06-01T23:30:00Z")!
        for name in ["Mars/Olympus", "europe/berlin", "CET", ""] {
            #expect(RuleCalendar.localDay(now: late, zoneName: name) == RuleCivil.days(year: 2024, month: 6, day: 1))
        }
        #expect(RuleCalendar.localDay(now: late, zoneName: "Europe/Berlin") == RuleCivil.days(year: 2024, month: 6, day: 2))
    }
}
