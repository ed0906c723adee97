/// The value a test looks at: a JSON value (attributes, properties), or one of the typed
/// values of aggregates and the value metric.
enum RuleProbe {
    case missing
    case json(JSONValue)
    case number(Double)
    /// Milliseconds since the epoch.
    case time(Int64)
}

/// A compiled ``FieldTest``: literals in the form they are compared in.
indirect enum RuleTestProgram: Sendable {
    case exists
    case missing
    case never
    case string(ComparisonOperator, [UInt8])
    case number(ComparisonOperator, Double)
    case bool(Bool, equal: Bool)
    case time(ComparisonOperator, Int64)
    case oneOf([RuleTestProgram])
    case containsString([UInt8])
    case containsNumber(Double)
    case containsBool(Bool)
    case containsTime(Int64)
    case startsWith([UInt8])
    case timeTest(TimeTest)
    case anniversary(AnniversaryTest)

    init(_ test: FieldTest) {
        switch test {
        case .exists: self = .exists
        case .missing: self = .missing
        case .compare(let op, let literal): self = Self.compare(op, literal)
        case .oneOf(let literals): self = .oneOf(literals.map { Self.compare(.equal, $0) })
        case .contains(.string(let text)): self = text.utf8.contains(0) ? .never : .containsString(Array(text.utf8))
        case .contains(.number(let number)): self = number.isNaN ? .never : .containsNumber(number)
        case .contains(.bool(let flag)): self = .containsBool(flag)
        case .contains(.time(let time)): self = .containsTime(time.millisecondsSinceEpoch)
        case .startsWith(let prefix): self = prefix.utf8.contains(0) ? .never : .startsWith(Array(prefix.utf8))
        case .time(let test): self = .timeTest(test)
        case .anniversary(let test): self = .anniversary(test)
        }
    }

    private static func compare(_ op: ComparisonOperator, _ literal: RuleLiteral) -> RuleTestProgram {
        switch literal {
        // PostgreSQL text cannot hold U+0000, so the SQL side cannot even ask; both say false.
        case .string(let text): text.utf8.contains(0) ? .never : .string(op, Array(text.utf8))
        case .number(let number): number.isNaN ? .never : .number(op, number)
        case .bool(let flag): op == .equal || op == .notEqual ? .bool(flag, equal: op == .equal) : .never
        case .time(let time): .time(op, time.millisecondsSinceEpoch)
        }
    }

    func holds(_ probe: RuleProbe, _ subject: RuleSubject, _ now: RuleTime) -> Bool {
        switch self {
        case .exists:
            switch probe {
            case .missing, .json(.null): return false
            default: return true
            }
        case .missing:
            switch probe {
            case .missing, .json(.null): return true
            default: return false
            }
        case .never:
            return false
        case .oneOf(let alternatives):
            for alternative in alternatives where alternative.holds(probe, subject, now) { return true }
            return false
        default:
            break
        }
        switch probe {
        case .missing: return false
        case .json(let value): return holds(json: value, subject, now)
        case .number(let number):
            if case .number(let op, let literal) = self { return op.holds(number, literal) }
            return false
        case .time(let time): return holds(time: time, subject, now)
        }
    }

    private func holds(json value: JSONValue, _ subject: RuleSubject, _ now: RuleTime) -> Bool {
        switch (self, value) {
        case (.string(let op, let literal), .string(let text)):
            return RuleBytes.compare(text, literal, op)
        case (.number(let op, let literal), .number(let number)):
            return RuleBytes.isReadableNumber(number) && op.holds(number, literal)
        case (.bool(let literal, let equal), .bool(let flag)):
            return (flag == literal) == equal
        case (.containsString(let literal), .string(let text)):
            return RuleBytes.contains(text, literal)
        case (.containsString(let literal), .array(let elements)):
            return elements.contains { if case .string(let text) = $0 { RuleBytes.equal(text, literal) } else { false } }
        case (.containsNumber(let literal), .array(let elements)):
            return elements.contains { if case .number(let n) = $0 { RuleBytes.isReadableNumber(n) && n == literal } else { false } }
        case (.containsBool(let literal), .array(let elements)):
            return elements.contains { $0 == .bool(literal) }
        case (.containsTime(let literal), .array(let elements)):
            return elements.contains { if case .string(let text) = $0 { RuleBytes.time(text) == literal } else { false } }
        case (.startsWith(let prefix), .string(let text)):
            return RuleBytes.hasPrefix(text, prefix)
        case (.time, .string(let text)), (.timeTest, .string(let text)), (.anniversary, .string(let text)):
            guard let time = RuleBytes.time(text) else { return false }
            return holds(time: time, subject, now)
        default:
            return false
        }
    }

    private func holds(time: Int64, _ subject: RuleSubject, _ now: RuleTime) -> Bool {
        switch self {
        case .time(let op, let literal):
            return op.holds(time, literal)
        case .timeTest(let test):
            switch test {
            case .withinLast(let duration): return now.subtracting(duration).millisecondsSinceEpoch <= time && time <= now.millisecondsSinceEpoch
            case .withinNext(let duration): return now.millisecondsSinceEpoch <= time && time <= now.adding(duration).millisecondsSinceEpoch
            case .moreThanAgo(let duration): return time < now.subtracting(duration).millisecondsSinceEpoch
            case .before(let bound): return time < bound.millisecondsSinceEpoch
            case .after(let bound): return time > bound.millisecondsSinceEpoch
            }
        case .anniversary(let test):
            return RuleCalendar.holds(test, for: RuleTime(millisecondsSinceEpoch: time), today: subject.today(at: now))
        default:
            return false
        }
    }
}

extension ComparisonOperator {
    /// `lhs op rhs`.
    func holds<T: Comparable>(_ lhs: T, _ rhs: T) -> Bool {
        switch self {
        case .equal: lhs == rhs
        case .notEqual: lhs != rhs
        case .less: lhs < rhs
        case .lessOrEqual: lhs <= rhs
        case .greater: lhs > rhs
        case .greaterOrEqual: lhs >= rhs
        }
    }
}
