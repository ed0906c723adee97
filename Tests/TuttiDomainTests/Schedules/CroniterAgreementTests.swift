import Foundation
import Testing
import TuttiDomain

/// Recurring schedules agree with croniter (the Python library, pinned in
/// ops/test-requirements.txt) across DST transitions in New York, Berlin, Sydney and
/// Kathmandu, except where docs/campaign-schedules.md says they differ on purpose: a time the
/// clocks go back over fires once, unless the hour field matches every hour. croniter fires it
/// twice; the expected lists here are croniter's with those second firings removed.
@Suite(
    "Cron expressions agree with croniter across DST",
    .enabled(if: CroniterPeer.interpreter != nil || CroniterPeer.isCI, "TUTTI_TEST_PYTHON is not set: run with ops/test"))
struct CroniterAgreementTests {
    static let expressions = [
        "0 * * * *", "30 2 * * *", "30 1 * * *", "0 9 * * MON", "0 2 * * SUN", "0 9 31 * *", "*/15 1-3 * * *",
        "5 4 * * 7", "0 12 1,15 * FRI", "0 8 * JAN-MAR,OCT-DEC MON-FRI", "0 0 * * *", "10 0 * * *", "*/7 2 * * *",
        "0 0,12 1 */2 *", "45 23 * * 6", "0 3 * * *", "0,30 * * * *", "*/20 * * * *", "30 0-23 * * *", "0 */2 * * *",
        "30 1-23/1 * * *", "15 2 * * 1-5",
    ]

    /// Each zone with the days it changes its clocks (UTC midnight of the day before), and for
    /// Kathmandu, which has no DST, the day it moved from +05:30 to +05:45 (a 15-minute gap).
    static let transitions: [(zone: String, days: [String])] = [
        ("America/New_York", ["2026-03-07", "2026-10-31", "2027-03-13", "2027-11-06"]),
        ("Europe/Berlin", ["2026-03-28", "2026-10-24", "2027-03-27", "2027-10-30"]),
        ("Australia/Sydney", ["2026-04-04", "2026-10-03", "2027-04-03", "2027-10-02"]),
        ("Asia/Kathmandu", ["1985-12-31", "2026-03-28", "2026-10-24"]),
    ]

    @Test func theNextFiftyOccurrencesFromTheDayBeforeEachTransition() throws {
        var cases: [CroniterCase] = []
        for (zone, days) in Self.transitions {
            for day in days {
                let start = try #require(ISO8601.parse(day)).timeIntervalSince1970
                for cron in Self.expressions {
                    cases.append(
                        CroniterCase(cron: cron, timeZone: zone, start: Int64(start), count: cron == "0 9 31 * *" ? 30 : 50))
                }
            }
        }
        try compare(cases)
    }

    /// Starts anywhere in the two days around each transition: inside a repeated hour, on the
    /// jump, a second before an occurrence.
    @Test func theNextFiveOccurrencesFromRandomInstantsAroundEachTransition() throws {
        var random = SplitMix64(seed: 0x7075_7474_6963_726F)
        var cases: [CroniterCase] = []
        for (zone, days) in Self.transitions {
            for day in days {
                let start = Int64(try #require(ISO8601.parse(day)).timeIntervalSince1970)
                for _ in 0..<12 {
                    let instant = start + Int64(random.next() % (3 * 86_400))
                    for cron in Self.expressions {
                        cases.append(CroniterCase(cron: cron, timeZone: zone, start: instant, count: 5))
                    }
                }
            }
        }
        try compare(cases)
    }

    private func compare(_ cases: [CroniterCase]) throws {
        let answers = try CroniterPeer.occurrences(cases)
        try #require(answers.count == cases.count)
        var compared = 0, dropped = 0
        for (test, answer) in zip(cases, answers) {
            let cron = try CronExpression(test.cron)
            let zone = try #require(ScheduleTimeZone(named: test.timeZone))
            let expected = answer.filter { !$0.second || cron.everyHour }
            dropped += answer.count - expected.count
            var ours: [Int64] = []
            var after = Date(timeIntervalSince1970: Double(test.start))
            for _ in expected {
                guard let next = cron.next(after: after, in: zone) else { break }
                ours.append(Int64(next.timeIntervalSince1970))
                after = next
            }
            let theirs = expected.map(\.t)
            if ours != theirs {
                let index =
                    zip(ours, theirs).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(ours.count, theirs.count)
                let their = index < expected.count ? expected[index].local : "none"
                let our = index < ours.count ? "\(Date(timeIntervalSince1970: Double(ours[index])))" : "none"
                Issue.record(
                    "\(test.cron) in \(test.timeZone) after \(Date(timeIntervalSince1970: Double(test.start))): occurrence \(index + 1) is \(our), croniter says \(their)"
                )
            }
            compared += ours.count
        }
        #expect(compared > cases.count * 4)
        #expect(dropped > 0, "no case met a repeated time of a clock-face expression, where the documented difference lies")
    }
}

/// One question to croniter: the next `count` times of `cron` in `time_zone` after `start`.
struct CroniterCase: Codable {
    var cron: String
    var timeZone: String
    var start: Int64
    var count: Int

    enum CodingKeys: String, CodingKey {
        case cron, start, count
        case timeZone = "time_zone"
    }
}

/// One of croniter's answers (see ops/lib/croniter_occurrences.py).
struct CroniterTime: Codable {
    var t: Int64
    var local: String
    /// The second time this wall-clock time occurs (the clocks went back over it).
    var second: Bool
}

/// Runs ops/lib/croniter_occurrences.py with the interpreter ops/test exports.
enum CroniterPeer {
    static let interpreter = ProcessInfo.processInfo.environment["TUTTI_TEST_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
    static let isCI = ["true", "1"].contains(ProcessInfo.processInfo.environment["CI"] ?? "")

    static func occurrences(_ cases: [CroniterCase]) throws -> [[CroniterTime]] {
        let python = try #require(
            interpreter, "TUTTI_TEST_PYTHON is not set: run with ops/test, which installs croniter (ops/test-requirements.txt)")
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [root.appendingPathComponent("ops/lib/croniter_occurrences.py").path]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        (process.standardInput, process.standardOutput, process.standardError) = (input, output, errors)
        // A script that dies early must fail the test with its message, not end it by SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        try process.run()
        // Standard output is read on its own thread so that neither pipe fills while the other waits.
        let answer = ReadAll(output.fileHandleForReading)
        try input.fileHandleForWriting.write(contentsOf: JSONEncoder().encode(cases))
        try input.fileHandleForWriting.close()
        let failure = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(
            process.terminationStatus == 0, "croniter_occurrences.py failed: \(String(decoding: failure, as: UTF8.self))")
        return try JSONDecoder().decode([[CroniterTime]].self, from: answer.wait())
    }
}

/// Reads a file handle to its end on a thread of its own.
private final class ReadAll: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }.start()
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
