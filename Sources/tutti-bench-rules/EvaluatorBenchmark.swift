import Foundation
import TuttiDomain

/// In-memory rule evaluations per second on one core, for the benchmark rule (five
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

        print("rule: country = \"DE\" and age >= 18 and tags contains \"vip\" and count(\"Order Completed\", last 90 days) >= 2 and can receive email")
        if case .all(let clauses) = rule {
            // Each clause alone, to show where the time goes.
            for (number, clause) in clauses.enumerated() {
                let single = Self.measure(RuleEvaluator(clause), subjects, now: now, evaluations: evaluations / 5)
                print("  clause \(number + 1) alone: \(Self.format(single.cpu / Double(evaluations / 5) * 1e9)) ns CPU each")
            }
        }
        let result = Self.measure(RuleEvaluator(rule), subjects, now: now, evaluations: evaluations)
        print("\(evaluations) evaluations over \(subjects.count) profiles (\(result.matched) matched)")
        print("  CPU time:  \(Self.format(result.cpu)) s, \(Int(Double(evaluations) / result.cpu)) evaluations/s on one core "
            + "(\(Self.format(result.cpu / Double(evaluations) * 1e9)) ns each)")
        print("  wall time: \(Self.format(result.wall)) s, \(Int(Double(evaluations) / result.wall)) evaluations/s (lower when other processes share the core)")
    }

    /// Times `evaluations` evaluations cycling through `subjects`, by wall clock and by this
    /// thread's CPU time (the figure that does not depend on what else the machine runs).
    static func measure(
        _ evaluator: RuleEvaluator, _ subjects: [RuleSubject], now: RuleTime, evaluations: Int
    ) -> (wall: Double, cpu: Double, matched: Int) {
        subjects.withUnsafeBufferPointer { buffer in
            var matched = 0
            for subject in buffer { _ = evaluator.evaluate(subject, now: now) }  // warm-up
            let clock = ContinuousClock()
            let start = clock.now, cpuStart = threadCPUTime()
            var index = 0
            for _ in 0..<evaluations {
                // Borrowed from the buffer: a caller holds its subject, it does not copy one each time.
                if evaluator.evaluate(buffer[index], now: now) { matched += 1 }
                index = index + 1 == buffer.count ? 0 : index + 1
            }
            let cpu = threadCPUTime() - cpuStart
            let wall = clock.now - start
            return (Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18, cpu, matched)
        }
    }

    static func threadCPUTime() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    static func format(_ value: Double) -> String { String(format: value < 10 ? "%.3f" : "%.0f", value) }

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
