import Foundation
import PostgresNIO
import TuttiDomain

/// The statement behind ``TenantSession/receiptsRecord(_:at:)``: the receipts go in as
/// parallel arrays, and every effect of the new ones is a data-modifying CTE over `fresh`
/// (the receipts this statement stored), so a replay — which stores nothing — does nothing.
///
/// Every table is filtered by the tenant, which keeps the statement on one Citus shard
/// group; the receipt, its event and its consent ledger entry share one id.
enum ReceiptRecordStatement {
    static func query(tenantID: UUID, receipts: [Receipt], now: Date) -> PostgresQuery {
        let rankCase =
            "CASE m.delivery_status "
            + ReceiptKind.deliveryRanks.map { "WHEN '\($0.status)' THEN \($0.rank)" }.joined(separator: " ") + " ELSE 0 END"
        let ids = receipts.map { _ in UUID.v7() }
        return """
            WITH input AS (
                SELECT * FROM unnest(
                    \(ids)::uuid[], \(receipts.map(\.dedupKey))::text[], \(receipts.map(\.channelID))::uuid[],
                    \(receipts.map(\.gateway))::text[], \(receipts.map(\.kind.rawValue))::text[], \(receipts.map(\.gatewayStatus))::text[],
                    \(receipts.map { $0.messageID?.uuidString.lowercased() ?? "" })::text[],
                    \(receipts.map { $0.providerMessageID ?? "" })::text[],
                    \(receipts.map { $0.address?.type.description ?? "" })::text[], \(receipts.map { $0.address?.value ?? "" })::text[],
                    \(receipts.map(\.occurredAt))::timestamptz[], \(receipts.map { JSONColumns.text($0.detail) })::text[],
                    \(receipts.map(\.kind.eventName))::text[], \(receipts.map { $0.address?.type.channel?.rawValue ?? "" })::text[],
                    \(receipts.map { $0.kind.deliveryRank ?? 0 })::int[], \(receipts.map { $0.suppression?.rawValue ?? "" })::text[],
                    \(receipts.map(\.liftsStopSuppression))::bool[], \(receipts.map { $0.consent?.channel.rawValue ?? "" })::text[],
                    \(receipts.map { $0.consent?.status.rawValue ?? "" })::text[], \(receipts.map { $0.consentSource ?? "" })::text[])
                  AS r(id, dedup_key, channel_id, gateway, kind, gateway_status, message_id, provider_id, address_type, address_value,
                       occurred_at, detail, event_name, event_channel, delivery_rank, suppression, lift, consent_channel,
                       consent_status, consent_source)
            ), resolved AS (
                -- Our message: by our id when the gateway echoed it, else by the gateway's id for
                -- it; either way only a message sent on the channel the receipt came to.
                SELECT i.*, coalesce(by_id.id, by_provider.id) AS found_message,
                       coalesce(c.merged_into, c.id) AS found_customer
                FROM input i
                LEFT JOIN messages by_id
                  ON by_id.tenant_id = \(tenantID) AND by_id.id = nullif(i.message_id, '')::uuid
                 AND i.channel_id IN (by_id.channel_id, by_id.sent_channel_id)
                LEFT JOIN LATERAL (
                    SELECT p.id, p.customer_id FROM messages p
                    WHERE p.tenant_id = \(tenantID) AND by_id.id IS NULL AND i.provider_id <> ''
                      AND p.provider_message_id = i.provider_id AND i.channel_id IN (p.channel_id, p.sent_channel_id)
                    ORDER BY p.created_at DESC LIMIT 1
                ) by_provider ON true
                LEFT JOIN customer_identities ci
                  ON ci.tenant_id = \(tenantID) AND ci.type = i.address_type AND ci.value = i.address_value
                LEFT JOIN customers c
                  ON c.tenant_id = \(tenantID) AND c.id = coalesce(by_id.customer_id, by_provider.customer_id, ci.customer_id)
            ), stored AS (
                INSERT INTO message_receipts (tenant_id, id, dedup_key, channel_id, gateway, kind, gateway_status, message_id,
                                              customer_id, occurred_at, received_at, detail)
                SELECT \(tenantID), r.id, r.dedup_key, r.channel_id, r.gateway, r.kind, r.gateway_status, r.found_message,
                       r.found_customer, r.occurred_at, \(now), r.detail::jsonb
                FROM resolved r
                ON CONFLICT (tenant_id, dedup_key) DO NOTHING
                RETURNING id
            ), fresh AS (
                SELECT r.* FROM resolved r JOIN stored s ON s.id = r.id
            ), timeline AS (
                INSERT INTO events (tenant_id, id, customer_id, kind, name, properties, channel, occurred_at, received_at)
                SELECT \(tenantID), f.id, f.found_customer, 'system', f.event_name,
                       jsonb_strip_nulls(f.detail::jsonb || jsonb_build_object(
                           'message_id', f.found_message, 'channel_id', f.channel_id, 'gateway', f.gateway, 'status', f.kind)),
                       nullif(f.event_channel, ''), f.occurred_at, \(now)
                FROM fresh f WHERE f.found_customer IS NOT NULL
                RETURNING 1
            ), delivery AS (
                UPDATE messages m SET delivery_status = u.kind, delivery_status_at = u.occurred_at, updated_at = \(now)
                FROM (SELECT DISTINCT ON (f.found_message) f.found_message, f.kind, f.delivery_rank, f.occurred_at
                      FROM fresh f WHERE f.found_message IS NOT NULL AND f.delivery_rank > 0
                      ORDER BY f.found_message, f.delivery_rank DESC, f.occurred_at DESC) u
                WHERE m.tenant_id = \(tenantID) AND m.id = u.found_message
                  AND (\(unescaped: rankCase) < u.delivery_rank
                       OR (\(unescaped: rankCase) = u.delivery_rank AND m.delivery_status_at <= u.occurred_at))
                RETURNING 1
            ), suppressed AS (
                INSERT INTO suppressions (tenant_id, identity_type, identity_value, reason, note, created_at)
                SELECT DISTINCT ON (f.address_type, f.address_value) \(tenantID), f.address_type, f.address_value, f.suppression,
                       f.gateway || ' ' || f.gateway_status || ' (' || f.dedup_key || ')', \(now)
                FROM fresh f WHERE f.suppression <> '' AND f.address_value <> ''
                ORDER BY f.address_type, f.address_value, f.occurred_at
                ON CONFLICT (tenant_id, identity_type, identity_value) DO NOTHING
                RETURNING 1
            ), lifted AS (
                -- Only the suppression a STOP made: a bounce or a manual one stays.
                DELETE FROM suppressions s USING fresh f
                WHERE s.tenant_id = \(tenantID) AND f.lift AND s.identity_type = f.address_type
                  AND s.identity_value = f.address_value AND s.reason = 'stop'
                RETURNING 1
            ), ledger AS (
                INSERT INTO consent_ledger (tenant_id, id, customer_id, channel, topic, status, source, recorded_at)
                SELECT \(tenantID), f.id, f.found_customer, f.consent_channel, '', f.consent_status, f.consent_source, \(now)
                FROM fresh f WHERE f.consent_channel <> '' AND f.found_customer IS NOT NULL
                RETURNING 1
            ), consented AS (
                INSERT INTO consents (tenant_id, customer_id, channel, topic, status, source, updated_at)
                SELECT DISTINCT ON (f.found_customer, f.consent_channel) \(tenantID), f.found_customer, f.consent_channel, '',
                       f.consent_status, f.consent_source, \(now)
                FROM fresh f WHERE f.consent_channel <> '' AND f.found_customer IS NOT NULL
                ORDER BY f.found_customer, f.consent_channel, f.occurred_at DESC
                ON CONFLICT (tenant_id, customer_id, channel, topic) DO UPDATE
                SET status = EXCLUDED.status, source = EXCLUDED.source, updated_at = EXCLUDED.updated_at
                RETURNING 1
            )
            -- PostgreSQL runs every data-modifying CTE whether or not the result reads it.
            SELECT (SELECT count(*) FROM stored), (SELECT count(*) FROM timeline), (SELECT count(*) FROM delivery)
            """
    }
}
