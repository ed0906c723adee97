import Foundation
import PostgresNIO
import TuttiDomain

/// A campaign's recipients as the API reports them: the build's rows in campaign_recipients
/// and, for a queued recipient, its message's state now.
extension TenantSession {
    /// A recipient's final outcome and reason, over `r` (campaign_recipients) left-joined to
    /// `m` (its message): held out and skipped as the build decided; a queued recipient's
    /// message queued or sending → queued, sent → sent, failed or dead → failed, skipped at send
    /// time → skipped with the message's reason. A queued recipient whose message is gone (the
    /// customer was erased) stays queued.
    static let recipientOutcomeSQL = """
        CASE WHEN r.outcome <> 'queued' THEN r.outcome
             WHEN m.state IN ('sent', 'skipped') THEN m.state
             WHEN m.state IN ('failed', 'dead') THEN 'failed'
             ELSE 'queued' END
        """
    static let recipientReasonSQL = """
        CASE WHEN r.outcome = 'skipped' THEN coalesce(r.reason, 'unknown')
             WHEN r.outcome = 'queued' AND m.state = 'skipped' THEN coalesce(m.skip_reason, 'unknown') END
        """

    /// How the campaign's recipients stand over all its occurrences, in one statement grouped by
    /// outcome and reason.
    public func campaignCounts(id: UUID) async throws -> CampaignCounts {
        let rows = try await query(
            """
            SELECT outcome, reason, count(*) FROM (
                SELECT \(unescaped: Self.recipientOutcomeSQL) AS outcome, \(unescaped: Self.recipientReasonSQL) AS reason
                FROM campaign_recipients AS r
                LEFT JOIN messages AS m ON m.tenant_id = r.tenant_id AND m.id = r.message_id
                WHERE r.tenant_id = \(tenantID) AND r.campaign_id = \(id)
            ) AS outcomes
            GROUP BY outcome, reason
            """)
        var counts = CampaignCounts()
        for try await (outcome, reason, count) in rows.decode((String, String?, Int64).self) {
            guard let outcome = CampaignOutcome(rawValue: outcome) else { continue }
            counts.add(Int(count), outcome: outcome, reason: reason)
        }
        return counts
    }

    /// A page of the campaign's recipients in (occurrence, customer) order, filtered by final
    /// outcome and reason.
    public func campaignRecipients(id: UUID, _ request: CampaignRecipientQuery) async throws -> (
        recipients: [CampaignRecipient], next: CampaignRecipientPosition?
    ) {
        let afterOccurrence = Int32(clamping: request.after?.occurrence ?? 0)
        let afterCustomer = request.after?.customerID ?? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        let rows = try await query(
            """
            SELECT customer_id, occurrence, outcome, reason, channel_id, message_id, planned_at FROM (
                SELECT r.customer_id, r.occurrence, \(unescaped: Self.recipientOutcomeSQL) AS outcome,
                       \(unescaped: Self.recipientReasonSQL) AS reason, r.channel_id, r.message_id, r.planned_at
                FROM campaign_recipients AS r
                LEFT JOIN messages AS m ON m.tenant_id = r.tenant_id AND m.id = r.message_id
                WHERE r.tenant_id = \(tenantID) AND r.campaign_id = \(id)
                  AND (r.occurrence, r.customer_id) > (\(afterOccurrence), \(afterCustomer))
            ) AS recipients
            WHERE (\(request.outcome?.rawValue)::text IS NULL OR outcome = \(request.outcome?.rawValue))
              AND (\(request.reason)::text IS NULL OR reason = \(request.reason))
            ORDER BY occurrence, customer_id
            LIMIT \(request.limit + 1)
            """)
        var recipients: [CampaignRecipient] = []
        for try await row in rows.decode((UUID, Int32, String, String?, UUID?, UUID?, Date).self) {
            recipients.append(
                CampaignRecipient(
                    customerID: row.0, occurrence: Int(row.1), outcome: CampaignOutcome(rawValue: row.2) ?? .queued,
                    reason: row.3, channelID: row.4, messageID: row.5, plannedAt: row.6))
        }
        guard recipients.count > request.limit else { return (recipients, nil) }
        recipients.removeLast(recipients.count - request.limit)
        let last = recipients[recipients.count - 1]
        return (recipients, CampaignRecipientPosition(occurrence: last.occurrence, customerID: last.customerID))
    }
}

/// What a definition names, as the tenant's tables have it now.
public struct CampaignReferences: Sendable, Hashable {
    /// The template's current version; nil when there is no live template with that id.
    public var templateVersion: Int?
    /// The named channels that exist and are not deleted.
    public var liveChannels: Set<UUID>
    /// The named offers that exist and are not deleted.
    public var liveOffers: Set<UUID>
}

extension TenantSession {
    /// Looks up, in one statement, the template, channels and offers a definition names.
    public func campaignReferences(_ definition: CampaignDefinition) async throws -> CampaignReferences {
        let offers = definition.offers?.offerIDs ?? []
        let rows = try await query(
            """
            SELECT
                (SELECT current_version FROM templates
                 WHERE tenant_id = \(tenantID) AND id = \(definition.templateID) AND deleted_at IS NULL),
                ARRAY(SELECT id FROM channels WHERE tenant_id = \(tenantID) AND id = ANY(\(definition.channelIDs)::uuid[])
                      AND deleted_at IS NULL),
                ARRAY(SELECT id FROM offers WHERE tenant_id = \(tenantID) AND id = ANY(\(offers)::uuid[]) AND deleted_at IS NULL)
            """)
        for try await (version, channels, offers) in rows.decode((Int32?, [UUID], [UUID]).self) {
            return CampaignReferences(
                templateVersion: version.map { Int($0) }, liveChannels: Set(channels), liveOffers: Set(offers))
        }
        throw StoreError.unavailable
    }
}
