/// Why a campaign schedule was refused: which field (`schedule.cron`, `schedule.time_zone`, …)
/// and what to change. The API answers it as a 422 problem.
public struct ScheduleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem; stable for clients to branch on (``rawValue`` is its JSON name).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String {
            case notAnObject = "not_an_object", unknownType = "unknown_type", missingField = "missing_field", unexpectedField =
                "unexpected_field"
            case invalidInstant = "invalid_instant", invalidDate = "invalid_date", invalidTime = "invalid_time"
            case unknownTimeZone = "unknown_time_zone", invalidCron = "invalid_cron", cronNeverFires = "cron_never_fires"
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The schedule is not a JSON object.
        public static let notAnObject = Code(.notAnObject)
        /// `type` is not one of `now`, `at`, `local`, `recurring`.
        public static let unknownType = Code(.unknownType)
        /// A field the schedule's type needs is absent or not a string.
        public static let missingField = Code(.missingField)
        /// A field the schedule's type does not take (`at` on a `local` schedule).
        public static let unexpectedField = Code(.unexpectedField)
        /// `at` is not an RFC 3339 date-time with an offset.
        public static let invalidInstant = Code(.invalidInstant)
        /// `date` is not a calendar date `YYYY-MM-DD`.
        public static let invalidDate = Code(.invalidDate)
        /// `time` is not a time of day `HH:MM`.
        public static let invalidTime = Code(.invalidTime)
        /// `time_zone` names no IANA time zone.
        public static let unknownTimeZone = Code(.unknownTimeZone)
        /// `cron` is not five valid fields.
        public static let invalidCron = Code(.invalidCron)
        /// `cron` is valid but matches no date (`0 0 31 2 *`).
        public static let cronNeverFires = Code(.cronNeverFires)

        public var rawValue: String { base.rawValue }
        public var description: String { base.rawValue }
    }

    public var code: Code
    /// The offending field as the client wrote it, e.g. `schedule.cron`.
    public var field: String
    /// What is wrong and how to fix it, for a person.
    public var message: String

    public init(_ code: Code, field: String, message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
