import Foundation
import TuttiConnectors
import TuttiDomain
import TuttiStore

/// Channels with their connectors, kept for a short while so a batch does not open the
/// credentials of its channel again: keyed by tenant and channel, refreshed after `ttl`.
actor ChannelCache {
    struct Entry: Sendable {
        var channel: DeliveryChannel
        var connector: any Connector
        var loadedAt: ContinuousClock.Instant
    }

    private var entries: [String: Entry] = [:]
    private let ttl: Duration

    init(ttl: Duration = .seconds(30)) {
        self.ttl = ttl
    }

    func get(tenantID: UUID, channelID: UUID) -> Entry? {
        guard let entry = entries["\(tenantID)/\(channelID)"], ContinuousClock.now - entry.loadedAt < ttl else { return nil }
        return entry
    }

    func put(tenantID: UUID, channel: DeliveryChannel) -> Entry {
        let entry = Entry(channel: channel, connector: Connectors.connector(for: channel.configuration), loadedAt: .now)
        entries["\(tenantID)/\(channel.id)"] = entry
        return entry
    }
}
