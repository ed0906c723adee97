import Foundation
import TuttiDomain

/// A channel as stored, without its credentials: what the API shows and lists. Reading it
/// needs no key; ``TenantSession/channelLoad(id:keyring:)`` opens the credentials when a
/// delivery or a change needs them.
public struct ChannelRecord: Sendable, Hashable {
    public var id: UUID
    public var type: ChannelType
    public var name: String
    /// Settings without credentials.
    public var config: [String: JSONValue]
    /// For each credential field, its mask (`{"set": true, "last4": "…"}`).
    public var secretHints: [String: JSONValue]
    public var rateLimitPerSecond: Int?
    public var secondaryChannelID: UUID?
    /// The name of the key the credentials are sealed under.
    public var secretsKeyID: String
    public var createdAt: Date
    public var updatedAt: Date

    /// Settings and masked credentials together, as a client sees `config`.
    public var maskedConfig: [String: JSONValue] { config.merging(secretHints) { $1 } }
}

/// Why a channel cannot be saved.
public enum ChannelWriteError: Error, Sendable, Equatable {
    /// Another live channel of the tenant has this name (names compare case-insensitively).
    case nameTaken(String)
    /// The secondary channel does not exist, is this channel, or is of another type.
    case invalidSecondary(String)
}
