import Foundation
import PostgresNIO
import TuttiDomain

/// What a full recomputation of a tenant's customer value metric did.
public struct CustomerValueRecomputation: Sendable {
    /// Live customers with at least one purchase.
    public var buyers: Int
    /// The fitted model, or nil when there was too little data (predicted_12m is then null).
    public var model: CustomerValueModel?
}

extension TenantSession {
    /// Recomputes every customer's value metric from the events, in four set-based steps:
    /// totals per live customer (through merges), the tenant's RFM quintile bounds, everyone's
    /// RFM scores, and, after fitting the BG/NBD and Gamma-Gamma models on the buyers'
    /// summaries, everyone's predicted 12-month value. `now` is the database's clock.
    public func customerValueRecompute() async throws -> CustomerValueRecomputation {
        try await customerValueTotalsRecompute()
        try await customerValueScoresRecompute()
        let (now, summaries) = try await customerValueSummaries()
        let model = CustomerValueModel.fit(summaries.map(\.summary))
        try await customerValuePredictionsStore(model: model, summaries: summaries)
        let modelJSON = model.flatMap { try? String(decoding: JSONEncoder().encode($0), as: UTF8.self) }
        try await execute(
            """
            UPDATE customer_value_models SET model = \(model == nil ? nil : CustomerValueModel.name), parameters = \(modelJSON)::jsonb,
                   fitted_at = \(now) WHERE tenant_id = \(tenantID)
            """)
        return CustomerValueRecomputation(buyers: summaries.count, model: model)
    }

    /// Two statements: one reads every buyer's totals (and deletes the rows of customers left
    /// without purchases), the other writes those that changed. Citus plans an INSERT whose rows
    /// come from a recursive CTE nowhere.
    private func customerValueTotalsRecompute() async throws {
        let rows = try await query(
            """
            WITH RECURSIVE members (root, id) AS (
                SELECT p.id, c.id FROM customers c JOIN customers p ON p.tenant_id = \(tenantID) AND p.id = c.merged_into
                WHERE c.tenant_id = \(tenantID) AND c.merged_into IS NOT NULL AND p.merged_into IS NULL
                UNION ALL
                SELECT m.root, c.id FROM customers c JOIN members m ON c.tenant_id = \(tenantID) AND c.merged_into = m.id
            ), totals AS (
                SELECT coalesce(m.root, e.customer_id) AS customer_id, count(*)::int AS orders,
                       sum(CASE WHEN jsonb_typeof(e.properties -> t.value_revenue_property) = 'number'
                                THEN (e.properties ->> t.value_revenue_property)::float8 ELSE 0 END) AS revenue,
                       min(e.occurred_at) AS first_at, max(e.occurred_at) AS last_at
                FROM events e
                JOIN tenants t ON t.id = \(tenantID) AND e.name = t.value_event_name
                LEFT JOIN members m ON m.id = e.customer_id
                WHERE e.tenant_id = \(tenantID)
                GROUP BY 1
            ), live AS (
                SELECT x.* FROM totals x JOIN customers c ON c.tenant_id = \(tenantID) AND c.id = x.customer_id AND c.merged_into IS NULL
            ), cleared AS (
                DELETE FROM customer_values v WHERE v.tenant_id = \(tenantID)
                AND NOT EXISTS (SELECT 1 FROM live WHERE live.customer_id = v.customer_id)
            )
            SELECT customer_id, revenue, orders, first_at, last_at FROM live ORDER BY customer_id
            """)
        var ids: [UUID] = [], revenues: [Double] = [], orders: [Int] = [], firsts: [Date] = [], lasts: [Date] = []
        for try await (id, revenue, count, first, last) in rows.decode((UUID, Double, Int, Date, Date).self) {
            ids.append(id)
            revenues.append(revenue)
            orders.append(count)
            firsts.append(first)
            lasts.append(last)
        }
        guard !ids.isEmpty else { return }
        // RETURNING: without it Citus sends an INSERT … SELECT from `unnest` to the shards with
        // COPY, which row-level security refuses.
        try await execute(
            """
            INSERT INTO customer_values AS v (tenant_id, customer_id, lifetime_revenue, order_count, first_purchase, last_purchase, updated_at)
            SELECT \(tenantID), x.id, x.revenue, x.orders, x.first_at, x.last_at, now()
            FROM unnest(\(ids)::uuid[], \(revenues)::float8[], \(orders)::int4[], \(firsts)::timestamptz[], \(lasts)::timestamptz[])
                 AS x(id, revenue, orders, first_at, last_at)
            ON CONFLICT (tenant_id, customer_id) DO UPDATE SET
                lifetime_revenue = EXCLUDED.lifetime_revenue, order_count = EXCLUDED.order_count,
                first_purchase = EXCLUDED.first_purchase, last_purchase = EXCLUDED.last_purchase, updated_at = EXCLUDED.updated_at
            WHERE (v.lifetime_revenue, v.order_count, v.first_purchase, v.last_purchase)
                IS DISTINCT FROM (EXCLUDED.lifetime_revenue, EXCLUDED.order_count, EXCLUDED.first_purchase, EXCLUDED.last_purchase)
            RETURNING 1
            """)
    }

    private func customerValueScoresRecompute() async throws {
        try await execute(
            """
            INSERT INTO customer_value_models (tenant_id, customers, recency_bounds, frequency_bounds, monetary_bounds)
            SELECT \(tenantID), count(*),
                   coalesce(percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY extract(epoch FROM last_purchase)::float8), '{}'),
                   coalesce(percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY order_count::float8), '{}'),
                   coalesce(percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY lifetime_revenue), '{}')
            FROM customer_values WHERE tenant_id = \(tenantID)
            ON CONFLICT (tenant_id) DO UPDATE SET customers = EXCLUDED.customers, recency_bounds = EXCLUDED.recency_bounds,
                frequency_bounds = EXCLUDED.frequency_bounds, monetary_bounds = EXCLUDED.monetary_bounds
            """)
        // The scores in a sub-select: Citus refuses a STABLE function of the row's columns
        // (`extract` from a timestamptz) in an UPDATE's SET.
        try await execute(
            """
            UPDATE customer_values v SET rfm_recency = s.recency, rfm_frequency = s.frequency, rfm_monetary = s.monetary
            FROM (SELECT x.customer_id, x.rfm_recency, x.rfm_frequency, x.rfm_monetary,
                         customer_value_score(extract(epoch FROM x.last_purchase)::float8, b.recency_bounds) AS recency,
                         customer_value_score(x.order_count, b.frequency_bounds) AS frequency,
                         customer_value_score(x.lifetime_revenue, b.monetary_bounds) AS monetary
                  FROM customer_values x JOIN customer_value_models b ON b.tenant_id = \(tenantID)
                  WHERE x.tenant_id = \(tenantID)
                  OFFSET 0) s
            WHERE v.tenant_id = \(tenantID) AND v.customer_id = s.customer_id
            AND (s.rfm_recency, s.rfm_frequency, s.rfm_monetary) IS DISTINCT FROM (s.recency, s.frequency, s.monetary)
            """)
    }

    /// Every buyer's summary in whole days (expressed in weeks), and the database's now.
    private func customerValueSummaries() async throws -> (now: Date, [(customerID: UUID, summary: PurchaseSummary)]) {
        let rows = try await query(
            """
            SELECT now(), customer_id, order_count, lifetime_revenue,
                   floor(extract(epoch FROM last_purchase - first_purchase) / 86400)::int,
                   floor(extract(epoch FROM now() - first_purchase) / 86400)::int
            FROM customer_values WHERE tenant_id = \(tenantID) AND order_count > 0
            """)
        var now = Date()
        var summaries: [(customerID: UUID, summary: PurchaseSummary)] = []
        for try await (at, id, orders, revenue, spanDays, ageDays) in rows.decode((Date, UUID, Int, Double, Int, Int).self) {
            now = at
            let summary = PurchaseSummary(
                repeatPurchases: orders - 1, lastPurchaseAge: Double(spanDays) / 7,
                observedWeeks: Double(max(ageDays, spanDays)) / 7, averageValue: revenue / Double(orders))
            summaries.append((id, summary))
        }
        return (now, summaries)
    }

    private func customerValuePredictionsStore(
        model: CustomerValueModel?, summaries: [(customerID: UUID, summary: PurchaseSummary)]
    ) async throws {
        guard let model else {
            try await execute(
                "UPDATE customer_values SET predicted_12m = NULL WHERE tenant_id = \(tenantID) AND predicted_12m IS NOT NULL")
            return
        }
        var start = 0
        while start < summaries.count {
            let chunk = summaries[start..<min(start + 20_000, summaries.count)]
            let ids = chunk.map(\.customerID)
            let predictions = chunk.map { (model.predictedValue(for: $0.summary) * 100).rounded() / 100 }
            try await execute(
                """
                UPDATE customer_values v SET predicted_12m = u.predicted
                FROM unnest(\(ids)::uuid[], \(predictions)::float8[]) AS u(id, predicted)
                WHERE v.tenant_id = \(tenantID) AND v.customer_id = u.id AND v.predicted_12m IS DISTINCT FROM u.predicted
                """)
            start += 20_000
        }
    }
}
