import Foundation
import HTTPTypes
import Hummingbird
import TuttiDomain
import TuttiRuntime
import TuttiStore
import TuttiTemplates

/// `POST /v1/templates/{id}/preview {"customer_id", "channel", "locale"?, "offer_id"?,
/// "version"?}`: the template rendered for one customer on one channel, as the worker renders
/// it at send time (the same profile, identities and conditions), without sending or giving
/// anything: `message.id` is a fresh preview id, the links are placeholders, and an offer's
/// unique code is `PREVIEW-CODE` (no code of the pool is taken).
enum TemplatePreviewRoute {
    struct PreviewRequest: Sendable {
        var customerID: UUID
        var channel: TemplateChannel
        var locale: String?
        var offerID: UUID?
        var version: Int?
    }

    /// The placeholder for a unique code from an offer's pool.
    static let previewCode = "PREVIEW-CODE"

    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        group.post("/templates/:id/preview") { request, context -> Response in
            let principal = try context.require(.read)
            let id = try context.uuidParameter("id")
            let body = try read(try await OfferInput.json(request, limit: dependencies.maxBodyBytes))
            let preview = try await dependencies.database.withTenant(principal.tenantID, logger: context.logger) {
                try await $0.templatePreview(id: id, body)
            }
            guard let preview else { throw Problem.notFound("No template with this id.") }
            return try JSONResponse.make(.ok, preview)
        }
    }

    /// The request's fields, strictly: unknown members and wrong types are a 422 naming them.
    static func read(_ json: JSONValue) throws -> PreviewRequest {
        guard case .object(let members) = json else { throw Problem.validation([.init(message: "the body must be an object")]) }
        var errors: [Problem.FieldError] = []
        let allowed: Set = ["customer_id", "channel", "locale", "offer_id", "version"]
        for key in members.keys.sorted() where !allowed.contains(key) {
            errors.append(.init(field: key, message: "is not a member of a preview request"))
        }
        func uuid(_ key: String, required: Bool) -> UUID? {
            guard let value = members[key] else {
                if required { errors.append(.init(field: key, message: "is required")) }
                return nil
            }
            guard let text = value.stringValue, let id = UUID(uuidString: text) else {
                errors.append(.init(field: key, message: "must be an id (a UUID)"))
                return nil
            }
            return id
        }
        let customerID = uuid("customer_id", required: true)
        let offerID = uuid("offer_id", required: false)
        let channels = TemplateChannel.allCases.map(\.rawValue).joined(separator: ", ")
        var channel: TemplateChannel?
        if let value = members["channel"] {
            channel = value.stringValue.flatMap(TemplateChannel.init(rawValue:))
            if channel == nil { errors.append(.init(field: "channel", message: "must be one of \(channels)")) }
        } else {
            errors.append(.init(field: "channel", message: "is required (one of \(channels))"))
        }
        var locale: String?
        if let value = members["locale"] {
            locale = value.stringValue
            if locale.map({ TemplateLocaleFallback.isWellFormed($0) && $0 == $0.trimmingCharacters(in: .whitespacesAndNewlines) })
                != true
            {
                errors.append(.init(field: "locale", message: "must be a BCP 47 language tag such as `de-AT`"))
            }
        }
        var version: Int?
        if let value = members["version"] {
            if case .number(let number) = value, number.rounded() == number, number >= 1, number <= Double(Int32.max) {
                version = Int(number)
            } else {
                errors.append(.init(field: "version", message: "must be a whole number from 1"))
            }
        }
        guard errors.isEmpty, let customerID, let channel else {
            throw Problem.validation(errors, detail: "The preview request has invalid or unknown fields.")
        }
        return PreviewRequest(customerID: customerID, channel: channel, locale: locale, offerID: offerID, version: version)
    }
}

extension TenantSession {
    /// Renders a live template (its current version, or `request.version`) for a preview; nil
    /// when there is no such live template. Every other refusal is a 422 problem.
    func templatePreview(id: UUID, _ request: TemplatePreviewRoute.PreviewRequest) async throws -> TemplatePreviewResource? {
        guard var stored = try await templateGet(id: id) else { return nil }
        if let version = request.version, version != stored.version {
            guard let pinned = try await templateVersion(id: id, version: version) else {
                throw Problem.validation([.init(field: "version", message: "the template has no version \(version)")])
            }
            stored = pinned
        }
        let template = stored.template
        let segmentNames = template.conditions.values.flatMap { (try? RuleParser.parse($0).segmentNames) ?? [] }
        let segments = try await segmentCatalog(for: segmentNames)
        let compiled: CompiledTemplate
        do throws(TemplateErrors) {
            compiled = try TemplateCompiler.compile(template, segments: segments).template
        } catch {
            throw error.problem
        }
        guard template.parts(for: request.channel, locale: request.locale).parts.has(request.channel) else {
            throw Problem(
                .unprocessableContent, slug: "template-part-missing", title: "Template Part Missing",
                detail: "The template has no \(request.channel.rawValue) part to render.")
        }
        var offer: TemplateOffer?
        if let offerID = request.offerID {
            guard let found = try await offerGet(id: offerID) else {
                throw Problem(
                    .unprocessableContent, slug: "unknown-offer", title: "Unknown Offer",
                    detail: "No live offer with this offer_id.")
            }
            offer = found.templateOffer(code: found.hasCodePool ? TemplatePreviewRoute.previewCode : found.definition.code)
        }
        let now = try await databaseNow()
        guard let customerID = try await customerResolve(id: request.customerID),
            let customer = try await loadRuleSubjects(
                customerIDs: [customerID], aggregates: compiled.conditions.eventAggregates, now: now)[customerID]
        else {
            throw Problem(
                .unprocessableContent, slug: "unknown-customer", title: "Unknown Customer",
                detail: "No customer with this customer_id.")
        }
        let messageID = UUID.v7().lowercasedText
        let context = TemplateContext(
            customerID: customerID.lowercasedText, attributes: customer.subject.attributes, identities: customer.identities,
            offer: offer, conditions: compiled.conditions.evaluate(for: customer.subject, now: now), messageID: messageID,
            links: TemplateLinks(
                unsubscribe: "https://links.tutti.invalid/unsubscribe/\(messageID)",
                preferences: "https://links.tutti.invalid/preferences/\(messageID)"))
        let locale = request.locale ?? customer.subject.attributes["locale"]?.stringValue
        let limit = try await tenantGet()?.smsSegmentLimit ?? 3
        do throws(TemplateErrors) {
            let rendered = try compiled.render(request.channel, context: context, locale: locale, smsSegmentLimit: limit)
            return TemplatePreviewResource(
                templateID: id.lowercasedText, version: stored.version, customerID: customerID.lowercasedText,
                messageID: messageID, rendered: rendered)
        } catch {
            throw error.problem
        }
    }
}
