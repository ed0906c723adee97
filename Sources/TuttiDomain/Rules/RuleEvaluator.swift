/// The in-memory evaluator: decides a ``RuleExpression`` for one loaded customer
/// (``RuleSubject``) at one instant, with exactly the meaning the SQL compiler gives it.
///
/// `RuleEvaluator(rule)` compiles the tree once (literals converted to the forms they are
/// compared in, impossible tests folded to false); ``evaluate(_:now:)`` then allocates nothing,
/// formats no dates and takes no locks except for an anniversary's time zone lookup. Keep one
/// evaluator per rule and reuse it. Where the types' doc comments leave a reading open, this is
/// what both evaluators do:
/// - Strings compare by UTF-8 bytes (code points), never by Swift's canonical equivalence: an
///   "é" written as e + U+0301 is not equal to the precomposed one, as in PostgreSQL. Object keys
///   in paths are matched the same way.
/// - A JSON number is a number when it is 0 or its magnitude lies within 1e-300 … 1e300.
/// - `<`, `<=`, `>`, `>=` with a boolean literal, and any test with a number literal that is
///   not a number (NaN), are false.
/// - `first` and `last` (and the value metric's purchase times) are times: only time tests,
///   time literals, anniversaries and `exists`/`missing` can hold for them; count, sum, average,
///   minimum, maximum and the numeric value fields take number literals only.
/// - An aggregate the subject lacks has no value (every test but `missing` is false).
public struct RuleEvaluator: Sendable {
    /// The rule as given.
    public let rule: RuleExpression
    private let root: RuleNode

    public init(_ rule: RuleExpression) {
        self.rule = rule
        self.root = RuleNode(rule)
    }

    /// Whether `subject` satisfies the rule at `now`.
    public func evaluate(_ subject: RuleSubject, now: RuleTime) -> Bool {
        root.holds(subject, now)
    }

    /// Compiles `rule` and evaluates it once; prefer a kept ``RuleEvaluator`` for many subjects.
    public static func evaluate(_ rule: RuleExpression, for subject: RuleSubject, now: RuleTime) -> Bool {
        RuleEvaluator(rule).evaluate(subject, now: now)
    }

    /// Whether `test` holds for an aggregate of a customer without any matching event (0 for
    /// count and sum, no value otherwise). The SQL compiler joins an aggregate that a rule
    /// requires and that this says is false as an inner join, not an outer one.
    public static func holdsWithoutEvents(_ aggregate: EventAggregate, _ test: FieldTest, now: RuleTime) -> Bool {
        let probe: RuleProbe
        switch aggregate.function {
        case .count, .sum: probe = .number(0)
        default: probe = .missing
        }
        return RuleTestProgram(test).holds(probe, RuleSubject(), now)
    }
}

extension RuleSubject {
    /// Today's day number on the customer's calendar (their `time_zone` attribute, else UTC).
    func today(at now: RuleTime) -> Int64 {
        var zoneName: String?
        if case .string(let name)? = attributes["time_zone"] { zoneName = name }
        return RuleCalendar.localDay(now: now, zoneName: zoneName)
    }
}
