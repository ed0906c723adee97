import Foundation
import PostgresNIO
import TuttiDomain

/// A channel's circuit as the worker sees it before sending a batch.
public enum ChannelCircuit: Sendable, Hashable {
    /// Send normally.
    case closed
    /// Send one message as a probe; this worker won the half-open slot.
    case probe
    /// Do not send; the next probe is due in `retryAfter`.
    case open(retryAfter: Duration)
}

extension TenantSession {
    /// Reads the channel's circuit (making its state row on first use) and, when the circuit
    /// is open and its probe is due, takes the half-open slot for this worker in the same
    /// statement, so exactly one worker probes. `cooldown` is how long the slot is held.
    public func channelCircuitCheck(channelID: UUID, cooldown: Duration) async throws -> ChannelCircuit {
        let rows = try await query(
            """
            WITH made AS (
                INSERT INTO channel_states (tenant_id, channel_id) VALUES (\(tenantID), \(channelID)) ON CONFLICT DO NOTHING
            ), probe AS (
                UPDATE channel_states SET circuit = 'half_open', probe_at = clock_timestamp() + make_interval(secs => \(cooldown.secondsValue)),
                       updated_at = clock_timestamp()
                WHERE tenant_id = \(tenantID) AND channel_id = \(channelID) AND circuit IN ('open', 'half_open') AND probe_at <= clock_timestamp()
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM probe)::int8,
                   coalesce((SELECT s.circuit FROM channel_states s WHERE s.tenant_id = \(tenantID) AND s.channel_id = \(channelID)), 'closed'),
                   coalesce((SELECT extract(epoch FROM s.probe_at - clock_timestamp())::float8 FROM channel_states s
                             WHERE s.tenant_id = \(tenantID) AND s.channel_id = \(channelID)), 0)
            """)
        for try await (probed, circuit, wait) in rows.decode((Int64, String, Double).self) {
            if probed > 0 { return .probe }
            if circuit == "closed" { return .closed }
            return .open(retryAfter: .milliseconds(Int64(max(0.1, wait) * 1000)))
        }
        return .closed
    }

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

    /// Records a batch's effect on the channel's circuit: a success closes it and resets the
    /// count to the failures after the last success (`trailingFailures`); failures alone add
    /// up, and at `threshold` the circuit opens until `cooldown` has passed.
    public func channelCircuitRecord(
        channelID: UUID, succeeded: Bool, trailingFailures: Int, threshold: Int, cooldown: Duration, lastFailure: String?
    ) async throws {
        try await execute(
            """
            UPDATE channel_states SET
                consecutive_failures = CASE WHEN \(succeeded) THEN \(trailingFailures) ELSE consecutive_failures + \(trailingFailures) END,
                circuit = CASE
                    WHEN (CASE WHEN \(succeeded) THEN \(trailingFailures) ELSE consecutive_failures + \(trailingFailures) END) >= \(threshold) THEN 'open'
                    WHEN \(succeeded) THEN 'closed' ELSE circuit END,
                opened_at = CASE
                    WHEN (CASE WHEN \(succeeded) THEN \(trailingFailures) ELSE consecutive_failures + \(trailingFailures) END) >= \(threshold)
                         THEN clock_timestamp() ELSE opened_at END,
                probe_at = CASE
                    WHEN (CASE WHEN \(succeeded) THEN \(trailingFailures) ELSE consecutive_failures + \(trailingFailures) END) >= \(threshold)
                         THEN clock_timestamp() + make_interval(secs => \(cooldown.secondsValue)) ELSE probe_at END,
                last_failure = coalesce(\(lastFailure), last_failure),
                updated_at = clock_timestamp()
            WHERE tenant_id = \(tenantID) AND channel_id = \(channelID)
              -- A clean batch on a closed circuit changes nothing: no write, no row lock.
              AND NOT (\(succeeded) AND \(trailingFailures) = 0 AND circuit = 'closed' AND consecutive_failures = 0)
            """)
    }
}
