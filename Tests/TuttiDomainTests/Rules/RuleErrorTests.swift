import Foundation
import Testing
import TuttiDomain

/// What the checker says about wrong rules, and where.
@Suite("Rule language: errors")
struct RuleErrorTests {
    static func errors(_ text: String, segments: SegmentCatalog = SegmentCatalog(), defining: [String] = []) -> [RuleError] {
        do throws(RuleErrors) {
            let checked = try RuleChecker(segments: segments, defining: defining).check(text)
            Issue.record("\(text) checked as \(checked.expression)")
            return []
        } catch {
            return error.errors
        }
    }

    static func first(_ text: String) -> String {
        errors(text).first.map { "\($0.line ?? 0):\($0.column ?? 0): \($0.message)" } ?? ""
    }

    @Test func aMissingValueSaysWhatWasExpectedAndThatTheRuleEnded() {
        #expect(Self.first("attributes.age =") == "1:17: expected a value after `=` but found end of rule")
        #expect(Self.first("attributes.age = \n") == "2:1: expected a value after `=` but found end of rule")
    }

    @Test func orderingABooleanIsATypeError() {
        #expect(Self.first("attributes.vip < true") == "1:18: `<` needs a number, a string or a date, not a boolean (use = or != with true and false)")
    }

    @Test func startsWithNeedsAString() {
        #expect(Self.first("attributes.phone starts with 49") == "1:30: `starts with` needs a string, not a number")
    }

    @Test func severalTypeErrorsAreReportedTogether() {
        let errors = Self.errors("attributes.a < true and can receive fax and consent email is maybe and value.nope > 1")
        #expect(errors.map { "\($0.line ?? 0):\($0.column ?? 0)" } == ["1:16", "1:37", "1:62", "1:78"])
    }

    @Test func aggregatesAndValueFieldsKnowTheirTypes() {
        #expect(Self.first(#"sum("Order Completed") > 1"#) == #"1:5: `sum` needs a property of the event to read: sum("Order Completed".total)"#)
        #expect(Self.first(#"count("Order Completed".total) > 1"#).hasPrefix("1:25: `count` takes no property"))
        #expect(Self.first(#"count("Order Completed") within 7 days"#).hasPrefix("1:26: `within and more than … ago` does not apply to count(…), which is a number"))
        #expect(Self.first(#"last("App Opened") > 5"#) == "1:22: `>` on last(…) needs a date like 2024-01-01, not a number")
        #expect(Self.first(#"median("O".x) > 5"#).hasPrefix("1:1: expected an aggregate (count, sum, average, min, max, first or last) but found `median`"))
        #expect(Self.first("value.rfm.recency > \"high\"") == "1:21: `>` on value.rfm.recency needs a number, not a string")
        #expect(Self.first("value.lifetime_value > 5").hasPrefix("1:7: expected a value field (value.lifetime_revenue"))
    }

    @Test func datesMustExistAndDurationsMustBeSensible() {
        #expect(Self.first("attributes.d before 2023-02-30") == "1:21: 2023-02-30 is not a date: month 2 of 2023 has 28 days")
        #expect(Self.first("attributes.d before 2023-13-01") == "1:21: 2023-13-01 is not a date: there is no month 13")
        #expect(Self.first("attributes.d before \"2023-01-01\"") == "1:21: write the date after `before` without quotes: 2023-01-01")
        #expect(Self.first("attributes.d within 0 days").hasPrefix("1:21: a duration must be at least 1"))
        #expect(Self.first("attributes.d within 1.5 days") == "1:21: a duration needs a whole number, not 1.5")
        #expect(Self.first("attributes.d within 5000 years") == "1:21: 5000 years is too long; at most 1000 years")
        #expect(Self.first("attributes.d within 3 fortnights") == "1:23: expected a unit (minutes, hours, days, weeks, months or years) but found `fortnights`")
        #expect(Self.first("attributes.d anniversary in 2 weeks") == "1:31: anniversaries count days: expected `days` but found `weeks`")
        #expect(Self.first(#"count("E", between 2024-02-01 and 2024-01-01) > 1"#).hasPrefix("1:35: a window's start must come before its end"))
    }

    @Test func emptyListsNullAndBadNamesAreRefused() {
        #expect(Self.first("attributes.country in []") == "1:20: `in` needs at least one value in the list (in [\"DE\", \"AT\"])")
        #expect(Self.first("attributes.x = null") == "1:16: null is not a value to compare with; test for it with `missing` (or `exists`)")
        #expect(Self.first("can receive fax").hasPrefix("1:13: expected a channel (email, sms, push, social or phone) after `can receive` but found `fax`"))
        #expect(Self.first("consent email is yes").hasPrefix("1:18: expected a consent status (opted_in, opted_out, unknown or pending)"))
        #expect(Self.first(#"consent email "News Letter" is opted_in"#).hasPrefix("1:15: a consent topic must be lower-case"))
        #expect(Self.first(#"country = "DE""#) == "1:1: expected \(Self.conditionStarts) but found `country`; a customer attribute is written attributes.country")
    }

    static let conditionStarts =
        "a condition (attributes.…, value.…, context.…, event.…, an aggregate such as count(…), can receive …, consent …, in segment \"…\", not, true, false or `(`)"

    @Test func syntaxErrorsPointAtTheOffendingToken() {
        #expect(Self.first("") == "1:1: expected a condition but the rule is empty (write `true` to match everyone)")
        #expect(Self.first("(attributes.a exists") == "1:21: expected `)` to close the `(` at line 1, column 1 but found end of rule")
        #expect(Self.first("attributes.a exists)") == "1:20: found `)` without a matching `(`")
        #expect(Self.first("attributes.a exists attributes.b exists") == "1:21: expected `and`, `or` or the end of the rule but found `attributes`")
        #expect(Self.first("attributes.a = \"open") == "1:16: expected a value after `=` but found a string that is never closed (add a \")")
        #expect(Self.first("attributes.a = 5 @") == "1:18: expected `and`, `or` or the end of the rule but found the character `@`")
        #expect(Self.first(#"count("E" where a > 1 or b > 2) > 1"#) == "1:23: event filters can only be joined with `and` (found `or`)")
        #expect(Self.first("attributes.a = 30days") == "1:16: expected a value after `=` but found a number running into a name (put a space after the number)")
    }

    @Test func nestingDeeperThanTheLimitIsAnErrorNotACrash() {
        let deep = String(repeating: "(", count: 100_000) + "true" + String(repeating: ")", count: 100_000)
        #expect(Self.first(deep) == "1:65: the rule nests parentheses and `not` more than 64 deep; simplify it")
        let nots = String(repeating: "not ", count: 100_000) + "true"
        #expect(Self.first(nots).hasPrefix("1:257: the rule nests"))
        let fine = String(repeating: "(", count: 64) + "true" + String(repeating: ")", count: 64)
        #expect((try? RuleChecker().check(fine))?.expression == .all([]))
    }

    @Test func longFlatChainsAreFine() throws {
        let chain = Array(repeating: "attributes.a exists", count: 50_000).joined(separator: " and ")
        let checked = try RuleChecker().check(chain)
        guard case .all(let members) = checked.expression else { Issue.record("not all"); return }
        #expect(members.count == 50_000)
    }
}
