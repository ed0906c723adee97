import Foundation
import Logging
import TuttiStore

/// The channels a batch sends through, with their connectors: from the shared
/// ``ChannelCache``, the others loaded with their credentials opened in one transaction.
struct ChannelDirectory: Sendable {
    let database: Database
    let keyring: ChannelKeyring
    let cache: ChannelCache
    let logger: Logger

    /// The channels of `ids`; deleted channels are missing from the answer.
    func channels(_ ids: Set<UUID>, tenant: UUID) async throws -> [UUID: ChannelCache.Entry] {
        var found: [UUID: ChannelCache.Entry] = [:]
        var missing: [UUID] = []
        for id in ids {
            if let entry = await cache.get(tenantID: tenant, channelID: id) { found[id] = entry } else { missing.append(id) }
        }
        guard !missing.isEmpty else { return found }
        let loaded = try await database.withTenant(tenant, logger: logger) { session in
            var loaded: [UUID: ChannelCache.Entry] = [:]
            for id in missing {
                if let channel = try await session.channelLoad(id: id, keyring: keyring) {
                    loaded[id] = await cache.put(tenantID: tenant, channel: channel)
                }
            }
            return loaded
        }
        return found.merging(loaded) { first, _ in first }
    }

    /// One channel, or nil when it was deleted.
    func channel(_ id: UUID, tenant: UUID) async throws -> ChannelCache.Entry? {
        try await channels([id], tenant: tenant)[id]
    }
}
