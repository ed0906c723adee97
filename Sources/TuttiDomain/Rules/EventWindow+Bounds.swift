/// The `occurred_at` range an ``EventWindow`` selects at one instant, in milliseconds since the
/// epoch: `lower ≤ t`, and `t ≤ upper` or `t < upper`. Both evaluators get their event aggregates
/// from SQL that binds these numbers, so a window means the same everywhere.
public struct EventWindowBounds: Sendable, Hashable {
    public var lower: Int64?
    public var upper: Int64?
    public var upperIsInclusive: Bool

    /// Events outside years 0001–9999 cannot be stored, so bounds are clamped to that range
    /// (PostgreSQL cannot represent much more).
    public static let earliest: Int64 = -62_135_596_800_000
    public static let latest: Int64 = 253_402_300_799_999
}

extension EventWindow {
    /// The window's bounds at `now`.
    public func bounds(now: RuleTime) -> EventWindowBounds {
        func clamp(_ value: Int64) -> Int64 { min(max(value, EventWindowBounds.earliest), EventWindowBounds.latest) }
        switch self {
        case .allTime:
            return EventWindowBounds(lower: nil, upper: nil, upperIsInclusive: true)
        case .last(let duration):
            return EventWindowBounds(
                lower: clamp(now.subtracting(duration).millisecondsSinceEpoch), upper: clamp(now.millisecondsSinceEpoch),
                upperIsInclusive: true)
        case .since(let start):
            return EventWindowBounds(lower: clamp(start.millisecondsSinceEpoch), upper: nil, upperIsInclusive: true)
        case .between(let start, let end):
            return EventWindowBounds(lower: clamp(start.millisecondsSinceEpoch), upper: clamp(end.millisecondsSinceEpoch), upperIsInclusive: false)
        }
    }
}
