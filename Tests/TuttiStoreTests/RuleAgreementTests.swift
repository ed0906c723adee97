import Foundation
import Testing
import TuttiDomain
import TuttiStore
import TuttiTestSupport

/// The proof that the two evaluators give a rule one meaning: random rules over random
/// customers (with events, consents, suppressions, merges, value rows, time zones, nulls and
/// missing keys), decided in SQL and in memory, must select the same customers.
///
/// Environment: `TUTTI_RULE_SEED` (default fixed, so CI is repeatable), `TUTTI_RULE_BATCHES`
/// (default 40 batches of 50 customers × 25 rules: 1,000 rules, 50,000 decisions),
/// `TUTTI_RULE_BATCH` to replay one batch from a failure report, `TUTTI_RULE_STATS` to print
/// how many customers each rule selected (a generator that only makes empty rules proves
/// nothing).
@Suite("Rule agreement")
struct RuleAgreementTests {
    static let defaultSeed: UInt64 = 20_250_601

    @Test func sqlAndInMemoryEvaluatorsSelectTheSameCustomers() async throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["TUTTI_RULE_SEED"].flatMap { UInt64($0) } ?? Self.defaultSeed
        let batchCount = environment["TUTTI_RULE_BATCHES"].flatMap { Int($0) } ?? 40
        let batches = environment["TUTTI_RULE_BATCH"].flatMap { Int($0) }.map { [$0] } ?? Array(0..<batchCount)

        let disagreements = try await withTestDatabase { database in
            // Two batches at a time: each waits on PostgreSQL about half of its time.
            try await withThrowingTaskGroup(of: [RuleAgreementBatch.Disagreement].self) { group in
                var pending = batches.makeIterator()
                var found: [RuleAgreementBatch.Disagreement] = []
                for _ in 0..<2 {
                    guard let index = pending.next() else { break }
                    group.addTask { try await RuleAgreementBatch(seed: seed, index: index, customers: 50, rules: 25).run(database: database) }
                }
                while let result = try await group.next() {
                    found += result
                    if found.count < 5, let index = pending.next() {
                        group.addTask { try await RuleAgreementBatch(seed: seed, index: index, customers: 50, rules: 25).run(database: database) }
                    }
                }
                return found
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreement(s), seed \(seed):\n\(disagreements.prefix(5).map(\.description).joined(separator: "\n\n"))")
    }
}
