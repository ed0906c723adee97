import Foundation
import Testing
import TuttiDomain

@Suite("Campaign triggers")
struct CampaignTriggerTests {
    static var checker: RuleChecker {
        var checker = RuleChecker()
        checker.allowsEvent = true
        return checker
    }

    @Test func aTriggerIsReadWrittenAndCorrelated() throws {
        let json: JSONValue = .object([
            "event": .string("Cart Abandoned"), "rule": .string("event.properties.total > 50"), "delay": .string("30 minutes"),
            "reentry": .string("after 7 days"), "exit_events": .array([.string("Order Completed")]),
            "correlation": .string("properties.cart.id"),
        ])
        let trigger = try CampaignTrigger(json: json)
        #expect(trigger.delay?.seconds == 1_800 && trigger.reentry == .after(TriggerDuration("7 days")!))
        #expect(trigger.reentry.gateSeconds == 604_800 && CampaignTrigger.Reentry.always.gateSeconds == -1)
        #expect(trigger.json == json)
        #expect(trigger.correlationValue(properties: ["cart": .object(["id": .string("c-1")])]) == "c-1")
        #expect(trigger.correlationValue(properties: ["cart": .object(["id": .number(7)])]) == "7")
        #expect(trigger.correlationValue(properties: [:]) == nil)
    }

    @Test func aTriggeredCampaignHasNoAudienceOrSchedule() throws {
        let id = UUID().uuidString
        let definition = try CampaignDefinition(
            json: .object([
                "name": .string("Cart"), "template_id": .string(id), "channels": .array([.string(id)]),
                "trigger": .object(["event": .string("X"), "reentry": .string("once")]),
            ]))
        #expect(definition.audience == nil && definition.schedule == nil && definition.trigger?.event == "X")
        #expect(try CampaignDefinition(json: definition.json) == definition)
        #expect(throws: ValidationErrors.self) {
            try CampaignDefinition(
                json: .object([
                    "name": .string("Cart"), "template_id": .string(id), "channels": .array([.string(id)]),
                    "schedule": .object(["type": .string("now")]),
                    "trigger": .object(["event": .string("X"), "reentry": .string("once")]),
                ]))
        }
    }

    @Test(arguments: ["0 minutes", "1000 days", "367 days", "2 fortnights", "5minutes", ""])
    func aBadDurationIsRefused(text: String) {
        #expect(TriggerDuration(text) == nil)
    }

    @Test func eventIsParsedCheckedPrintedAndEvaluated() throws {
        let rule = try Self.checker.check(#"event.properties.total > 50 and event.name = "Order Completed""#)
        #expect(try Self.checker.check(rule.text).expression == rule.expression)
        #expect(!rule.expression.readsCustomer && rule.expression.readsEvent && !rule.expression.readsContext)
        let now = RuleTime(millisecondsSinceEpoch: 0)
        var subject = RuleSubject()
        subject.event = ["name": .string("Order Completed"), "properties": .object(["total": .number(80)])]
        #expect(RuleEvaluator.evaluate(rule.expression, for: subject, now: now))
        subject.event["properties"] = .object(["total": .number(20)])
        #expect(!RuleEvaluator.evaluate(rule.expression, for: subject, now: now))
        #expect(!RuleEvaluator.evaluate(rule.expression, for: RuleSubject(), now: now), "no event: false")
    }

    @Test func eventIsRefusedWhereNoEventExistsAndOnPathsAnEventDoesNotHave() throws {
        #expect(throws: RuleErrors.self) { try RuleChecker().check("event.properties.total > 50") }
        #expect(throws: RuleErrors.self) { try Self.checker.check("event.total > 50") }
        #expect(throws: RuleErrors.self) { try Self.checker.check("event.properties > 50") }
        let json = Data(#"{"event": {"_0": {"path": ["properties", "sku"], "test": {"exists": {}}}}}"#.utf8)
        #expect(throws: RuleErrors.self) { try RuleValidator.check(json: json) }
        #expect(try RuleValidator.check(json: json, with: Self.checker).text == "event.properties.sku exists")
        let bad = Data(#"{"event": {"_0": {"path": ["sku"], "test": {"exists": {}}}}}"#.utf8)
        #expect(throws: RuleErrors.self) { try RuleValidator.check(json: bad, with: Self.checker) }
    }
}
