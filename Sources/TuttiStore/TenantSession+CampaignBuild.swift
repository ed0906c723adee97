import Foundation
import PostgresNIO
import TuttiDomain

/// A campaign whose next occurrence is due, locked for opening it.
public struct DueCampaign: Sendable {
    public var id: UUID
    public var dueAt: Date
    /// The campaign's definition as stored (its JSON text): the caller reads the schedule.
    public var definition: String
}

/// An occurrence whose audience this scheduler now builds, with everything the build reads.
public struct OccurrenceBuild: Sendable {
    public var campaignID: UUID
    public var occurrence: Int
    public var plannedAt: Date
    /// The last customer id written; the build resumes after it.
    public var cursor: UUID?
    /// The audience rule pinned at launch.
    public var audience: RuleExpression
    public var definition: String
    public var templateID: UUID?
    public var templateVersion: Int?
    /// The campaign's channels in its order of preference, live ones only.
    public var channels: [CampaignChannelOption]
}

extension TenantSession {
    /// The campaigns due to open an occurrence at the database's `now()`, locked (`FOR UPDATE
    /// SKIP LOCKED`: a second scheduler opens the others, never the same).
    public func campaignsDue(limit: Int = 20) async throws -> [DueCampaign] {
        let rows = try await query(
            """
            SELECT id, next_occurrence_at, definition::text FROM campaigns
            WHERE tenant_id = \(tenantID) AND state IN ('scheduled', 'running') AND deleted_at IS NULL
              AND next_occurrence_at <= now()
            ORDER BY next_occurrence_at
            LIMIT \(Int64(limit))
            FOR UPDATE SKIP LOCKED
            """)
        var due: [DueCampaign] = []
        for try await (id, at, definition) in rows.decode((UUID, Date, String).self) {
            due.append(DueCampaign(id: id, dueAt: at, definition: definition))
        }
        return due
    }

    /// Opens the campaign's next occurrence, planned at `plannedAt`, and sets when the one after
    /// is due (`next`, nil for none): the campaign is `running` from now on.
    @discardableResult
    public func campaignOpenOccurrence(campaignID: UUID, plannedAt: Date, next: Date?) async throws -> Int {
        let rows = try await query(
            """
            WITH opened AS (
                INSERT INTO campaign_occurrences (tenant_id, campaign_id, occurrence, planned_at)
                SELECT \(tenantID), \(campaignID), coalesce(max(o.occurrence), 0) + 1, \(plannedAt)
                FROM campaign_occurrences AS o WHERE o.tenant_id = \(tenantID) AND o.campaign_id = \(campaignID)
                RETURNING occurrence
            ), moved AS (
                UPDATE campaigns SET state = 'running', next_occurrence_at = \(next), updated_at = now()
                WHERE tenant_id = \(tenantID) AND id = \(campaignID)
                RETURNING 1
            )
            SELECT occurrence, (SELECT count(*) FROM moved) FROM opened
            """)
        for try await (occurrence, _) in rows.decode((Int32, Int64).self) { return Int(occurrence) }
        throw StoreError.unavailable
    }

    /// Takes the next occurrence still being built whose builder's lease has lapsed (or that
    /// has none), for `lease`. Nil when there is none, or its campaign is paused or cancelled.
    public func campaignClaimBuild(lease: Duration) async throws -> OccurrenceBuild? {
        let rows = try await query(
            """
            WITH next AS (
                SELECT o.campaign_id, o.occurrence FROM campaign_occurrences AS o
                JOIN campaigns AS c ON c.tenant_id = o.tenant_id AND c.id = o.campaign_id
                WHERE o.tenant_id = \(tenantID) AND o.state = 'building' AND c.state = 'running'
                  AND (o.build_lease_until IS NULL OR o.build_lease_until < now())
                ORDER BY o.planned_at
                LIMIT 1
                FOR UPDATE OF o SKIP LOCKED
            ), until AS (
                SELECT now() + make_interval(secs => \(lease.secondsValue)) AS at OFFSET 0
            ), taken AS (
                UPDATE campaign_occurrences AS o SET build_lease_until = (SELECT at FROM until)
                FROM next
                WHERE o.tenant_id = \(tenantID) AND o.campaign_id = next.campaign_id AND o.occurrence = next.occurrence
                RETURNING o.campaign_id, o.occurrence, o.planned_at, o.build_cursor
            )
            SELECT t.campaign_id, t.occurrence, t.planned_at, t.build_cursor, c.audience_rule::text, c.definition::text,
                   c.template_id, c.template_version
            FROM taken AS t JOIN campaigns AS c ON c.tenant_id = \(tenantID) AND c.id = t.campaign_id
            """)
        var found: OccurrenceBuild?
        for try await row in rows.decode((UUID, Int32, Date, UUID?, String?, String, UUID?, Int32?).self) {
            guard let ruleText = row.4 else { continue }
            let rule = try JSONDecoder().decode(RuleExpression.self, from: Data(ruleText.utf8))
            found = OccurrenceBuild(
                campaignID: row.0, occurrence: Int(row.1), plannedAt: row.2, cursor: row.3, audience: rule, definition: row.5,
                templateID: row.6, templateVersion: row.7.map(Int.init), channels: [])
        }
        guard var build = found else { return nil }
        build.channels = try await campaignChannels(definition: build.definition)
        return build
    }

    /// The live channels a definition names in its `channels`, in its order.
    private func campaignChannels(definition: String) async throws -> [CampaignChannelOption] {
        let rows = try await query(
            """
            SELECT ch.id, ch.type
            FROM jsonb_array_elements_text(\(definition)::jsonb -> 'channels') WITH ORDINALITY AS wanted(id, ord)
            JOIN channels AS ch ON ch.tenant_id = \(tenantID) AND ch.id::text = lower(wanted.id) AND ch.deleted_at IS NULL
            ORDER BY wanted.ord
            """)
        var options: [CampaignChannelOption] = []
        for try await (id, type) in rows.decode((UUID, String).self) {
            options.append(CampaignChannelOption(channelID: id, channelType: type))
        }
        return options
    }

    /// A page of the audience after `after`: live customers the rule holds for at `now`, each
    /// with its `attributes.time_zone` as written.
    public func campaignAudiencePage(
        _ rule: RuleExpression, now: RuleTime, after: UUID?, limit: Int
    ) async throws -> [(customerID: UUID, timeZone: String?)] {
        let rows = try await query(
            RuleSQLCompiler(rule).audiencePageQuery(tenantID: tenantID, now: now, after: after, limit: limit))
        var page: [(customerID: UUID, timeZone: String?)] = []
        page.reserveCapacity(limit)
        for try await (id, zone) in rows.decode((UUID, String?).self) { page.append((id, zone)) }
        return page
    }

    /// Writes one chunk of the audience (``CampaignAudienceChunkStatement``) and moves the
    /// occurrence's cursor to its last customer.
    public func campaignBuildChunk(_ chunk: CampaignAudienceChunk) async throws -> CampaignChunkResult {
        guard let last = chunk.customers.last else { return CampaignChunkResult(recipients: 0, queued: 0) }
        let statement = CampaignAudienceChunkStatement(tenantID: tenantID, chunk: chunk, cursor: last.customerID)
        let rows = try await query(statement.query)
        for try await (recipients, queued, _, _) in rows.decode((Int64, Int64, Int64, Int64).self) {
            return CampaignChunkResult(recipients: Int(recipients), queued: Int(queued))
        }
        throw StoreError.unavailable
    }

    /// Whether the occurrence's campaign still wants its audience built (it is `running`), and
    /// this builder's lease extended by `lease` if so.
    public func campaignBuildContinues(campaignID: UUID, occurrence: Int, lease: Duration) async throws -> Bool {
        let rows = try await query(
            """
            WITH until AS (SELECT now() + make_interval(secs => \(lease.secondsValue)) AS at OFFSET 0)
            UPDATE campaign_occurrences AS o SET build_lease_until = (SELECT at FROM until)
            FROM campaigns AS c
            WHERE o.tenant_id = \(tenantID) AND o.campaign_id = \(campaignID) AND o.occurrence = \(Int32(clamping: occurrence))
              AND o.state = 'building'
              AND c.tenant_id = \(tenantID) AND c.id = \(campaignID) AND c.state = 'running'
            RETURNING 1
            """)
        for try await _ in rows.decode(Int32.self) { return true }
        return false
    }

    /// Marks the occurrence built: its whole audience has recipient rows.
    public func campaignFinishBuild(campaignID: UUID, occurrence: Int) async throws {
        try await execute(
            """
            UPDATE campaign_occurrences SET state = 'built', built_at = now(), build_lease_until = NULL
            WHERE tenant_id = \(tenantID) AND campaign_id = \(campaignID) AND occurrence = \(Int32(clamping: occurrence))
              AND state = 'building'
            """)
    }

    /// Running campaigns with nothing left to do become `completed`: no occurrence to come,
    /// none being built, and no message still queued or being sent. Returns how many.
    @discardableResult
    public func campaignsComplete() async throws -> Int {
        let rows = try await query(
            """
            WITH done AS (
                UPDATE campaigns AS c SET state = 'completed', updated_at = now()
                WHERE c.tenant_id = \(tenantID) AND c.state = 'running' AND c.next_occurrence_at IS NULL
                  AND NOT EXISTS (SELECT FROM campaign_occurrences AS o
                                  WHERE o.tenant_id = \(tenantID) AND o.campaign_id = c.id AND o.state = 'building')
                  AND NOT EXISTS (SELECT FROM messages AS m
                                  WHERE m.tenant_id = \(tenantID) AND m.campaign_id = c.id AND m.state IN ('queued', 'sending'))
                RETURNING 1
            )
            SELECT count(*) FROM done
            """)
        for try await count in rows.decode(Int64.self) { return Int(count) }
        return 0
    }
}
