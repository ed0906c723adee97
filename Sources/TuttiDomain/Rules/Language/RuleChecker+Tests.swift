/// Tests and the literals they take.
extension RuleChecker {
    mutating func test(_ syntax: TestSyntax, on subject: SubjectType) -> FieldTest? {
        switch syntax.kind {
        case .exists: return .exists
        case .missing: return .missing
        case .compare(let comparison, let literal):
            return compare(comparison, literal, on: subject)
        case .oneOf(let items):
            guard !items.isEmpty else {
                fail("`in` needs at least one value in the list (in [\"DE\", \"AT\"])", at: syntax.position)
                return nil
            }
            let checked = items.map { literal($0, for: "in", on: subject) }
            return checked.contains(nil) ? nil : .oneOf(checked.compactMap { $0 })
        case .contains(let literal):
            guard case .json = subject else { return notApplicable("contains", to: subject, at: syntax.position) }
            return self.literal(literal, for: "contains", on: subject).map { .contains($0) }
        case .startsWith(let literal):
            guard case .json = subject else { return notApplicable("starts with", to: subject, at: syntax.position) }
            guard case .string(let prefix) = literal.kind else {
                if case .null = literal.kind { _ = self.literal(literal, for: "starts with", on: subject) } else {
                    fail("`starts with` needs a string, not \(Self.describe(literal))", at: literal.position)
                }
                return nil
            }
            return .startsWith(prefix)
        case .withinLast(let duration), .withinNext(let duration), .moreThanAgo(let duration):
            guard isTimeLike(subject) else { return notApplicable("within and more than … ago", to: subject, at: syntax.position) }
            guard let checked = self.duration(duration) else { return nil }
            switch syntax.kind {
            case .withinLast: return .time(.withinLast(checked))
            case .withinNext: return .time(.withinNext(checked))
            default: return .time(.moreThanAgo(checked))
            }
        case .before(let literal), .after(let literal):
            let word = if case .before = syntax.kind { "before" } else { "after" }
            guard isTimeLike(subject) else { return notApplicable(word, to: subject, at: syntax.position) }
            guard let time = time(literal, after: word) else { return nil }
            return .time(word == "before" ? .before(time) : .after(time))
        case .anniversaryToday:
            guard isTimeLike(subject) else { return notApplicable("anniversaries", to: subject, at: syntax.position) }
            return .anniversary(.isToday)
        case .anniversaryIn(let duration), .anniversaryWithinNext(let duration):
            guard isTimeLike(subject) else { return notApplicable("anniversaries", to: subject, at: syntax.position) }
            guard let days = anniversaryDays(duration) else { return nil }
            if case .anniversaryIn = syntax.kind { return .anniversary(.inDays(days)) }
            return .anniversary(.withinNextDays(days))
        }
    }

    private func isTimeLike(_ subject: SubjectType) -> Bool {
        if case .number = subject { return false }
        return true
    }

    private mutating func notApplicable(_ test: String, to subject: SubjectType, at position: SourcePosition) -> FieldTest? {
        switch subject {
        case .number(let name):
            fail("`\(test)` does not apply to \(name), which is a number; use =, !=, <, <=, >, >=, in, exists or missing", at: position)
        case .time(let name):
            fail("`\(test)` does not apply to \(name), which is a time; use within, more than … ago, before, after, anniversary, a comparison with a date, exists or missing", at: position)
        case .json:
            fail("`\(test)` does not apply here", at: position)
        }
        return nil
    }

    private mutating func compare(_ comparison: ComparisonOperator, _ literal: LiteralSyntax, on subject: SubjectType) -> FieldTest? {
        guard let checked = self.literal(literal, for: comparison.rawValue, on: subject) else { return nil }
        if case .bool = checked, comparison != .equal, comparison != .notEqual {
            fail("`\(comparison.rawValue)` needs a number, a string or a date, not a boolean (use = or != with true and false)", at: literal.position)
            return nil
        }
        return .compare(comparison, checked)
    }

    /// A literal that may stand after `operation` on `subject`.
    mutating func literal(_ syntax: LiteralSyntax, for operation: String, on subject: SubjectType) -> RuleLiteral? {
        let checked: RuleLiteral
        switch syntax.kind {
        case .null:
            fail("null is not a value to compare with; test for it with `missing` (or `exists`)", at: syntax.position)
            return nil
        case .string(let text): checked = .string(text)
        case .bool(let value): checked = .bool(value)
        case .number(let value, let text):
            guard value.isFinite, abs(value) <= 1e300 || value == 0 else {
                fail("the number \(text.prefix(40)) is too large", at: syntax.position)
                return nil
            }
            checked = .number(value)
        case .date(let date):
            guard let time = time(date, at: syntax.position) else { return nil }
            checked = .time(time)
        }
        switch (subject, checked) {
        case (.json, _), (.number, .number), (.time, .time):
            return checked
        case (.number(let name), _):
            fail("`\(operation)` on \(name) needs a number, not \(Self.describe(syntax))", at: syntax.position)
        case (.time(let name), _):
            fail("`\(operation)` on \(name) needs a date like 2024-01-01, not \(Self.describe(syntax))", at: syntax.position)
        }
        return nil
    }

    static func describe(_ literal: LiteralSyntax) -> String {
        switch literal.kind {
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .date: "a date"
        case .null: "null"
        }
    }
}
