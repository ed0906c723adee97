import Foundation

/// An IANA time zone a schedule runs in, and the rules that turn a wall-clock time there into
/// an instant across daylight-saving transitions (docs/campaign-schedules.md, "Local time and
/// DST"):
///
/// - a wall-clock time that exists once is that instant;
/// - one that exists twice (01:30 on New York's fall-back day) is its first occurrence, the
///   one with the larger UTC offset (``WallTime/repeated(first:second:)``);
/// - one that does not exist (02:30 in Berlin on the last Sunday of March) is the instant the
///   clocks jump, 03:00 local (``WallTime/skipped(transition:)``).
public struct ScheduleTimeZone: Sendable, Hashable {
    /// The zone's IANA name, exactly as given.
    public let identifier: String
    private let zone: TimeZone

    /// The zone named `name`: a tz database identifier, spelled exactly as the database spells
    /// it (`Europe/Berlin`, `UTC`), or nil. Custom offsets (`GMT+5`) and the system's
    /// `localtime`/`posixrules`/`Factory` are not zones a schedule can name.
    public init?(named name: String) {
        // Foundation opens `UTC` as `GMT`; any other name it renames is a custom offset.
        guard !Self.excluded.contains(name), let zone = TimeZone(identifier: name), zone.identifier == name || name == "UTC"
        else { return nil }
        self.identifier = name
        self.zone = zone
    }

    /// UTC.
    public static let utc = ScheduleTimeZone(named: "UTC")!

    private static let excluded: Set<String> = ["localtime", "posixrules", "Factory"]

    /// The offset from UTC, in seconds, at `instant` (seconds since 1970).
    func offset(at instant: Int64) -> Int64 {
        Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant))))
    }

    /// The wall-clock time at `instant`, in seconds since 1970-01-01T00:00 read as UTC.
    func wallSeconds(at instant: Int64) -> Int64 { instant + offset(at: instant) }

    /// The instants whose wall-clock time is `wall` (seconds since 1970-01-01T00:00 read as UTC).
    ///
    /// The offsets a day before and a day after are the only candidates: a zone changes its
    /// offset at most once within two days (the same assumption as the Temporal proposal's
    /// reference code).
    func resolve(wall: Int64) -> WallTime {
        let before = offset(at: wall - 86_400), after = offset(at: wall + 86_400)
        let candidates = Set([wall - before, wall - after]).filter { offset(at: $0) == wall - $0 }.sorted()
        switch candidates.count {
        case 1: return .unique(candidates[0])
        case 2: return .repeated(first: candidates[0], second: candidates[1])
        default:
            // A gap: `wall - after` is before the jump and `wall - before` after it. The jump is
            // the first second that has the later offset.
            var low = min(wall - after, wall - before), high = max(wall - after, wall - before)
            while low < high {
                let middle = low + (high - low) / 2
                if offset(at: middle) == after { high = middle } else { low = middle + 1 }
            }
            return .skipped(transition: low)
        }
    }
}

/// What a wall-clock time is in a zone: one instant, two (the clocks went back over it), or
/// none (the clocks jumped over it).
enum WallTime: Sendable, Hashable {
    case unique(Int64)
    case repeated(first: Int64, second: Int64)
    case skipped(transition: Int64)

    /// The instant a one-off send at this wall-clock time is due.
    var due: Int64 {
        switch self {
        case .unique(let instant), .repeated(first: let instant, second: _), .skipped(transition: let instant): instant
        }
    }
}
