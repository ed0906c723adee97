import Foundation
import Hummingbird
import Logging
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// Offers: `GET/POST /v1/offers`, `GET/PATCH/DELETE /v1/offers/{id}`. Their code pools are in
/// ``OfferCodeRoutes``, arbitration in ``OfferArbitrationRoutes``; docs/offers.md tells the
/// whole story.
///
/// `PATCH` is a JSON merge patch (RFC 7396) over the offer as `GET` shows its own fields: a
/// member replaces, `null` clears, `creative` merges per channel and field; the result is
/// checked as a whole, exactly as `POST` checks a new offer.
enum OfferRoutes {
    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        let database = dependencies.database
        let limit = dependencies.maxBodyBytes

        group.get("/offers") { request, context -> Response in
            let principal = try context.require(.read)
            let pageRequest = try request.pageRequest()
            let page = try await database.withTenant(principal.tenantID, logger: context.logger) {
                try await $0.offerList(page: pageRequest)
            }
            return try JSONResponse.make(.ok, ListResource(data: page.items.map(OfferResource.init), nextCursor: page.nextCursor))
        }

        group.post("/offers") { request, context -> Response in
            let principal = try context.require(.write)
            let json = try await OfferInput.json(request, limit: limit)
            let offer = try await database.withOffers(principal, logger: context.logger) { session in
                let (definition, rule) = try await OfferInput.check(json, in: session)
                return try await session.offerInsert(definition, eligibilityRule: rule)
            }
            return try JSONResponse.make(.created, OfferResource(offer))
        }

        group.get("/offers/:id") { _, context -> Response in
            let principal = try context.require(.read)
            let id = try context.uuidParameter("id")
            let offer = try await database.withTenant(principal.tenantID, logger: context.logger) {
                try await $0.offerGet(id: id)
            }
            guard let offer else { throw Problem.notFound("No offer with this id.") }
            return try JSONResponse.make(.ok, OfferResource(offer))
        }

        group.patch("/offers/:id") { request, context -> Response in
            let principal = try context.require(.write)
            let id = try context.uuidParameter("id")
            let patch = try await OfferInput.json(request, limit: limit)
            guard case .object = patch else { throw Problem.validation([.init(field: "", message: "must be an object")]) }
            let offer = try await database.withOffers(principal, logger: context.logger) { session -> Offer? in
                guard let current = try await session.offerGet(id: id) else { return nil }
                let (definition, rule) = try await OfferInput.check(current.definition.json.merged(with: patch), in: session)
                return try await session.offerUpdate(id: id, definition, eligibilityRule: rule)
            }
            guard let offer else { throw Problem.notFound("No offer with this id.") }
            return try JSONResponse.make(.ok, OfferResource(offer))
        }

        group.delete("/offers/:id") { _, context -> Response in
            let principal = try context.require(.write)
            let id = try context.uuidParameter("id")
            let deleted = try await database.withTenant(principal.tenantID, logger: context.logger) {
                try await $0.offerDelete(id: id)
            }
            guard deleted else { throw Problem.notFound("No offer with this id.") }
            return Response(status: .noContent)
        }
    }
}

extension Database {
    /// `withTenant` for offer writes: a code taken becomes a 409.
    func withOffers<Result: Sendable>(_ principal: Principal, logger: Logger, _ body: (TenantSession) async throws -> Result)
        async throws -> Result
    {
        do {
            return try await withTenant(principal.tenantID, logger: logger, body)
        } catch let error as OfferWriteError {
            switch error {
            case .codeTaken(let code):
                throw Problem(
                    .conflict, slug: "offer-code-taken", title: "Offer code taken",
                    detail: "An offer with code \"\(code)\" already exists.")
            }
        }
    }
}
