import Foundation

/// A tenant's configured gateway: a type, its settings (secrets decrypted), and the
/// delivery policy the workers apply to it.
public struct DeliveryChannel: Sendable, Hashable {
    public var id: UUID
    public var name: String
    public var configuration: ChannelConfiguration
    /// Messages per second across all workers together, or nil for no limit of ours.
    public var rateLimitPerSecond: Int?
    /// A channel of the same type to fail over to while this one's circuit is open.
    public var secondaryChannelID: UUID?
    public var createdAt: Date
    public var updatedAt: Date

    public var type: ChannelType { configuration.type }

    public init(
        id: UUID, name: String, configuration: ChannelConfiguration, rateLimitPerSecond: Int?, secondaryChannelID: UUID?,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.name = name
        self.configuration = configuration
        self.rateLimitPerSecond = rateLimitPerSecond
        self.secondaryChannelID = secondaryChannelID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
