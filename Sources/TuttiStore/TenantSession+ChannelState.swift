import Foundation
import PostgresNIO
import TuttiDomain
import TuttiQueue

extension TenantSession {
    /// Takes up to `count` sending tokens from the channel's bucket, refilled at
    /// `perSecond` from the database clock and holding at most `burst`; returns how many it
    /// got (possibly 0). One statement; the row lock serialises workers, so the limit holds
    /// across all of them together. The clock is read once, under the lock, and the refill time
    /// written from it (Citus refuses `clock_timestamp()` in an UPDATE's SET).
    public func channelTakeTokens(channelID: UUID, count: Int, perSecond: Int, burst: Double) async throws -> Int {
        let rows = try await query(
            """
            WITH made AS (
                INSERT INTO channel_states (tenant_id, channel_id) VALUES (\(tenantID), \(channelID)) ON CONFLICT DO NOTHING
            ), old AS (
                SELECT clock_timestamp() AS at, rate_tokens, rate_refilled_at
                FROM channel_states WHERE tenant_id = \(tenantID) AND channel_id = \(channelID) FOR UPDATE
            ), refilled AS (
                SELECT at, least(\(burst)::float8, rate_tokens + \(Double(perSecond))::float8
                                 * greatest(0, extract(epoch FROM at - rate_refilled_at))::float8) AS available
                FROM old
            ), taken AS (
                UPDATE channel_states s
                SET rate_tokens = r.available - least(\(count), floor(r.available)), rate_refilled_at = r.at
                FROM refilled r WHERE s.tenant_id = \(tenantID) AND s.channel_id = \(channelID)
                RETURNING least(\(count), floor(r.available))::int8 AS granted
            )
            SELECT coalesce((SELECT granted FROM taken), 0)::int8
            """)
        if let granted = try await rows.decode(Int64.self).firstRow() { return Int(granted) }
        return 0
    }
}
