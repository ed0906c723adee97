import Foundation
import PostgresNIO
import TuttiDomain

extension TenantSession {
    /// A live customer's timeline, newest first: events of the customer and of every customer
    /// merged into it, consent changes, and merges. `kinds` and `channel` filter; `before` is
    /// the keyset position of the previous page's last entry.
    public func timeline(
        customerID: UUID, kinds: Set<TimelineEntry.Kind>, channel: String?, before: (at: Date, id: UUID)?, limit: Int
    ) async throws -> [TimelineEntry] {
        let kindNames = (kinds.isEmpty ? Set(TimelineEntry.Kind.allCases) : kinds).map(\.rawValue)
        let beforeAt = before?.at ?? Date.distantFuture
        let beforeID = before?.id ?? UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255))
        let rows = try await query(
            """
            WITH RECURSIVE members AS (
                SELECT \(customerID)::uuid AS id
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
            )
            SELECT kind, id, at, title, channel, detail::text FROM entries
            WHERE \(channel)::text IS NULL OR channel = \(channel)
            ORDER BY at DESC, id DESC
            LIMIT \(limit)
            """)
        var entries: [TimelineEntry] = []
        for try await (kind, id, at, title, channel, detail) in rows.decode((String, UUID, Date, String, String?, String).self) {
            guard let kind = TimelineEntry.Kind(rawValue: kind) else { continue }
            entries.append(TimelineEntry(kind: kind, id: id, at: at, title: title, channel: channel, detail: JSONColumns.object(detail)))
        }
        return entries
    }
}
