import TuttiDomain

/// Random rule trees over ``GeneratedVocabulary``: every kind of leaf and test, literals of the
/// type a path usually holds and sometimes of another, nested `all`/`any`/`not`/`in segment`.
struct RuleGenerator {
    var random: SeededRandom
    let vocabulary: GeneratedVocabulary
    /// A few aggregates, reused across a batch's rules (as real rules share them).
    let aggregates: [EventAggregate]

    init(random: SeededRandom, vocabulary: GeneratedVocabulary) {
        self.random = random
        self.vocabulary = vocabulary
        var aggregateRandom = random
        var made: [EventAggregate] = []
        for _ in 0..<8 { made.append(Self.aggregate(&aggregateRandom, vocabulary)) }
        self.aggregates = made
        self.random = aggregateRandom
    }

    mutating func rule(depth: Int = 0) -> RuleExpression {
        if depth < 3, random.chance(depth == 0 ? 0.7 : 0.35) {
            switch random.int(0...4) {
            case 0, 1: return .all((0..<random.int(0...3)).map { _ in rule(depth: depth + 1) })
            case 2: return .any((0..<random.int(0...3)).map { _ in rule(depth: depth + 1) })
            case 3: return .not(rule(depth: depth + 1))
            default: return .inSegment(SegmentReference(name: "s\(depth)", version: 1), rule(depth: depth + 1))
            }
        }
        switch random.int(0...9) {
        case 0...4:
            let path = random.pick(GeneratedVocabulary.attributePaths)
            return .attribute(FieldCondition(path: path, test: fieldTest(for: path.last ?? "")))
        case 5:
            let field = random.pick(ValueField.allCases)
            return .value(field, field.isTime ? timeTest() : numberTest())
        case 6:
            return random.chance(0.5)
                ? .canReceive(random.pick(ReachabilityChannel.allCases))
                : .consent(random.pick([.email, .sms, .push]), topic: random.pick(["", "news", "other"]), status: random.pick(ConsentStatus.allCases))
        default:
            let aggregate = random.pick(aggregates)
            switch aggregate.function {
            case .first, .last: return .aggregate(aggregate, timeTest())
            default: return .aggregate(aggregate, random.chance(0.1) ? timeTest() : numberTest())
            }
        }
    }

    private mutating func fieldTest(for key: String) -> FieldTest {
        switch key {
        case "birthday", "signup", "when": return random.chance(0.8) ? timeTest() : anyTest()
        case "age", "score", "lat", "total": return random.chance(0.7) ? numberTest() : anyTest()
        default: return anyTest()
        }
    }

    private mutating func literal() -> RuleLiteral {
        switch random.int(0...9) {
        case 0...4: .string(random.pick(GeneratedVocabulary.strings))
        case 5, 6: .number(random.pick(GeneratedVocabulary.numbers))
        case 7: .bool(random.chance(0.5))
        default: .time(vocabulary.instant(&random))
        }
    }

    private mutating func anyTest() -> FieldTest {
        switch random.int(0...9) {
        case 0: return random.chance(0.5) ? .exists : .missing
        case 1...3: return .compare(random.pick(ComparisonOperator.allCases), literal())
        case 4: return .oneOf((0..<random.int(0...3)).map { _ in literal() })
        case 5, 6: return .contains(literal())
        case 7: return .startsWith(random.pick(GeneratedVocabulary.strings))
        default: return timeTest()
        }
    }

    private mutating func numberTest() -> FieldTest {
        switch random.int(0...9) {
        case 0: return random.chance(0.5) ? .exists : .missing
        case 1: return .oneOf((0..<random.int(1...3)).map { _ in .number(random.pick(GeneratedVocabulary.numbers)) })
        default: return .compare(random.pick(ComparisonOperator.allCases), .number(random.pick(GeneratedVocabulary.numbers)))
        }
    }

    private mutating func timeTest() -> FieldTest {
        let duration = random.pick([
            RuleDuration(90, .days), RuleDuration(1, .months), RuleDuration(2, .years), RuleDuration(30, .minutes), RuleDuration(3, .hours),
            RuleDuration(1, .weeks), RuleDuration(0, .days), RuleDuration(-5, .days), RuleDuration(30, .days),
        ])
        switch random.int(0...11) {
        case 0: return .time(.withinLast(duration))
        case 1: return .time(.withinNext(duration))
        case 2: return .time(.moreThanAgo(duration))
        case 3: return .time(.before(vocabulary.instant(&random)))
        case 4: return .time(.after(vocabulary.instant(&random)))
        case 5: return .compare(random.pick(ComparisonOperator.allCases), .time(vocabulary.instant(&random)))
        case 6, 7: return .anniversary(.isToday)
        case 8: return .anniversary(.inDays(random.pick([-1, 0, 1, 2, 30, 365, 366])))
        case 9: return .anniversary(.withinNextDays(random.pick([-1, 0, 1, 3, 7, 365])))
        case 10: return random.chance(0.5) ? .exists : .missing
        default: return .oneOf([.time(vocabulary.instant(&random))])
        }
    }

    private static func aggregate(_ random: inout SeededRandom, _ vocabulary: GeneratedVocabulary) -> EventAggregate {
        let function = random.pick([
            AggregateFunction.count, .count, .count, .sum(property: ["total"]), .average(property: ["total"]),
            .minimum(property: ["total"]), .maximum(property: ["total"]), .first, .last,
        ])
        let now = vocabulary.now
        let window = random.pick([
            EventWindow.allTime, .last(RuleDuration(90, .days)), .last(RuleDuration(90, .days)), .last(RuleDuration(1, .months)),
            .last(RuleDuration(2, .years)), .since(now.subtracting(RuleDuration(30, .days))),
            .between(now.subtracting(RuleDuration(60, .days)), now.subtracting(RuleDuration(10, .days))),
        ])
        var filters: [FieldCondition] = []
        for _ in 0..<random.pick([0, 0, 1, 2]) {
            filters.append(random.pick([
                FieldCondition(path: ["sku"], test: .startsWith("A")), FieldCondition(path: ["total"], test: .compare(.greater, .number(50))),
                FieldCondition(path: ["coupon"], test: .compare(.equal, .bool(true))),
                FieldCondition(path: ["when"], test: .time(.withinLast(RuleDuration(30, .days)))),
                FieldCondition(path: ["when"], test: .anniversary(.withinNextDays(3))),
                FieldCondition(path: ["sku"], test: .oneOf([.string("A-1"), .string("B-1")])),
            ]))
        }
        return EventAggregate(function: function, event: random.pick(GeneratedVocabulary.eventNames), filters: filters, window: window)
    }
}
