import Foundation
import PostgresNIO
import TuttiDomain
import TuttiQueue

extension TenantSession {
    /// Appends the attempts and moves each message to its new state (accepted → sent,
    /// failed → dead, retry → failed, or dead on the last attempt) in one statement (after one
    /// that locks the jobs), for the records whose lease is still current; it locks those
    /// jobs, so call it before `queueFail` in the same transaction and the lease cannot lapse
    /// in between. A message
    /// already sent stays sent. Accepted deliveries usually go through
    /// ``deliveryCycle(recording:queue:worker:limit:lease:)`` instead, which also completes
    /// their jobs. Returns how many records were written.
    @discardableResult
    public func messageRecordAttempts(_ records: [MessageAttemptRecord], worker: String) async throws -> Int {
        guard !records.isEmpty else { return 0 }
        let states: [String] = records.map { record in
            switch record.outcome {
            case .accepted: MessageState.sent.rawValue
            case .failed: MessageState.dead.rawValue
            case .retry: record.isFinal ? MessageState.dead.rawValue : MessageState.failed.rawValue
            }
        }
        // The jobs locked first, in a statement of their own: Citus cannot insert the attempts
        // from a CTE that locks (it plans the CTE apart and misreads its result).
        try await execute(
            """
            SELECT 1 FROM queue_jobs WHERE tenant_id = \(tenantID) AND id = ANY(\(records.map(\.lease.jobID))::int8[])
            ORDER BY id FOR UPDATE
            """)
        let rows = try await query(
            """
            WITH input AS (
                SELECT * FROM unnest(\(records.map(\.lease.jobID))::int8[], \(records.map(\.messageID))::uuid[],
                                     \(records.map(\.attempt))::int4[], \(records.map(\.channelID))::uuid[],
                                     \(records.map(\.outcome.rawValue))::text[], \(records.map { $0.reason ?? "" })::text[],
                                     \(records.map { Int32(clamping: $0.httpStatus ?? 0) })::int4[],
                                     \(records.map { Int32(clamping: $0.durationMilliseconds) })::int4[],
                                     \(records.map { $0.providerMessageID ?? "" })::text[], \(states)::text[])
                    AS r(job_id, message_id, attempt, channel_id, outcome, reason, http_status, duration_ms, provider_id, state)
            ), held AS MATERIALIZED (
                -- The clock read here: Citus refuses now() beside the row's columns in the SET below.
                SELECT r.*, now() AS at FROM input AS r JOIN queue_jobs AS j
                    ON j.tenant_id = \(tenantID) AND j.id = r.job_id AND j.attempts = r.attempt AND j.state = 'leased'
            ), logged AS (
                INSERT INTO message_attempts (tenant_id, message_id, attempt, channel_id, outcome, reason, http_status, duration_ms, worker)
                SELECT \(tenantID), r.message_id, r.attempt, r.channel_id, r.outcome, nullif(r.reason, ''), nullif(r.http_status, 0),
                       r.duration_ms, \(worker)
                FROM held AS r
                -- RETURNING: without it Citus sends these rows to the shard with COPY, which
                -- row-level security refuses.
                RETURNING 1
            ), moved AS (
                UPDATE messages m
                SET state = r.state, attempts = greatest(m.attempts, r.attempt), updated_at = now(),
                    provider_message_id = coalesce(nullif(r.provider_id, ''), m.provider_message_id),
                    last_error = CASE WHEN r.outcome = 'accepted' THEN m.last_error ELSE nullif(r.reason, '') END,
                    sent_at = CASE WHEN r.state = 'sent' THEN r.at ELSE m.sent_at END
                FROM held AS r
                WHERE m.tenant_id = \(tenantID) AND m.id = r.message_id AND m.state <> 'sent'
            )
            SELECT count(*)::int8 FROM held
            """)
        if let count = try await rows.decode(Int.self).firstRow() { return count }
        return 0
    }
}
