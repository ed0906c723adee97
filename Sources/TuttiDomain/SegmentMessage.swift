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
            case .string(let value)?:
                guard !value.utf8.contains(0) else { throw ValidationError(field: key, message: "must not contain U+0000") }
                return value.isEmpty ? nil : value
            // Int64(_:) traps beyond its range: 1e300 is a whole number too.
            case .number(let value)?: return value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
            default: throw ValidationError(field: key, message: "must be a string")
            }
        }
        func object(_ key: String) throws(ValidationError) -> [String: JSONValue] {
            switch json[key] {
            case nil, .null?: return [:]
            case .object(let value)?:
                // PostgreSQL cannot store U+0000 in jsonb: a 422 here rather than a 500 there.
                guard !JSONValue.object(value).containsNUL else {
                    throw ValidationError(field: key, message: "must not contain U+0000 in a name or a string")
                }
                return value
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
        guard batchContext.isEmpty || !JSONValue.object(batchContext).containsNUL else {
            throw ValidationError(field: "context", message: "must not contain U+0000 in a name or a string")
        }
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
        if let messageID, messageID.unicodeScalars.count > 255 {
            throw ValidationError(field: "messageId", message: "must be at most 255 characters")
        }
    }

    /// When the event happened, corrected for the client's clock as Segment does:
    /// `receivedAt - (sentAt - timestamp)`. Without `sentAt` the timestamp is taken as is;
    /// without a timestamp, the time it was received.
    public func occurredAt(receivedAt: Date) -> Date {
        guard let timestamp else { return receivedAt }
        guard let sentAt else { return timestamp }
        let corrected = receivedAt.addingTimeInterval(-sentAt.timeIntervalSince(timestamp))
        // A skew of millennia (timestamp in year 165, sentAt in 7881) is no clock to correct
        // for, and would leave PostgreSQL's range: the timestamp stands as sent.
        return Self.storable.contains(corrected) ? corrected : timestamp
    }

    /// Years 1 to 9999, the dates ISO 8601 writes with four digits.
    static let storable = Date(timeIntervalSince1970: -62_135_596_800)...Date(timeIntervalSince1970: 253_402_300_799)

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
