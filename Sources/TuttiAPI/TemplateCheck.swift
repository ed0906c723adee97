import Foundation
import HTTPTypes
import TuttiDomain
import TuttiRuntime
import TuttiStore
import TuttiTemplates

/// What saving a template reports beside the template: warnings (attributes no customer has
/// yet, an SMS longer than the tenant's segment limit) and each SMS part's encoding and
/// segments.
struct TemplateReview: Sendable {
    var warnings: [TemplateWarning]
    var sms: [SMSEstimate]
}

/// The SMS of one translation with every value left empty: its fixed text. What a customer's
/// values add comes on top; a preview gives the exact figure for one customer.
struct SMSEstimate: Sendable {
    var locale: String
    var segments: SMSSegments
}

extension TenantSession {
    /// Checks a template as saving one must (``TemplateCompiler``): conditions resolve `in
    /// segment` through the tenant's segments, and the attributes the template reads are looked
    /// up among the tenant's customers for warnings. A 422 `invalid-template` problem lists every
    /// error with its part, line and column.
    func templateCheck(_ template: MessageTemplate) async throws -> (compiled: CompiledTemplate, review: TemplateReview) {
        let segmentNames = template.conditions.values.flatMap { (try? RuleParser.parse($0).segmentNames) ?? [] }
        let segments = try await segmentCatalog(for: segmentNames)
        let known = try await customerAttributesPresent(TemplateCompiler.attributeNames(in: template))
        let compilation: TemplateCompiler.Compilation
        do throws(TemplateErrors) {
            compilation = try TemplateCompiler.compile(template, segments: segments, knownAttributes: known)
        } catch {
            throw error.problem
        }
        let limit = try await tenantGet()?.smsSegmentLimit ?? 3
        var warnings = compilation.warnings
        var estimates: [SMSEstimate] = []
        let tags = [template.defaultLocale] + template.locales.keys.sorted().filter { template.locales[$0]!.parts.sms != nil }
        for tag in tags where template.parts(for: .sms, locale: tag).parts.sms != nil {
            let fixed = TemplateContext(customerID: "")
            guard let rendered = try? compilation.template.render(.sms, context: fixed, locale: tag, smsSegmentLimit: limit),
                case .sms(_, let segments) = rendered.parts, rendered.locale == tag
            else { continue }
            estimates.append(SMSEstimate(locale: tag, segments: segments))
            warnings += rendered.warnings.map {
                TemplateWarning(part: $0.part, message: "with every value empty, " + $0.message)
            }
        }
        return (compilation.template, TemplateReview(warnings: warnings, sms: estimates))
    }
}

extension TemplateErrors {
    /// The 422 a client sees: every error with its part (`field`), line and column.
    var problem: Problem {
        let first = errors[0]
        return Problem(
            .unprocessableContent, slug: "invalid-template", title: "Invalid Template",
            detail: "The template does not check: \(first) (\(first.code)). `errors` lists every problem.",
            errors: errors.map { .init(field: $0.part, line: $0.line, column: $0.column, message: "\($0.code): \($0.message)") })
    }
}
