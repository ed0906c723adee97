import Foundation
import PostgresNIO
import TuttiDomain

extension TenantSession {
    /// Which of `messageIDs` were already stored (replays to skip).
    public func eventMessageIDsSeen(_ messageIDs: [String]) async throws -> Set<String> {
        guard !messageIDs.isEmpty else { return [] }
        let rows = try await query(
            "SELECT message_id FROM event_message_ids WHERE tenant_id = \(tenantID) AND message_id = ANY(\(messageIDs))")
        var seen: Set<String> = []
        for try await id in rows.decode(String.self) { seen.insert(id) }
        return seen
    }

    /// Appends events in one statement; an event whose message id was stored before (by this
    /// or a concurrent request) is skipped. Purchases (the tenant's conversion event) also
    /// update the buyer's customer value metric in the same statement. Returns how many events
    /// were stored.
    @discardableResult
    public func eventInsert(_ events: [CustomerEvent]) async throws -> Int {
        guard !events.isEmpty else { return 0 }
        let rows = try await query(
            """
            WITH input AS (
                SELECT * FROM unnest(\(events.map(\.id)), \(events.map(\.customerID)), \(events.map(\.kind.rawValue)),
                                     \(events.map(\.name)), \(events.map { JSONValue.object($0.properties).compactText }),
                                     \(events.map { JSONValue.object($0.context).compactText }), \(events.map { $0.channel ?? "" }),
                                     \(events.map { $0.messageID ?? "" }), \(events.map(\.occurredAt)))
                    AS t(id, customer_id, kind, name, properties, context, channel, message_id, occurred_at)
            ), fresh AS (
                INSERT INTO event_message_ids (tenant_id, message_id)
                SELECT DISTINCT \(tenantID), message_id FROM input WHERE message_id <> ''
                ON CONFLICT (tenant_id, message_id) DO NOTHING
                RETURNING message_id
            ), stored AS (
                INSERT INTO events (tenant_id, id, customer_id, kind, name, properties, context, channel, message_id, occurred_at)
                SELECT \(tenantID), i.id, i.customer_id, i.kind, i.name, i.properties::jsonb, i.context::jsonb,
                       nullif(i.channel, ''), nullif(i.message_id, ''), i.occurred_at
                FROM input i WHERE i.message_id = '' OR i.message_id IN (SELECT message_id FROM fresh)
                RETURNING customer_id, name, properties, occurred_at
            ), purchases AS (
                SELECT s.customer_id, count(*)::int AS orders,
                       sum(CASE WHEN jsonb_typeof(s.properties -> t.value_revenue_property) = 'number'
                                THEN (s.properties ->> t.value_revenue_property)::float8 ELSE 0 END) AS revenue,
                       min(s.occurred_at) AS first_at, max(s.occurred_at) AS last_at
                FROM stored s JOIN tenants t ON t.id = \(tenantID) AND s.name = t.value_event_name
                GROUP BY s.customer_id
            ), valued AS (
                -- The customer value metric follows purchases as they arrive; sorted so that
                -- concurrent batches lock value rows in one order.
                INSERT INTO customer_values AS v (tenant_id, customer_id, lifetime_revenue, order_count, first_purchase, last_purchase,
                                                  rfm_recency, rfm_frequency, rfm_monetary)
                SELECT \(tenantID), p.customer_id, p.revenue, p.orders, p.first_at, p.last_at,
                       customer_value_score(extract(epoch FROM p.last_at)::float8, b.recency_bounds),
                       customer_value_score(p.orders, b.frequency_bounds), customer_value_score(p.revenue, b.monetary_bounds)
                FROM purchases p LEFT JOIN customer_value_models b ON b.tenant_id = \(tenantID)
                ORDER BY p.customer_id
                ON CONFLICT (tenant_id, customer_id) DO UPDATE SET
                    lifetime_revenue = v.lifetime_revenue + EXCLUDED.lifetime_revenue,
                    order_count = v.order_count + EXCLUDED.order_count,
                    first_purchase = least(v.first_purchase, EXCLUDED.first_purchase),
                    last_purchase = greatest(v.last_purchase, EXCLUDED.last_purchase),
                    rfm_recency = customer_value_score(extract(epoch FROM greatest(v.last_purchase, EXCLUDED.last_purchase))::float8,
                                                       (SELECT recency_bounds FROM customer_value_models WHERE tenant_id = \(tenantID))),
                    rfm_frequency = customer_value_score(v.order_count + EXCLUDED.order_count,
                                                         (SELECT frequency_bounds FROM customer_value_models WHERE tenant_id = \(tenantID))),
                    rfm_monetary = customer_value_score(v.lifetime_revenue + EXCLUDED.lifetime_revenue,
                                                        (SELECT monetary_bounds FROM customer_value_models WHERE tenant_id = \(tenantID))),
                    updated_at = now()
                RETURNING 1
            )
            SELECT count(*)::int FROM stored
            """)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    /// The live customers that each identity belongs to (one query for a whole batch).
    public func customerIDs(for identities: [Identity]) async throws -> [Identity: UUID] {
        guard !identities.isEmpty else { return [:] }
        let rows = try await query(
            """
            SELECT i.type, i.value, i.customer_id FROM customer_identities i
            JOIN unnest(\(identities.map(\.type.description))::text[], \(identities.map(\.value))::text[]) AS w(t, v)
              ON i.type = w.t AND i.value = w.v
            WHERE i.tenant_id = \(tenantID)
            """)
        var owners: [Identity: UUID] = [:]
        for try await (type, value, customerID) in rows.decode((String, String, UUID).self) {
            if let type = IdentityType(type) { owners[Identity(stored: type, value: value)] = customerID }
        }
        return owners
    }
}
