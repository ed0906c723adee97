import Foundation
import Hummingbird
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// Reads and checks a campaign's definition: its shape (``CampaignDefinition/init(json:)``),
/// then what it names in the tenant's tables (template, channels, offers, segment) and its own
/// audience rule. Each failure is a 422 naming the field and what to fix.
enum CampaignInput {
    /// The body's JSON object; a 422 when it is another kind of value.
    static func object(_ request: Request, limit: Int) async throws -> [String: JSONValue] {
        guard case .object(let fields) = try await OfferInput.json(request, limit: limit) else {
            throw Problem.validation([.init(message: "must be a JSON object")], detail: "Send the campaign as a JSON object.")
        }
        return fields
    }

    /// The definition a JSON object describes, or the 422 listing every member to fix.
    static func definition(_ fields: [String: JSONValue]) throws -> CampaignDefinition {
        let definition: CampaignDefinition
        do throws(ValidationErrors) {
            definition = try CampaignDefinition(json: .object(fields))
        } catch {
            throw error.campaignProblem
        }
        // PostgreSQL's jsonb cannot hold U+0000; the name refuses control characters already.
        guard !definition.json.containsNUL else {
            throw Problem.validation([.init(field: "audience.rule", message: "must not contain the NUL character")])
        }
        return definition
    }

    /// Checks that everything the definition names exists for this tenant and that its own rule
    /// checks; returns the template's current version and the checked audience (the segment at
    /// its current version, or the rule) for a launch to pin.
    static func check(_ definition: CampaignDefinition, in session: TenantSession) async throws -> CampaignReferencesChecked {
        let references = try await session.campaignReferences(definition)
        var errors: [Problem.FieldError] = []
        if references.templateVersion == nil {
            errors.append(
                .init(field: "template_id", message: "names no template of this tenant; create it with POST /v1/templates"))
        }
        for (index, id) in definition.channelIDs.enumerated() where !references.liveChannels.contains(id) {
            errors.append(.init(field: "channels[\(index)]", message: "names no channel of this tenant (or a deleted one)"))
        }
        for (index, id) in (definition.offers?.offerIDs ?? []).enumerated() where !references.liveOffers.contains(id) {
            errors.append(.init(field: "offers.offer_ids[\(index)]", message: "names no offer of this tenant (or a deleted one)"))
        }
        if let topic = definition.topic, try await !session.topicList().contains(where: { $0.definition.key == topic }) {
            errors.append(.init(field: "topic", message: "names no topic of this tenant; create it with POST /v1/topics"))
        }
        var audience: (rule: RuleExpression, segment: Segment?)?
        switch definition.audience {
        case .segment(let id)?:
            if let segment = try await session.segmentGet(id: id) {
                audience = (segment.rule, segment)
            } else {
                errors.append(.init(field: "audience.segment_id", message: "names no segment of this tenant (or a deleted one)"))
            }
        case .rule(let rule)?:
            audience = (try await checkedRule(rule, in: session), nil)
        case nil:
            // A triggered campaign: its rule (if any) is checked with `event.*` and pinned in
            // the audience's place; none pins `true`.
            var rule = RuleExpression.all([])
            if let text = definition.trigger?.rule { rule = try await checkedTriggerRule(text, in: session) }
            audience = (rule, nil)
        }
        guard errors.isEmpty, let audience, let templateVersion = references.templateVersion else {
            throw Problem.validation(
                errors,
                detail:
                    "The campaign names what this tenant does not have: \(errors.map { $0.field ?? "" }.joined(separator: ", "))."
            )
        }
        return CampaignReferencesChecked(templateVersion: templateVersion, audienceRule: audience.rule, segment: audience.segment)
    }

    /// A trigger's rule, checked with `event.*` readable; its errors are reported under
    /// `trigger.rule`.
    private static func checkedTriggerRule(_ rule: JSONValue, in session: TenantSession) async throws -> RuleExpression {
        let input: RuleInput = if case .string(let text) = rule { .text(text) } else { .json(rule) }
        do {
            return try await session.checkRule(input, allowsEvent: true).rule.expression
        } catch var problem as Problem {
            problem.errors = problem.errors.map { error in
                var error = error
                error.field = "trigger.rule" + (error.field.map { $0.isEmpty ? "" : ".\($0)" } ?? "")
                return error
            }
            problem.detail = "The trigger's rule does not check. " + (problem.detail ?? "")
            throw problem
        }
    }

    /// The campaign's own rule, checked; its errors are reported under `audience.rule`.
    private static func checkedRule(_ rule: JSONValue, in session: TenantSession) async throws -> RuleExpression {
        let input: RuleInput = if case .string(let text) = rule { .text(text) } else { .json(rule) }
        do {
            return try await session.checkRule(input).rule.expression
        } catch var problem as Problem {
            problem.errors = problem.errors.map { error in
                var error = error
                error.field = "audience.rule" + (error.field.map { $0.isEmpty ? "" : ".\($0)" } ?? "")
                return error
            }
            problem.detail = "The audience rule does not check. " + (problem.detail ?? "")
            throw problem
        }
    }
}

/// What ``CampaignInput/check(_:in:)`` found: the versions a launch pins.
struct CampaignReferencesChecked {
    var templateVersion: Int
    var audienceRule: RuleExpression
    var segment: Segment?
}

extension ValidationErrors {
    /// The 422 for a definition that does not parse, naming every member to fix.
    var campaignProblem: Problem {
        .validation(
            errors.map { .init(field: $0.field.isEmpty ? nil : $0.field, message: $0.message) },
            detail: "The campaign has invalid members: \(errors.map(\.field).filter { !$0.isEmpty }.joined(separator: ", ")).")
    }
}
