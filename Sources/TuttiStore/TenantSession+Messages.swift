import Foundation
import PostgresNIO
import TuttiDomain
import TuttiQueue

extension TenantSession {
    /// The queue every message's delivery job goes to.
    public static let deliveryQueue: QueueName = "delivery"

    /// Creates a message to `customerID` on `channelID` and enqueues its delivery in this
    /// transaction: both commit together or neither does. The recipient is the customer's
    /// (oldest) identity of the kind the channel sends to. Throws ``MessageRefusal`` when the
    /// customer or channel is unknown, the customer has no such identity, the address is
    /// suppressed or the customer opted out of the channel's consent channel. A
    /// `transactional` message is exempt from the contact policy (docs/contact-policy.md).
    public func messageCreate(customerID: UUID, channelID: UUID, content: MessageContent, transactional: Bool = false)
        async throws -> Message
    {
        guard let customer = try await customerResolve(id: customerID) else { throw MessageRefusal.unknownCustomer }
        let rows = try await query(
            "SELECT type FROM channels WHERE tenant_id = \(tenantID) AND id = \(channelID) AND deleted_at IS NULL")
        var channelType: String?
        for try await type in rows.decode(String.self) { channelType = type }
        guard let channelType else { throw MessageRefusal.unknownChannel }
        var recipient: String?
        if let kind = ChannelRecipient.of(channelType: channelType) {
            recipient = try await messageRecipient(customerID: customer, kind: kind, channelType: channelType)
        }
        let id = UUID.v7()
        let payload = JSONValue.object(["message_id": .string(id.uuidString.lowercased())]).jsonText
        // No unique key: the message id is new, so one would guard nothing and cost an index
        // entry on every enqueue, claim and retry of the job.
        let jobID = try await queueEnqueue(NewQueueJob(queue: Self.deliveryQueue, payload: payload))
        try await execute(
            """
            INSERT INTO messages (tenant_id, id, customer_id, channel_id, channel_type, recipient, content, job_id, transactional)
            VALUES (\(tenantID), \(id), \(customer), \(channelID), \(channelType), \(recipient), \(JSONValue.object(content.jsonObject).jsonText)::jsonb, \(jobID), \(transactional))
            """)
        guard let message = try await messageGet(id: id) else { throw StoreError.unavailable }
        return message
    }

    /// The address to send to, after checking suppression and consent.
    private func messageRecipient(customerID: UUID, kind: ChannelRecipient, channelType: String) async throws -> String {
        let rows = try await query(
            """
            SELECT i.value,
                   (SELECT s.reason FROM suppressions s
                    WHERE s.tenant_id = \(tenantID) AND s.identity_type = i.type AND s.identity_value = i.value),
                   (SELECT c.status FROM consents c
                    WHERE c.tenant_id = \(tenantID) AND c.customer_id = \(customerID)
                      AND c.channel = \(kind.consentChannel.rawValue) AND c.topic = '')
            FROM customer_identities i
            WHERE i.tenant_id = \(tenantID) AND i.customer_id = \(customerID) AND i.type = \(kind.identityType)
            ORDER BY i.created_at, i.value
            LIMIT 1
            """)
        for try await (value, suppression, consent) in rows.decode((String, String?, String?).self) {
            if let suppression { throw MessageRefusal.suppressed(identityType: kind.identityType, reason: suppression) }
            if consent == ConsentStatus.optedOut.rawValue {
                throw MessageRefusal.optedOut(consentChannel: kind.consentChannel.rawValue)
            }
            return value
        }
        throw MessageRefusal.noIdentity(identityType: kind.identityType, channelType: channelType)
    }

    /// One message with every attempt, or nil. A queued or failed message whose job a worker
    /// holds right now shows as `sending` (the worker does not write that state, to save a
    /// statement per batch).
    public func messageGet(id: UUID) async throws -> Message? {
        let rows = try await query(
            """
            SELECT m.id, m.customer_id, m.channel_id, m.channel_type, m.recipient, m.content::text, m.state, m.attempts,
                   m.provider_message_id, m.last_error, m.created_at, m.updated_at, m.sent_at,
                   coalesce((SELECT j.state = 'leased' FROM queue_jobs j WHERE j.tenant_id = \(tenantID) AND j.id = m.job_id), false),
                   m.sent_channel_id, m.sent_http_status, m.sent_duration_ms, m.sent_worker,
                   m.transactional, m.skip_reason, m.deferred_until
            FROM messages m WHERE m.tenant_id = \(tenantID) AND m.id = \(id)
            """)
        var found: Message?
        var accepted: MessageAttempt?
        for try await row in rows.decode(
            (
                UUID, UUID, UUID, String, String?, String, String, Int, String?, String?, Date, Date, Date?, Bool, UUID?, Int?,
                Int?, String?, Bool, String?, Date?
            ).self)
        {
            var state = MessageState(rawValue: row.6) ?? .queued
            if row.13, state == .queued || state == .failed { state = .sending }
            found = Message(
                id: row.0, customerID: row.1, channelID: row.2, channelType: row.3, recipient: row.4,
                content: JSONColumns.object(row.5),
                state: state, attemptCount: row.7, providerMessageID: row.8, lastError: row.9, createdAt: row.10,
                updatedAt: row.11,
                sentAt: row.12)
            found?.transactional = row.18
            found?.skipReason = row.19
            found?.deferredUntil = row.20
            // The accepted attempt, which the worker keeps on the message row (sql/0009).
            if let channelID = row.14, let sentAt = row.12 {
                accepted = MessageAttempt(
                    attempt: row.7, channelID: channelID, at: sentAt, outcome: .accepted, reason: nil, httpStatus: row.15,
                    durationMilliseconds: row.16 ?? 0, worker: row.17)
            }
        }
        guard var message = found else { return nil }
        let attempts = try await query(
            """
            SELECT attempt, channel_id, attempted_at, outcome, reason, http_status, duration_ms, worker
            FROM message_attempts WHERE tenant_id = \(tenantID) AND message_id = \(id) ORDER BY id
            """)
        for try await row in attempts.decode((Int, UUID, Date, String, String?, Int?, Int, String?).self) {
            message.attempts.append(
                MessageAttempt(
                    attempt: row.0, channelID: row.1, at: row.2, outcome: MessageAttempt.Outcome(rawValue: row.3) ?? .retry,
                    reason: row.4,
                    httpStatus: row.5, durationMilliseconds: row.6, worker: row.7))
        }
        if let accepted { message.attempts.append(accepted) }
        return message
    }
}
