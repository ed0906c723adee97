import Foundation
import Hummingbird
import TuttiDomain
import TuttiRuntime
import TuttiStore
import TuttiTemplates

/// Reads and checks an offer's body: the shape (``OfferDefinition/parse(_:)``), the
/// eligibility rule (parsed and checked against the tenant's segments) and every creative
/// field as Mustache. Each failure is a 422 naming what to fix.
enum OfferInput {
    /// The body as a JSON value: 415, 413 and 400 as for every JSON body.
    static func json(_ request: Request, limit: Int) async throws -> JSONValue {
        let buffer = try await request.collectJSONBody(limit: limit)
        do {
            return try JSONScanner.parse(buffer.readableBytesView)
        } catch {
            throw Problem.badRequest(
                "The body is not valid JSON: \(error.message) at byte \(error.offset).", slug: "malformed-json")
        }
    }

    /// The checked offer from its JSON object, with the checked eligibility rule.
    static func check(_ json: JSONValue, in session: TenantSession) async throws -> (OfferDefinition, RuleExpression?) {
        let definition: OfferDefinition
        do throws(OfferInvalid) {
            definition = try OfferDefinition.parse(json)
        } catch {
            throw Problem.validation(error.errors.map { .init(field: $0.field, message: $0.message) })
        }
        try checkCreative(definition.creative)
        guard let text = definition.eligibility else { return (definition, nil) }
        do {
            return (definition, try await session.checkRule(.text(text), allowsContext: true).rule.expression)
        } catch var problem as Problem {
            problem.errors = problem.errors.map { error in
                var error = error
                error.field = "eligibility"
                return error
            }
            problem.detail = "The eligibility rule does not check. " + (problem.detail ?? "")
            throw problem
        }
    }

    /// Compiles every creative field as a text template; a syntax error is a 422 naming the
    /// channel, field, line and column.
    static func checkCreative(_ creative: [String: [String: String]]) throws {
        var errors: [Problem.FieldError] = []
        for (channel, fields) in creative.sorted(by: { $0.key < $1.key }) {
            for (name, source) in fields.sorted(by: { $0.key < $1.key }) {
                do throws(MustacheSyntaxError) {
                    _ = try MustacheEngine.compile(source, html: false)
                } catch {
                    errors.append(
                        .init(
                            field: "creative.\(channel).\(name)", line: error.line, column: error.column, message: error.message))
                }
            }
        }
        guard errors.isEmpty else {
            throw Problem(
                .unprocessableContent, slug: "invalid-creative", title: "Invalid Creative",
                detail:
                    "A creative field is not a valid Mustache template: \(errors[0].field ?? "") line \(errors[0].line ?? 1), column \(errors[0].column ?? 1): \(errors[0].message).",
                errors: errors)
        }
    }
}
