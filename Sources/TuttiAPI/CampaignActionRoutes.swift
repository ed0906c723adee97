import Foundation
import Hummingbird
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// A campaign's actions, `POST /v1/campaigns/{id}/launch|pause|resume|cancel|clone`, and
/// `GET /v1/campaigns/{id}/recipients`. Each action is decided by ``CampaignLifecycle`` and
/// written as a compare-and-set on the state it was decided from: of two requests racing from
/// one state, one wins and the other answers 409 with the state it lost to.
enum CampaignActionRoutes {
    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        let database = dependencies.database

        group.post("/campaigns/:id/launch") { _, context -> Response in
            let principal = try context.require(.write)
            let id = try context.uuidParameter("id")
            let resource = try await database.withTenant(principal.tenantID, logger: context.logger) { session in
                try await session.campaignLaunch(id: id)
            }
            dependencies.triggers.invalidate(tenant: principal.tenantID)
            return try JSONResponse.make(.ok, resource)
        }

        for action in [CampaignAction.pause, .resume, .cancel] {
            group.post("/campaigns/:id/\(action.rawValue)") { _, context -> Response in
                let principal = try context.require(.write)
                let id = try context.uuidParameter("id")
                let resource = try await database.withTenant(principal.tenantID, logger: context.logger) { session in
                    try await session.campaignApply(action, id: id)
                }
                dependencies.triggers.invalidate(tenant: principal.tenantID)
                return try JSONResponse.make(.ok, resource)
            }
        }

        group.post("/campaigns/:id/clone") { _, context -> Response in
            let principal = try context.require(.write)
            let id = try context.uuidParameter("id")
            let copy = try await database.withTenant(principal.tenantID, logger: context.logger) { session in
                try await session.campaignInsert(try await session.campaignRequire(id: id).definition.copy)
            }
            return try JSONResponse.make(.created, CampaignResource(copy, counts: CampaignCounts()))
        }

        group.get("/campaigns/:id/recipients") { request, context -> Response in
            let principal = try context.require(.read)
            let id = try context.uuidParameter("id")
            let query = try request.campaignRecipientQuery()
            let (recipients, next) = try await database.withTenant(principal.tenantID, logger: context.logger) { session in
                _ = try await session.campaignRequire(id: id)
                return try await session.campaignRecipients(id: id, query)
            }
            return try JSONResponse.make(
                .ok, ListResource(data: recipients.map(CampaignRecipientResource.init), nextCursor: next?.cursor))
        }
    }
}

extension TenantSession {
    /// Launches a draft: checks what it names again (a template or channel may have gone since
    /// it was saved), pins the template's current version and the audience (the segment at its
    /// current version with its checked rule, or the campaign's own rule checked), and sets the
    /// first occurrence from the schedule at the database's clock.
    func campaignLaunch(id: UUID) async throws -> CampaignResource {
        let campaign = try await campaignRequire(id: id)
        try CampaignLifecycle(state: campaign.state).check(.launch)
        let definition = campaign.definition
        let checked = try await CampaignInput.check(definition, in: self)
        let now = try await campaignClock()
        let pins = CampaignPins(
            templateID: definition.templateID, templateVersion: checked.templateVersion, segmentID: checked.segment?.id,
            segmentVersion: checked.segment?.version, audienceRule: checked.audienceRule,
            firstOccurrenceAt: definition.schedule?.firstOccurrence(launchedAt: now))
        guard try await campaignLaunch(id: id, pins: pins) else { throw try await campaignLostRace(id: id, action: .launch) }
        return try await campaignResource(id: id)
    }

    /// Pauses, resumes or cancels a campaign.
    func campaignApply(_ action: CampaignAction, id: UUID) async throws -> CampaignResource {
        let campaign = try await campaignRequire(id: id)
        var lifecycle = CampaignLifecycle(state: campaign.state)
        let opened = action == .resume ? try await campaignHasOccurrences(id: id) : false
        do throws(CampaignLifecycle.Refusal) {
            try lifecycle.apply(action, hasOccurrences: opened)
        } catch {
            throw error.problem
        }
        guard try await campaignTransition(id: id, from: campaign.state, to: lifecycle.state) else {
            throw try await campaignLostRace(id: id, action: action)
        }
        return try await campaignResource(id: id)
    }
}

extension Request {
    /// `outcome`, `reason`, `limit` and `cursor` of a recipients listing; a 400 `invalid-query`
    /// problem naming the parameter otherwise.
    func campaignRecipientQuery() throws -> CampaignRecipientQuery {
        let parameters = uri.queryParameters
        var query = CampaignRecipientQuery()
        do throws(ValidationError) {
            query.limit = try PageRequest(limit: parameters["limit"].map(String.init), cursor: nil).limit
        } catch {
            throw Problem.badRequest("\(error.field) \(error.message).", slug: "invalid-query")
        }
        if let text = parameters["outcome"].map(String.init) {
            guard let outcome = CampaignOutcome(rawValue: text) else {
                throw Problem.badRequest(
                    "outcome must be one of \(CampaignOutcome.allCases.map(\.rawValue).joined(separator: ", ")).",
                    slug: "invalid-query")
            }
            query.outcome = outcome
        }
        if let text = parameters["reason"].map(String.init) {
            guard (1...100).contains(text.unicodeScalars.count), !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
                throw Problem.badRequest(
                    "reason must be 1 to 100 characters, such as unreachable or capped.", slug: "invalid-query")
            }
            query.reason = text
        }
        if let text = parameters["cursor"].map(String.init), !text.isEmpty {
            guard let position = CampaignRecipientPosition(cursor: text) else {
                throw Problem.badRequest("cursor is not a cursor this API returned.", slug: "invalid-query")
            }
            query.after = position
        }
        return query
    }
}
