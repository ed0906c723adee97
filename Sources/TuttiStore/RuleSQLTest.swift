import TuttiDomain

/// What a test looks at, as SQL: a jsonb expression (attributes, event properties) or one of the
/// typed values of aggregates and the value metric (NULL = no value).
enum RuleSQLProbe {
    case json(String)
    case number(String)
    /// Milliseconds since the epoch (bigint).
    case time(String)
}

/// Compiles a ``FieldTest`` on a probe into a boolean SQL expression that is never NULL (the
/// language is two-valued; a NULL would make `NOT` wrong). Each case is the twin of a case of
/// the in-memory evaluator's `RuleTestProgram`, and reads values with the sql/0006 helpers.
struct RuleSQLTest {
    /// The instant of evaluation, already bound (bigint milliseconds).
    let now: String
    /// The date of "today" for anniversaries: the customer's, or UTC inside event filters.
    let today: String
    let nowTime: RuleTime

    func sql(_ test: FieldTest, _ probe: RuleSQLProbe, _ builder: inout RuleSQLBuilder) -> String {
        switch test {
        case .exists:
            switch probe {
            case .json(let v): return "coalesce(jsonb_typeof(\(v)) <> 'null', false)"
            case .number(let x), .time(let x): return "(\(x) IS NOT NULL)"
            }
        case .missing:
            switch probe {
            case .json(let v): return "coalesce(jsonb_typeof(\(v)) = 'null', true)"
            case .number(let x), .time(let x): return "(\(x) IS NULL)"
            }
        case .compare(let op, let literal):
            return compare(op, literal, probe, &builder)
        case .oneOf(let literals):
            let alternatives = literals.map { compare(.equal, $0, probe, &builder) }.filter { $0 != "false" }
            return alternatives.isEmpty ? "false" : "(" + alternatives.joined(separator: " OR ") + ")"
        case .contains(let literal):
            guard case .json(let v) = probe else { return "false" }
            return contains(literal, v, &builder)
        case .startsWith(let prefix):
            guard case .json(let v) = probe, !prefix.holdsNUL else { return "false" }
            return "coalesce(starts_with(rule_string(\(v)), \(builder.bind(prefix, "text"))), false)"
        case .time(let timeTest):
            guard let t = timeExpression(probe) else { return "false" }
            return self.timeTest(timeTest, t, &builder)
        case .anniversary(let anniversary):
            guard let t = timeExpression(probe) else { return "false" }
            return self.anniversary(anniversary, t, &builder)
        }
    }

    private func timeExpression(_ probe: RuleSQLProbe) -> String? {
        switch probe {
        case .json(let v): "rule_time_ms(\(v))"
        case .time(let t): t
        case .number: nil
        }
    }

    private func compare(_ op: ComparisonOperator, _ literal: RuleLiteral, _ probe: RuleSQLProbe, _ builder: inout RuleSQLBuilder) -> String {
        let sqlOp = op == .notEqual ? "<>" : op.rawValue
        switch (literal, probe) {
        case (.string(let text), .json(let v)):
            guard !text.holdsNUL else { return "false" }
            return "coalesce(rule_string(\(v)) COLLATE \"C\" \(sqlOp) \(builder.bind(text, "text")), false)"
        case (.number(let number), .json(let v)):
            guard !number.isNaN else { return "false" }
            return "coalesce(rule_number(\(v)) \(sqlOp) \(builder.bind(number, "float8")), false)"
        case (.number(let number), .number(let x)):
            guard !number.isNaN else { return "false" }
            return "coalesce(\(x) \(sqlOp) \(builder.bind(number, "float8")), false)"
        case (.bool(let flag), .json(let v)):
            switch op {
            case .equal: return "coalesce(\(v) = to_jsonb(\(builder.bind(flag, "boolean"))), false)"
            case .notEqual: return "coalesce(jsonb_typeof(\(v)) = 'boolean' AND \(v) <> to_jsonb(\(builder.bind(flag, "boolean"))), false)"
            default: return "false"
            }
        case (.time(let time), .json), (.time(let time), .time):
            guard let t = timeExpression(probe) else { return "false" }
            return "coalesce(\(t) \(sqlOp) \(builder.bind(time.millisecondsSinceEpoch, "bigint")), false)"
        default:
            return "false"
        }
    }

    private func contains(_ literal: RuleLiteral, _ v: String, _ builder: inout RuleSQLBuilder) -> String {
        switch literal {
        case .string(let text):
            guard !text.holdsNUL else { return "false" }
            let p = builder.bind(text, "text")
            return "coalesce((jsonb_typeof(\(v)) = 'array' AND \(v) @> jsonb_build_array(\(p))) OR strpos(rule_string(\(v)), \(p)) > 0, false)"
        case .bool(let flag):
            return "coalesce(jsonb_typeof(\(v)) = 'array' AND \(v) @> jsonb_build_array(\(builder.bind(flag, "boolean"))), false)"
        case .number(let number):
            guard !number.isNaN else { return "false" }
            return elementExists(v, "rule_number(x.e) = \(builder.bind(number, "float8"))")
        case .time(let time):
            return elementExists(v, "rule_time_ms(x.e) = \(builder.bind(time.millisecondsSinceEpoch, "bigint"))")
        }
    }

    /// CASE, not AND: jsonb_array_elements raises an error on anything but an array, and only
    /// CASE promises to look at the type first.
    private func elementExists(_ v: String, _ condition: String) -> String {
        "CASE WHEN jsonb_typeof(\(v)) = 'array' THEN EXISTS (SELECT FROM jsonb_array_elements(\(v)) AS x(e) WHERE \(condition)) ELSE false END"
    }

    private func timeTest(_ test: TimeTest, _ t: String, _ builder: inout RuleSQLBuilder) -> String {
        func ms(_ time: RuleTime) -> String { builder.bind(time.millisecondsSinceEpoch, "bigint") }
        switch test {
        case .withinLast(let duration): return "coalesce(\(t) BETWEEN \(ms(nowTime.subtracting(duration))) AND \(now), false)"
        case .withinNext(let duration): return "coalesce(\(t) BETWEEN \(now) AND \(ms(nowTime.adding(duration))), false)"
        case .moreThanAgo(let duration): return "coalesce(\(t) < \(ms(nowTime.subtracting(duration))), false)"
        case .before(let bound): return "coalesce(\(t) < \(ms(bound)), false)"
        case .after(let bound): return "coalesce(\(t) > \(ms(bound)), false)"
        }
    }

    private func anniversary(_ test: AnniversaryTest, _ t: String, _ builder: inout RuleSQLBuilder) -> String {
        switch test {
        case .isToday:
            return "coalesce(rule_anniversary_on(\(t), \(today)), false)"
        case .inDays(let days):
            guard abs(days) <= RuleCalendar.maximumDayDistance else { return "false" }
            let target = "(\(today) + \(builder.bind(Int32(days), "integer")))"
            return "coalesce(CASE WHEN \(target) BETWEEN date '0001-01-01' AND date '9999-12-31' THEN rule_anniversary_on(\(t), \(target)) ELSE false END, false)"
        case .withinNextDays(let days):
            guard days >= 0 else { return "false" }
            return "coalesce(rule_anniversary_days_until(\(t), \(today)) <= \(builder.bind(Int64(days), "bigint")), false)"
        }
    }
}
