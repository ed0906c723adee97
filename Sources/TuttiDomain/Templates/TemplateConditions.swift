/// A template's conditions, checked and ready to evaluate for one customer after another with
/// the in-memory ``RuleEvaluator`` (the meaning the SQL compiler gives them too).
///
/// Each rule is checked by ``RuleChecker``; `segments` answers `in segment "…"` clauses. The
/// caller loads the ``RuleSubject`` with ``eventAggregates`` for the rules that count events.
public struct TemplateConditions: Sendable {
    /// The evaluator of each condition, by name.
    public let evaluators: [String: RuleEvaluator]

    /// Checks every rule; throws every error of every rule, each naming `conditions.NAME`.
    public init(_ rules: [String: String], segments: any SegmentResolver = SegmentCatalog()) throws(TemplateErrors) {
        var evaluators: [String: RuleEvaluator] = [:]
        var errors: [TemplateError] = []
        for name in rules.keys.sorted() {
            let part = "conditions.\(name)"
            if !Self.isValidName(name) {
                errors.append(TemplateError(.invalidConditionName, part: part, message: Self.nameRule))
            }
            do throws(RuleErrors) {
                evaluators[name] = RuleEvaluator(try RuleChecker(segments: segments).check(rules[name]!).expression)
            } catch {
                errors += error.errors.map {
                    TemplateError(.invalidCondition, part: part, line: $0.line, column: $0.column, message: $0.message)
                }
            }
        }
        guard errors.isEmpty else { throw TemplateErrors(errors) }
        self.evaluators = evaluators
    }

    /// Every event aggregate the rules read: what the caller loads into the subject.
    public var eventAggregates: Set<EventAggregate> {
        evaluators.values.reduce(into: []) { $0.formUnion($1.rule.eventAggregates) }
    }

    /// `conditions.NAME` for `subject` at `now`.
    public func evaluate(for subject: RuleSubject, now: RuleTime) -> [String: Bool] {
        evaluators.mapValues { $0.evaluate(subject, now: now) }
    }

    static let nameRule = "a condition's name is 1–64 ASCII letters, digits, `_` or `-`, so that `conditions.NAME` can name it"

    /// Names that read back as one segment of a Mustache dotted name.
    static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.count) && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }
}
