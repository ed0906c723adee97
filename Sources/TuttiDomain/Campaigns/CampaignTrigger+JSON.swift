import Foundation

extension CampaignTrigger {
    /// The members a trigger may have.
    public static let members: Set<String> = ["event", "rule", "delay", "reentry", "exit_events", "correlation"]

    /// Reads a trigger from its JSON object; every error is named `trigger.<member>`.
    public init(json: JSONValue) throws(ValidationErrors) {
        guard case .object(let fields) = json else {
            throw ValidationErrors([
                ValidationError(field: "trigger", message: #"must be an object: {"event": "…", "reentry": "once", …}"#)
            ])
        }
        var errors: [ValidationError] = []
        func fail(_ member: String, _ message: String) {
            errors.append(ValidationError(field: "trigger.\(member)", message: message))
        }
        for key in fields.keys.sorted() where !Self.members.contains(key) {
            fail(key, "is not a member of a trigger, which takes \(Self.members.sorted().joined(separator: ", "))")
        }
        var event: String?
        if case .string(let text)? = fields["event"], Self.isEventName(text) {
            event = text
        } else {
            fail("event", "is required: the event's name, 1 to \(Self.maximumEventName) characters without control characters")
        }
        var rule: JSONValue?
        switch fields["rule"] {
        case nil, .null?: break
        case .string(let text)? where !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty: rule = .string(text)
        case .object(let tree)?: rule = .object(tree)
        default: fail("rule", #"must be a rule: its text (e.g. "event.properties.total > 50") or its JSON form"#)
        }
        var delay: TriggerDuration?
        switch fields["delay"] {
        case nil, .null?: break
        case .string(let text)? where TriggerDuration(text) != nil: delay = TriggerDuration(text)
        default:
            fail(
                "delay",
                #"must be "<n> <unit>", n from 1 to 999 of seconds, minutes, hours, days or weeks, at most 366 days (e.g. "30 minutes")"#
            )
        }
        var reentry: Reentry?
        switch fields["reentry"] {
        case .string("once")?: reentry = .once
        case .string("always")?: reentry = .always
        case .string(let text)? where text.hasPrefix("after ") && TriggerDuration(String(text.dropFirst(6))) != nil:
            reentry = TriggerDuration(String(text.dropFirst(6))).map { .after($0) }
        default: fail("reentry", #"is required: "once", "always" or "after <n> <unit>" (e.g. "after 7 days")"#)
        }
        var exits: [String] = []
        switch fields["exit_events"] {
        case nil, .null?: break
        case .array(let values)? where values.count <= Self.maximumExitEvents:
            for (index, value) in values.enumerated() {
                guard case .string(let name) = value, Self.isEventName(name) else {
                    fail("exit_events[\(index)]", "must be an event name, 1 to \(Self.maximumEventName) characters")
                    continue
                }
                if exits.contains(name) {
                    fail("exit_events[\(index)]", "names \(name) a second time")
                } else {
                    exits.append(name)
                }
            }
        default: fail("exit_events", "must be an array of at most \(Self.maximumExitEvents) event names")
        }
        var correlation: [String]?
        switch fields["correlation"] {
        case nil, .null?: break
        case .string(let text)?:
            let path = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            if path.count >= 2, path.count <= 10, path[0] == "properties", path.allSatisfy({ !$0.isEmpty && $0.count <= 100 }),
                !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
            {
                correlation = path
            } else {
                fail(
                    "correlation",
                    #"must be a path into the event's properties: "properties.<name>[.<name>…]" (e.g. "properties.cart_id")"#)
            }
        default: fail("correlation", #"must be a path into the event's properties (e.g. "properties.cart_id")"#)
        }
        if !exits.isEmpty, delay == nil {
            fail("exit_events", "need a delay: an exit event cancels a firing only while it waits")
        }
        guard errors.isEmpty, let event, let reentry else { throw ValidationErrors(errors) }
        self.init(event: event, rule: rule, delay: delay, reentry: reentry, exitEvents: exits, correlation: correlation)
    }

    /// The JSON object ``init(json:)`` reads; unset optional members left out.
    public var json: JSONValue {
        var fields: [String: JSONValue] = ["event": .string(event), "reentry": .string(reentry.text)]
        if let rule { fields["rule"] = rule }
        if let delay { fields["delay"] = .string(delay.description) }
        if !exitEvents.isEmpty { fields["exit_events"] = .array(exitEvents.map { .string($0) }) }
        if let correlation { fields["correlation"] = .string(correlation.joined(separator: ".")) }
        return .object(fields)
    }

    static func isEventName(_ text: String) -> Bool {
        (1...maximumEventName).contains(text.count) && !text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }
}
