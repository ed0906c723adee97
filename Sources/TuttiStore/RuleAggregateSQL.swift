import TuttiDomain

/// One ``EventAggregate`` as SQL over `events AS e`: the conditions that pick its events and
/// the aggregate expression over them. The set-based compiler groups these per surviving
/// customer; `loadRuleSubject` computes them for one customer. Both use this one definition,
/// so an aggregate has the same value in both evaluators.
struct RuleAggregateSQL {
    /// Conditions on `e` (tenant, name, window, property filters), joined with AND.
    let conditions: String
    /// The aggregate over the picked rows: double precision, or bigint milliseconds for
    /// `first` and `last`. NULL when no row had a value (count and sum never are).
    let value: String
    let isTime: Bool

    init(_ aggregate: EventAggregate, tenant: String, now: RuleTime, nowParameter: String, builder: inout RuleSQLBuilder) {
        var conditions = ["e.tenant_id = \(tenant)"]
        if aggregate.event.holdsNUL {
            conditions.append("false")
        } else {
            conditions.append("e.name = \(builder.bind(aggregate.event, "text"))")
        }
        let bounds = aggregate.window.bounds(now: now)
        if let lower = bounds.lower {
            conditions.append("e.occurred_at >= rule_instant(\(builder.bind(lower, "bigint")))")
        }
        if let upper = bounds.upper {
            conditions.append("e.occurred_at \(bounds.upperIsInclusive ? "<=" : "<") rule_instant(\(builder.bind(upper, "bigint")))")
        }
        // Anniversaries inside event filters are on the UTC calendar (see EventAggregate).
        let tests = RuleSQLTest(now: nowParameter, today: "rule_local_date('UTC', \(nowParameter))", nowTime: now)
        for filter in aggregate.filters {
            conditions.append(tests.sql(filter.test, .json(RuleSQLPath.sql(root: "e.properties", filter.path, &builder)), &builder))
        }
        self.conditions = conditions.joined(separator: " AND ")

        func numeric(_ function: String, _ path: [String]) -> String {
            let p = RuleSQLPath.sql(root: "e.properties", path, &builder)
            return "rule_float(\(function)(CASE WHEN rule_number(\(p)) IS NOT NULL THEN (\(p))::numeric END))"
        }
        switch aggregate.function {
        case .count: value = "count(*)::double precision"
        case .sum(let path): value = "coalesce(\(numeric("sum", path)), 0)"
        case .average(let path): value = numeric("avg", path)
        case .minimum(let path): value = numeric("min", path)
        case .maximum(let path): value = numeric("max", path)
        case .first: value = "rule_epoch_ms(min(e.occurred_at))"
        case .last: value = "rule_epoch_ms(max(e.occurred_at))"
        }
        switch aggregate.function {
        case .first, .last: isTime = true
        default: isTime = false
        }
    }

    /// The probe a test of this aggregate reads from `column`: no events means 0 for count
    /// and sum, and no value otherwise.
    static func probe(_ aggregate: EventAggregate, column: String) -> RuleSQLProbe {
        switch aggregate.function {
        case .count, .sum: .number("coalesce(\(column), 0)")
        case .average, .minimum, .maximum: .number(column)
        case .first, .last: .time(column)
        }
    }
}

/// The jsonb value at a path of object keys, each key bound: `root -> $2::text -> $3::text`.
/// `->` with a text key yields NULL on anything but an object (no array indexing, no error).
enum RuleSQLPath {
    static func sql(root: String, _ path: [String], _ builder: inout RuleSQLBuilder) -> String {
        // An empty path names nothing; a key PostgreSQL cannot store names nothing either.
        guard !path.isEmpty, !path.contains(where: \.holdsNUL) else { return "NULL::jsonb" }
        return "(" + root + path.map { " -> " + builder.bind($0, "text") }.joined() + ")"
    }
}
