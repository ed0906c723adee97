import Foundation
import Testing
import TuttiDomain

/// Canonical text, and the JSON form's validation.
@Suite("Rule language: printer and JSON form")
struct RulePrinterTests {
    @Test(arguments: RuleFuzzer.builtInCorpus)
    func canonicalTextChecksBackToTheSameTree(_ rule: String) throws {
        let checker = RuleChecker(segments: RuleFuzzer.segments)
        let checked = try checker.check(rule)
        let again = try checker.check(checked.text)
        #expect(again.expression == checked.expression, "\(checked.text)")
        #expect(again.text == checked.text)
    }

    @Test func canonicalTextIsLowerCaseWithMinimalParentheses() throws {
        let checked = try RuleChecker().check(#"NOT (attributes.a = 1 OR attributes.b = 2) AND (attributes.c Within 1 Day OR attributes.d Exists)"#)
        #expect(checked.text == "not (attributes.a = 1 or attributes.b = 2) and (attributes.c within last 1 day or attributes.d exists)")
        let quoted = try RuleChecker().check(#"count("E" where "where" = "a\"b" and "2x".y = 1e-7) > 0.5"#)
        #expect(quoted.text == #"count("E" where "where" = "a\"b" and "2x".y = 1e-07) > 0.5"#)
    }

    @Test func timesPrintAsDatesAtMidnightAndAsUTCDateTimesOtherwise() throws {
        #expect(try RuleChecker().check("attributes.d after 2024-03-01T01:30:00+02:00").text == "attributes.d after 2024-02-29T23:30:00Z")
        #expect(try RuleChecker().check("attributes.d after 1969-12-31T23:59:59.001Z").text == "attributes.d after 1969-12-31T23:59:59.001Z")
        #expect(try RuleChecker().check("attributes.d after 0001-01-01").text == "attributes.d after 0001-01-01")
    }

    @Test func theJSONFormChecksLikeText() throws {
        let checked = try RuleChecker().check(#"count("Order Completed" where total > 50, last 90 days) >= 2"#)
        let json = try JSONEncoder().encode(checked.expression)
        #expect(try RuleValidator.check(json: json).expression == checked.expression)
    }

    @Test func theJSONFormReportsErrorsWithJSONPaths() {
        let json = #"{"all":{"_0":[{"attribute":{"_0":{"path":[],"test":{"time":{"_0":{"withinLast":{"_0":{"amount":0,"unit":"days"}}}}}}}},{"value":{"_0":"rfm.recency","_1":{"startsWith":{"_0":"x"}}}},{"attribute":{"_0":{"path":["a"],"test":{"oneOf":{"_0":[]}}}}}]}}"#
        do throws(RuleErrors) {
            _ = try RuleValidator.check(json: Data(json.utf8))
            Issue.record("checked")
        } catch {
            #expect(error.errors.map { $0.jsonPath ?? "" } == [
                "$.all._0[0].attribute._0.path",
                "$.all._0[0].attribute._0.test.time._0.withinLast._0.amount",
                "$.all._0[1].value._1",
                "$.all._0[2].attribute._0.test.oneOf._0",
            ])
        }
    }

    @Test func malformedJSONIsAnErrorAtItsPath() {
        do throws(RuleErrors) {
            _ = try RuleValidator.check(json: Data(#"{"canReceive":{"_0":"fax"}}"#.utf8))
            Issue.record("checked")
        } catch {
            #expect(error.errors.first?.jsonPath == "$.canReceive._0")
        }
        #expect(throws: RuleErrors([RuleError("the rule is not valid JSON", jsonPath: "$")])) { try RuleValidator.check(json: Data("{".utf8)) }
    }

    @Test func theJSONFormResolvesSegmentsAgain() throws {
        let segments = SegmentCatalog([SegmentDefinition(name: "vip", version: 4, rule: .checked(.canReceive(.sms)))])
        let stale = RuleExpression.inSegment(SegmentReference(name: "vip", version: 1), .canReceive(.email))
        let checked = try RuleValidator.check(json: try JSONEncoder().encode(stale), with: RuleChecker(segments: segments))
        #expect(checked.expression == .inSegment(SegmentReference(name: "vip", version: 4), .canReceive(.sms)))
        #expect(throws: RuleErrors([RuleError("there is no segment named \"vip\"", jsonPath: "$.inSegment._0.name")])) {
            try RuleValidator.check(json: try JSONEncoder().encode(stale))
        }
    }
}
