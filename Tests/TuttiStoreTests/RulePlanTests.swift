import Foundation
import PostgresNIO
import Testing
import TuttiDomain
import TuttiStore
import TuttiTestSupport

/// The two most common rule shapes must be answered from their indexes, as the planner sees a
/// tenant with real statistics (20,000 customers, 100,000 events over a year, then VACUUM
/// ANALYZE): an attribute equality from `customers_attributes` (GIN), an event count over 90
/// days from `events_by_name`.
///
/// In a database of its own: in the run's shared one, the statistics also count whatever the
/// tests running beside it wrote, and the planner's choice changed from run to run. Germany is
/// every 97th customer, not every 100th: the attribute histogram's bounds fall on every 200th
/// customer (jsonb orders these objects by `n`), and with every 100th they were all German, so
/// the planner took the attribute for one every customer has.
@Suite("Rule query plans")
struct RulePlanTests {
    @Test func commonShapesUseTheirIndexes() async throws {
        let urls = try await TestDatabase.createEmptyDatabase()
        try await TestDatabase.migrate(owner: urls.owner, appRole: TestDatabase.appRole)
        try await Database.withShortLivedPool(urls.app, maximumConnections: 4, logger: TestDatabase.logger) { database in
            let tenant = try await TestTenant.make("Rule plans", in: database)
            try await database.withTenant(tenant.tenant.id, logger: TestDatabase.logger) { session in
                try await Self.seed(session)
            }
            let owner = urls.owner
            try await TestDatabase.withConnection(owner) { connection in
                try await connection.query("VACUUM (ANALYZE) customers, events", logger: TestDatabase.logger)
            }
            let now = RuleTime(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000))
            let country = RuleExpression.attribute(FieldCondition(path: ["country"], test: .compare(.equal, .string("DE"))))
            let orders = RuleExpression.aggregate(
                EventAggregate(function: .count, event: "Order Completed", window: .last(RuleDuration(90, .days))),
                .compare(.greaterOrEqual, .number(2)))

            try await database.withTenant(tenant.tenant.id, logger: TestDatabase.logger) { session in
                let countryPlan = try await Self.indexesUsed(RuleSQLCompiler(country).countQuery(tenantID: session.tenantID, now: now), session)
                #expect(countryPlan.contains("customers_attributes"), "plan used \(countryPlan)")

                let eventIndexes = try await Self.partitionIndexes(of: "events_by_name", session)
                let ordersPlan = try await Self.indexesUsed(RuleSQLCompiler(orders).countQuery(tenantID: session.tenantID, now: now), session)
                #expect(!ordersPlan.isDisjoint(with: eventIndexes), "plan used \(ordersPlan), not one of \(eventIndexes.sorted())")

                // And the answers are right: 206 customers are in Germany; the planted
                // buyers (every 250th customer) have exactly two recent orders.
                #expect(try await session.ruleCount(country, now: now) == 206)
                #expect(try await session.ruleCount(orders, now: now) == 80)
            }
        }
    }

    /// 20,000 customers (countries C0…C48, and DE for every 97th), 100,000 page views
    /// under 40 names over the last year, and two orders in the last 90 days for every 250th
    /// customer plus old orders for others.
    static func seed(_ session: TenantSession) async throws {
        let tenant = session.tenantID
        try await session.connection.query(
            """
            INSERT INTO customers (tenant_id, id, attributes)
            SELECT \(tenant), gen_random_uuid(),
                   jsonb_build_object('country', CASE WHEN g % 97 = 0 THEN 'DE' ELSE 'C' || (g % 49) END, 'age', g % 80, 'n', g)
            FROM generate_series(1, 20000) AS g
            """, logger: session.logger)
        try await session.connection.query(
            """
            WITH ids AS (SELECT array_agg(id ORDER BY (attributes ->> 'n')::integer) AS ids FROM customers WHERE tenant_id = \(tenant))
            INSERT INTO events (tenant_id, id, customer_id, kind, name, occurred_at)
            SELECT \(tenant), gen_random_uuid(), ids.ids[1 + g % 20000], 'track', 'Page Viewed ' || (g % 40),
                   now() - (g % 365) * interval '1 day' - (g % 86400) * interval '1 second'
            FROM ids, generate_series(1, 100000) AS g
            UNION ALL
            SELECT \(tenant), gen_random_uuid(), ids.ids[k], 'track', 'Order Completed', now() - r * interval '20 days'
            FROM ids, generate_series(250, 20000, 250) AS k, generate_series(1, 2) AS r
            UNION ALL
            SELECT \(tenant), gen_random_uuid(), ids.ids[k], 'track', 'Order Completed', now() - interval '200 days'
            FROM ids, generate_series(7, 20000, 7) AS k
            """, logger: session.logger)
    }

    /// The names of the indexes an EXPLAIN of `query` mentions.
    static func indexesUsed(_ query: PostgresQuery, _ session: TenantSession) async throws -> Set<String> {
        let explain = PostgresQuery(unsafeSQL: "EXPLAIN (FORMAT JSON) " + query.sql, binds: query.binds)
        var names: Set<String> = []
        for try await plan in try await session.connection.query(explain, logger: session.logger).decode(String.self) {
            collect(JSONValue.parse(plan), into: &names)
        }
        return names
    }

    private static func collect(_ node: JSONValue?, into names: inout Set<String>) {
        switch node {
        case .object(let members)?:
            if case .string(let name)? = members["Index Name"] { names.insert(name) }
            for value in members.values { collect(value, into: &names) }
        case .array(let elements)?:
            for element in elements { collect(element, into: &names) }
        default:
            break
        }
    }

    /// A partitioned index and the indexes of its partitions.
    static func partitionIndexes(of index: String, _ session: TenantSession) async throws -> Set<String> {
        let rows = try await session.connection.query(
            "SELECT relid::regclass::text FROM pg_partition_tree(\(index)::regclass)", logger: session.logger)
        var names: Set<String> = []
        for try await name in rows.decode(String.self) { names.insert(name) }
        return names
    }
}
