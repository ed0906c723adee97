import Foundation
import Testing
import TuttiDomain

/// Every worked example in docs/rules.md checks to the tree (or the errors) the document shows.
@Suite("Rule language: docs/rules.md")
struct RuleDocumentationTests {
    static func document() throws -> RuleExampleDocument {
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let markdown = try String(contentsOf: root.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        return RuleExampleDocument(markdown: markdown)
    }

    @Test func theDocumentHasAtLeastFifteenWorkedExamples() throws {
        let document = try Self.document()
        #expect(document.examples.filter { $0.expectedJSON != nil }.count >= 15)
        #expect(document.examples.allSatisfy { $0.expectedJSON != nil || $0.expectedErrors != nil }, "an example without an expected result")
    }

    @Test func everyExampleChecksToTheTreeItShows() throws {
        let document = try Self.document()
        let checker = RuleChecker(segments: document.catalog)
        for example in document.examples {
            let where_ = "docs/rules.md line \(example.line): \(example.rule)"
            if let json = example.expectedJSON {
                let checked: CheckedRule
                do throws(RuleErrors) { checked = try checker.check(example.rule) } catch {
                    Issue.record("\(where_)\ndoes not check: \(error)")
                    continue
                }
                let actual = String(decoding: try Self.encoder.encode(checked.expression), as: UTF8.self)
                let expected = try? JSONDecoder().decode(RuleExpression.self, from: Data(json.utf8))
                #expect(expected == checked.expression, "\(where_)\nexpected \(json)\nactual   \(actual)")
                #expect(try checker.check(checked.text).expression == checked.expression, "\(where_): canonical text \(checked.text)")
            }
            if let expectedErrors = example.expectedErrors {
                do throws(RuleErrors) {
                    _ = try checker.check(example.rule)
                    Issue.record("\(where_)\nchecked, but the document shows errors")
                } catch {
                    let actual = error.errors.map { "\($0.line ?? 0):\($0.column ?? 0): \($0.message)" }
                    #expect(actual == expectedErrors, "\(where_)")
                }
            }
        }
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
