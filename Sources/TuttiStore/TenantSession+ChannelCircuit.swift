import Foundation
import PostgresNIO
import TuttiDomain
import TuttiQueue

/// A channel's circuit as read from `channel_states`: the state, the database's clock at the
/// read, and the row version that a write must still find (optimistic concurrency).
public struct ChannelCircuitSnapshot: Sendable, Hashable {
    public var state: CircuitBreaker.State
    public var now: Date
    /// The row version read (its `updated_at` as text, exact to the microsecond; every save sets
    /// it to the database clock of its read; Citus cannot read `xmin`);
    /// ``TenantSession/channelCircuitSave(channelID:from:to:lastFailure:)`` writes only while it is unchanged.
    public var version: String
}

extension TenantSession {
    /// Reads the channel's circuit, making its state row on first use, with the database's
    /// clock. The circuit's decisions are ``CircuitBreaker``'s; this only persists them.
    public func channelCircuitLoad(channelID: UUID) async throws -> ChannelCircuitSnapshot {
        // A row another worker inserted at the same moment is waited for but not seen by this
        // statement's snapshot (no row comes back): the next statement sees it.
        for _ in 0..<3 {
            let rows = try await query(
                """
                WITH made AS (
                    INSERT INTO channel_states (tenant_id, channel_id) VALUES (\(tenantID), \(channelID))
                    ON CONFLICT DO NOTHING
                    RETURNING circuit, consecutive_failures, probe_at, updated_at
                )
                SELECT circuit, consecutive_failures, probe_at, updated_at::text, clock_timestamp() FROM made
                UNION ALL
                SELECT circuit, consecutive_failures, probe_at, updated_at::text, clock_timestamp()
                FROM channel_states WHERE tenant_id = \(tenantID) AND channel_id = \(channelID)
                """)
            let row = try await rows.decode((String, Int, Date?, String, Date).self).firstRow()
            guard let (circuit, failures, probeAt, version, now) = row else { continue }
            let state: CircuitBreaker.State
            switch circuit {
            case "open": state = .open(probeAt: probeAt ?? now)
            case "half_open": state = .halfOpen(probeUntil: probeAt ?? now)
            default: state = .closed(consecutiveFailures: failures)
            }
            return ChannelCircuitSnapshot(state: state, now: now, version: version)
        }
        throw StoreError.unavailable
    }

    /// Writes `state` over the circuit read in `snapshot`, only while the row is still the
    /// version read. False when another worker changed it first: read again and decide again.
    public func channelCircuitSave(
        channelID: UUID, from snapshot: ChannelCircuitSnapshot, to state: CircuitBreaker.State, lastFailure: String?
    ) async throws -> Bool {
        let circuit: String
        var failures: Int?
        var probeAt: Date?
        var openedAt: Date?
        switch state {
        case .closed(let count):
            circuit = "closed"
            failures = count
        case .open(let at):
            circuit = "open"
            probeAt = at
            if case .open = snapshot.state {} else { openedAt = snapshot.now }
        case .halfOpen(let until):
            circuit = "half_open"
            probeAt = until
        }
        let rows = try await query(
            """
            UPDATE channel_states
            SET circuit = \(circuit), consecutive_failures = coalesce(\(failures), consecutive_failures),
                probe_at = coalesce(\(probeAt), probe_at), opened_at = coalesce(\(openedAt), opened_at),
                last_failure = coalesce(\(lastFailure), last_failure), updated_at = \(snapshot.now)
            WHERE tenant_id = \(tenantID) AND channel_id = \(channelID) AND updated_at = \(snapshot.version)::timestamptz
            RETURNING 1
            """)
        return try await rows.decode(Int.self).firstRow() != nil
    }
}

extension TenantSession {
    /// Optimistic writes tried before giving up for this batch (a circuit changed by other
    /// workers this often in one moment is busy; the deliveries wait a second).
    private static let circuitWriteAttempts = 4

    /// May a worker send through `channelID` now? Reads the circuit, lets `breaker`'s rules
    /// (``CircuitBreaker/check(now:)``) decide, and persists a change only while the row is
    /// still the version read, so that two workers deciding at once cannot both take the probe.
    /// Also returns the state seen, so that a clean batch on a healthy circuit need not be recorded.
    public func channelCircuitCheck(
        channelID: UUID, threshold: Int, cooldown: Duration
    ) async throws -> (permission: CircuitBreaker.Permission, seen: CircuitBreaker.State) {
        for _ in 0..<Self.circuitWriteAttempts {
            let snapshot = try await channelCircuitLoad(channelID: channelID)
            var breaker = CircuitBreaker(state: snapshot.state, threshold: threshold, cooldown: cooldown)
            let permission = breaker.check(now: snapshot.now)
            if breaker.state == snapshot.state { return (permission, snapshot.state) }
            if try await channelCircuitSave(channelID: channelID, from: snapshot, to: breaker.state, lastFailure: nil) {
                return (permission, breaker.state)
            }
        }
        return (.wait(retryAfter: .seconds(1)), .halfOpen(probeUntil: Date()))
    }

    /// Records a batch's `tally` on the channel's circuit (``CircuitBreaker/record(_:now:)``),
    /// written only while the row is still the version read, else read and decided again.
    public func channelCircuitRecord(channelID: UUID, tally: CircuitBreaker.Tally, threshold: Int, cooldown: Duration)
        async throws
    {
        for _ in 0..<Self.circuitWriteAttempts {
            let snapshot = try await channelCircuitLoad(channelID: channelID)
            var breaker = CircuitBreaker(state: snapshot.state, threshold: threshold, cooldown: cooldown)
            breaker.record(tally, now: snapshot.now)
            if breaker.state == snapshot.state && tally.lastFailure == nil { return }
            if try await channelCircuitSave(
                channelID: channelID, from: snapshot, to: breaker.state, lastFailure: tally.lastFailure)
            {
                return
            }
        }
    }
}
