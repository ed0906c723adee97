import Foundation

/// When a campaign sends: at once, at an instant, at a wall-clock time in each customer's own
/// time zone, or on a cron expression in a named zone. Its JSON is the API's:
/// `{"type": "now"}`, `{"type": "at", "at": "2026-03-29T07:00:00Z"}`,
/// `{"type": "local", "date": "2026-03-29", "time": "09:00"}`,
/// `{"type": "recurring", "cron": "0 9 * * MON", "time_zone": "Europe/Berlin"}`.
/// docs/campaign-schedules.md has the rules.
public enum CampaignSchedule: Sendable, Hashable {
    /// As soon as the campaign is launched.
    case now
    /// At one instant, for everyone.
    case at(Date)
    /// At this wall-clock time in each customer's time zone (``LocalDateTime/due(in:)``).
    case local(LocalDateTime)
    /// At every time the expression matches in the zone (``CronExpression/next(after:in:)``).
    case recurring(CronExpression, timeZone: ScheduleTimeZone)

    /// The schedule a JSON object describes; every field is checked and the error says which
    /// and what to write. Fields other than `type` and the type's own are refused.
    public init(fields: [String: JSONValue]) throws(ScheduleError) {
        guard case .string(let type)? = fields["type"] else {
            throw ScheduleError(.missingField, field: "schedule.type", message: "is required: one of now, at, local, recurring")
        }
        let allowed: [String]
        switch type {
        case "now": allowed = []
        case "at": allowed = ["at"]
        case "local": allowed = ["date", "time"]
        case "recurring": allowed = ["cron", "time_zone"]
        default:
            throw ScheduleError(
                .unknownType, field: "schedule.type", message: "must be one of now, at, local, recurring; got \"\(type)\"")
        }
        if let extra = fields.keys.filter({ $0 != "type" && !allowed.contains($0) }).sorted().first {
            let takes = allowed.isEmpty ? "no other field" : allowed.joined(separator: " and ")
            throw ScheduleError(
                .unexpectedField, field: "schedule.\(extra)",
                message: "is not a field of a \(type) schedule, which takes \(takes)")
        }
        func string(_ name: String, _ example: String) throws(ScheduleError) -> String {
            guard case .string(let value)? = fields[name] else {
                throw ScheduleError(
                    .missingField, field: "schedule.\(name)",
                    message: "is required for a \(type) schedule: a string such as \(example)")
            }
            return value
        }
        switch type {
        case "now":
            self = .now
        case "at":
            let text = try string("at", "\"2026-03-29T09:00:00+02:00\"")
            guard text.count > 10, let instant = ISO8601.parse(text) else {
                throw ScheduleError(
                    .invalidInstant, field: "schedule.at",
                    message:
                        "must be an RFC 3339 date-time with an offset, e.g. 2026-03-29T09:00:00+02:00 or 2026-03-29T07:00:00Z")
            }
            self = .at(instant)
        case "local":
            self = .local(try LocalDateTime(date: try string("date", "\"2026-03-29\""), time: try string("time", "\"09:00\"")))
        default:
            let cron = try CronExpression(try string("cron", "\"0 9 * * MON-FRI\""))
            let name = try string("time_zone", "\"Europe/Berlin\"")
            guard let zone = ScheduleTimeZone(named: name) else {
                throw ScheduleError(
                    .unknownTimeZone, field: "schedule.time_zone",
                    message:
                        "must be an IANA time zone spelled exactly, e.g. Europe/Berlin, America/New_York or UTC; got \"\(name)\"")
            }
            self = .recurring(cron, timeZone: zone)
        }
    }

    /// The JSON object of the schedule, as ``init(fields:)`` reads it.
    public var fields: [String: JSONValue] {
        switch self {
        case .now: ["type": .string("now")]
        case .at(let instant): ["type": .string("at"), "at": .string(ISO8601.format(instant))]
        case .local(let time): ["type": .string("local"), "date": .string(time.dateText), "time": .string(time.timeText)]
        case .recurring(let cron, let zone):
            ["type": .string("recurring"), "cron": .string(cron.text), "time_zone": .string(zone.identifier)]
        }
    }
}

extension CampaignSchedule: Codable {
    /// Decoding throws a ``ScheduleError`` when the object is not a valid schedule.
    public init(from decoder: any Decoder) throws {
        guard case .object(let fields) = try decoder.singleValueContainer().decode(JSONValue.self) else {
            throw ScheduleError(.notAnObject, field: "schedule", message: "must be an object such as {\"type\": \"now\"}")
        }
        self = try CampaignSchedule(fields: fields)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(fields)
    }
}
