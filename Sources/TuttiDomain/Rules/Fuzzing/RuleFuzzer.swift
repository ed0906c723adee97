import Foundation

/// Feeds random and mutated rules to the parser and checker and checks what every input must
/// give: either a valid rule whose canonical text and JSON form check back to the same tree, or
/// a non-empty list of errors, each positioned inside the input (a column may point one past
/// the end of its line, at the end of the rule).
///
/// Inputs are random bytes, random token soup, mutations of a corpus of valid rules (byte
/// flips, insertions, deletions, duplications, splices of two rules), deep nesting and long
/// flat chains. Runs are reproducible from the seed.
public struct RuleFuzzer {
    /// The counts of a run.
    public struct Report: Sendable, Hashable {
        public var inputs = 0
        public var valid = 0
        public var invalid = 0
        public var failures: [Failure] = []

        public init() {}
    }

    /// An input that broke a property, and which.
    public struct Failure: Sendable, Hashable, CustomStringConvertible {
        public var input: String
        public var problem: String

        public var description: String { "\(problem)\n  input: \(RulePrinter.quoted(String(input.prefix(2_000))))" }
    }

    public let corpus: [String]
    public let checker: RuleChecker
    var random: SplitMix64

    /// Fuzzes from `seed`; `corpus` adds to ``builtInCorpus``, `segments` resolves `in segment`.
    public init(seed: UInt64, corpus: [String] = [], segments: SegmentCatalog = RuleFuzzer.segments) {
        self.corpus = Self.builtInCorpus + corpus
        self.checker = RuleChecker(segments: segments)
        self.random = SplitMix64(seed: seed)
    }

    /// Runs `count` inputs; keeps at most `keepFailures` failures.
    public mutating func run(count: Int, keepFailures: Int = 20) -> Report {
        var report = Report()
        for _ in 0..<count {
            let input = nextInput()
            report.inputs += 1
            switch Self.examine(input, checker: checker) {
            case .valid: report.valid += 1
            case .invalid: report.invalid += 1
            case .broken(let problem):
                if report.failures.count < keepFailures { report.failures.append(Failure(input: input, problem: problem)) }
            }
        }
        return report
    }

    /// What one input gave.
    public enum Outcome: Sendable, Hashable {
        case valid
        case invalid
        case broken(String)
    }

    /// Checks the properties for one input.
    public static func examine(_ input: String, checker: RuleChecker) -> Outcome {
        let checked: CheckedRule
        do throws(RuleErrors) {
            checked = try checker.check(input)
        } catch {
            if error.errors.isEmpty { return .broken("an empty error list") }
            // Lines as the lexer counts them: split at U+000A only ("\r\n" is one Character).
            let lines = input.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            for error in error.errors {
                guard let line = error.line, let column = error.column else { return .broken("an error without a position: \(error)") }
                guard (1...lines.count).contains(line) else { return .broken("line \(line) outside 1...\(lines.count): \(error)") }
                let length = lines[line - 1].count
                guard (1...(length + 1)).contains(column) else {
                    return .broken("column \(column) outside 1...\(length + 1) of line \(line): \(error)")
                }
                if error.message.isEmpty { return .broken("an error without a message at \(line):\(column)") }
            }
            return .invalid
        }
        let text = checked.text
        do throws(RuleErrors) {
            let again = try checker.check(text)
            guard again.expression == checked.expression else {
                return .broken("the canonical text \(RulePrinter.quoted(text)) checks to another tree")
            }
        } catch {
            return .broken("the canonical text \(RulePrinter.quoted(text)) does not check: \(error)")
        }
        do {
            let json = try JSONEncoder().encode(checked.expression)
            let decoded = try RuleValidator.check(json: json, with: checker)
            guard decoded.expression == checked.expression else { return .broken("the JSON form checks to another tree") }
        } catch {
            return .broken("the JSON form does not check: \(error)")
        }
        return .valid
    }
}
