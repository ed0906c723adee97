import Foundation

/// What fires a triggered campaign (docs/triggers.md): an event by name, optionally a rule on
/// it and the customer, a delay, how often one customer may enter again, the events that
/// cancel a pending firing, and the property that ties an exit event to the firing it cancels.
///
/// ```json
/// {"event": "Cart Abandoned", "rule": "event.properties.total > 50", "delay": "30 minutes",
///  "reentry": "once", "exit_events": ["Order Completed"], "correlation": "properties.cart_id"}
/// ```
public struct CampaignTrigger: Sendable, Hashable {
    /// How often one customer may fire the campaign again.
    public enum Reentry: Sendable, Hashable {
        /// Once ever (once per correlation value when one is set).
        case once
        /// On every event (still once per correlation value when one is set).
        case always
        /// Again once the window has passed since the last firing.
        case after(TriggerDuration)

        /// The text form (`once`, `always`, `after 7 days`).
        public var text: String {
            switch self {
            case .once: "once"
            case .always: "always"
            case .after(let window): "after \(window.description)"
            }
        }

        /// Seconds until the same entry key may fire again; -1: never. `always` fires on every
        /// event because each event is its own key (docs/triggers.md), so a key never fires twice.
        public var gateSeconds: Double {
            switch self {
            case .once, .always: -1
            case .after(let window): Double(window.seconds)
            }
        }
    }

    /// The longest event name, as ingestion takes it.
    public static let maximumEventName = 200
    /// The most exit events.
    public static let maximumExitEvents = 20

    public var event: String
    /// The rule as given: text or its JSON form; checked with `event.*` allowed.
    public var rule: JSONValue?
    public var delay: TriggerDuration?
    public var reentry: Reentry
    public var exitEvents: [String]
    /// The path inside the event (`properties.cart_id`) whose value ties firings to exits.
    public var correlation: [String]?

    public init(
        event: String, rule: JSONValue? = nil, delay: TriggerDuration? = nil, reentry: Reentry = .once,
        exitEvents: [String] = [], correlation: [String]? = nil
    ) {
        self.event = event
        self.rule = rule
        self.delay = delay
        self.reentry = reentry
        self.exitEvents = exitEvents
        self.correlation = correlation
    }

    /// The correlation value of an event with `properties`: the value at the correlation path
    /// as text (a string as is, anything else as compact JSON); nil when the trigger has no
    /// correlation or the event lacks the value.
    public func correlationValue(properties: [String: JSONValue]) -> String? {
        guard let path = correlation, path.first == "properties", path.count >= 2 else { return nil }
        var current: JSONValue = .object(properties)
        for key in path.dropFirst() {
            guard case .object(let members) = current, let next = members[key] else { return nil }
            current = next
        }
        switch current {
        case .null: return nil
        case .string(let text): return text
        default: return current.compactText
        }
    }
}

/// A trigger's delay or reentry window: `"<n> <unit>"`, n from 1 to 999 of seconds, minutes,
/// hours, days or weeks, at most 366 days.
public struct TriggerDuration: Sendable, Hashable, CustomStringConvertible {
    public var seconds: Int
    public var description: String

    static let units: [String: Int] = [
        "second": 1, "seconds": 1, "minute": 60, "minutes": 60, "hour": 3_600, "hours": 3_600, "day": 86_400,
        "days": 86_400, "week": 604_800, "weeks": 604_800,
    ]
    /// The form accepted, as the OpenAPI document states it.
    public static let pattern = "^[1-9][0-9]{0,2} (second|seconds|minute|minutes|hour|hours|day|days|week|weeks)$"

    public init?(_ text: String) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...3).contains(parts[0].count), parts[0].first != "0",
            parts[0].allSatisfy(\.isASCIIDigit), let count = Int(parts[0]), let unit = Self.units[String(parts[1])],
            count * unit <= 366 * 86_400
        else { return nil }
        seconds = count * unit
        description = text
    }
}
