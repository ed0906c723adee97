import Foundation
import PostgresNIO
import TuttiDomain

/// Campaigns: their definitions and the state changes the API makes. The scheduler's engine
/// (TenantSession+CampaignBuild.swift) moves them to running and completed.
extension TenantSession {
    /// Saves a new draft.
    public func campaignInsert(_ definition: CampaignDefinition) async throws -> Campaign {
        let id = UUID.v7()
        let rows = try await query(
            """
            INSERT INTO campaigns AS c (tenant_id, id, name, definition)
            VALUES (\(tenantID), \(id), \(definition.name), \(definition.json.jsonText)::jsonb)
            RETURNING \(unescaped: CampaignRow.columns)
            """)
        for try await row in rows { return try CampaignRow.campaign(row) }
        throw StoreError.unavailable
    }

    /// One campaign that is not deleted, or nil.
    public func campaignGet(id: UUID) async throws -> Campaign? {
        let rows = try await query(
            """
            SELECT \(unescaped: CampaignRow.columns) FROM campaigns AS c
            WHERE c.tenant_id = \(tenantID) AND c.id = \(id) AND c.deleted_at IS NULL
            """)
        for try await row in rows { return try CampaignRow.campaign(row) }
        return nil
    }

    /// A page of the tenant's campaigns that are not deleted, oldest first.
    public func campaignList(page: PageRequest) async throws -> Page<Campaign> {
        let after = page.after ?? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        let rows = try await query(
            """
            SELECT \(unescaped: CampaignRow.columns) FROM campaigns AS c
            WHERE c.tenant_id = \(tenantID) AND c.deleted_at IS NULL AND c.id > \(after)
            ORDER BY c.id LIMIT \(page.limit + 1)
            """)
        var campaigns: [Campaign] = []
        for try await row in rows { campaigns.append(try CampaignRow.campaign(row)) }
        return Page(fetched: campaigns, request: page, id: \.id)
    }

    /// Replaces a draft's definition. Nil when the campaign is no longer a draft (or is gone):
    /// the update is a compare-and-set on the state, so it cannot land after a launch.
    public func campaignUpdate(id: UUID, _ definition: CampaignDefinition) async throws -> Campaign? {
        let rows = try await query(
            """
            UPDATE campaigns AS c SET name = \(definition.name), definition = \(definition.json.jsonText)::jsonb, updated_at = now()
            WHERE c.tenant_id = \(tenantID) AND c.id = \(id) AND c.state = 'draft' AND c.deleted_at IS NULL
            RETURNING \(unescaped: CampaignRow.columns)
            """)
        for try await row in rows { return try CampaignRow.campaign(row) }
        return nil
    }

    /// Marks a campaign deleted if it is still in `state`; false when another request changed
    /// its state (or deleted it) first. Its occurrences and recipients stay, for reports.
    public func campaignDelete(id: UUID, from state: CampaignState) async throws -> Bool {
        let rows = try await query(
            """
            UPDATE campaigns SET deleted_at = now(), updated_at = now()
            WHERE tenant_id = \(tenantID) AND id = \(id) AND state = \(state.rawValue) AND deleted_at IS NULL
            RETURNING 1
            """)
        for try await _ in rows.decode(Int32.self) { return true }
        return false
    }

    /// Moves a campaign from `from` to `to` if it is still in `from` (a compare-and-set: of two
    /// requests racing from the same state one wins, the other gets false). Cancelling also
    /// clears the next occurrence and cancels the occurrences still being built; the worker
    /// drops the cancelled campaign's queued messages when it claims them.
    public func campaignTransition(id: UUID, from: CampaignState, to: CampaignState) async throws -> Bool {
        let rows = try await query(
            """
            UPDATE campaigns
            SET state = \(to.rawValue), updated_at = now(),
                next_occurrence_at = CASE WHEN \(to.rawValue) = 'cancelled' THEN NULL ELSE next_occurrence_at END
            WHERE tenant_id = \(tenantID) AND id = \(id) AND state = \(from.rawValue) AND deleted_at IS NULL
            RETURNING 1
            """)
        var moved = false
        for try await _ in rows.decode(Int32.self) { moved = true }
        if moved && to == .cancelled {
            try await execute(
                """
                UPDATE campaign_occurrences SET state = 'cancelled', build_lease_until = NULL
                WHERE tenant_id = \(tenantID) AND campaign_id = \(id) AND state = 'building'
                """)
        }
        return moved
    }

    /// Launches a draft: records the pinned versions and audience rule, the launch instant and
    /// the first occurrence, and moves it to `scheduled`, if it is still a draft (false when
    /// another launch or change won).
    public func campaignLaunch(id: UUID, pins: CampaignPins) async throws -> Bool {
        let rule = String(decoding: try JSONEncoder().encode(pins.audienceRule), as: UTF8.self)
        let rows = try await query(
            """
            UPDATE campaigns
            SET state = 'scheduled', template_id = \(pins.templateID), template_version = \(Int32(clamping: pins.templateVersion)),
                segment_id = \(pins.segmentID), segment_version = \(pins.segmentVersion.map { Int32(clamping: $0) }),
                audience_rule = \(rule)::jsonb, launched_at = now(), next_occurrence_at = \(pins.firstOccurrenceAt),
                updated_at = now()
            WHERE tenant_id = \(tenantID) AND id = \(id) AND state = 'draft' AND deleted_at IS NULL
            RETURNING 1
            """)
        for try await _ in rows.decode(Int32.self) { return true }
        return false
    }

    /// Whether the engine has opened an occurrence of the campaign.
    public func campaignHasOccurrences(id: UUID) async throws -> Bool {
        let rows = try await query(
            "SELECT EXISTS (SELECT FROM campaign_occurrences WHERE tenant_id = \(tenantID) AND campaign_id = \(id))")
        for try await exists in rows.decode(Bool.self) { return exists }
        return false
    }

    /// The database's clock: the instant a launch is recorded at (`now()`, the transaction's).
    public func campaignClock() async throws -> Date {
        let rows = try await query("SELECT now()")
        for try await now in rows.decode(Date.self) { return now }
        throw StoreError.unavailable
    }
}
