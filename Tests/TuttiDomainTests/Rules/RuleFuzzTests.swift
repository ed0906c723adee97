import Foundation
import Testing
import TuttiDomain

/// A short fuzz run in every test run; `tutti rules fuzz` runs long ones.
@Suite("Rule language: fuzzing")
struct RuleFuzzTests {
    @Test func fiveThousandRandomAndMutatedRulesEachGiveAValidRuleOrPositionedErrors() throws {
        let document = try RuleDocumentationTests.document()
        var fuzzer = RuleFuzzer(seed: 20_240_101, corpus: document.examples.map(\.rule))
        let report = fuzzer.run(count: 5_000)
        #expect(report.failures.isEmpty, "\(report.failures.map(\.description).joined(separator: "\n"))")
        #expect(report.inputs == 5_000)
        // The run must reach both outcomes often enough to mean something.
        #expect(report.valid > 200)
        #expect(report.invalid > 2_000)
    }
}
