import Foundation
import Logging
import PostgresNIO
import TuttiDomain

extension Database {
    /// The tenant and type of the live channel `channelID`, for a gateway callback that
    /// arrives without an API key; nil when there is no such channel. The look-up goes through
    /// the owner's `callback_channel` function (sql/0070), which answers only these two
    /// columns; everything after it runs in that tenant's session under row-level security.
    public func callbackChannel(_ channelID: UUID, logger: Logger) async throws(StoreError) -> (
        tenantID: UUID, type: ChannelType
    )? {
        do {
            let rows = try await client.query("SELECT tenant_id, type FROM callback_channel(\(channelID))", logger: logger)
            var found: [(UUID, String)] = []
            for try await row in rows.decode((UUID, String).self) { found.append(row) }
            // Ids are random; two tenants holding one would be refused rather than guessed between.
            guard found.count == 1, let type = ChannelType(rawValue: found[0].1) else { return nil }
            return (found[0].0, type)
        } catch {
            throw StoreError(error)
        }
    }
}
