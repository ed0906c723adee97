import Foundation

/// The time zones a customer's `time_zone` attribute may name, and a cache of them.
///
/// A name counts when it is a tz database identifier, spelled exactly (case matters), that
/// Foundation knows, other than the ten that PostgreSQL reads as fixed-offset abbreviations
/// before zone names (``abbreviationNames``); anything else means UTC. The SQL side
/// (`rule_time_zone` in sql/0006) applies the same rule to the names PostgreSQL knows, so the
/// two agree wherever their tz databases do.
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

/// Loaded `TimeZone`s by name: making one reads the tz database, too slow per evaluation. Only
/// known names are cached, so customer data cannot grow it without bound.
private final class ZoneCache: @unchecked Sendable {
    private let lock = NSLock()
    private var zones: [String: TimeZone] = [:]
    private let known: Set<String> = {
        Set(TimeZone.knownTimeZoneIdentifiers).subtracting(RuleTimeZones.abbreviationNames)
            .subtracting(["posixrules", "localtime", "Factory"])
    }()

    func zone(named name: String) -> TimeZone? {
        lock.lock()
        defer { lock.unlock() }
        if let zone = zones[name] { return zone }
        guard known.contains(name), let zone = TimeZone(identifier: name) else { return nil }
        zones[name] = zone
        return zone
    }
}
