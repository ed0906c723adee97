import Testing
import TuttiDomain

@Suite("Rule evaluator")
struct RuleEvaluatorTests {
    static let now = RuleTime.reading("2024-06-01T12:00:00Z")!

    static func attribute(_ path: String..., test: FieldTest) -> RuleExpression {
        .attribute(FieldCondition(path: path, test: test))
    }

    static func holds(_ rule: RuleExpression, _ attributes: [String: JSONValue], _ subject: RuleSubject = RuleSubject()) -> Bool {
        var subject = subject
        subject.attributes = attributes
        return RuleEvaluator.evaluate(rule, for: subject, now: now)
    }

    @Test func aLeafOnAMissingNullOrWrongTypedValueIsFalseAndNotNegatesIt() {
        let over30 = Self.attribute("age", test: .compare(.greater, .number(30)))
        for attributes: [String: JSONValue] in [[:], ["age": .null], ["age": .string("40")], ["age": .array([.number(40)])]] {
            #expect(!Self.holds(over30, attributes))
            #expect(Self.holds(.not(over30), attributes))
            #expect(!Self.holds(Self.attribute("age", test: .compare(.notEqual, .number(30))), attributes))
        }
        #expect(Self.holds(over30, ["age": .number(40)]))
        #expect(Self.holds(Self.attribute("age", test: .missing), ["age": .null]))
        #expect(!Self.holds(Self.attribute("age", test: .exists), ["age": .null]))
    }

    @Test func stringsCompareByCodePointNotByCanonicalEquivalence() {
        let composed = "\u{E9}", decomposed = "e\u{301}"
        #expect(!Self.holds(Self.attribute("name", test: .compare(.equal, .string(composed))), ["name": .string(decomposed)]))
        #expect(Self.holds(Self.attribute("name", test: .compare(.less, .string("a"))), ["name": .string("Z")]))
        #expect(Self.holds(Self.attribute("name", test: .compare(.greater, .string("z"))), ["name": .string("\u{E9}")]))
        #expect(!Self.holds(Self.attribute(composed, test: .exists), [decomposed: .string("x")]))
    }

    @Test func containsMatchesListElementsAndSubstrings() {
        let vip = Self.attribute("tags", test: .contains(.string("vip")))
        #expect(Self.holds(vip, ["tags": .array([.string("a"), .string("vip")])]))
        #expect(Self.holds(vip, ["tags": .string("a vip customer")]))
        #expect(!Self.holds(vip, ["tags": .array([.array([.string("vip")])])]))
        #expect(!Self.holds(vip, ["tags": .array([.string("vipx")])]))
    }

    @Test func nestedPathsReadObjectsOnly() {
        let city = Self.attribute("address", "city", test: .compare(.equal, .string("Berlin")))
        #expect(Self.holds(city, ["address": .object(["city": .string("Berlin")])]))
        #expect(!Self.holds(city, ["address": .array([.object(["city": .string("Berlin")])])]))
    }

    @Test func aggregatesWithoutEventsCountZeroAndHaveNoOtherValue() {
        let orders = EventAggregate(function: .count, event: "Order Completed", window: .last(RuleDuration(90, .days)))
        let lastOrder = EventAggregate(function: .last, event: "Order Completed")
        #expect(RuleEvaluator.holdsWithoutEvents(orders, .compare(.less, .number(1)), now: Self.now))
        #expect(!RuleEvaluator.holdsWithoutEvents(orders, .compare(.greaterOrEqual, .number(2)), now: Self.now))
        #expect(!RuleEvaluator.holdsWithoutEvents(lastOrder, .time(.withinLast(RuleDuration(1, .days))), now: Self.now))
        let subject = RuleSubject(aggregates: [orders: .number(2), lastOrder: .time(Self.now)])
        #expect(RuleEvaluator.evaluate(.aggregate(orders, .compare(.greaterOrEqual, .number(2))), for: subject, now: Self.now))
        #expect(RuleEvaluator.evaluate(.aggregate(lastOrder, .time(.withinLast(RuleDuration(1, .days)))), for: subject, now: Self.now))
    }

    @Test func reachabilityNeedsAnIdentityAndNoOptOutOrPendingConsent() {
        let subject = RuleSubject(channelsWithIdentity: [.email, .sms], consents: [ConsentKey(channel: .sms): .pending])
        #expect(RuleEvaluator.evaluate(.canReceive(.email), for: subject, now: Self.now))
        #expect(!RuleEvaluator.evaluate(.canReceive(.sms), for: subject, now: Self.now))
        #expect(!RuleEvaluator.evaluate(.canReceive(.push), for: subject, now: Self.now))
        #expect(RuleEvaluator.evaluate(.consent(.email, topic: "", status: .unknown), for: subject, now: Self.now))
    }

    @Test func valueFieldsDefaultToZeroRevenueAndOrders() {
        #expect(RuleEvaluator.evaluate(.value(.orderCount, .compare(.equal, .number(0))), for: RuleSubject(), now: Self.now))
        #expect(!RuleEvaluator.evaluate(.value(.averageOrderValue, .exists), for: RuleSubject(), now: Self.now))
        let subject = RuleSubject(value: CustomerValue(lifetimeRevenue: 300, orderCount: 4, rfmRecency: 5))
        #expect(RuleEvaluator.evaluate(.value(.averageOrderValue, .compare(.equal, .number(75))), for: subject, now: Self.now))
        #expect(RuleEvaluator.evaluate(.value(.recency, .compare(.greaterOrEqual, .number(4))), for: subject, now: Self.now))
    }

    @Test func birthdaysAreOnTheCustomersCalendar() {
        let today = Self.attribute("birthday", test: .anniversary(.isToday))
        // 12:00Z on 1 June is already 2 June in Kiritimati (UTC+14).
        #expect(Self.holds(today, ["birthday": .string("1990-06-02"), "time_zone": .string("Pacific/Kiritimati")]))
        #expect(!Self.holds(today, ["birthday": .string("1990-06-02"), "time_zone": .string("Pacific/Kiritimati ")]))
        #expect(Self.holds(today, ["birthday": .string("1990-06-01"), "time_zone": .number(14)]))
    }
}
