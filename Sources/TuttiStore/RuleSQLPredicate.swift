import TuttiDomain

/// The rule as a boolean SQL expression over `customers AS c` (and the joined `agg_N` and
/// `customer_values AS v`), never NULL. Collects the aggregates it refers to, in order, so that
/// ``RuleSQLCompiler`` can define `agg_1`, `agg_2`, ….
struct RuleSQLPredicate {
    /// How many merges deep a chain of merged customers is followed (both evaluators' loaders
    /// use the same bound, so a pathological chain cannot loop).
    static let maximumMergeDepth = 64

    let tenant: String
    let now: RuleTime
    let nowParameter: String
    private(set) var aggregates: [EventAggregate] = []
    private(set) var usesValue = false

    init(tenant: String, now: RuleTime, nowParameter: String) {
        self.tenant = tenant
        self.now = now
        self.nowParameter = nowParameter
    }

    private var tests: RuleSQLTest {
        RuleSQLTest(
            now: nowParameter, today: "rule_local_date(rule_time_zone(c.attributes -> 'time_zone'), \(nowParameter))", nowTime: now)
    }

    mutating func sql(_ expression: RuleExpression, _ builder: inout RuleSQLBuilder) -> String {
        switch expression {
        case .all(let members):
            guard !members.isEmpty else { return "true" }
            var parts: [String] = []
            for member in members { parts.append(sql(member, &builder)) }
            return "(" + parts.joined(separator: " AND ") + ")"
        case .any(let members):
            guard !members.isEmpty else { return "false" }
            var parts: [String] = []
            for member in members { parts.append(sql(member, &builder)) }
            return "(" + parts.joined(separator: " OR ") + ")"
        case .not(let inner):
            return "NOT " + sql(inner, &builder)
        case .inSegment(_, let inner):
            return sql(inner, &builder)
        case .attribute(let condition):
            return attribute(condition, &builder)
        case .value(let field, let test):
            usesValue = true
            return tests.sql(test, Self.valueProbe(field), &builder)
        case .context, .event:
            // No request context exists over a whole tenant's customers (the checker refuses
            // `context.` in segments and audiences); a stored rule that holds one reads it as
            // missing, as the in-memory evaluator does with an empty context.
            return RuleEvaluator.evaluate(expression, for: RuleSubject(), now: now) ? "true" : "false"
        case .canReceive(let channel):
            let types = channel.identityTypes.map(\.description)
            return """
                (EXISTS (SELECT FROM customer_identities AS i WHERE i.tenant_id = \(tenant) AND i.customer_id = c.id \
                AND i.type = ANY(\(builder.bind(types, "text[]"))) AND NOT EXISTS (SELECT FROM suppressions AS s \
                WHERE s.tenant_id = \(tenant) AND s.identity_type = i.type AND s.identity_value = i.value)) \
                AND NOT EXISTS (SELECT FROM consents AS k WHERE k.tenant_id = \(tenant) AND k.customer_id = c.id \
                AND k.channel = \(builder.bind(channel.consentChannel.rawValue, "text")) AND k.topic = '' \
                AND k.status IN ('opted_out', 'pending')))
                """
        case .consent(let channel, let topic, let status):
            // A topic PostgreSQL cannot store has no row: its status is unknown.
            guard !topic.holdsNUL else { return status == .unknown ? "true" : "false" }
            let row = """
                SELECT FROM consents AS k WHERE k.tenant_id = \(tenant) AND k.customer_id = c.id \
                AND k.channel = \(builder.bind(channel.rawValue, "text")) AND k.topic = \(builder.bind(topic, "text"))
                """
            if status == .unknown { return "NOT EXISTS (\(row) AND k.status <> 'unknown')" }
            return "EXISTS (\(row) AND k.status = \(builder.bind(status.rawValue, "text")))"
        case .aggregate(let aggregate, let test):
            let index: Int
            if let found = aggregates.firstIndex(of: aggregate) {
                index = found
            } else {
                aggregates.append(aggregate)
                index = aggregates.count - 1
            }
            return tests.sql(test, RuleAggregateSQL.probe(aggregate, column: "agg_\(index + 1).value"), &builder)
        }
    }

    private func attribute(_ condition: FieldCondition, _ builder: inout RuleSQLBuilder) -> String {
        let value = RuleSQLPath.sql(root: "c.attributes", condition.path, &builder)
        func exact() -> String { tests.sql(condition.test, .json(value), &builder) }
        guard value != "NULL::jsonb" else { return exact() }
        // Containment for the index, for strings and booleans (numbers are left out: jsonb
        // compares them as decimals, the rule as doubles). It is then the exact test itself:
        // containment walks the same object keys byte for byte, never into arrays below the top
        // level (`{"a": ["x"]}` does not contain `{"a": "x"}`), and compares the leaf as the
        // same JSON string or boolean, so the per-row recheck is all that is needed.
        var containments: [String] = []
        let literals: [RuleLiteral]
        switch condition.test {
        case .compare(.equal, let literal): literals = [literal]
        case .oneOf(let list): literals = list
        default: literals = []
        }
        // The probe is bound as one jsonb value rather than built in SQL with jsonb_build_object
        // and to_jsonb: a bound constant is what the planner's selectivity estimate can read.
        // Built from stable functions, the estimate swung between 1% and all rows on the same
        // statistics, and with it the choice between the GIN index and a full scan.
        guard !condition.path.contains(where: \.holdsNUL) else { return exact() }
        for literal in literals {
            var probe: JSONValue
            switch literal {
            case .string(let text) where !text.holdsNUL: probe = .string(text)
            case .bool(let flag): probe = .bool(flag)
            default: return exact()
            }
            for key in condition.path.reversed() { probe = .object([key: probe]) }
            containments.append("c.attributes @> \(builder.bind(probe.jsonText, "jsonb"))")
        }
        guard !containments.isEmpty else { return exact() }
        return containments.count == 1 ? containments[0] : "(" + containments.joined(separator: " OR ") + ")"
    }

    static func valueProbe(_ field: ValueField) -> RuleSQLProbe {
        switch field {
        case .lifetimeRevenue: .number("coalesce(v.lifetime_revenue, 0)")
        case .orderCount: .number("coalesce(v.order_count, 0)::double precision")
        case .firstPurchase: .time("rule_epoch_ms(v.first_purchase)")
        case .lastPurchase: .time("rule_epoch_ms(v.last_purchase)")
        case .averageOrderValue: .number("CASE WHEN v.order_count > 0 THEN v.lifetime_revenue / v.order_count END")
        case .recency: .number("v.rfm_recency::double precision")
        case .frequency: .number("v.rfm_frequency::double precision")
        case .monetary: .number("v.rfm_monetary::double precision")
        case .predicted12Months: .number("v.predicted_12m")
        }
    }

    /// Aggregates that must have events for the rule to hold: tested, outside any `not` or
    /// `any`, by a test that is false without events. Their joins can be inner joins.
    static func requiredAggregates(_ expression: RuleExpression, now: RuleTime) -> Set<EventAggregate> {
        switch expression {
        case .all(let members):
            return members.reduce(into: []) { $0.formUnion(requiredAggregates($1, now: now)) }
        case .inSegment(_, let inner):
            return requiredAggregates(inner, now: now)
        case .aggregate(let aggregate, let test):
            return RuleEvaluator.holdsWithoutEvents(aggregate, test, now: now) ? [] : [aggregate]
        default:
            return []
        }
    }
}
