import Foundation
import PostgresNIO
import TuttiDomain
import TuttiQueue

extension TenantSession {
    /// Everything the in-memory evaluator needs to decide rules for one live customer, in one
    /// statement (one round trip): attributes, the channels the customer has an unsuppressed
    /// identity for, current consents, the value metric row, and exactly `aggregates`, computed
    /// over the customer's events and those of every customer merged into it (through chains),
    /// at `now`. Nil when there is no live customer with that id (a merged-away id included:
    /// resolve it to its survivor first).
    ///
    /// The aggregates use the same SQL as ``RuleSQLCompiler`` (`RuleAggregateSQL`), so they have
    /// the same values in both evaluators.
    public func loadRuleSubject(customerID: UUID, aggregates: Set<EventAggregate>, now: RuleTime) async throws -> RuleSubject? {
        let ordered = Array(aggregates)
        var builder = RuleSQLBuilder()
        let tenant = builder.bind(tenantID, "uuid")
        let customer = builder.bind(customerID, "uuid")
        let nowParameter = builder.bind(now.millisecondsSinceEpoch, "bigint")
        let columns = Self.ruleSubjectColumns(
            ordered, tenant: tenant, now: now, nowParameter: nowParameter, members: "SELECT id FROM members", builder: &builder)
        let sql = """
            WITH RECURSIVE members (id, depth) AS (
                SELECT c.id, 0 FROM customers AS c WHERE c.tenant_id = \(tenant) AND c.id = \(customer) AND c.merged_into IS NULL
                UNION ALL
                SELECT c.id, m.depth + 1 FROM members AS m JOIN customers AS c ON c.tenant_id = \(tenant) AND c.merged_into = m.id
                WHERE m.depth < \(RuleSQLPredicate.maximumMergeDepth)
            )
            SELECT \(columns)
            FROM customers AS c
            LEFT JOIN customer_values AS v ON v.tenant_id = c.tenant_id AND v.customer_id = c.id
            WHERE c.tenant_id = \(tenant) AND c.id = \(customer) AND c.merged_into IS NULL
            """
        let rows = try await query(builder.query(sql))
        guard let row = try await rows.firstRow() else { return nil }
        return try RuleSubjectRow(row.makeRandomAccess(), aggregates: ordered).subject
    }

    /// ``loadRuleSubject(customerID:aggregates:now:)`` for many live customers in one statement,
    /// each with its identities (the oldest value of each type, as messages pick them) for
    /// templates. Ids that name no live customer are absent from the answer.
    public func loadRuleSubjects(
        customerIDs: [UUID], aggregates: Set<EventAggregate>, now: RuleTime
    ) async throws -> [UUID: (subject: RuleSubject, identities: [String: String])] {
        guard !customerIDs.isEmpty else { return [:] }
        let ordered = Array(aggregates)
        var builder = RuleSQLBuilder()
        let tenant = builder.bind(tenantID, "uuid")
        let customers = builder.bind(customerIDs, "uuid[]")
        let nowParameter = builder.bind(now.millisecondsSinceEpoch, "bigint")
        let columns = Self.ruleSubjectColumns(
            ordered, tenant: tenant, now: now, nowParameter: nowParameter, members: "SELECT id FROM members WHERE root = c.id",
            builder: &builder)
        // Without aggregates no event is read, so the merge chains are not walked either.
        let members =
            ordered.isEmpty
            ? "WITH members (root, id) AS (SELECT NULL::uuid, NULL::uuid WHERE false)"
            : """
            WITH RECURSIVE members (root, id, depth) AS (
                SELECT c.id, c.id, 0 FROM customers AS c
                WHERE c.tenant_id = \(tenant) AND c.id = ANY (\(customers)) AND c.merged_into IS NULL
                UNION ALL
                SELECT m.root, c.id, m.depth + 1 FROM members AS m JOIN customers AS c ON c.tenant_id = \(tenant) AND c.merged_into = m.id
                WHERE m.depth < \(RuleSQLPredicate.maximumMergeDepth)
            )
            """
        let sql = """
            \(members)
            SELECT \(columns),
                c.id,
                (SELECT coalesce(jsonb_object_agg(first.type, first.value), '{}')::text FROM (
                    SELECT DISTINCT ON (i.type) i.type, i.value FROM customer_identities AS i
                    WHERE i.tenant_id = \(tenant) AND i.customer_id = c.id ORDER BY i.type, i.created_at, i.value) AS first)
            FROM customers AS c
            LEFT JOIN customer_values AS v ON v.tenant_id = c.tenant_id AND v.customer_id = c.id
            WHERE c.tenant_id = \(tenant) AND c.id = ANY (\(customers)) AND c.merged_into IS NULL
            """
        var subjects: [UUID: (subject: RuleSubject, identities: [String: String])] = [:]
        for try await row in try await query(builder.query(sql)) {
            let cells = row.makeRandomAccess()
            let id = try cells[12 + ordered.count].decode(UUID.self)
            let identities = JSONColumns.object(try cells[13 + ordered.count].decode(String.self)).compactMapValues(\.stringValue)
            subjects[id] = (try RuleSubjectRow(cells, aggregates: ordered).subject, identities)
        }
        return subjects
    }

    /// The columns ``RuleSubjectRow`` decodes, for the customer `c` (joined to its value row
    /// `v`); the aggregates read the events of the customers `members` selects.
    private static func ruleSubjectColumns(
        _ aggregates: [EventAggregate], tenant: String, now: RuleTime, nowParameter: String, members: String,
        builder: inout RuleSQLBuilder
    ) -> String {
        var aggregateColumns = ""
        for aggregate in aggregates {
            let compiled = RuleAggregateSQL(aggregate, tenant: tenant, now: now, nowParameter: nowParameter, builder: &builder)
            aggregateColumns +=
                ",\n    (SELECT \(compiled.value) FROM events AS e WHERE \(compiled.conditions) AND e.customer_id IN (\(members)))"
        }
        return """
            c.attributes::text,
                ARRAY(SELECT DISTINCT i.type FROM customer_identities AS i WHERE i.tenant_id = \(tenant) AND i.customer_id = c.id
                      AND NOT EXISTS (SELECT FROM suppressions AS s
                                      WHERE s.tenant_id = \(tenant) AND s.identity_type = i.type AND s.identity_value = i.value)),
                ARRAY(SELECT k.channel || ' ' || k.status || ' ' || k.topic FROM consents AS k
                      WHERE k.tenant_id = \(tenant) AND k.customer_id = c.id),
                v.customer_id IS NOT NULL, coalesce(v.lifetime_revenue, 0), coalesce(v.order_count, 0)::bigint,
                rule_epoch_ms(v.first_purchase), rule_epoch_ms(v.last_purchase),
                v.rfm_recency::bigint, v.rfm_frequency::bigint, v.rfm_monetary::bigint, v.predicted_12m\(aggregateColumns)
            """
    }
}

/// Decodes the row of ``TenantSession/loadRuleSubject(customerID:aggregates:now:)``.
private struct RuleSubjectRow {
    let subject: RuleSubject

    init(_ row: PostgresRandomAccessRow, aggregates: [EventAggregate]) throws {
        var subject = RuleSubject()
        let attributesText = try row[0].decode(String.self)
        if case .object(let attributes)? = try? JSONScanner.parse(Array(attributesText.utf8)) {
            subject.attributes = attributes
        } else {
            subject.attributes = JSONColumns.object(attributesText)
        }
        for type in try row[1].decode([String].self) {
            guard let identityType = IdentityType(type) else { continue }
            for channel in ReachabilityChannel.allCases where channel.identityTypes.contains(identityType) {
                subject.channelsWithIdentity.insert(channel)
            }
        }
        // "channel status topic": channel and status have no spaces; the topic may be empty.
        for entry in try row[2].decode([String].self) {
            let parts = entry.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, let channel = ConsentChannel(rawValue: String(parts[0])),
                let status = ConsentStatus(rawValue: String(parts[1]))
            else { continue }
            subject.consents[ConsentKey(channel: channel, topic: String(parts[2]))] = status
        }
        if try row[3].decode(Bool.self) {
            subject.value = CustomerValue(
                lifetimeRevenue: try row[4].decode(Double.self),
                orderCount: Int(try row[5].decode(Int64.self)),
                firstPurchase: try row[6].decode(Int64?.self).map(RuleTime.init(millisecondsSinceEpoch:)),
                lastPurchase: try row[7].decode(Int64?.self).map(RuleTime.init(millisecondsSinceEpoch:)),
                rfmRecency: try row[8].decode(Int64?.self).map { Int($0) },
                rfmFrequency: try row[9].decode(Int64?.self).map { Int($0) },
                rfmMonetary: try row[10].decode(Int64?.self).map { Int($0) },
                predicted12Months: try row[11].decode(Double?.self))
        }
        for (offset, aggregate) in aggregates.enumerated() {
            let cell = row[12 + offset]
            switch aggregate.function {
            case .first, .last:
                subject.aggregates[aggregate] =
                    try cell.decode(Int64?.self).map { .time(RuleTime(millisecondsSinceEpoch: $0)) } ?? AggregateValue.none
            default:
                subject.aggregates[aggregate] = try cell.decode(Double?.self).map(AggregateValue.number) ?? AggregateValue.none
            }
        }
        self.subject = subject
    }
}
