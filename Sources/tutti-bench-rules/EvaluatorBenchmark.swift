import Foundation
import TuttiDomain

/// In-memory rule evaluations per second on one core, for the issue's benchmark rule (five
/// clauses) over loaded profiles. No database: the subjects are built here, as
/// `loadRuleSubject` would return them. A target of its own that depends on TuttiDomain alone,
/// so that ops/bench-rules-eval's release build stays small.
struct EvaluatorBenchmark {
    var evaluations = 5_000_000
    var profiles = 64

    func run() {
        let orders = EventAggregate(function: .count, event: "Order Completed", window: .last(RuleDuration(90, .days)))
        let rule = RuleExpression.all([
            .attribute(FieldCondition(path: ["country"], test: .compare(.equal, .string("DE")))),
            .attribute(FieldCondition(path: ["age"], test: .compare(.greaterOrEqual, .number(18)))),
            .attribute(FieldCondition(path: ["tags"], test: .contains(.string("vip")))),
            .aggregate(orders, .compare(.greaterOrEqual, .number(2))),
            .canReceive(.email),
        ])
        let now = RuleTime(millisecondsSinceEpoch: 1_750_000_000_000)
        let subjects = (0..<max(1, profiles)).map { Self.profile($0, orders: orders) }
        let evaluator = RuleEvaluator(rule)

        var matched = 0
        for subject in subjects where evaluator.evaluate(subject, now: now) { matched += 1 }  // warm-up
        let clock = ContinuousClock()
        let start = clock.now
        var index = 0
        for _ in 0..<evaluations {
            if evaluator.evaluate(subjects[index], now: now) { matched += 1 }
            index = index + 1 == subjects.count ? 0 : index + 1
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("rule: country = \"DE\" and age >= 18 and tags contains \"vip\" and count(\"Order Completed\", last 90 days) >= 2 and can receive email")
        print("\(evaluations) evaluations over \(subjects.count) profiles in \(String(format: "%.3f", seconds)) s: "
            + "\(Int(Double(evaluations) / seconds)) evaluations/s (\(String(format: "%.0f", seconds / Double(evaluations) * 1e9)) ns each; \(matched) matched)")
    }

    /// A profile as a real tenant's would look: a few dozen attributes, nested objects, lists,
    /// consents, identities and the rule's aggregate. Most profiles pass most clauses, so the
    /// evaluator rarely stops early.
    static func profile(_ n: Int, orders: EventAggregate) -> RuleSubject {
        var attributes: [String: JSONValue] = [
            "country": .string(n % 5 == 0 ? "AT" : "DE"),
            "age": .number(Double(16 + n % 40)),
            "tags": .array([.string("newsletter"), .string(n % 3 == 0 ? "regular" : "vip"), .string("app")]),
            "first_name": .string("Customer \(n)"),
            "last_name": .string("Müller"),
            "email_verified": .bool(true),
            "birthday": .string("1990-0\(1 + n % 9)-1\(n % 10)"),
            "signup": .string("2023-05-0\(1 + n % 9)T10:00:00Z"),
            "time_zone": .string("Europe/Berlin"),
            "address": .object(["city": .string("Berlin"), "zip": .string("10115"), "street": .string("Unter den Linden 1")]),
            "loyalty": .object(["tier": .string("gold"), "points": .number(Double(n * 37))]),
            "language": .string("de"),
        ]
        for extra in 0..<20 { attributes["custom_\(extra)"] = .string("value \(extra)") }
        return RuleSubject(
            attributes: attributes,
            channelsWithIdentity: [.email, .sms],
            consents: [ConsentKey(channel: .email): n % 7 == 0 ? .optedOut : .optedIn, ConsentKey(channel: .sms, topic: "offers"): .optedIn],
            value: CustomerValue(lifetimeRevenue: 420, orderCount: 5),
            aggregates: [orders: .number(Double(n % 4))])
    }
}
