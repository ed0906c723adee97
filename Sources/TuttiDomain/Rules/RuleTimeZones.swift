import Foundation

/// The time zones a customer's `time_zone` attribute may name, and a cache of them.
///
/// A name counts when it is a tz database identifier, spelled exactly (case matters), that
/// Foundation opens under that very name (which rules out its `GMT+5`-style custom offsets),
/// other than the ten that PostgreSQL reads as fixed-offset abbreviations before zone names
/// (``abbreviationNames``) and `posixrules`, `localtime` and `Factory`; anything else means
/// UTC. The SQL side (`rule_time_zone` in sql/0006) applies the same rule to the names
/// PostgreSQL knows, so the two agree wherever their tz databases do.
public enum RuleTimeZones {
    /// Names PostgreSQL would read as its abbreviations (CET without summer time, …).
    public static let abbreviationNames: Set<String> = ["CET", "EET", "MET", "WET", "EST", "MST", "HST", "GMT", "UTC", "UCT"]

    /// The zone a `time_zone` attribute names, or nil for UTC.
    public static func zone(named name: String) -> TimeZone? {
        cache.zone(named: name)
    }

    /// The offset from UTC, in milliseconds, of the zone `name` (UTC when it names none) at `instant`.
    public static func offsetMilliseconds(zoneNamed name: String?, at instant: RuleTime) -> Int64 {
        guard let name, let zone = zone(named: name) else { return 0 }
        let date = Date(timeIntervalSince1970: Double(instant.millisecondsSinceEpoch) / 1000)
        return Int64(zone.secondsFromGMT(for: date)) * 1000
    }

    private static let cache = ZoneCache()
}

/// Time zones by name, and the names that are none: opening one reads the tz database, too slow
/// per evaluation. Unknown names are remembered only up to a bound, so customer data cannot
/// grow the cache without limit.
private final class ZoneCache: @unchecked Sendable {
    private let lock = NSLock()
    private var zones: [String: TimeZone?] = [:]
    private static let excluded = RuleTimeZones.abbreviationNames.union(["posixrules", "localtime", "Factory"])
    private static let capacity = 4096

    func zone(named name: String) -> TimeZone? {
        lock.lock()
        defer { lock.unlock() }
        if let cached = zones[name] { return cached }
        var zone: TimeZone?
        if !Self.excluded.contains(name), let opened = TimeZone(identifier: name), opened.identifier == name { zone = opened }
        if zone != nil || zones.count < Self.capacity { zones[name] = zone }
        return zone
    }
}
