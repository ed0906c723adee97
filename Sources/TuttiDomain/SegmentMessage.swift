import Foundation

/// One message of the Segment Tracking API (`identify`, `track`, `page`, `screen`, `group`,
/// `alias`), read leniently the way Segment reads it: unknown fields are ignored, the common
/// fields are checked.
public struct SegmentMessage: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case identify, track, page, screen, group, alias
    }

    public var kind: Kind
    public var messageID: String?
    public var userID: String?
    public var anonymousID: String?
    /// `track`: the event's name; `page`/`screen`: the page's name.
    public var event: String?
    public var properties: [String: JSONValue]
    public var traits: [String: JSONValue]
    public var context: [String: JSONValue]
    /// `alias`: the id being merged into `userID`.
    public var previousID: String?
    /// `group`: the group's id.
    public var groupID: String?
    public var timestamp: Date?
    public var sentAt: Date?

    /// Reads a message of `kind` (from the route, or from `type` inside a batch).
    public init(kind: Kind, json: [String: JSONValue], batchSentAt: Date? = nil, batchContext: [String: JSONValue] = [:]) throws(ValidationError) {
        func string(_ key: String) throws(ValidationError) -> String? {
            switch json[key] {
            case nil, .null?: return nil
            case .string(let value)?: return value.isEmpty ? nil : value
            case .number(let value)?: return value.rounded() == value ? String(Int64(value)) : String(value)
            default: throw ValidationError(field: key, message: "must be a string")
            }
        }
        func object(_ key: String) throws(ValidationError) -> [String: JSONValue] {
            switch json[key] {
            case nil, .null?: return [:]
            case .object(let value)?: return value
            default: throw ValidationError(field: key, message: "must be an object")
            }
        }
        func date(_ key: String) throws(ValidationError) -> Date? {
            guard let text = try string(key) else { return nil }
            guard let date = ISO8601.parse(text) else { throw ValidationError(field: key, message: "must be an ISO 8601 date-time") }
            return date
        }
        self.kind = kind
        messageID = try string("messageId")
        userID = try string("userId")
        anonymousID = try string("anonymousId")
        previousID = try string("previousId")
        groupID = try string("groupId")
        properties = try object("properties")
        traits = try object("traits")
        let ownContext = try object("context")
        context = batchContext.merging(ownContext) { _, own in own }
        let explicitTimestamp = try date("timestamp")
        let originalTimestamp = try date("originalTimestamp")
        timestamp = explicitTimestamp ?? originalTimestamp
        let ownSentAt = try date("sentAt")
        sentAt = ownSentAt ?? batchSentAt
        switch kind {
        case .track:
            event = try string("event")
            guard event != nil else { throw ValidationError(field: "event", message: "is required for track") }
        case .page, .screen:
            event = try string("name")
        default:
            event = nil
        }
        if kind == .alias {
            guard userID != nil, previousID != nil else { throw ValidationError(field: "previousId", message: "and userId are required for alias") }
        } else if userID == nil && anonymousID == nil {
            throw ValidationError(field: "userId", message: "or anonymousId is required")
        }
        if kind == .group, groupID == nil { throw ValidationError(field: "groupId", message: "is required for group") }
        if let messageID, messageID.count > 255 { throw ValidationError(field: "messageId", message: "must be at most 255 characters") }
    }

    /// When the event happened, corrected for the client's clock as Segment does:
    /// `receivedAt - (sentAt - timestamp)`. Without `sentAt` the timestamp is taken as is;
    /// without a timestamp, the time it was received.
    public func occurredAt(receivedAt: Date) -> Date {
        guard let timestamp else { return receivedAt }
        guard let sentAt else { return timestamp }
        return receivedAt.addingTimeInterval(-sentAt.timeIntervalSince(timestamp))
    }

    /// The event name recorded for this message on the timeline.
    public var eventName: String {
        switch kind {
        case .track: event ?? "Track"
        case .page: event.map { "Viewed \($0) Page" } ?? "Viewed Page"
        case .screen: event.map { "Viewed \($0) Screen" } ?? "Viewed Screen"
        case .identify: "Identify"
        case .group: "Group"
        case .alias: "Alias"
        }
    }

    /// The channel the message came from: `context.channel`, else `web` for pages and
    /// `mobile` for screens.
    public var channel: String? {
        if let channel = context["channel"]?.stringValue { return channel }
        switch kind {
        case .page: return "web"
        case .screen: return "mobile"
        default: return nil
        }
    }
}

/// ISO 8601 date-times as clients send them: with or without fractional seconds (any number of
/// digits), `Z` or an offset.
public enum ISO8601 {
    public static func parse(_ text: String) -> Date? {
        var text = text
        // Foundation reads at most three fractional digits; Python sends six.
        if let dot = text.firstIndex(of: "."), let end = text[dot...].firstIndex(where: { !$0.isNumber && $0 != "." }) ?? Optional(text.endIndex) {
            let digits = text[text.index(after: dot)..<end]
            let kept = String(digits.prefix(3)).padding(toLength: 3, withPad: "0", startingAt: 0)
            text = String(text[..<dot]) + "." + kept + String(text[end...])
        }
        if text.count == 10, LocalDate(text) != nil { text += "T00:00:00Z" }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = text.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        return formatter.date(from: text)
    }

    public static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
