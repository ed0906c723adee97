import Foundation
import PostgresNIO
import TuttiDomain

extension TenantSession {
    /// Recomputes revenue, order count, first and last purchase of these customers from their
    /// conversion events (read through merges) and scores them with the tenant's current RFM
    /// bounds. Ids that no longer name a live buyer lose their row. Used after merges and undos;
    /// ingestion updates values incrementally in ``eventInsert(_:)``.
    ///
    /// Two statements: one reads the totals (and clears the rows of ids left without any), the
    /// other writes them. Citus plans an INSERT whose rows come from a recursive CTE nowhere.
    public func customerValueRefresh(customerIDs: [UUID]) async throws {
        guard !customerIDs.isEmpty else { return }
        let rows = try await query(
            """
            WITH RECURSIVE members (root, id) AS (
                SELECT c.id, c.id FROM customers c
                WHERE c.tenant_id = \(tenantID) AND c.id = ANY(\(customerIDs)) AND c.merged_into IS NULL
                UNION ALL
                SELECT m.root, c.id FROM customers c JOIN members m ON c.tenant_id = \(tenantID) AND c.merged_into = m.id
            ), totals AS (
                SELECT m.root, count(*)::int AS orders,
                       sum(CASE WHEN jsonb_typeof(e.properties -> t.value_revenue_property) = 'number'
                                THEN (e.properties ->> t.value_revenue_property)::float8 ELSE 0 END) AS revenue,
                       min(e.occurred_at) AS first_at, max(e.occurred_at) AS last_at
                FROM members m
                JOIN tenants t ON t.id = \(tenantID)
                JOIN events e ON e.tenant_id = \(tenantID) AND e.customer_id = m.id AND e.name = t.value_event_name
                GROUP BY m.root
            ), cleared AS (
                DELETE FROM customer_values
                WHERE tenant_id = \(tenantID) AND customer_id = ANY(\(customerIDs)) AND customer_id NOT IN (SELECT root FROM totals)
            )
            SELECT x.root, x.revenue, x.orders, x.first_at, x.last_at,
                   customer_value_score(extract(epoch FROM x.last_at), b.recency_bounds),
                   customer_value_score(x.orders, b.frequency_bounds),
                   customer_value_score(x.revenue, b.monetary_bounds)
            FROM totals x LEFT JOIN customer_value_models b ON b.tenant_id = \(tenantID)
            ORDER BY x.root
            """)
        var ids: [UUID] = [], revenues: [Double] = [], orders: [Int] = [], firsts: [Date] = [], lasts: [Date] = []
        // Scores run 1 to 5; 0 stands for none (no bounds yet) in the arrays, NULL in the table.
        var recencies: [Int16] = [], frequencies: [Int16] = [], monetaries: [Int16] = []
        for try await (id, revenue, count, first, last, recency, frequency, monetary) in rows.decode(
            (UUID, Double, Int, Date, Date, Int16?, Int16?, Int16?).self)
        {
            ids.append(id)
            revenues.append(revenue)
            orders.append(count)
            firsts.append(first)
            lasts.append(last)
            recencies.append(recency ?? 0)
            frequencies.append(frequency ?? 0)
            monetaries.append(monetary ?? 0)
        }
        guard !ids.isEmpty else { return }
        // RETURNING: without it Citus sends an INSERT … SELECT from `unnest` to the shards with
        // COPY, which row-level security refuses.
        try await execute(
            """
            INSERT INTO customer_values AS v (tenant_id, customer_id, lifetime_revenue, order_count, first_purchase, last_purchase,
                                              rfm_recency, rfm_frequency, rfm_monetary, updated_at)
            SELECT \(tenantID), x.id, x.revenue, x.orders, x.first_at, x.last_at, nullif(x.r, 0), nullif(x.f, 0), nullif(x.m, 0), now()
            FROM unnest(\(ids)::uuid[], \(revenues)::float8[], \(orders)::int4[], \(firsts)::timestamptz[], \(lasts)::timestamptz[],
                        \(recencies)::int2[], \(frequencies)::int2[], \(monetaries)::int2[])
                 AS x(id, revenue, orders, first_at, last_at, r, f, m)
            ON CONFLICT (tenant_id, customer_id) DO UPDATE SET
                lifetime_revenue = EXCLUDED.lifetime_revenue, order_count = EXCLUDED.order_count,
                first_purchase = EXCLUDED.first_purchase, last_purchase = EXCLUDED.last_purchase,
                rfm_recency = EXCLUDED.rfm_recency, rfm_frequency = EXCLUDED.rfm_frequency,
                rfm_monetary = EXCLUDED.rfm_monetary, updated_at = EXCLUDED.updated_at
            RETURNING 1
            """)
    }

    /// Scores these customers' value rows with the tenant's current RFM bounds, from the sums
    /// the rows hold (``eventInsert(_:)`` cleared their scores when it added to the sums). The
    /// scores are computed in a sub-select: Citus refuses a STABLE function of the row's
    /// columns (`extract` from a timestamptz) in an UPDATE's SET.
    func customerValueRescore(customerIDs: [UUID]) async throws {
        guard !customerIDs.isEmpty else { return }
        try await execute(
            """
            UPDATE customer_values v SET rfm_recency = s.recency, rfm_frequency = s.frequency, rfm_monetary = s.monetary
            FROM (SELECT x.customer_id,
                         customer_value_score(extract(epoch FROM x.last_purchase)::float8, b.recency_bounds) AS recency,
                         customer_value_score(x.order_count, b.frequency_bounds) AS frequency,
                         customer_value_score(x.lifetime_revenue, b.monetary_bounds) AS monetary
                  FROM customer_values x JOIN customer_value_models b ON b.tenant_id = \(tenantID)
                  WHERE x.tenant_id = \(tenantID) AND x.customer_id = ANY(\(customerIDs))
                  OFFSET 0) s
            WHERE v.tenant_id = \(tenantID) AND v.customer_id = s.customer_id
            """)
    }

    /// One live customer's value metric (following merges from `customerID`), or nil when they
    /// have bought nothing.
    public func customerValue(customerID: UUID) async throws -> CustomerValue? {
        let rows = try await query(
            """
            SELECT lifetime_revenue, order_count, first_purchase, last_purchase, rfm_recency, rfm_frequency, rfm_monetary, predicted_12m
            FROM customer_values WHERE tenant_id = \(tenantID) AND customer_id = \(customerID)
            """)
        for try await (revenue, orders, first, last, recency, frequency, monetary, predicted) in rows.decode(
            (Double, Int, Date?, Date?, Int16?, Int16?, Int16?, Double?).self)
        {
            return CustomerValue(
                lifetimeRevenue: revenue, orderCount: orders, firstPurchase: first.map(RuleTime.init),
                lastPurchase: last.map(RuleTime.init),
                rfmRecency: recency.map(Int.init), rfmFrequency: frequency.map(Int.init), rfmMonetary: monetary.map(Int.init),
                predicted12Months: predicted)
        }
        return nil
    }

    /// The tenant's conversion settings: which event is a purchase and which property its revenue.
    public func customerValueSettings() async throws -> CustomerValueSettings {
        let rows = try await query("SELECT value_event_name, value_revenue_property FROM tenants WHERE id = \(tenantID)")
        for try await (event, property) in rows.decode((String, String).self) {
            return CustomerValueSettings(eventName: event, revenueProperty: property)
        }
        throw StoreError.unavailable
    }

    /// Changes the conversion settings; nil leaves a setting alone.
    public func customerValueSettingsUpdate(eventName: String?, revenueProperty: String?) async throws {
        try await execute(
            """
            UPDATE tenants SET value_event_name = coalesce(\(eventName), value_event_name),
                               value_revenue_property = coalesce(\(revenueProperty), value_revenue_property)
            WHERE id = \(tenantID)
            """)
    }
}

/// A tenant's customer value model as last fitted: for the API and for operators.
public struct CustomerValueModelRecord: Sendable {
    public var buyers: Int
    public var model: CustomerValueModel?
    public var recencyBounds: [Double]
    public var frequencyBounds: [Double]
    public var monetaryBounds: [Double]
    public var fittedAt: Date
}

extension TenantSession {
    /// The tenant's last full recomputation, or nil before the first.
    public func customerValueModel() async throws -> CustomerValueModelRecord? {
        let rows = try await query(
            """
            SELECT customers, parameters::text, recency_bounds, frequency_bounds, monetary_bounds, fitted_at
            FROM customer_value_models WHERE tenant_id = \(tenantID)
            """)
        for try await (buyers, parameters, recency, frequency, monetary, fittedAt) in rows.decode(
            (Int, String?, [Double], [Double], [Double], Date).self)
        {
            let model = parameters.flatMap { try? JSONDecoder().decode(CustomerValueModel.self, from: Data($0.utf8)) }
            return CustomerValueModelRecord(
                buyers: buyers, model: model, recencyBounds: recency, frequencyBounds: frequency, monetaryBounds: monetary,
                fittedAt: fittedAt)
        }
        return nil
    }
}
