import Foundation

/// Attributes with the time each key was last written, the unit in which merges decide, and
/// the source that wrote it (`api`, `segment`, `import:crm`, …), which travels with the value.
public struct TimedAttributes: Sendable, Equatable {
    public var values: [String: JSONValue]
    public var times: [String: Date]
    /// Which source last wrote each key; keys written before sources were kept have none.
    public var sources: [String: String]

    public init(values: [String: JSONValue] = [:], times: [String: Date] = [:], sources: [String: String] = [:]) {
        self.values = values
        self.times = times
        self.sources = sources
    }

    /// Applies a write made at `time` by `source`: `null` removes a key; other values replace
    /// it. Either way the key's time and source are the write's.
    public mutating func apply(_ write: [String: JSONValue], at time: Date, source: String?) {
        for (key, value) in write {
            if value == .null { values[key] = nil } else { values[key] = value }
            times[key] = time
            sources[key] = source
        }
    }

    /// Two customers become one: key by key the newer write wins; on a tie, `self` (the
    /// survivor) wins. A removal is a write too, so a newer removal removes.
    public func merged(with other: TimedAttributes) -> TimedAttributes {
        var result = self
        for (key, otherTime) in other.times {
            let ours = times[key] ?? .distantPast
            if otherTime > ours {
                result.times[key] = otherTime
                result.values[key] = other.values[key]
                result.sources[key] = other.sources[key]
            }
        }
        // Keys the other side holds without a recorded time (old data) fill gaps only.
        for (key, value) in other.values where result.values[key] == nil && result.times[key] == nil {
            result.values[key] = value
            result.sources[key] = other.sources[key]
        }
        return result
    }
}

/// Which of several customers survives a merge: the oldest (ids are time-ordered UUIDv7, so
/// the smallest id), so that the answer does not depend on the order requests arrive in.
public enum MergeSurvivor {
    public static func choose(_ candidates: [UUID]) -> UUID? {
        candidates.min { $0.uuidString.lowercased() < $1.uuidString.lowercased() }
    }
}
