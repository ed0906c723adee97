import Foundation

/// A tenant's subscription topic (`newsletter`, `offers`, …) as the API takes it: what
/// consents, campaigns and unsubscribe links name by its `key` (docs/closed-loop.md, "Topics").
///
/// A `mandatory` topic (service announcements, say) is shown read-only in the preference
/// centre; `channels` are the consent channels it is offered on (default: e-mail only).
public struct TopicDefinition: Sendable, Hashable {
    public var key: String
    public var name: String
    public var description: String
    public var mandatory: Bool
    public var channels: [ConsentChannel]

    /// The members a topic may have; any other is refused.
    public static let members: Set<String> = ["key", "name", "description", "mandatory", "channels"]
    /// The longest description.
    public static let maximumDescription = 2000

    public init(
        key: String, name: String, description: String = "", mandatory: Bool = false, channels: [ConsentChannel] = [.email]
    ) {
        self.key = key
        self.name = name
        self.description = description
        self.mandatory = mandatory
        self.channels = channels
    }

    /// Reads a topic from its JSON object, collecting every error with its field.
    public init(json: JSONValue) throws(ValidationErrors) {
        guard case .object(let fields) = json else {
            throw ValidationErrors([ValidationError(field: "", message: "must be a JSON object")])
        }
        var errors: [ValidationError] = []
        for key in fields.keys.sorted() where !Self.members.contains(key) {
            errors.append(
                ValidationError(
                    field: key,
                    message: "is not a member of a topic, which takes \(Self.members.sorted().joined(separator: ", "))"))
        }
        var key: String?
        if case .string(let text)? = fields["key"], !text.isEmpty {
            do throws(ValidationError) { key = try ConsentTopic.validate(text, field: "key") } catch { errors.append(error) }
        } else {
            errors.append(ValidationError(field: "key", message: "is required: lower-case letters, digits, _ or -, at most 64"))
        }
        var name: String?
        if case .string(let text)? = fields["name"] {
            do throws(ValidationError) { name = try DisplayName.validate(text) } catch { errors.append(error) }
        } else {
            errors.append(
                ValidationError(field: "name", message: "is required: a string of 1 to \(DisplayName.maximumLength) characters"))
        }
        var description = ""
        switch fields["description"] {
        case nil, .null?: break
        case .string(let text)? where text.count <= Self.maximumDescription:
            description = text
        default:
            errors.append(
                ValidationError(
                    field: "description", message: "must be a string of at most \(Self.maximumDescription) characters"))
        }
        var mandatory = false
        switch fields["mandatory"] {
        case nil, .null?: break
        case .bool(let value)?: mandatory = value
        default: errors.append(ValidationError(field: "mandatory", message: "must be true or false"))
        }
        var channels: [ConsentChannel] = [.email]
        switch fields["channels"] {
        case nil, .null?: break
        case .array(let values)? where !values.isEmpty:
            var seen: [ConsentChannel] = []
            for (index, value) in values.enumerated() {
                guard let channel = value.stringValue.flatMap(ConsentChannel.init(rawValue:)) else {
                    errors.append(
                        ValidationError(
                            field: "channels[\(index)]",
                            message: "must be one of \(ConsentChannel.allCases.map(\.rawValue).joined(separator: ", "))"))
                    continue
                }
                if !seen.contains(channel) { seen.append(channel) }
            }
            channels = seen
        default:
            errors.append(
                ValidationError(field: "channels", message: "must be a non-empty array of consent channels (email, sms, push, …)")
            )
        }
        guard errors.isEmpty, let key, let name else { throw ValidationErrors(errors) }
        self.init(key: key, name: name, description: description, mandatory: mandatory, channels: channels)
    }

    /// The JSON object ``init(json:)`` reads.
    public var json: JSONValue {
        .object([
            "key": .string(key), "name": .string(name), "description": .string(description), "mandatory": .bool(mandatory),
            "channels": .array(channels.map { .string($0.rawValue) }),
        ])
    }

    /// This topic with a JSON merge patch (RFC 7396) applied: a member given replaces the
    /// stored one, `null` removes it (optional members go back to their defaults).
    public func patched(with patch: [String: JSONValue]) throws(ValidationErrors) -> TopicDefinition {
        guard case .object(var fields) = json else { return self }
        for (key, value) in patch {
            if value == .null { fields[key] = nil } else { fields[key] = value }
        }
        return try TopicDefinition(json: .object(fields))
    }
}
