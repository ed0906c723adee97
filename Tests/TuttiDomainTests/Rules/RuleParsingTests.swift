import Foundation
import Testing
import TuttiDomain

/// Text to checked trees: each clause of the language.
@Suite("Rule language: parsing and checking")
struct RuleParsingTests {
    static func check(_ text: String, segments: SegmentCatalog = SegmentCatalog()) throws -> RuleExpression {
        do throws(RuleErrors) {
            return try RuleChecker(segments: segments).check(text).expression
        } catch {
            Issue.record("\(text) did not check: \(error)")
            throw error
        }
    }

    static func attribute(_ path: String..., test: FieldTest) -> RuleExpression {
        .attribute(FieldCondition(path: path, test: test))
    }

    static let jan2024 = RuleTime(millisecondsSinceEpoch: 1_704_067_200_000)

    @Test func comparisonsJoinedByAndBecomeAll() throws {
        #expect(try Self.check(#"attributes.country = "DE" and attributes.age >= 18"#) == .all([
            Self.attribute("country", test: .compare(.equal, .string("DE"))),
            Self.attribute("age", test: .compare(.greaterOrEqual, .number(18))),
        ]))
    }

    @Test func andBindsTighterThanOrAndNotTighterThanAnd() throws {
        let a = Self.attribute("a", test: .exists), b = Self.attribute("b", test: .exists), c = Self.attribute("c", test: .exists)
        #expect(try Self.check("attributes.a exists or attributes.b exists and attributes.c exists") == .any([a, .all([b, c])]))
        #expect(try Self.check("not attributes.a exists and attributes.b exists") == .all([.not(a), b]))
        #expect(try Self.check("not (attributes.a exists or attributes.b exists)") == .not(.any([a, b])))
        #expect(try Self.check("(attributes.a exists)") == a)
    }

    @Test func keywordsAreCaseInsensitiveButNamesAreNot() throws {
        #expect(try Self.check(#"Attributes.Country = "DE" AND NOT attributes.x Exists"#) == .all([
            Self.attribute("Country", test: .compare(.equal, .string("DE"))), .not(Self.attribute("x", test: .exists)),
        ]))
    }

    @Test func nestedQuotedAndDigitLeadingPathsAreKeys() throws {
        #expect(try Self.check(#"attributes.address.city = "Berlin""#) == Self.attribute("address", "city", test: .compare(.equal, .string("Berlin"))))
        #expect(try Self.check(#"attributes."first name".x2 = "Ann""#) == Self.attribute("first name", "x2", test: .compare(.equal, .string("Ann"))))
        #expect(try Self.check("attributes.2fa_enabled = true") == Self.attribute("2fa_enabled", test: .compare(.equal, .bool(true))))
    }

    @Test func listsContainsAndPrefixes() throws {
        #expect(try Self.check(#"attributes.country in ["DE", "AT"]"#) == Self.attribute("country", test: .oneOf([.string("DE"), .string("AT")])))
        #expect(try Self.check(#"attributes.tags contains "vip""#) == Self.attribute("tags", test: .contains(.string("vip"))))
        #expect(try Self.check(#"attributes.email starts with "ann""#) == Self.attribute("email", test: .startsWith("ann")))
        #expect(try Self.check("attributes.phone exists") == Self.attribute("phone", test: .exists))
        #expect(try Self.check("attributes.nickname missing") == Self.attribute("nickname", test: .missing))
    }

    @Test func numbersStringsAndDatesReadLikeJSON() throws {
        #expect(try Self.check("attributes.score > -1.5e2") == Self.attribute("score", test: .compare(.greater, .number(-150))))
        #expect(try Self.check(#"attributes.note = "a\"b\\c\n\u00e9\ud83d\ude00""#) == Self.attribute("note", test: .compare(.equal, .string("a\"b\\c\né😀"))))
        #expect(try Self.check("attributes.d = 2024-01-01") == Self.attribute("d", test: .compare(.equal, .time(Self.jan2024))))
        #expect(try Self.check("attributes.d = 2024-01-01T02:00:00.5+02:00") == Self.attribute("d", test: .compare(.equal, .time(RuleTime(millisecondsSinceEpoch: 1_704_067_200_500)))))
    }

    @Test func relativeTimesAndAnniversaries() throws {
        #expect(try Self.check("attributes.s within 30 days") == Self.attribute("s", test: .time(.withinLast(RuleDuration(30, .days)))))
        #expect(try Self.check("attributes.s within last 1 hour") == Self.attribute("s", test: .time(.withinLast(RuleDuration(1, .hours)))))
        #expect(try Self.check("attributes.t within next 7 days") == Self.attribute("t", test: .time(.withinNext(RuleDuration(7, .days)))))
        #expect(try Self.check("attributes.l more than 2 years ago") == Self.attribute("l", test: .time(.moreThanAgo(RuleDuration(2, .years)))))
        #expect(try Self.check("attributes.s before 2024-01-01") == Self.attribute("s", test: .time(.before(Self.jan2024))))
        #expect(try Self.check("attributes.s after 2024-01-01") == Self.attribute("s", test: .time(.after(Self.jan2024))))
        #expect(try Self.check("attributes.birthday is today") == Self.attribute("birthday", test: .anniversary(.isToday)))
        #expect(try Self.check("attributes.birthday anniversary is today") == Self.attribute("birthday", test: .anniversary(.isToday)))
        #expect(try Self.check("attributes.renewal in 30 days") == Self.attribute("renewal", test: .anniversary(.inDays(30))))
        #expect(try Self.check("attributes.renewal anniversary in 1 day") == Self.attribute("renewal", test: .anniversary(.inDays(1))))
        #expect(try Self.check("attributes.birthday anniversary within next 7 days") == Self.attribute("birthday", test: .anniversary(.withinNextDays(7))))
    }

    @Test func reachabilityAndConsent() throws {
        #expect(try Self.check("can receive email") == .canReceive(.email))
        #expect(try Self.check(#"consent email "newsletter" is opted_in"#) == .consent(.email, topic: "newsletter", status: .optedIn))
        #expect(try Self.check("consent sms is opted_out") == .consent(.sms, topic: "", status: .optedOut))
    }

    @Test func eventAggregatesWithFiltersAndWindows() throws {
        #expect(try Self.check(#"count("Order Completed" where total > 50 and product.category = "shoes", last 90 days) >= 2"#) == .aggregate(
            EventAggregate(function: .count, event: "Order Completed", filters: [
                FieldCondition(path: ["total"], test: .compare(.greater, .number(50))),
                FieldCondition(path: ["product", "category"], test: .compare(.equal, .string("shoes"))),
            ], window: .last(RuleDuration(90, .days))),
            .compare(.greaterOrEqual, .number(2))))
        #expect(try Self.check(#"sum("Order Completed".total, since 2024-01-01) > 100"#) == .aggregate(
            EventAggregate(function: .sum(property: ["total"]), event: "Order Completed", window: .since(Self.jan2024)), .compare(.greater, .number(100))))
        #expect(try Self.check(#"average("O".a.b) > 1 and min("O".x) > 1 and max("O".x) < 9"#) == .all([
            .aggregate(EventAggregate(function: .average(property: ["a", "b"]), event: "O"), .compare(.greater, .number(1))),
            .aggregate(EventAggregate(function: .minimum(property: ["x"]), event: "O"), .compare(.greater, .number(1))),
            .aggregate(EventAggregate(function: .maximum(property: ["x"]), event: "O"), .compare(.less, .number(9))),
        ]))
        let july = RuleTime(millisecondsSinceEpoch: 1_719_792_000_000)
        #expect(try Self.check(#"first("Signed Up", between 2024-01-01 and 2024-07-01) before 2024-01-01"#) == .aggregate(
            EventAggregate(function: .first, event: "Signed Up", window: .between(Self.jan2024, july)), .time(.before(Self.jan2024))))
        #expect(try Self.check(#"last("App Opened") within 7 days"#) == .aggregate(
            EventAggregate(function: .last, event: "App Opened"), .time(.withinLast(RuleDuration(7, .days)))))
    }

    @Test func valueFields() throws {
        #expect(try Self.check("value.rfm.recency >= 4") == .value(.recency, .compare(.greaterOrEqual, .number(4))))
        #expect(try Self.check("value.predicted_12m > 500") == .value(.predicted12Months, .compare(.greater, .number(500))))
        #expect(try Self.check("value.last_purchase within 30 days") == .value(.lastPurchase, .time(.withinLast(RuleDuration(30, .days)))))
    }

    @Test func trueFalseCommentsAndLines() throws {
        #expect(try Self.check("true") == .all([]))
        #expect(try Self.check("false") == .any([]))
        #expect(try Self.check("# who\nattributes.a exists -- trailing\n\n  or\tfalse # done") == .any([Self.attribute("a", test: .exists), .any([])]))
    }

    @Test func everyNodeOfTheSyntaxTreeKnowsItsLineAndColumn() throws {
        let syntax = try RuleParser.parse("attributes.a = 1\n  and not (count(\"E\") > 2)")
        guard case .and(let members) = syntax.kind, members.count == 2 else { Issue.record("not an and: \(syntax)"); return }
        #expect(members[0].position == SourcePosition(line: 1, column: 1))
        #expect(members[1].position == SourcePosition(line: 2, column: 7))
        guard case .not(let inner) = members[1].kind, case .condition(.aggregate(let aggregate), let test) = inner.kind else {
            Issue.record("unexpected shape \(members[1])"); return
        }
        #expect(inner.position == SourcePosition(line: 2, column: 11))
        #expect(aggregate.function.position == SourcePosition(line: 2, column: 12))
        #expect(aggregate.event.position == SourcePosition(line: 2, column: 18))
        #expect(test.position == SourcePosition(line: 2, column: 23))
    }
}
