import Foundation
import Testing
import TuttiDomain

@Suite("Cron expressions")
struct CronExpressionTests {
    private let utc = ScheduleTimeZone.utc

    /// The next `count` times of `cron` in UTC after `start`, as ISO 8601 text.
    private func times(_ cron: String, after start: String, count: Int = 4, zone: ScheduleTimeZone = .utc) throws -> [String] {
        let expression = try CronExpression(cron)
        var after = try #require(ISO8601.parse(start))
        var found: [String] = []
        for _ in 0..<count {
            after = try #require(expression.next(after: after, in: zone))
            found.append(ISO8601.format(after))
        }
        return found
    }

    @Test func namesListsRangesAndStepsAreRead() throws {
        #expect(
            try times("0 9 * * MON-FRI", after: "2026-12-04T10:00:00Z", count: 3) == [
                "2026-12-07T09:00:00.000Z", "2026-12-08T09:00:00.000Z", "2026-12-09T09:00:00.000Z",
            ])
        #expect(
            try times("*/20 9-10 * * *", after: "2026-12-07T09:30:00Z", count: 4) == [
                "2026-12-07T09:40:00.000Z", "2026-12-07T10:00:00.000Z", "2026-12-07T10:20:00.000Z", "2026-12-07T10:40:00.000Z",
            ])
        #expect(
            try times("10/25 8 1 jan,Jul *", after: "2026-01-01T00:00:00Z", count: 3).map { String($0.prefix(16)) } == [
                "2026-01-01T08:10", "2026-01-01T08:35", "2026-07-01T08:10",
            ])
        #expect(try times("0 0 * * 7", after: "2026-12-07T00:00:00Z", count: 1) == ["2026-12-13T00:00:00.000Z"])
        #expect(try times("0 0 * * 0", after: "2026-12-07T00:00:00Z", count: 1) == ["2026-12-13T00:00:00.000Z"])
        #expect(
            try times("0 0 * * 5-7", after: "2026-12-07T00:00:00Z", count: 3).map { String($0.prefix(10)) } == [
                "2026-12-11", "2026-12-12", "2026-12-13",
            ])
        #expect(
            try times("0 12 29 2 *", after: "2026-01-01T00:00:00Z", count: 2).map { String($0.prefix(10)) } == [
                "2028-02-29", "2032-02-29",
            ])
    }

    /// Both day fields restricted: either matches (the 13th, or a Friday).
    @Test func dayOfMonthAndDayOfWeekTogetherMatchEither() throws {
        #expect(
            try times("0 0 13 * FRI", after: "2026-12-01T00:00:00Z", count: 4).map { String($0.prefix(10)) } == [
                "2026-12-04", "2026-12-11", "2026-12-13", "2026-12-18",
            ])
        // One of them `*`: the other alone decides.
        #expect(
            try times("0 0 13 * *", after: "2026-12-01T00:00:00Z", count: 2).map { String($0.prefix(10)) } == [
                "2026-12-13", "2027-01-13",
            ])
        // `*/2` counts as restricted, as croniter counts it.
        #expect(
            try times("0 0 */10 * MON", after: "2026-12-01T00:00:00Z", count: 3).map { String($0.prefix(10)) } == [
                "2026-12-07", "2026-12-11", "2026-12-14",
            ])
    }

    @Test func theNextTimeIsStrictlyAfterTheInstant() throws {
        #expect(try times("0 9 * * *", after: "2026-12-07T09:00:00Z", count: 1) == ["2026-12-08T09:00:00.000Z"])
        #expect(try times("0 9 * * *", after: "2026-12-07T08:59:59.999Z", count: 1) == ["2026-12-07T09:00:00.000Z"])
        #expect(try times("* * * * *", after: "2026-12-07T09:00:00.500Z", count: 1) == ["2026-12-07T09:01:00.000Z"])
    }

    @Test func aMonthWithoutTheDayIsSkipped() throws {
        #expect(
            try times("0 9 31 * *", after: "2026-01-31T10:00:00Z", count: 3).map { String($0.prefix(10)) } == [
                "2026-03-31", "2026-05-31", "2026-07-31",
            ])
    }

    @Test(arguments: [
        ("0 9 * *", "5 fields"), ("0 9 * * * *", "5 fields"), ("60 9 * * *", "minute"), ("0 24 * * *", "hour"),
        ("0 9 0 * *", "day-of-month"), ("0 9 32 * *", "day-of-month"), ("0 9 * 13 *", "month"), ("0 9 * * 8", "day-of-week"),
        ("0 9 * * MON-SUN", "runs backwards"), ("0 17-9 * * *", "runs backwards"), ("*/0 * * * *", "step"),
        ("0 9 * * ,", "empty"),
        ("0 9 L * *", "day-of-month"), ("0 9 ? * *", "day-of-month"), ("0 9 * * 1#2", "day-of-week"), ("@daily", "5 fields"),
        ("0 9 * JANUARY *", "month"), ("0 9 * * -1", "day-of-week"), ("1/2/3 * * * *", "more than one /"), ("0 +9 * * *", "hour"),
    ])
    func aBadExpressionIsRefusedNamingTheField(_ cron: String, _ mention: String) {
        #expect {
            try CronExpression(cron)
        } throws: { error in
            guard let error = error as? ScheduleError else { return false }
            return error.code == .invalidCron && error.field == "schedule.cron" && error.message.contains(mention)
        }
    }

    @Test(arguments: ["0 0 30 2 *", "0 0 31 4,6,9,11 *", "0 0 31 FEB *"])
    func anExpressionThatMatchesNoDateIsRefused(_ cron: String) {
        #expect {
            try CronExpression(cron)
        } throws: { error in
            (error as? ScheduleError)?.code == .cronNeverFires
        }
    }

    @Test func onlyAnHourFieldOfEveryHourFollowsTheHours() throws {
        #expect(try CronExpression("0 * * * *").everyHour)
        #expect(try CronExpression("*/15 */1 * * *").everyHour)
        #expect(try CronExpression("30 0-23 * * *").everyHour)
        #expect(try !CronExpression("*/15 1-3 * * *").everyHour)
        #expect(try !CronExpression("0 */2 * * *").everyHour)
    }

    /// Random expressions in UTC (no DST) against a minute-by-minute scan of the fields'
    /// meaning, written out plainly here.
    @Test func randomExpressionsAgreeWithAMinuteByMinuteScanInUTC() throws {
        var random = SplitMix64(seed: 18)
        let start = try #require(ISO8601.parse("2026-12-07T00:00:00Z")).timeIntervalSince1970
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for _ in 0..<150 {
            let fields = [
                Self.randomField(&random, 0...59), Self.randomField(&random, 0...23), Self.randomField(&random, 1...31),
                Self.randomField(&random, 1...12), Self.randomField(&random, 0...7),
            ]
            let text = fields.map(\.text).joined(separator: " ")
            guard let cron = try? CronExpression(text) else { continue }
            let dayOr = fields[2].text != "*" && fields[4].text != "*"
            var after = start + Double(random.next() % 86_400)
            for _ in 0..<3 {
                guard let next = cron.next(after: Date(timeIntervalSince1970: after), in: utc) else {
                    Issue.record("\(text): no next time")
                    break
                }
                // The scan: no matching whole minute strictly between `after` and `next`, and `next` matches.
                var day = (after / 86_400).rounded(.down) * 86_400
                scan: while day <= next.timeIntervalSince1970 {
                    defer { day += 86_400 }
                    let parts = calendar.dateComponents([.day, .month, .weekday], from: Date(timeIntervalSince1970: day))
                    let weekday = parts.weekday! - 1
                    let byDay = fields[2].values.contains(parts.day!)
                    let byWeekday = fields[4].values.contains(weekday) || (weekday == 0 && fields[4].values.contains(7))
                    guard fields[3].values.contains(parts.month!), dayOr ? byDay || byWeekday : byDay && byWeekday else {
                        continue
                    }
                    for hour in fields[1].values.sorted() {
                        for minute in fields[0].values.sorted() {
                            let instant = day + Double(hour * 3_600 + minute * 60)
                            if instant > after && instant < next.timeIntervalSince1970 {
                                Issue.record(
                                    "\(text) after \(Date(timeIntervalSince1970: after)): missed \(Date(timeIntervalSince1970: instant))"
                                )
                                break scan
                            }
                        }
                    }
                }
                let parts = calendar.dateComponents([.minute, .hour], from: next)
                #expect(fields[0].values.contains(parts.minute!) && fields[1].values.contains(parts.hour!), "\(text): \(next)")
                after = next.timeIntervalSince1970
            }
        }
    }

    /// A random field: `*`, a value, a range, a step or a list of those, with the values it means.
    private static func randomField(_ random: inout SplitMix64, _ range: ClosedRange<Int>) -> (text: String, values: Set<Int>) {
        func pick() -> Int { range.lowerBound + Int(random.next() % UInt64(range.count)) }
        func item() -> (String, Set<Int>) {
            switch random.next() % 5 {
            case 0: return ("*", Set(range))
            case 1:
                let value = pick()
                return ("\(value)", [value])
            case 2:
                let (a, b) = (pick(), pick())
                return ("\(min(a, b))-\(max(a, b))", Set(min(a, b)...max(a, b)))
            case 3:
                let step = 1 + Int(random.next() % 7)
                return ("*/\(step)", Set(stride(from: range.lowerBound, through: range.upperBound, by: step)))
            default:
                let (a, step) = (pick(), 1 + Int(random.next() % 5))
                return ("\(a)/\(step)", Set(stride(from: a, through: range.upperBound, by: step)))
            }
        }
        let count = random.next() % 4 == 0 ? 2 : 1
        var text: [String] = [], values: Set<Int> = []
        for _ in 0..<count {
            let (t, v) = item()
            text.append(t)
            values.formUnion(v)
        }
        return (text.joined(separator: ","), values)
    }
}

/// The cost of one next occurrence in Berlin, printed for docs/campaign-schedules.md; runs only
/// when asked: `TUTTI_CRON_TIMING=1 swift test -c release -Xswiftc -enable-testing --filter CronTiming`.
@Suite("Cron timing", .enabled(if: ProcessInfo.processInfo.environment["TUTTI_CRON_TIMING"] != nil))
struct CronTiming {
    @Test func nextOccurrenceTakesMicroseconds() throws {
        let zone = try #require(ScheduleTimeZone(named: "Europe/Berlin"))
        for text in ["0 * * * *", "30 2 * * *", "*/15 1-3 * * *", "0 9 31 * *", "* * * * *"] {
            let cron = try CronExpression(text)
            var after = try #require(ISO8601.parse("2026-03-27T00:00:00Z"))
            let count = 10_000
            let elapsed = try ContinuousClock().measure {
                for _ in 0..<count { after = try #require(cron.next(after: after, in: zone)) }
            }
            print("\(text): \(elapsed / count) per next occurrence (\(count) from 2026-03-27, across the March change)")
        }
    }
}

extension CronTiming {
    @Test func aCustomersDueTimeTakesMicroseconds() throws {
        let tenant = ScheduleTimeZone.utc
        let local = try LocalDateTime(date: "2026-03-29", time: "09:00")
        let zones = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "Asia/Kathmandu", "Mars/Olympus"]
        let count = 60_000
        var last = Date.distantPast
        let elapsed = ContinuousClock().measure {
            for index in 0..<count {
                let zone = ScheduleTimeZone.forCustomer(attribute: zones[index % zones.count], tenantDefault: tenant)
                last = max(last, local.due(in: zone))
            }
        }
        print("a customer's due time: \(elapsed / count) (zone by name, then the wall-clock time resolved; \(last))")
        var dueTimes = CustomerDueTimes(schedule: .local(local), occurrence: local.earliestDue, tenantZone: tenant)
        let remembered = ContinuousClock().measure {
            for index in 0..<count { last = max(last, dueTimes.due(timeZoneAttribute: zones[index % zones.count])) }
        }
        print("a customer's due time, remembered by zone name (CustomerDueTimes): \(remembered / count)")
    }
}
