import ArgumentParser
import Foundation
import TuttiDomain

/// `tutti rules check|fuzz`: the rule language without a database.
struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "Check rules and fuzz the rule language's parser and checker.",
        subcommands: [Check.self, Fuzz.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a rule (without segments); print its canonical text and JSON form, or its errors.")

        @Argument(help: "The rule's text; - reads standard input.") var rule: String

        func run() async throws {
            let text = rule == "-" ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) : rule
            let checked: CheckedRule
            do throws(RuleErrors) { checked = try RuleChecker().check(text) } catch {
                for problem in error.errors { print(problem.description) }
                throw ExitCode(1)
            }
            print(checked.text)
            try printJSON(checked.expression)
        }
    }

    struct Fuzz: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Feed random and mutated rules to the parser and checker; fail on any input that breaks a property.")

        @Option(help: "How many inputs.") var count = 100_000
        @Option(help: "The seed; the same seed replays the same inputs.") var seed: UInt64 = 1
        @Option(help: "A Markdown file whose ```rule blocks join the corpus.") var corpus = "docs/rules.md"

        func run() async throws {
            var examples: [String] = []
            if let markdown = try? String(contentsOfFile: corpus, encoding: .utf8) {
                examples = RuleExampleDocument(markdown: markdown).examples.map(\.rule)
            } else {
                print("note: \(corpus) not found; fuzzing from the built-in corpus only")
            }
            var fuzzer = RuleFuzzer(seed: seed, corpus: examples)
            var total = RuleFuzzer.Report()
            let clock = ContinuousClock()
            let started = clock.now
            var remaining = count
            while remaining > 0 {
                let chunk = min(remaining, 10_000)
                let report = fuzzer.run(count: chunk)
                total.inputs += report.inputs
                total.valid += report.valid
                total.invalid += report.invalid
                total.failures += report.failures
                remaining -= chunk
                let seconds = Self.seconds(clock.now - started)
                // Written unbuffered, so that progress shows through a pipe.
                let line = "\(total.inputs) inputs, \(total.valid) valid, \(total.invalid) invalid, \(total.failures.count) failures, \(Int(Double(total.inputs) / max(seconds, 0.001))) inputs/s\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            }
            let seconds = Self.seconds(clock.now - started)
            print("seed \(seed), corpus \(fuzzer.corpus.count) rules: \(total.inputs) inputs in \(String(format: "%.2f", seconds)) s (\(Int(Double(total.inputs) / max(seconds, 0.001))) inputs/s); \(total.valid) valid, \(total.invalid) invalid, \(total.failures.count) failures")
            guard total.failures.isEmpty else {
                for failure in total.failures.prefix(20) { print("FAILURE: \(failure)") }
                throw ExitCode(1)
            }
        }

        static func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
    }
}
