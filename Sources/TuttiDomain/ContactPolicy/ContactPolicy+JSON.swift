import Foundation

extension ContactPolicy {
    /// The most caps a policy may have.
    public static let maximumCaps = 20
    /// The largest `max` of a cap.
    public static let maximumCount = 10_000

    /// Parses and validates the document of `PUT /v1/contact-policy`:
    /// `{"caps": [{"channels": "all" | [...], "max", "per"}], "quiet_hours": {"start", "end",
    /// "channels", "action"} | null}`. Unknown fields are refused. Throws every problem found,
    /// each naming its field (`caps[1].per`).
    public init(json: JSONValue) throws(ValidationErrors) {
        var errors: [ValidationError] = []
        guard let object = json.objectValue else { throw ValidationErrors([.init(field: "", message: "must be an object")]) }
        Self.refuseUnknown(object, known: ["caps", "quiet_hours"], at: "", into: &errors)
        var caps: [Cap] = []
        switch object["caps"] {
        case nil, .null: break
        case .array(let items):
            if items.count > Self.maximumCaps {
                errors.append(.init(field: "caps", message: "must have at most \(Self.maximumCaps) caps"))
            }
            for (index, item) in items.enumerated() {
                if let cap = Self.cap(item, at: "caps[\(index)]", into: &errors) { caps.append(cap) }
            }
        default: errors.append(.init(field: "caps", message: "must be an array of caps"))
        }
        var quietHours: QuietHours?
        switch object["quiet_hours"] {
        case nil, .null: break
        case .object(let fields): quietHours = Self.quietHours(fields, into: &errors)
        default: errors.append(.init(field: "quiet_hours", message: "must be an object or null"))
        }
        guard errors.isEmpty else { throw ValidationErrors(errors) }
        self.init(caps: caps, quietHours: quietHours)
    }

    /// The policy as the API shows it and the store keeps it.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "caps": .array(
                caps.map {
                    .object(["channels": $0.channels.json, "max": .number(Double($0.max)), "per": .string($0.per.description)])
                })
        ]
        if let quiet = quietHours {
            object["quiet_hours"] = .object([
                "start": .string(quiet.start.clockText), "end": .string(quiet.end.clockText), "channels": quiet.channels.json,
                "action": .string(quiet.action.rawValue),
            ])
        } else {
            object["quiet_hours"] = .null
        }
        return .object(object)
    }

    private static func cap(_ value: JSONValue, at path: String, into errors: inout [ValidationError]) -> Cap? {
        guard let fields = value.objectValue else {
            errors.append(.init(field: path, message: "must be an object with channels, max and per"))
            return nil
        }
        refuseUnknown(fields, known: ["channels", "max", "per"], at: path + ".", into: &errors)
        let channels = selection(fields["channels"], at: path + ".channels", into: &errors)
        var max: Int?
        if case .number(let number) = fields["max"], number == number.rounded(), (1...Double(maximumCount)).contains(number) {
            max = Int(number)
        } else {
            errors.append(.init(field: path + ".max", message: "must be a whole number from 1 to \(maximumCount)"))
        }
        var per: PolicyWindow?
        if let text = fields["per"]?.stringValue, let window = PolicyWindow(text) {
            per = window
        } else {
            errors.append(
                .init(
                    field: path + ".per",
                    message:
                        "must be \"<n> <unit>\" with unit minutes, hours, days or weeks and n from 1 to 999 (such as \"7 days\", \"12 hours\")"
                ))
        }
        guard let channels, let max, let per else { return nil }
        return Cap(channels: channels, max: max, per: per)
    }

    private static func quietHours(_ fields: [String: JSONValue], into errors: inout [ValidationError]) -> QuietHours? {
        refuseUnknown(fields, known: ["start", "end", "channels", "action"], at: "quiet_hours.", into: &errors)
        let start = fields["start"]?.stringValue.flatMap(LocalTime.init)
        let end = fields["end"]?.stringValue.flatMap(LocalTime.init)
        if start == nil {
            errors.append(.init(field: "quiet_hours.start", message: "must be a local time HH:MM (00:00 to 23:59)"))
        }
        if end == nil { errors.append(.init(field: "quiet_hours.end", message: "must be a local time HH:MM (00:00 to 23:59)")) }
        if let start, let end, start == end {
            errors.append(.init(field: "quiet_hours.end", message: "must differ from start"))
        }
        var channels: ChannelSelection? = .all
        if let value = fields["channels"], value != .null {
            channels = selection(value, at: "quiet_hours.channels", into: &errors)
        }
        var action = QuietHours.Action.defer
        if let value = fields["action"], value != .null {
            if let text = value.stringValue, let parsed = QuietHours.Action(rawValue: text) {
                action = parsed
            } else {
                errors.append(.init(field: "quiet_hours.action", message: "must be \"defer\" or \"skip\""))
            }
        }
        guard let start, let end, let channels, start != end else { return nil }
        return QuietHours(start: start, end: end, channels: channels, action: action)
    }

    private static func selection(_ value: JSONValue?, at path: String, into errors: inout [ValidationError]) -> ChannelSelection?
    {
        let expected =
            "must be \"all\" or a non-empty array of distinct channel types or kinds (\(ChannelSelection.knownNames.joined(separator: ", ")))"
        switch value {
        case .string("all"): return .all
        case .array(let items):
            let names = items.compactMap(\.stringValue)
            let unknown = names.filter { !ChannelSelection.knownNames.contains($0) }
            guard !names.isEmpty, names.count == items.count, Set(names).count == names.count else {
                errors.append(.init(field: path, message: expected))
                return nil
            }
            guard unknown.isEmpty else {
                errors.append(
                    .init(field: path, message: "names unknown channels (\(unknown.joined(separator: ", "))): \(expected)"))
                return nil
            }
            return .only(names)
        default:
            errors.append(.init(field: path, message: expected))
            return nil
        }
    }

    private static func refuseUnknown(
        _ object: [String: JSONValue], known: Set<String>, at prefix: String, into errors: inout [ValidationError]
    ) {
        for key in object.keys.sorted() where !known.contains(key) {
            errors.append(.init(field: prefix + key, message: "is not a field of a contact policy"))
        }
    }
}

extension ChannelSelection {
    /// `"all"` or the list of names as given.
    public var json: JSONValue {
        switch self {
        case .all: .string("all")
        case .only(let names): .array(names.map(JSONValue.string))
        }
    }
}
