import Foundation
import Testing
import TuttiDomain

@Suite("Campaign schedules as JSON")
struct CampaignScheduleCodingTests {
    private func decode(_ json: String) throws -> CampaignSchedule {
        try JSONDecoder().decode(CampaignSchedule.self, from: Data(json.utf8))
    }

    /// The error decoding `json` throws, which must be a ``ScheduleError``.
    private func error(_ json: String) throws -> ScheduleError {
        do {
            let schedule = try decode(json)
            Issue.record("\(json) was accepted as \(schedule)")
            return ScheduleError(.missingField, field: "", message: "")
        } catch let error as ScheduleError {
            return error
        }
    }

    @Test func everyTypeReadsAndWritesTheIssuesShape() throws {
        let samples = [
            #"{"type":"now"}"#,
            #"{"at":"2026-03-29T07:00:00.000Z","type":"at"}"#,
            #"{"date":"2026-03-29","time":"09:00","type":"local"}"#,
            #"{"cron":"*/15 1-3 * * *","time_zone":"Asia/Kathmandu","type":"recurring"}"#,
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for sample in samples {
            let schedule = try decode(sample)
            #expect(String(decoding: try encoder.encode(schedule), as: UTF8.self) == sample)
        }
        #expect(try decode(#"{"type":"at","at":"2026-03-29T09:00:00+02:00"}"#) == .at(Date(timeIntervalSince1970: 1_774_767_600)))
        #expect(
            try decode(#"{"type":"local","date":"2026-03-29","time":"09:00"}"#)
                == .local(LocalDateTime(year: 2026, month: 3, day: 29, hour: 9, minute: 0)!))
    }

    @Test func eachRefusalNamesTheFieldAndItsCode() throws {
        let cases: [(String, ScheduleError.Code, String)] = [
            (#"{}"#, .missingField, "schedule.type"),
            (#""now""#, .notAnObject, "schedule"),
            (#"["now"]"#, .notAnObject, "schedule"),
            (#"{"type":"later"}"#, .unknownType, "schedule.type"),
            (#"{"type":7}"#, .missingField, "schedule.type"),
            (#"{"type":"now","at":"2026-03-29T07:00:00Z"}"#, .unexpectedField, "schedule.at"),
            (#"{"type":"recurring","cron":"0 9 * * *","timezone":"UTC"}"#, .unexpectedField, "schedule.timezone"),
            (#"{"type":"at"}"#, .missingField, "schedule.at"),
            (#"{"type":"at","at":"2026-03-29"}"#, .invalidInstant, "schedule.at"),
            (#"{"type":"at","at":"2026-03-29T09:00:00"}"#, .invalidInstant, "schedule.at"),
            (#"{"type":"at","at":"tomorrow"}"#, .invalidInstant, "schedule.at"),
            (#"{"type":"local","time":"09:00"}"#, .missingField, "schedule.date"),
            (#"{"type":"local","date":"2026-02-29","time":"09:00"}"#, .invalidDate, "schedule.date"),
            (#"{"type":"local","date":"2026-3-29","time":"09:00"}"#, .invalidDate, "schedule.date"),
            (#"{"type":"local","date":"2026-03-29","time":"24:00"}"#, .invalidTime, "schedule.time"),
            (#"{"type":"local","date":"2026-03-29","time":"9:00"}"#, .invalidTime, "schedule.time"),
            (#"{"type":"local","date":"2026-03-29","time":"09:00:00"}"#, .invalidTime, "schedule.time"),
            (#"{"type":"recurring","time_zone":"UTC"}"#, .missingField, "schedule.cron"),
            (#"{"type":"recurring","cron":"0 9 * *","time_zone":"UTC"}"#, .invalidCron, "schedule.cron"),
            (#"{"type":"recurring","cron":"0 9 31 2 *","time_zone":"UTC"}"#, .cronNeverFires, "schedule.cron"),
            (#"{"type":"recurring","cron":"0 9 * * *","time_zone":"Europe/Atlantis"}"#, .unknownTimeZone, "schedule.time_zone"),
            (#"{"type":"recurring","cron":"0 9 * * *","time_zone":"europe/berlin"}"#, .unknownTimeZone, "schedule.time_zone"),
            (#"{"type":"recurring","cron":"0 9 * * *","time_zone":"GMT+5"}"#, .unknownTimeZone, "schedule.time_zone"),
            (#"{"type":"recurring","cron":"0 9 * * *","time_zone":"localtime"}"#, .unknownTimeZone, "schedule.time_zone"),
        ]
        for (json, code, field) in cases {
            let refusal = try error(json)
            #expect(refusal.code == code, "\(json): \(refusal)")
            #expect(refusal.field == field, "\(json): \(refusal)")
            #expect(!refusal.message.isEmpty)
        }
    }

    @Test func aRefusalSaysWhatToWrite() throws {
        #expect(try error(#"{"type":"local","date":"2026-03-29","time":"9am"}"#).message.contains("HH:MM"))
        #expect(try error(#"{"type":"recurring","cron":"0 25 * * *","time_zone":"UTC"}"#).message.contains("0–23"))
        #expect(try error(#"{"type":"recurring","cron":"0 9 * * *","time_zone":"Berlin"}"#).message.contains("Europe/Berlin"))
        #expect(try error(#"{"type":"sometime"}"#).message.contains("now, at, local, recurring"))
    }
}
