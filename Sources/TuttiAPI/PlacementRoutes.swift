import Foundation
import Hummingbird
import Logging
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// Placements: `GET/POST /v1/placements`, `GET/PATCH/DELETE /v1/placements/{id}`; decisions
/// (``DecisionRoutes``) name them. `PATCH` is a JSON merge patch over the placement as `GET`
/// shows its own fields (`null` removes `offer_ids` or `fallback_offer_id`), checked as a whole
/// like `POST`. Every offer named must be a live offer of the tenant (422 naming the field).
enum PlacementRoutes {
    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        let database = dependencies.database
        let limit = dependencies.maxBodyBytes
        let catalog = dependencies.decisions.catalog

        group.get("/placements") { request, context -> Response in
            let principal = try context.require(.read)
            let pageRequest = try request.pageRequest()
            let page = try await database.withTenant(principal.tenantID, logger: context.logger) {
                try await $0.placementList(page: pageRequest)
            }
            return try JSONResponse.make(
                .ok, ListResource(data: page.items.map(PlacementResource.init), nextCursor: page.nextCursor))
        }

        group.post("/placements") { request, context -> Response in
            let principal = try context.require(.write)
            let definition = try read(try await OfferInput.json(request, limit: limit))
            let placement = try await database.withPlacements(principal, logger: context.logger) { session in
                try await checkOffers(definition, in: session)
                return try await session.placementInsert(definition)
            }
            await catalog.invalidate(principal.tenantID)
            return try JSONResponse.make(.created, PlacementResource(placement))
        }

        group.get("/placements/:id") { _, context -> Response in
            let principal = try context.require(.read)
            let id = try context.uuidParameter("id")
            let placement = try await database.withTenant(principal.tenantID, logger: context.logger) {
                try await $0.placementGet(id: id)
            }
            guard let placement else { throw Problem.notFound("No placement with this id.") }
            return try JSONResponse.make(.ok, PlacementResource(placement))
        }

        group.patch("/placements/:id") { request, context -> Response in
            let principal = try context.require(.write)
            let id = try context.uuidParameter("id")
            let patch = try await OfferInput.json(request, limit: limit)
            guard case .object = patch else { throw Problem.validation([.init(field: "", message: "must be an object")]) }
            let placement = try await database.withPlacements(principal, logger: context.logger) { session -> Placement? in
                guard let current = try await session.placementGet(id: id) else { return nil }
                let definition = try read(current.definition.json.merged(with: patch))
                try await checkOffers(definition, in: session)
                return try await session.placementUpdate(id: id, definition)
            }
            guard let placement else { throw Problem.notFound("No placement with this id.") }
            await catalog.invalidate(principal.tenantID)
            return try JSONResponse.make(.ok, PlacementResource(placement))
        }

        group.delete("/placements/:id") { _, context -> Response in
            let principal = try context.require(.write)
            let id = try context.uuidParameter("id")
            let deleted = try await database.withTenant(principal.tenantID, logger: context.logger) {
                try await $0.placementDelete(id: id)
            }
            guard deleted else { throw Problem.notFound("No placement with this id.") }
            await catalog.invalidate(principal.tenantID)
            return Response(status: .noContent)
        }
    }

    /// The checked definition, or a 422 naming every wrong field.
    static func read(_ json: JSONValue) throws -> PlacementDefinition {
        do throws(DecisionInputInvalid) {
            return try PlacementDefinition.parse(json)
        } catch {
            throw Problem.validation(error.errors.map { .init(field: $0.field, message: $0.message) })
        }
    }

    /// A 422 for every offer the placement names that is not a live offer of the tenant.
    static func checkOffers(_ definition: PlacementDefinition, in session: TenantSession) async throws {
        let referenced = definition.referencedOfferIDs
        guard !referenced.isEmpty else { return }
        let live = Set(try await session.offersLive(ids: referenced, limit: referenced.count).map(\.id))
        var errors: [Problem.FieldError] = []
        for (index, id) in (definition.offerIDs ?? []).enumerated() where !live.contains(id) {
            errors.append(.init(field: "offer_ids[\(index)]", message: "is not a live offer of this tenant"))
        }
        if let fallback = definition.fallbackOfferID, !live.contains(fallback) {
            errors.append(.init(field: "fallback_offer_id", message: "is not a live offer of this tenant"))
        }
        guard errors.isEmpty else { throw Problem.validation(errors) }
    }
}

extension Database {
    /// `withTenant` for placement writes: a name taken becomes a 409.
    func withPlacements<Result: Sendable>(
        _ principal: Principal, logger: Logger, _ body: (TenantSession) async throws -> Result
    ) async throws -> Result {
        do {
            return try await withTenant(principal.tenantID, logger: logger, body)
        } catch PlacementWriteError.nameTaken(let name) {
            throw Problem.conflict(
                "Another placement is named \(name) (names compare without case).", slug: "placement-name-taken")
        }
    }
}

/// A placement as the API shows it; every member present, `null` when unset.
struct PlacementResource: Encodable {
    let placement: Placement

    init(_ placement: Placement) {
        self.placement = placement
    }

    enum CodingKeys: String, CodingKey {
        case id, name, channel, offerIDs = "offer_ids", limit, fallbackOfferID = "fallback_offer_id"
        case createdAt = "created_at", updatedAt = "updated_at"
    }

    func encode(to encoder: any Encoder) throws {
        let d = placement.definition
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(placement.id.lowercasedText, forKey: .id)
        try container.encode(d.name, forKey: .name)
        try container.encode(d.channel.rawValue, forKey: .channel)
        try container.encode(d.offerIDs?.map(\.lowercasedText), forKey: .offerIDs)
        try container.encode(d.limit, forKey: .limit)
        try container.encode(d.fallbackOfferID?.lowercasedText, forKey: .fallbackOfferID)
        try container.encode(placement.createdAt, forKey: .createdAt)
        try container.encode(placement.updatedAt, forKey: .updatedAt)
    }
}
