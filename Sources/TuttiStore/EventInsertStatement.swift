import Foundation
import PostgresNIO
import TuttiDomain

/// Appends a batch of events in one statement (``TenantSession/eventInsert(_:)``): an event whose
/// message id was stored before, by this or a concurrent request, is skipped; purchases (the
/// tenant's conversion event) also update the buyer's customer value metric.
///
/// A buyer who had a value row gets its sums here, and its RFM scores from
/// ``TenantSession/customerValueRescore(customerIDs:)`` right after, in the same transaction:
/// an `ON CONFLICT DO UPDATE SET` cannot read the tenant's bounds on Citus (a sub-select
/// carries the row-level security policy's `current_setting()`, and Citus refuses anything
/// but immutable expressions there). The statement answers the stored count and those buyers.
///
/// Prepared once per pooled connection: ingestion runs it for every batch, and parsing and
/// planning this statement took a fifth of the database's time under sustained ingestion.
struct EventInsertStatement: PostgresPreparedStatement {
    typealias Row = (stored: Int, unscored: [UUID])

    // PostgresNIO's default name is `String(reflecting: Self.self)`, built on every execution.
    static let name = "tutti.EventInsertStatement"

    static let sql = """
        WITH input AS (
            SELECT * FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                                 $10::timestamptz[])
                AS t(id, customer_id, kind, name, properties, context, channel, message_id, occurred_at)
        ), fresh AS (
            INSERT INTO event_message_ids (tenant_id, message_id)
            SELECT DISTINCT $1, message_id FROM input WHERE message_id <> ''
            ON CONFLICT (tenant_id, message_id) DO NOTHING
            RETURNING message_id
        ), stored AS (
            INSERT INTO events (tenant_id, id, customer_id, kind, name, properties, context, channel, message_id, occurred_at)
            SELECT $1, i.id, i.customer_id, i.kind, i.name, i.properties::jsonb, i.context::jsonb,
                   nullif(i.channel, ''), nullif(i.message_id, ''), i.occurred_at
            FROM input i WHERE i.message_id = '' OR i.message_id IN (SELECT message_id FROM fresh)
            RETURNING customer_id, name, properties, occurred_at
        ), purchases AS (
            SELECT s.customer_id, count(*)::int AS orders,
                   sum(CASE WHEN jsonb_typeof(s.properties -> t.value_revenue_property) = 'number'
                            THEN (s.properties ->> t.value_revenue_property)::float8 ELSE 0 END) AS revenue,
                   min(s.occurred_at) AS first_at, max(s.occurred_at) AS last_at
            FROM stored s JOIN tenants t ON t.id = $1 AND s.name = t.value_event_name
            GROUP BY s.customer_id
        ), valued AS (
            -- The customer value metric follows purchases as they arrive; sorted so that
            -- concurrent batches lock value rows in one order. An existing row's scores are
            -- cleared here and computed again by the next statement (see above).
            INSERT INTO customer_values AS v (tenant_id, customer_id, lifetime_revenue, order_count, first_purchase, last_purchase,
                                              rfm_recency, rfm_frequency, rfm_monetary, updated_at)
            SELECT $1, p.customer_id, p.revenue, p.orders, p.first_at, p.last_at,
                   customer_value_score(extract(epoch FROM p.last_at)::float8, b.recency_bounds),
                   customer_value_score(p.orders, b.frequency_bounds), customer_value_score(p.revenue, b.monetary_bounds), now()
            FROM purchases p LEFT JOIN customer_value_models b ON b.tenant_id = $1
            ORDER BY p.customer_id
            ON CONFLICT (tenant_id, customer_id) DO UPDATE SET
                lifetime_revenue = v.lifetime_revenue + EXCLUDED.lifetime_revenue,
                order_count = v.order_count + EXCLUDED.order_count,
                first_purchase = least(v.first_purchase, EXCLUDED.first_purchase),
                last_purchase = greatest(v.last_purchase, EXCLUDED.last_purchase),
                rfm_recency = NULL, rfm_frequency = NULL, rfm_monetary = NULL,
                updated_at = EXCLUDED.updated_at
            RETURNING customer_id, rfm_monetary
        )
        SELECT (SELECT count(*)::int FROM stored),
               (SELECT coalesce(array_agg(v.customer_id ORDER BY v.customer_id), '{}')
                FROM valued v JOIN customer_value_models b ON b.tenant_id = $1 WHERE v.rfm_monetary IS NULL)
        """

    static let bindingDataTypes: [PostgresDataType] = [
        .uuid, .uuidArray, .uuidArray, .textArray, .textArray, .textArray, .textArray, .textArray, .textArray, .timestamptzArray,
    ]

    var tenantID: UUID
    var events: [CustomerEvent]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 10)
        bindings.append(tenantID)
        bindings.append(events.map(\.id))
        bindings.append(events.map(\.customerID))
        bindings.append(events.map(\.kind.rawValue))
        bindings.append(events.map(\.name))
        bindings.append(events.map { JSONValue.object($0.properties).compactText })
        bindings.append(events.map { JSONValue.object($0.context).compactText })
        bindings.append(events.map { $0.channel ?? "" })
        bindings.append(events.map { $0.messageID ?? "" })
        bindings.append(events.map(\.occurredAt))
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let (stored, unscored) = try row.decode((Int, [UUID]).self)
        return (stored, unscored)
    }
}
