import Foundation
import PostgresNIO
import TuttiDomain

extension TenantSession {
    /// A live customer's timeline, newest first: events of the customer and of every customer
    /// merged into it, consent changes, merges, and message touches: a message queued (at its
    /// creation, with the message's id) and each attempt, titled by the state it left the
    /// message in (sent, failed, dead). `kinds` and `channel` filter (a message's channel is its
    /// channel type, `webhook`, `smtp`, …); `before` is the keyset position of the previous
    /// page's last entry.
    ///
    /// An attempt has no UUID of its own (its key is a serial per message), so its entry's id is
    /// derived from the message id and the attempt's row id: stable from one read to the next,
    /// which is all the keyset needs.
    public func timeline(
        customerID: UUID, kinds: Set<TimelineEntry.Kind>, channel: String?, before: (at: Date, id: UUID)?, limit: Int
    ) async throws -> [TimelineEntry] {
        let kindNames = (kinds.isEmpty ? Set(TimelineEntry.Kind.allCases) : kinds).map(\.rawValue)
        let beforeAt = before?.at ?? Date.distantFuture
        let beforeID = before?.id ?? UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255))
        let rows = try await query(
            """
            WITH RECURSIVE members AS (
                -- Every part names the tenant: Citus plans a recursive CTE only then.
                SELECT c.id FROM customers c WHERE c.tenant_id = \(tenantID) AND c.id = \(customerID)
                UNION ALL
                SELECT c.id FROM customers c JOIN members m ON c.tenant_id = \(tenantID) AND c.merged_into = m.id
            ), entries AS (
                SELECT 'event' AS kind, e.id, e.occurred_at AS at, e.name AS title, e.channel,
                       jsonb_build_object('type', e.kind, 'properties', e.properties, 'context', e.context,
                                          'customer_id', e.customer_id, 'message_id', e.message_id) AS detail
                FROM events e
                WHERE 'event' = ANY(\(kindNames)) AND e.tenant_id = \(tenantID) AND e.customer_id IN (SELECT id FROM members)
                  AND (e.occurred_at, e.id) < (\(beforeAt), \(beforeID))
                UNION ALL
                SELECT 'consent', l.id, l.recorded_at, l.channel || CASE WHEN l.topic = '' THEN '' ELSE '/' || l.topic END || ': ' || l.status,
                       l.channel,
                       jsonb_build_object('channel', l.channel, 'topic', nullif(l.topic, ''), 'status', l.status, 'source', l.source,
                                          'ip', l.ip, 'user_agent', l.user_agent, 'wording_version', l.wording_version,
                                          'customer_id', l.customer_id)
                FROM consent_ledger l
                WHERE 'consent' = ANY(\(kindNames)) AND l.tenant_id = \(tenantID) AND l.customer_id IN (SELECT id FROM members)
                  AND (l.recorded_at, l.id) < (\(beforeAt), \(beforeID))
                UNION ALL
                SELECT 'merge', m.id, m.created_at, CASE WHEN m.undone_at IS NULL THEN 'Merged' ELSE 'Merged (undone)' END, NULL,
                       jsonb_build_object('survivor_id', m.survivor_id, 'merged_id', m.merged_id, 'request_id', m.request_id,
                                          'undone_at', m.undone_at)
                FROM customer_merges m
                WHERE 'merge' = ANY(\(kindNames)) AND m.tenant_id = \(tenantID)
                  AND (m.survivor_id IN (SELECT id FROM members) OR m.merged_id IN (SELECT id FROM members))
                  AND (m.created_at, m.id) < (\(beforeAt), \(beforeID))
                UNION ALL
                SELECT 'message', m.id, m.created_at, 'Message queued', m.channel_type,
                       jsonb_build_object('message_id', m.id, 'channel_id', m.channel_id, 'channel_type', m.channel_type,
                                          'state', 'queued', 'recipient', m.recipient, 'subject', m.content ->> 'subject',
                                          'customer_id', m.customer_id, 'campaign_id', m.campaign_id,
                                          'campaign_occurrence', m.campaign_occurrence, 'template_id', m.template_id,
                                          'template_version', m.template_version, 'offer_id', m.offer_id, 'offer_code', m.offer_code,
                                          'locale', m.locale)
                FROM messages m
                WHERE 'message' = ANY(\(kindNames)) AND m.tenant_id = \(tenantID) AND m.customer_id IN (SELECT id FROM members)
                  AND (m.created_at, m.id) < (\(beforeAt), \(beforeID))
                UNION ALL
                SELECT 'message', t.entry_id, t.attempted_at, 'Message ' || t.state, t.channel_type,
                       jsonb_build_object('message_id', t.message_id, 'channel_id', t.channel_id, 'channel_type', t.channel_type,
                                          'state', t.state, 'attempt', t.attempt, 'outcome', t.outcome, 'reason', t.reason,
                                          'http_status', t.http_status, 'customer_id', t.customer_id)
                FROM (
                    SELECT md5('message-attempt:' || a.message_id::text || ':' || a.id::text)::uuid AS entry_id, a.attempted_at,
                           a.message_id, a.channel_id, m.channel_type, a.attempt, a.outcome, a.reason, a.http_status, m.customer_id,
                           -- The state this attempt left the message in; a retry that was the last
                           -- attempt of a dead message is what killed it.
                           CASE a.outcome WHEN 'accepted' THEN 'sent' WHEN 'failed' THEN 'dead'
                                ELSE CASE WHEN m.state = 'dead' AND NOT EXISTS (
                                              SELECT 1 FROM message_attempts b
                                              WHERE b.tenant_id = \(tenantID) AND b.message_id = a.message_id AND b.id > a.id)
                                          THEN 'dead' ELSE 'failed' END
                           END AS state
                    FROM messages m
                    JOIN message_attempts a ON a.tenant_id = m.tenant_id AND a.message_id = m.id
                    WHERE 'message' = ANY(\(kindNames)) AND m.tenant_id = \(tenantID) AND m.customer_id IN (SELECT id FROM members)
                ) t
                WHERE (t.attempted_at, t.entry_id) < (\(beforeAt), \(beforeID))
                UNION ALL
                -- The accepted attempt, which the worker keeps on the message row (sql/0009).
                SELECT 'message', t.entry_id, t.sent_at, 'Message sent', t.channel_type,
                       jsonb_build_object('message_id', t.id, 'channel_id', t.sent_channel_id, 'channel_type', t.channel_type,
                                          'state', 'sent', 'attempt', t.attempts, 'outcome', 'accepted', 'reason', NULL,
                                          'http_status', t.sent_http_status, 'customer_id', t.customer_id)
                FROM (
                    SELECT md5('message-sent:' || m.id::text)::uuid AS entry_id, m.*
                    FROM messages m
                    WHERE 'message' = ANY(\(kindNames)) AND m.tenant_id = \(tenantID) AND m.customer_id IN (SELECT id FROM members)
                      AND m.sent_channel_id IS NOT NULL
                ) t
                WHERE (t.sent_at, t.entry_id) < (\(beforeAt), \(beforeID))
                UNION ALL
                -- A message that ended without being sent: capped, expired, its campaign cancelled, …
                SELECT 'message', t.entry_id, t.updated_at, 'Message skipped: ' || coalesce(t.skip_reason, 'unknown'), t.channel_type,
                       jsonb_build_object('message_id', t.id, 'channel_id', t.channel_id, 'channel_type', t.channel_type,
                                          'state', 'skipped', 'reason', t.skip_reason, 'customer_id', t.customer_id,
                                          'campaign_id', t.campaign_id, 'template_version', t.template_version)
                FROM (
                    SELECT md5('message-skipped:' || m.id::text)::uuid AS entry_id, m.*
                    FROM messages m
                    WHERE 'message' = ANY(\(kindNames)) AND m.tenant_id = \(tenantID) AND m.customer_id IN (SELECT id FROM members)
                      AND m.state = 'skipped'
                ) t
                WHERE (t.updated_at, t.entry_id) < (\(beforeAt), \(beforeID))
                UNION ALL
                -- A campaign's decision that sent nothing, or sent later.
                SELECT 'campaign', t.entry_id, t.created_at,
                       CASE WHEN t.outcome = 'held_out' THEN 'Held out of the campaign'
                            WHEN t.outcome = 'skipped' THEN 'Skipped by the campaign: ' || coalesce(t.reason, 'unknown')
                            ELSE 'Deferred by the campaign: ' || t.reason END,
                       (SELECT ch.type FROM channels ch WHERE ch.tenant_id = \(tenantID) AND ch.id = t.channel_id),
                       jsonb_build_object('campaign_id', t.campaign_id, 'occurrence', t.occurrence, 'outcome', t.outcome,
                                          'reason', t.reason, 'channel_id', t.channel_id, 'message_id', t.message_id,
                                          'planned_at', t.planned_at, 'customer_id', t.customer_id,
                                          'template_version', (SELECT c.template_version FROM campaigns c
                                                               WHERE c.tenant_id = \(tenantID) AND c.id = t.campaign_id))
                FROM (
                    SELECT md5('campaign-recipient:' || r.campaign_id::text || ':' || r.occurrence::text || ':' || r.customer_id::text)::uuid
                               AS entry_id, r.*
                    FROM campaign_recipients r
                    WHERE 'campaign' = ANY(\(kindNames)) AND r.tenant_id = \(tenantID) AND r.customer_id IN (SELECT id FROM members)
                      AND (r.outcome <> 'queued' OR r.reason IS NOT NULL)
                ) t
                WHERE (t.created_at, t.entry_id) < (\(beforeAt), \(beforeID))
            )
            SELECT kind, id, at, title, channel, detail::text FROM entries
            WHERE \(channel)::text IS NULL OR channel = \(channel)
            ORDER BY at DESC, id DESC
            LIMIT \(limit)
            """)
        var entries: [TimelineEntry] = []
        for try await (kind, id, at, title, channel, detail) in rows.decode((String, UUID, Date, String, String?, String).self) {
            guard let kind = TimelineEntry.Kind(rawValue: kind) else { continue }
            entries.append(
                TimelineEntry(kind: kind, id: id, at: at, title: title, channel: channel, detail: JSONColumns.object(detail)))
        }
        return entries
    }
}
