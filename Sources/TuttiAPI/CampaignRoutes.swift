import Foundation
import Hummingbird
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// Campaigns (docs/campaigns.md): `GET/POST /v1/campaigns`, `GET/PATCH/DELETE
/// /v1/campaigns/{id}`. The actions (launch, pause, resume, cancel, clone) and the recipients
/// are in ``CampaignActionRoutes``.
enum CampaignRoutes {
    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        let database = dependencies.database
        let limit = dependencies.maxBodyBytes

        group.get("/campaigns") { request, context -> Response in
            let principal = try context.require(.read)
            let pageRequest = try request.pageRequest()
            let page = try await database.withTenant(principal.tenantID, logger: context.logger) {
                try await $0.campaignList(page: pageRequest)
            }
            return try JSONResponse.make(
                .ok, ListResource(data: page.items.map { CampaignResource($0) }, nextCursor: page.nextCursor))
        }

        group.post("/campaigns") { request, context -> Response in
            let principal = try context.require(.write)
            let definition = try CampaignInput.definition(try await CampaignInput.object(request, limit: limit))
            let campaign = try await database.withTenant(principal.tenantID, logger: context.logger) { session in
                _ = try await CampaignInput.check(definition, in: session)
                return try await session.campaignInsert(definition)
            }
            return try JSONResponse.make(.created, CampaignResource(campaign, counts: CampaignCounts()))
        }

        group.get("/campaigns/:id") { _, context -> Response in
            let principal = try context.require(.read)
            let id = try context.uuidParameter("id")
            let resource = try await database.withTenant(principal.tenantID, logger: context.logger) { session in
                try await session.campaignResource(id: id)
            }
            return try JSONResponse.make(.ok, resource)
        }

        group.patch("/campaigns/:id") { request, context -> Response in
            let principal = try context.require(.write)
            let id = try context.uuidParameter("id")
            let patch = try await CampaignInput.object(request, limit: limit)
            let resource = try await database.withTenant(principal.tenantID, logger: context.logger) { session in
                let campaign = try await session.campaignRequire(id: id)
                try CampaignLifecycle(state: campaign.state).check(.change)
                let definition: CampaignDefinition
                do throws(ValidationErrors) {
                    definition = try campaign.definition.patched(with: patch)
                } catch {
                    throw error.campaignProblem
                }
                _ = try CampaignInput.definition(definition.json.objectValue ?? [:])
                _ = try await CampaignInput.check(definition, in: session)
                guard try await session.campaignUpdate(id: id, definition) != nil else {
                    throw try await session.campaignLostRace(id: id, action: .change)
                }
                return try await session.campaignResource(id: id)
            }
            return try JSONResponse.make(.ok, resource)
        }

        group.delete("/campaigns/:id") { _, context -> Response in
            let principal = try context.require(.write)
            let id = try context.uuidParameter("id")
            try await database.withTenant(principal.tenantID, logger: context.logger) { session in
                let campaign = try await session.campaignRequire(id: id)
                try CampaignLifecycle(state: campaign.state).check(.delete)
                guard try await session.campaignDelete(id: id, from: campaign.state) else {
                    throw try await session.campaignLostRace(id: id, action: .delete)
                }
            }
            return Response(status: .noContent)
        }
    }
}

extension TenantSession {
    /// The campaign, or the 404 problem.
    func campaignRequire(id: UUID) async throws -> Campaign {
        guard let campaign = try await campaignGet(id: id) else { throw Problem.notFound("No campaign with this id.") }
        return campaign
    }

    /// The campaign with its counts, as single reads and actions answer.
    func campaignResource(id: UUID) async throws -> CampaignResource {
        let campaign = try await campaignRequire(id: id)
        return CampaignResource(campaign, counts: try await campaignCounts(id: id))
    }

    /// The problem for a compare-and-set another request won: the campaign's state now refuses
    /// `action` (409), or it is gone (404).
    func campaignLostRace(id: UUID, action: CampaignAction) async throws -> Problem {
        let campaign = try await campaignRequire(id: id)
        return CampaignLifecycle.Refusal(action: action, state: campaign.state).problem
    }
}

extension CampaignLifecycle {
    /// Refuses `action` with the 409 problem when the state does not allow it.
    func check(_ action: CampaignAction) throws {
        var copy = self
        do throws(Refusal) { try copy.apply(action, hasOccurrences: false) } catch { throw error.problem }
    }
}

extension CampaignLifecycle.Refusal {
    /// 409, typed by the campaign's current state (`urn:tutti:problem:campaign-running`), with
    /// what the state allows.
    var problem: Problem {
        let allowed = allowed.map { $0 == .change ? "PATCH" : $0 == .delete ? "DELETE" : $0.rawValue }
        let verb =
            switch action {
            case .launch: "launched"
            case .pause: "paused"
            case .resume: "resumed"
            case .cancel: "cancelled"
            case .change: "changed (PATCH)"
            case .delete: "deleted"
            }
        let allows = allowed.isEmpty ? "only clone" : (allowed + ["clone"]).joined(separator: ", ")
        return Problem(
            .conflict, slug: "campaign-\(state.rawValue)", title: "Campaign is \(state.rawValue)",
            detail: "The campaign is \(state.rawValue) and cannot be \(verb); a \(state.rawValue) campaign allows \(allows).")
    }
}
