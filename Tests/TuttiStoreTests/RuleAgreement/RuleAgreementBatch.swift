import Foundation
import TuttiDomain
import TuttiStore
import TuttiTestSupport

/// One batch of the agreement test: a population in a fresh tenant, a set of rules, and every
/// rule decided both ways: in SQL for the whole population at once, and in memory for each
/// customer loaded with `loadRuleSubject`.
struct RuleAgreementBatch {
    let seed: UInt64
    let index: Int
    let customers: Int
    let rules: Int

    /// Instants where calendars are interesting: daylight saving changes in New York, Berlin and
    /// Lord Howe (half an hour), local midnights in Apia (UTC+13) and Kathmandu (UTC+5:45), leap
    /// days, and the turn of a year.
    static let nows = [
        "2024-03-10T07:00:00Z", "2024-11-03T06:00:00Z", "2024-03-31T01:00:00Z", "2024-10-27T01:00:00Z", "2024-04-06T15:00:00Z",
        "2024-10-05T15:30:00Z", "2024-06-01T11:00:00Z", "2024-06-01T18:15:00Z", "2024-02-28T23:00:00Z", "2024-02-29T12:00:00Z",
        "2025-02-28T11:00:00Z", "2025-03-01T00:00:00Z", "2024-12-31T23:30:00Z", "2025-07-15T09:00:00Z",
    ].map { RuleTime.reading($0)! }

    /// A disagreement, with what it takes to replay and read it.
    struct Disagreement: CustomStringConvertible {
        var description: String
    }

    func run(database: Database) async throws -> [Disagreement] {
        var random = SeededRandom(seed: seed, stream: UInt64(index))
        let base = random.pick(Self.nows)
        let now = RuleTime(millisecondsSinceEpoch: base.millisecondsSinceEpoch + random.pick([0, 0, -1, 1, -60_000, 60_000, -3_600_000, 3_600_000]))
        let vocabulary = GeneratedVocabulary(now: now)
        var populationGenerator = PopulationGenerator(random: SeededRandom(seed: random.next()), now: now, vocabulary: vocabulary)
        let population = populationGenerator.population(size: customers)
        var ruleGenerator = RuleGenerator(random: SeededRandom(seed: random.next()), vocabulary: vocabulary)
        let generatedRules = (0..<rules).map { _ in ruleGenerator.rule() }

        let tenant = try await TestTenant.make("Rule agreement", in: database)
        return try await database.withTenant(tenant.tenant.id, logger: TestDatabase.logger) { session in
            try await population.insert(into: session)
            let live = population.customers.filter { $0.mergedInto == nil }
            var needed: Set<EventAggregate> = []
            for rule in generatedRules { needed.formUnion(rule.eventAggregates) }
            var subjects: [UUID: RuleSubject] = [:]
            for customer in live {
                subjects[customer.id] = try await session.loadRuleSubject(customerID: customer.id, aggregates: needed, now: now)
            }
            var disagreements: [Disagreement] = []
            for merged in population.customers where merged.mergedInto != nil {
                if try await session.loadRuleSubject(customerID: merged.id, aggregates: [], now: now) != nil {
                    disagreements.append(Disagreement(description: "loadRuleSubject loaded the merged-away customer \(merged.id)"))
                }
            }
            for (ruleIndex, rule) in generatedRules.enumerated() {
                let inSQL = Set(try await session.ruleMemberPage(rule, now: now, after: nil, limit: 10_000))
                let evaluator = RuleEvaluator(rule)
                var inMemory: Set<UUID> = []
                for customer in live where subjects[customer.id].map({ evaluator.evaluate($0, now: now) }) == true {
                    inMemory.insert(customer.id)
                }
                if ProcessInfo.processInfo.environment["TUTTI_RULE_STATS"] != nil { print("batch \(index) rule \(ruleIndex): \(inSQL.count)/\(live.count) \(inMemory.count)") }
                if inSQL != inMemory {
                    let differing = population.customers.filter { inSQL.contains($0.id) != inMemory.contains($0.id) }
                    disagreements.append(Disagreement(description: report(rule, ruleIndex, now, differing, inSQL, subjects)))
                    continue
                }
                // The other two query shapes must say the same as the page.
                if ruleIndex % 5 == 0 {
                    let count = try await session.ruleCount(rule, now: now)
                    let among = try await session.ruleMembers(rule, among: population.customers.map(\.id), now: now)
                    if count != inSQL.count || among != inSQL {
                        disagreements.append(Disagreement(description: report(rule, ruleIndex, now, [], inSQL, subjects)
                            + "\ncount said \(count), membership said \(among.count), the page \(inSQL.count)"))
                    }
                }
            }
            return disagreements
        }
    }

    private func report(
        _ rule: RuleExpression, _ ruleIndex: Int, _ now: RuleTime, _ differing: [GeneratedPopulation.Customer], _ inSQL: Set<UUID>,
        _ subjects: [UUID: RuleSubject]
    ) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func json<T: Encodable>(_ value: T) -> String { (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "?" }
        var text = """
            Rule evaluators disagree. Replay: TUTTI_RULE_SEED=\(seed) TUTTI_RULE_BATCH=\(index) (rule #\(ruleIndex))
            now: \(RuleTimeText.dateTime(now.millisecondsSinceEpoch)) (\(now.millisecondsSinceEpoch))
            rule: \(json(rule))
            """
        for customer in differing.prefix(3) {
            text += "\ncustomer: \(json(customer))"
            text += "\n  SQL says \(inSQL.contains(customer.id)), in memory says \(!inSQL.contains(customer.id))"
            if let subject = subjects[customer.id] {
                text += "\n  loaded aggregates: \(subject.aggregates.filter { rule.eventAggregates.contains($0.key) }.map { "\(json($0.key)) = \($0.value)" })"
            }
        }
        return text
    }
}
