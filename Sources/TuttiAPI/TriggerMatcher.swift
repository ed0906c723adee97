import Foundation
import TuttiDomain
import TuttiStore

/// Decides, in memory, which stored events fire or exit which armed triggers (docs/triggers.md):
/// the event's name, then the trigger's rule over `event.*` (and the customer, loaded in one
/// statement for all of the batch's customers only when a rule reads the profile). Then writes
/// the firings and exits set-based, in the ingestion's transaction.
enum TriggerMatcher {
    static func fire(
        _ events: [CustomerEvent], tenant: UUID, cache: TriggerCache, session: TenantSession
    ) async throws -> TriggerOutcome {
        guard !events.isEmpty else { return TriggerOutcome() }
        let triggers = try await cache.triggers(tenant: tenant, session: session)
        guard !triggers.isEmpty else { return TriggerOutcome() }
        var matches: [(event: CustomerEvent, trigger: ArmedTrigger)] = []
        var exits: [TriggerExit] = []
        for event in events where event.kind == .track {
            for armed in triggers.firing[event.name] ?? [] { matches.append((event, armed)) }
            for armed in triggers.exiting[event.name] ?? [] {
                exits.append(
                    TriggerExit(
                        campaignID: armed.campaignID, customerID: event.customerID,
                        correlation: armed.trigger.correlation == nil
                            ? nil : armed.trigger.correlationValue(properties: event.properties) ?? "",
                        occurredAt: event.occurredAt))
            }
        }
        var outcome = TriggerOutcome()
        if !matches.isEmpty { outcome = try await fire(matches, session: session) }
        // Exits after firings: an exit cancels the firings of events that happened no later
        // than it, so one batch with the cart abandoned and then its order sends nothing.
        if !exits.isEmpty { outcome.exited = try await session.triggerExit(exits) }
        return outcome
    }

    private static func fire(
        _ matches: [(event: CustomerEvent, trigger: ArmedTrigger)], session: TenantSession
    ) async throws -> TriggerOutcome {
        var outcome = TriggerOutcome()

        let now = RuleTime(Date())
        let profiled = matches.filter { $0.trigger.rule?.rule.readsCustomer == true }
        var subjects: [UUID: RuleSubject] = [:]
        if !profiled.isEmpty {
            let aggregates = profiled.reduce(into: Set<EventAggregate>()) {
                $0.formUnion($1.trigger.rule?.rule.eventAggregates ?? [])
            }
            let loaded = try await session.loadRuleSubjects(
                customerIDs: Array(Set(profiled.map(\.event.customerID))), aggregates: aggregates, now: now)
            subjects = loaded.mapValues(\.subject)
        }
        var candidates: [TriggerCandidate] = []
        for (event, armed) in matches {
            if let rule = armed.rule {
                var subject = rule.rule.readsCustomer ? subjects[event.customerID] ?? RuleSubject() : RuleSubject()
                subject.event = ["name": .string(event.name), "properties": .object(event.properties)]
                guard rule.evaluate(subject, now: now) else { continue }
            }
            candidates.append(
                TriggerCandidate(
                    trigger: armed, customerID: event.customerID, eventID: event.id, occurredAt: event.occurredAt,
                    messageID: event.messageID, correlation: armed.trigger.correlationValue(properties: event.properties)))
        }
        let fired = try await session.triggerFire(candidates)
        outcome.fired = fired.fired
        outcome.queued = fired.queued
        return outcome
    }
}
