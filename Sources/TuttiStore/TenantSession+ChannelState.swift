import Foundation
import PostgresNIO
import TuttiDomain
import TuttiQueue

extension TenantSession {
    /// Takes up to `count` sending tokens from the channel's bucket, refilled at
    /// `perSecond` from the database clock and holding at most `burst`; returns how many it
    /// got (possibly 0). One statement; the row lock serialises workers, so the limit holds
    /// across all of them together.
    public func channelTakeTokens(channelID: UUID, count: Int, perSecond: Int, burst: Double) async throws -> Int {
        let rows = try await query(
            """
            WITH made AS (
                INSERT INTO channel_states (tenant_id, channel_id) VALUES (\(tenantID), \(channelID)) ON CONFLICT DO NOTHING
            ), old AS (
                SELECT least(\(burst)::float8, rate_tokens + \(Double(perSecond))::float8
                             * greatest(0, extract(epoch FROM clock_timestamp() - rate_refilled_at))::float8) AS available
                FROM channel_states WHERE tenant_id = \(tenantID) AND channel_id = \(channelID) FOR UPDATE
            ), taken AS (
                UPDATE channel_states s
                SET rate_tokens = old.available - least(\(count), floor(old.available)), rate_refilled_at = clock_timestamp()
                FROM old WHERE s.tenant_id = \(tenantID) AND s.channel_id = \(channelID)
                RETURNING least(\(count), floor(old.available))::int8 AS granted
            )
            SELECT coalesce((SELECT granted FROM taken), 0)::int8
            """)
        if let granted = try await rows.decode(Int64.self).firstRow() { return Int(granted) }
        return 0
    }
}
