import Foundation

/// Where one recipient of a campaign ended, as the API reports it: the build's decision
/// (held out, skipped) or, for a queued recipient, its message's state.
public enum CampaignOutcome: String, Sendable, Hashable, CaseIterable, Codable {
    /// In the holdout group: planned, sent nothing.
    case heldOut = "held_out"
    /// Sent nothing, with a reason: by the build (`unreachable`, `capped`, …) or at send time
    /// (the contact policy, `expired`, a cancelled campaign).
    case skipped
    /// A message waits in the queue or is being sent.
    case queued
    /// The gateway accepted the message.
    case sent
    /// The last attempt failed (another may follow) or no attempt will follow.
    case failed
}

/// One customer of one occurrence of a campaign.
public struct CampaignRecipient: Sendable, Hashable {
    public var customerID: UUID
    public var occurrence: Int
    public var outcome: CampaignOutcome
    /// Why a skipped recipient was skipped.
    public var reason: String?
    public var channelID: UUID?
    public var messageID: UUID?
    public var plannedAt: Date

    public init(
        customerID: UUID, occurrence: Int, outcome: CampaignOutcome, reason: String?, channelID: UUID?, messageID: UUID?,
        plannedAt: Date
    ) {
        self.customerID = customerID
        self.occurrence = occurrence
        self.outcome = outcome
        self.reason = reason
        self.channelID = channelID
        self.messageID = messageID
        self.plannedAt = plannedAt
    }
}

/// How a campaign's recipients stand, over all its occurrences: every recipient counts once in
/// `audience` and once in exactly one of the others.
public struct CampaignCounts: Sendable, Hashable {
    public var audience = 0
    public var queued = 0
    public var sent = 0
    public var failed = 0
    public var heldOut = 0
    /// Skipped recipients by reason.
    public var skipped: [String: Int] = [:]

    public init() {}

    /// Adds `count` recipients that ended at `outcome` (with `reason` when skipped).
    public mutating func add(_ count: Int, outcome: CampaignOutcome, reason: String?) {
        audience += count
        switch outcome {
        case .heldOut: heldOut += count
        case .queued: queued += count
        case .sent: sent += count
        case .failed: failed += count
        case .skipped: skipped[reason ?? "unknown", default: 0] += count
        }
    }
}

/// Where a listing of recipients stands: the last recipient of a page, by (occurrence,
/// customer), written as an opaque cursor (base64url of a versioned payload, as ``PageCursor``).
public struct CampaignRecipientPosition: Sendable, Hashable {
    public var occurrence: Int
    public var customerID: UUID

    private static let version = "r1:"

    public init(occurrence: Int, customerID: UUID) {
        self.occurrence = occurrence
        self.customerID = customerID
    }

    /// Reads a cursor this API returned; nil for anything else.
    public init?(cursor: String) {
        guard let bytes = Base64URL.decode(cursor), let text = String(data: bytes, encoding: .utf8), text.hasPrefix(Self.version)
        else { return nil }
        let parts = text.dropFirst(Self.version.count).split(separator: ":")
        guard parts.count == 2, parts[0].allSatisfy(\.isASCIIDigit), parts[0].count <= 9, let occurrence = Int(parts[0]),
            let customerID = UUID(uuidString: String(parts[1]))
        else { return nil }
        self.init(occurrence: occurrence, customerID: customerID)
    }

    public var cursor: String {
        Base64URL.encode(Array("\(Self.version)\(occurrence):\(customerID.canonicalText)".utf8))
    }
}

/// Which recipients a listing returns: by outcome and reason, a page after a position.
public struct CampaignRecipientQuery: Sendable, Hashable {
    public var outcome: CampaignOutcome?
    public var reason: String?
    public var limit: Int
    public var after: CampaignRecipientPosition?

    public init(
        outcome: CampaignOutcome? = nil, reason: String? = nil, limit: Int = PageRequest.defaultLimit,
        after: CampaignRecipientPosition? = nil
    ) {
        self.outcome = outcome
        self.reason = reason
        self.limit = limit
        self.after = after
    }
}
