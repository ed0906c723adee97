import Foundation
import PostgresNIO
import TuttiDomain

/// Triggered campaigns (docs/triggers.md): the armed triggers ingestion keeps in memory, and
/// the firings and exits it writes in the transaction that stores the events.
extension TenantSession {
    /// The tenant's armed triggers: triggered campaigns that are scheduled or running, with
    /// what their launch pinned and their live channels in order.
    public func triggersArmed() async throws -> [ArmedTrigger] {
        // The channels are read by a second statement and matched here: as a LEFT JOIN LATERAL …
        // ON true, Citus refuses the statement ("outer joins and pseudoconstant quals").
        let rows = try await query(
            """
            SELECT c.id, (c.definition -> 'trigger')::text, coalesce(c.audience_rule::text, ''), c.template_id,
                   c.template_version, coalesce(c.definition ->> 'expires_after', ''),
                   coalesce((c.definition -> 'channels')::text, '[]')
            FROM campaigns AS c
            WHERE c.tenant_id = \(tenantID) AND c.state IN ('scheduled', 'running') AND c.deleted_at IS NULL
              AND c.definition ? 'trigger' AND c.template_id IS NOT NULL AND c.template_version IS NOT NULL
            """)
        var campaigns: [(UUID, String, String, UUID, Int32, String, [String])] = []
        for try await (id, trigger, rule, template, version, expires, channels) in rows.decode(
            (UUID, String, String, UUID, Int32, String, String).self)
        {
            let named: [String]
            if case .array(let items)? = JSONValue.parse(channels) { named = items.compactMap(\.stringValue) } else { named = [] }
            campaigns.append((id, trigger, rule, template, version, expires, named))
        }
        guard !campaigns.isEmpty else { return [] }
        let named = Array(Set(campaigns.flatMap { $0.6 }.compactMap(UUID.init(uuidString:))))
        var channelTypes: [UUID: String] = [:]
        for try await (id, type) in try await query(
            """
            SELECT id, type FROM channels WHERE tenant_id = \(tenantID) AND id = ANY(\(named)::uuid[]) AND deleted_at IS NULL
            """
        ).decode((UUID, String).self) {
            channelTypes[id] = type
        }
        var armed: [ArmedTrigger] = []
        for (id, triggerText, ruleText, templateID, version, expires, channelTexts) in campaigns {
            let channelIDs = channelTexts.compactMap(UUID.init(uuidString:)).filter { channelTypes[$0] != nil }
            guard let json = JSONValue.parse(triggerText), let trigger = try? CampaignTrigger(json: json) else {
                throw CampaignStoreError.unreadable(id)
            }
            var evaluator: RuleEvaluator?
            if trigger.rule != nil, !ruleText.isEmpty {
                guard let rule = try? JSONDecoder().decode(RuleExpression.self, from: Data(ruleText.utf8)) else {
                    throw CampaignStoreError.unreadable(id)
                }
                evaluator = RuleEvaluator(rule)
            }
            let expiresAfter = PolicyWindow(expires)?.seconds ?? CampaignDefinition.defaultExpiresAfter.seconds
            armed.append(
                ArmedTrigger(
                    campaignID: id, trigger: trigger, rule: evaluator, templateID: templateID, templateVersion: Int(version),
                    expiresAfterSeconds: Double(expiresAfter),
                    channels: channelIDs.map { CampaignChannelOption(channelID: $0, channelType: channelTypes[$0]!) }))
        }
        return armed
    }

    /// Fires `candidates` in one statement (``TriggerFireStatement``): each event that was
    /// stored in this transaction and whose campaign is still armed passes the reentry gate at
    /// most once per (campaign, customer, entry key), and becomes a firing with its message and
    /// delivery job due after the trigger's delay, or a firing skipped as `unreachable`.
    public func triggerFire(_ candidates: [TriggerCandidate]) async throws -> TriggerOutcome {
        guard !candidates.isEmpty else { return TriggerOutcome() }
        let rows = try await query(TriggerFireStatement(tenantID: tenantID, candidates: candidates).query)
        for try await (fired, queued) in rows.decode((Int64, Int64).self) {
            return TriggerOutcome(fired: Int(fired), queued: Int(queued))
        }
        return TriggerOutcome()
    }

    /// Cancels the pending firings that `exits` name, in one statement: a firing of an event
    /// that happened no later than the exit event, still waiting
    /// for its delay (its job not yet taken by a worker) ends `skipped` (`exited`) with its
    /// message, and its delivery job is removed.
    public func triggerExit(_ exits: [TriggerExit]) async throws -> Int {
        guard !exits.isEmpty else { return 0 }
        var bindings = PostgresBindings(capacity: 6)
        bindings.append(tenantID)
        bindings.append(exits.map(\.campaignID))
        bindings.append(exits.map(\.customerID))
        bindings.append(exits.map { $0.correlation ?? "" })
        bindings.append(exits.map { $0.correlation != nil })
        bindings.append(exits.map(\.occurredAt))
        let rows = try await query(
            PostgresQuery(
                unsafeSQL: """
                    WITH exits AS (
                        SELECT * FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::bool[], $6::timestamptz[])
                            AS x(campaign_id, customer_id, correlation, correlated, occurred_at)
                    ), hit AS (
                        SELECT f.id, f.message_id FROM trigger_firings AS f
                        JOIN exits AS x ON f.campaign_id = x.campaign_id AND f.customer_id = x.customer_id
                                       AND (NOT x.correlated OR f.correlation = x.correlation) AND f.event_at <= x.occurred_at
                        WHERE f.tenant_id = $1 AND f.state = 'queued' AND f.fire_at > now()
                        ORDER BY f.id
                        FOR UPDATE OF f
                    ), jobs AS (
                        DELETE FROM queue_jobs AS q USING messages AS m, hit AS h
                        WHERE q.tenant_id = $1 AND m.tenant_id = $1 AND m.id = h.message_id AND q.id = m.job_id
                          AND q.state IN ('scheduled', 'ready')
                        RETURNING q.id
                    ), ended AS (
                        UPDATE messages AS m SET state = 'skipped', skip_reason = 'exited', job_id = NULL, updated_at = now()
                        WHERE m.tenant_id = $1 AND m.job_id IN (SELECT id FROM jobs) AND m.id IN (SELECT message_id FROM hit)
                        RETURNING m.id
                    ), exited AS (
                        UPDATE trigger_firings AS f SET state = 'skipped', reason = 'exited'
                        WHERE f.tenant_id = $1 AND f.message_id IN (SELECT id FROM ended)
                        RETURNING 1
                    )
                    SELECT count(*) FROM exited
                    """, binds: bindings))
        for try await count in rows.decode(Int64.self) { return Int(count) }
        return 0
    }

    /// A campaign's firings, newest first: what each event did (tests and the API's listing).
    public func triggerFirings(campaignID: UUID, limit: Int = 100) async throws -> [TriggerFiringRecord] {
        let rows = try await query(
            """
            SELECT f.id, f.customer_id, f.event_id, f.correlation, f.fire_at, f.state, f.reason, f.message_id, f.created_at
            FROM trigger_firings AS f
            WHERE f.tenant_id = \(tenantID) AND f.campaign_id = \(campaignID)
            ORDER BY f.created_at DESC, f.id DESC LIMIT \(limit)
            """)
        var firings: [TriggerFiringRecord] = []
        for try await (id, customer, event, correlation, fireAt, state, reason, message, created) in rows.decode(
            (UUID, UUID, UUID, String, Date, String, String?, UUID?, Date).self)
        {
            firings.append(
                TriggerFiringRecord(
                    id: id, customerID: customer, eventID: event, correlation: correlation.isEmpty ? nil : correlation,
                    fireAt: fireAt, state: state, reason: reason, messageID: message, createdAt: created))
        }
        return firings
    }
}

/// One firing of a triggered campaign as stored.
public struct TriggerFiringRecord: Sendable, Equatable {
    public var id: UUID
    public var customerID: UUID
    public var eventID: UUID
    public var correlation: String?
    public var fireAt: Date
    /// `queued` (its message is due at `fireAt`) or `skipped` (`reason`: unreachable, exited).
    public var state: String
    public var reason: String?
    public var messageID: UUID?
    public var createdAt: Date
}
