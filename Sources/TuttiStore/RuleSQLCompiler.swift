import Foundation
import PostgresNIO
import TuttiDomain

/// Compiles a ``RuleExpression`` into one set-based query over a tenant's live customers, with
/// the meaning the in-memory ``RuleEvaluator`` gives it. Every value the rule carries (paths,
/// strings, numbers, times, event names, topics) and the instant `now` are bound parameters;
/// the SQL text depends only on the rule's shape.
///
/// The query's shape:
/// ```sql
/// WITH RECURSIVE merge_steps (id, survivor, depth) AS (…),        -- only with aggregates:
///      merge_map AS (SELECT DISTINCT ON (id) id, survivor …),      -- merged id → live survivor
///      agg_1 AS (SELECT coalesce(mm.survivor, e.customer_id) AS customer_id, count(*)… AS value
///                FROM events AS e LEFT JOIN merge_map AS mm ON mm.id = e.customer_id
///                WHERE e.tenant_id = $1 AND e.name = $2 AND e.occurred_at >= rule_instant($3) …
///                GROUP BY 1), …                                    -- one per distinct aggregate
/// SELECT count(*) | c.id
/// FROM rule_customers AS c                                         -- the tenant's live customers
///      [JOIN | LEFT JOIN agg_1 ON agg_1.customer_id = c.id] …
///      [LEFT JOIN customer_values AS v ON …]                       -- only with value fields
/// WHERE c.tenant_id = $1 AND (<the rule as a boolean expression>)
/// ```
/// `rule_customers` (sql/0006) is the tenant's live customers read with the owner's rights:
/// under row-level security no jsonb operator could be an index condition (none is
/// leakproof), so no attribute rule could use an index. The view applies the policy's tenant
/// filter itself; the other tables are read under row-level security as usual.
/// Aggregates are computed once per rule from `events_by_name` (tenant, name, occurred_at,
/// including customer_id: an index-only scan for counts), not per customer. An aggregate the
/// rule requires (a top-level conjunct whose test fails without events, such as `count(…) >= 2`)
/// is an inner join, so the planner can start from the few customers with such events.
/// Attribute equality on a string or boolean adds `c.attributes @> {"path": {"to": value}}`,
/// which the GIN index `customers_attributes` answers; the exact test stays beside it (the
/// containment is implied by it, never the other way round). Reachability and consent are
/// EXISTS / NOT EXISTS, which the planner runs as semi- and anti-joins.
public struct RuleSQLCompiler: Sendable {
    public let rule: RuleExpression

    public init(_ rule: RuleExpression) {
        self.rule = rule
    }

    /// `SELECT count(*)` of the tenant's live customers for whom the rule holds at `now`.
    public func countQuery(tenantID: UUID, now: RuleTime) -> PostgresQuery {
        compile(tenantID: tenantID, now: now, select: "count(*)", scope: nil) { _ in "" }
    }

    /// The ids of matching customers after `after` (keyset order by id), at most `limit`.
    public func pageQuery(tenantID: UUID, now: RuleTime, after: UUID?, limit: Int) -> PostgresQuery {
        page(tenantID: tenantID, now: now, select: "c.id", after: after, limit: limit)
    }

    /// A page of a campaign's audience: the ids of live customers satisfying the rule, in id
    /// order after `after`, each with its `attributes.time_zone` as written (nil when absent or
    /// not a string); the caller decides whether it names a zone.
    public func audiencePageQuery(tenantID: UUID, now: RuleTime, after: UUID?, limit: Int) -> PostgresQuery {
        page(tenantID: tenantID, now: now, select: "c.id, c.attributes ->> 'time_zone'", after: after, limit: limit)
    }

    private func page(tenantID: UUID, now: RuleTime, select: String, after: UUID?, limit: Int) -> PostgresQuery {
        compile(tenantID: tenantID, now: now, select: select, scope: nil) { builder in
            let keyset = after.map { " AND c.id > \(builder.bind($0, "uuid"))" } ?? ""
            return keyset + " ORDER BY c.id LIMIT \(builder.bind(Int64(max(0, limit)), "bigint"))"
        }
    }

    /// The ids among `customerIDs` (live ones only) for whom the rule holds. Aggregates read
    /// only the events of those customers and of the customers merged into them
    /// (`events_timeline`), not the tenant's.
    public func membershipQuery(tenantID: UUID, now: RuleTime, customerIDs: [UUID]) -> PostgresQuery {
        compile(tenantID: tenantID, now: now, select: "c.id", scope: customerIDs) { _ in "" }
    }

    private func compile(
        tenantID: UUID, now: RuleTime, select: String, scope: [UUID]?, tail: (inout RuleSQLBuilder) -> String
    ) -> PostgresQuery {
        var builder = RuleSQLBuilder()
        let tenant = builder.bind(tenantID, "uuid")
        let scopeIDs = scope.map { builder.bind($0, "uuid[]") }
        let nowParameter = builder.bind(now.millisecondsSinceEpoch, "bigint")
        var predicate = RuleSQLPredicate(tenant: tenant, now: now, nowParameter: nowParameter)
        let condition = predicate.sql(rule, &builder)

        var sql = ""
        let aggregates = predicate.aggregates
        if !aggregates.isEmpty {
            sql += """
                WITH RECURSIVE merge_steps (id, survivor, depth) AS (
                    SELECT m.id, m.merged_into, 1 FROM customers AS m WHERE m.tenant_id = \(tenant) AND m.merged_into IS NOT NULL
                    UNION ALL
                    SELECT s.id, c.merged_into, s.depth + 1 FROM merge_steps AS s
                    JOIN customers AS c ON c.tenant_id = \(tenant) AND c.id = s.survivor
                    WHERE c.merged_into IS NOT NULL AND s.depth < \(RuleSQLPredicate.maximumMergeDepth)
                ), merge_map AS (
                    SELECT DISTINCT ON (id) id, survivor FROM merge_steps ORDER BY id, depth DESC
                )
                """
            if let scopeIDs {
                sql += """
                    , scope AS (
                        SELECT unnest(\(scopeIDs)) AS id UNION SELECT mm.id FROM merge_map AS mm WHERE mm.survivor = ANY(\(scopeIDs))
                    )
                    """
            }
            for (index, aggregate) in aggregates.enumerated() {
                let compiled = RuleAggregateSQL(
                    aggregate, tenant: tenant, now: now, nowParameter: nowParameter, builder: &builder)
                sql += """
                    , agg_\(index + 1) AS (
                        SELECT coalesce(mm.survivor, e.customer_id) AS customer_id, \(compiled.value) AS value
                        FROM events AS e LEFT JOIN merge_map AS mm ON mm.id = e.customer_id
                        WHERE \(compiled.conditions)\(scopeIDs == nil ? "" : " AND e.customer_id IN (SELECT id FROM scope)")
                        GROUP BY 1
                    )
                    """
            }
            sql += "\n"
        }
        sql += "SELECT \(select) FROM rule_customers AS c"
        let required = RuleSQLPredicate.requiredAggregates(rule, now: now)
        for (index, aggregate) in aggregates.enumerated() {
            let join = required.contains(aggregate) ? "JOIN" : "LEFT JOIN"
            sql += "\n\(join) agg_\(index + 1) ON agg_\(index + 1).customer_id = c.id"
        }
        if predicate.usesValue {
            sql += "\nLEFT JOIN customer_values AS v ON v.tenant_id = c.tenant_id AND v.customer_id = c.id"
        }
        sql += "\nWHERE c.tenant_id = \(tenant) AND \(condition)"
        if let scopeIDs { sql += " AND c.id = ANY(\(scopeIDs))" }
        sql += tail(&builder)
        return builder.query(sql)
    }
}
