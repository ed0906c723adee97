import Foundation
import PostgresNIO
import TuttiDomain

extension TenantSession {
    /// The messages with these ids, for sending; ids without a message are left out.
    public func messagesForDelivery(ids: [UUID]) async throws -> [UUID: MessageForDelivery] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await query(
            """
            SELECT id, customer_id, channel_id, recipient, content::text FROM messages
            WHERE tenant_id = \(tenantID) AND id = ANY(\(ids)::uuid[])
            """)
        var found: [UUID: MessageForDelivery] = [:]
        found.reserveCapacity(ids.count)
        for try await (id, customer, channel, recipient, content) in rows.decode((UUID, UUID, UUID, String?, String).self) {
            found[id] = MessageForDelivery(id: id, customerID: customer, channelID: channel, recipient: recipient, content: JSONColumns.object(content))
        }
        return found
    }

    /// Appends the attempts and moves each message to its new state (accepted → sent,
    /// failed → dead, retry → failed, or dead on the last attempt) in one statement. A message
    /// already sent stays sent (a duplicate attempt after a lapsed lease changes only the log).
    public func messageRecordAttempts(_ records: [MessageAttemptRecord], worker: String) async throws {
        guard !records.isEmpty else { return }
        let states: [String] = records.map { record in
            switch record.outcome {
            case .accepted: MessageState.sent.rawValue
            case .failed: MessageState.dead.rawValue
            case .retry: record.isFinal ? MessageState.dead.rawValue : MessageState.failed.rawValue
            }
        }
        try await query(
            """
            WITH input AS (
                SELECT * FROM unnest(\(records.map(\.messageID))::uuid[], \(records.map(\.attempt))::int4[], \(records.map(\.channelID))::uuid[],
                                     \(records.map(\.outcome.rawValue))::text[], \(records.map { $0.reason ?? "" })::text[],
                                     \(records.map { Int32(clamping: $0.httpStatus ?? 0) })::int4[],
                                     \(records.map { Int32(clamping: $0.durationMilliseconds) })::int4[],
                                     \(records.map { $0.providerMessageID ?? "" })::text[], \(states)::text[])
                    AS r(message_id, attempt, channel_id, outcome, reason, http_status, duration_ms, provider_id, state)
            ), logged AS (
                INSERT INTO message_attempts (tenant_id, message_id, attempt, channel_id, outcome, reason, http_status, duration_ms, worker)
                SELECT \(tenantID), r.message_id, r.attempt, r.channel_id, r.outcome, nullif(r.reason, ''), nullif(r.http_status, 0),
                       r.duration_ms, \(worker)
                FROM input r
            )
            UPDATE messages m
            SET state = r.state, attempts = greatest(m.attempts, r.attempt), updated_at = now(),
                provider_message_id = coalesce(nullif(r.provider_id, ''), m.provider_message_id),
                last_error = CASE WHEN r.outcome = 'accepted' THEN m.last_error ELSE nullif(r.reason, '') END,
                sent_at = CASE WHEN r.state = 'sent' THEN now() ELSE m.sent_at END
            FROM input r
            WHERE m.tenant_id = \(tenantID) AND m.id = r.message_id AND m.state <> 'sent'
            """)
    }
}
