import Foundation
import Hummingbird
import Logging
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// `POST /v1/rules/validate`: checks a rule (text or JSON form) against the tenant's segments
/// and answers its checked tree, canonical text and the event aggregates it reads.
enum RuleRoutes {
    struct ValidateRequest: Decodable {
        var rule: String?
        var ruleJSON: JSONValue?
        /// Check the rule as the new definition of this segment: references back to it are cycles.
        var segment: String?

        enum CodingKeys: String, CodingKey {
            case rule, segment
            case ruleJSON = "rule_json"
        }
    }

    struct ValidateAnswer: Encodable {
        var valid = true
        var rule: RuleExpression
        var text: String
        var events: [EventAggregate]
        var segments: [SegmentReference]
    }

    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        group.post("/rules/validate") { request, context -> Response in
            let principal = try context.require(.read)
            let body = try await request.decodeJSON(
                ValidateRequest.self, limit: dependencies.maxBodyBytes, nonNull: ["rule", "rule_json", "segment"])
            let defining = body.segment.map { [$0] } ?? []
            let input: RuleInput
            switch (body.rule, body.ruleJSON) {
            case (let text?, nil): input = .text(text)
            case (nil, let json?): input = .json(json)
            default:
                throw Problem.validation([.init(field: "rule", message: "send either rule (the rule's text) or rule_json (its JSON form)")])
            }
            let (_, checked) = try await dependencies.database.withTenant(principal.tenantID, logger: context.logger) { session in
                try await session.checkRule(input, defining: defining)
            }
            let events = checked.expression.eventAggregates.sorted { Self.sortKey($0) < Self.sortKey($1) }
            return try JSONResponse.make(.ok, ValidateAnswer(rule: checked.expression, text: checked.text, events: events, segments: checked.segments))
        }
    }

    /// A stable order for the aggregates of an answer.
    static func sortKey(_ aggregate: EventAggregate) -> String {
        (try? String(decoding: JSONResponse.encoder.encode(aggregate), as: UTF8.self)) ?? aggregate.event
    }
}

extension RuleErrors {
    /// The 422 answer for a rule that does not check: each error with its line and column, or,
    /// for the JSON form, its JSON path as `field`.
    var problem: Problem {
        Problem(
            .unprocessableContent, slug: "invalid-rule", title: "Invalid Rule",
            detail: errors.count == 1 ? "The rule does not check: \(errors[0].message)." : "The rule does not check; \(errors.count) errors.",
            errors: errors.map { Problem.FieldError(field: $0.jsonPath, line: $0.line, column: $0.column, message: $0.message) })
    }
}
