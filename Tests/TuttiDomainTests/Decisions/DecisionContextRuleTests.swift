import Foundation
import Testing
import TuttiDomain

@Suite("Decision context in rules")
struct DecisionContextRuleTests {
    static var checker: RuleChecker {
        var checker = RuleChecker()
        checker.allowsContext = true
        return checker
    }

    @Test func contextIsParsedCheckedPrintedAndEvaluated() throws {
        let rule = try Self.checker.check(#"context.cart_total > 50 and context.page.name = "home""#)
        #expect(rule.text == #"context.cart_total > 50 and context.page.name = "home""#)
        #expect(try Self.checker.check(rule.text).expression == rule.expression)
        #expect(!rule.expression.readsCustomer && rule.expression.readsContext)
        let evaluator = RuleEvaluator(rule.expression)
        let now = RuleTime(millisecondsSinceEpoch: 0)
        var subject = RuleSubject()
        subject.context = ["cart_total": .number(75), "page": .object(["name": .string("home")])]
        #expect(evaluator.evaluate(subject, now: now))
        subject.context["cart_total"] = .string("75")
        #expect(!evaluator.evaluate(subject, now: now), "a string is not a number, as for attributes")
        #expect(!evaluator.evaluate(RuleSubject(), now: now), "no context: every test but missing is false")
        #expect(RuleEvaluator.evaluate(try Self.checker.check("context.page missing").expression, for: RuleSubject(), now: now))
        // Mixed with customer data, the rule needs a profile.
        #expect(try Self.checker.check(#"context.page exists and attributes.tier = "gold""#).expression.readsCustomer)
    }

    @Test func contextIsAnErrorWhereNoContextExistsAndTypedLikeTheRest() throws {
        #expect(throws: RuleErrors.self) { try RuleChecker().check("context.cart_total > 50") }
        do throws(RuleErrors) {
            _ = try RuleChecker().check("attributes.a = 1 or context.page = \"x\"")
            Issue.record("context accepted without a context")
        } catch {
            #expect(error.errors.first?.message.contains("only readable in an offer's eligibility rule") == true)
            #expect(error.errors.first?.location == .text(SourcePosition(line: 1, column: 21)))
        }
        #expect(throws: RuleErrors.self) { try Self.checker.check("context.total > true") }
        #expect(throws: RuleErrors.self) { try Self.checker.check("context. = 1") }
        let json = Data(#"{"context": {"_0": {"path": ["page"], "test": {"exists": {}}}}}"#.utf8)
        #expect(throws: RuleErrors.self) { try RuleValidator.check(json: json) }
        #expect(try RuleValidator.check(json: json, with: Self.checker).text == "context.page exists")
    }
}
