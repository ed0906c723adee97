import Foundation

/// Something that happened to or was done by a customer, as stored on the timeline.
public struct CustomerEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case track, page, screen, identify, group, alias, system
    }

    public var id: UUID
    public var customerID: UUID
    public var kind: Kind
    public var name: String
    public var properties: [String: JSONValue]
    public var context: [String: JSONValue]
    public var channel: String?
    /// The sender's id for deduplication (Segment's `messageId`).
    public var messageID: String?
    public var occurredAt: Date

    public init(
        id: UUID = .v7(), customerID: UUID, kind: Kind, name: String, properties: [String: JSONValue] = [:],
        context: [String: JSONValue] = [:], channel: String? = nil, messageID: String? = nil, occurredAt: Date
    ) {
        self.id = id
        self.customerID = customerID
        self.kind = kind
        self.name = name
        self.properties = properties
        self.context = context
        self.channel = channel
        self.messageID = messageID
        self.occurredAt = occurredAt
    }
}

/// One entry of a customer's timeline, newest first: an event, a consent change, a merge, a
/// message touch (a message queued, each attempt that left it sent, failed or dead, and a
/// message skipped), or a campaign's decision that sent nothing (held out, skipped, deferred).
public struct TimelineEntry: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable { case event, consent, merge, message, campaign }

    public var kind: Kind
    public var id: UUID
    public var at: Date
    public var title: String
    public var channel: String?
    public var detail: [String: JSONValue]

    public init(kind: Kind, id: UUID, at: Date, title: String, channel: String?, detail: [String: JSONValue]) {
        self.kind = kind
        self.id = id
        self.at = at
        self.title = title
        self.channel = channel
        self.detail = detail
    }
}

/// Keyset position in a list ordered by (time, id) descending, as an opaque cursor.
public enum TimeCursor {
    private static let version = "t1:"

    public static func encode(at: Date, id: UUID) -> String {
        let micros = Int64((at.timeIntervalSince1970 * 1_000_000).rounded())
        return Base64URL.encode(Array("\(version)\(micros):\(id.uuidString.lowercased())".utf8))
    }

    public static func decode(_ cursor: String) -> (at: Date, id: UUID)? {
        guard let data = Base64URL.decode(cursor), let text = String(data: data, encoding: .utf8), text.hasPrefix(version) else {
            return nil
        }
        let parts = text.dropFirst(version.count).split(separator: ":")
        guard parts.count == 2, let micros = Int64(parts[0]), let id = UUID(uuidString: String(parts[1])) else { return nil }
        return (Date(timeIntervalSince1970: Double(micros) / 1_000_000), id)
    }
}
