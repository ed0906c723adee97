import Foundation
import Hummingbird
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// Templates: `GET/POST /v1/templates`, `GET/PUT/DELETE /v1/templates/{id}`, `GET
/// /v1/templates/{id}/versions` and `GET /v1/templates/{id}/versions/{version}`; previews are
/// in ``TemplatePreviewRoute``.
///
/// Every saved change is a new immutable version that campaigns pin. Deleting a template hides
/// it (list, GET, PUT and preview answer as if it did not exist) but keeps every version
/// readable, for the campaigns that pinned one and for people reading what they sent.
enum TemplateRoutes {
    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        let database = dependencies.database
        let limit = dependencies.maxBodyBytes

        group.get("/templates") { request, context -> Response in
            let principal = try context.require(.read)
            let pageRequest = try request.pageRequest()
            let page = try await database.withTenant(principal.tenantID, logger: context.logger) {
                try await $0.templateList(page: pageRequest)
            }
            return try JSONResponse.make(
                .ok, ListResource(data: page.items.map { TemplateResource(stored: $0) }, nextCursor: page.nextCursor))
        }

        group.post("/templates") { request, context -> Response in
            let principal = try context.require(.write)
            let template = try TemplateInput.template(from: try await OfferInput.json(request, limit: limit))
            let (saved, review) = try await database.withTenant(principal.tenantID, logger: context.logger) { session in
                let (_, review) = try await session.templateCheck(template)
                return (try await session.templateInsert(template), review)
            }
            return try JSONResponse.make(.created, TemplateResource(stored: saved, review: review))
        }

        group.get("/templates/:id") { _, context -> Response in
            let principal = try context.require(.read)
            let id = try context.uuidParameter("id")
            let template = try await database.withTenant(principal.tenantID, logger: context.logger) {
                try await $0.templateGet(id: id)
            }
            guard let template else { throw Problem.notFound("No template with this id.") }
            return try JSONResponse.make(.ok, TemplateResource(stored: template))
        }

        group.put("/templates/:id") { request, context -> Response in
            let principal = try context.require(.write)
            let id = try context.uuidParameter("id")
            let template = try TemplateInput.template(from: try await OfferInput.json(request, limit: limit))
            let result = try await database.withTenant(principal.tenantID, logger: context.logger) {
                session -> (StoredTemplate, TemplateReview)? in
                guard try await session.templateGet(id: id) != nil else { return nil }
                let (_, review) = try await session.templateCheck(template)
                guard let saved = try await session.templateUpdate(id: id, template) else { return nil }
                return (saved, review)
            }
            guard let (saved, review) = result else { throw Problem.notFound("No template with this id.") }
            return try JSONResponse.make(.ok, TemplateResource(stored: saved, review: review))
        }

        group.delete("/templates/:id") { _, context -> Response in
            let principal = try context.require(.write)
            let id = try context.uuidParameter("id")
            let deleted = try await database.withTenant(principal.tenantID, logger: context.logger) {
                try await $0.templateDelete(id: id)
            }
            guard deleted else { throw Problem.notFound("No template with this id.") }
            return Response(status: .noContent)
        }

        group.get("/templates/:id/versions") { _, context -> Response in
            let principal = try context.require(.read)
            let id = try context.uuidParameter("id")
            let versions = try await database.withTenant(principal.tenantID, logger: context.logger) {
                try await $0.templateVersions(id: id)
            }
            guard let versions else { throw Problem.notFound("No template with this id.") }
            let data = versions.map { TemplateVersionResource(version: $0.version, name: $0.name, createdAt: $0.createdAt) }
            return try JSONResponse.make(.ok, ListResource(data: data, nextCursor: nil))
        }

        group.get("/templates/:id/versions/:version") { _, context -> Response in
            let principal = try context.require(.read)
            let id = try context.uuidParameter("id")
            guard let text = context.parameters.get("version"), let version = Int(text), (1...Int(Int32.max)).contains(version)
            else { throw Problem.notFound("No such version: versions are whole numbers from 1.") }
            let template = try await database.withTenant(principal.tenantID, logger: context.logger) {
                try await $0.templateVersion(id: id, version: version)
            }
            guard let template else { throw Problem.notFound("No template with this id, or no such version of it.") }
            return try JSONResponse.make(.ok, TemplateResource(stored: template))
        }
    }
}
