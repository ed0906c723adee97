import Foundation
import PostgresNIO
import TuttiDomain
import TuttiQueue

/// A claimed campaign message as the worker prepares it for sending: whether its campaign
/// still sends, whether it has expired, and what to render it from.
public struct CampaignMessageToPrepare: Sendable {
    public var messageID: UUID
    public var customerID: UUID
    public var campaignID: UUID
    /// The campaign's state now: `running` (or `completed`) sends, `paused` waits, `cancelled` drops.
    public var campaignState: String
    /// Past its `expires_at` at the database's clock.
    public var expired: Bool
    /// Rendered by an earlier attempt: its content is what is sent again.
    public var rendered: Bool
    public var templateID: UUID?
    public var templateVersion: Int?
    /// The gateway type the message goes through (`smtp`, `twilio`, …).
    public var channelType: String
    /// The campaign's `offers` as stored (`{"offer_ids", "mode", "required"}`), if any.
    public var offers: JSONValue?
    /// The campaign's topic key ('' when it names none): its unsubscribe link opts out of it.
    public var topic: String = ""
    /// The customer opted out of the message's channel as a whole or of its topic, since the
    /// audience was built: the message ends `skipped` (`opted-out`).
    public var optedOut: Bool = false
    /// How long the tenant's preference links last, in days.
    public var preferenceLinkDays: Int = 30
}

/// What the worker rendered for a campaign message, recorded on it before it is sent.
public struct RenderedCampaignMessage: Sendable {
    public var messageID: UUID
    public var content: MessageContent
    public var locale: String?
    public var offerID: UUID?
    public var offerCode: String?

    public init(messageID: UUID, content: MessageContent, locale: String?, offerID: UUID?, offerCode: String?) {
        self.messageID = messageID
        self.content = content
        self.locale = locale
        self.offerID = offerID
        self.offerCode = offerCode
    }
}

/// A claimed message that ends without being sent (its campaign was cancelled, it expired, it
/// could not be rendered), with the reason recorded on it.
public struct UnsentMessage: Sendable {
    public var lease: QueueLease
    public var messageID: UUID
    public var reason: String

    public init(lease: QueueLease, messageID: UUID, reason: String) {
        self.lease = lease
        self.messageID = messageID
        self.reason = reason
    }
}

extension TenantSession {
    /// The campaign messages among `messageIDs`, with what preparing them needs, in one statement.
    public func campaignMessagesToPrepare(_ messageIDs: [UUID]) async throws -> [CampaignMessageToPrepare] {
        guard !messageIDs.isEmpty else { return [] }
        let rows = try await query(
            """
            SELECT m.id, m.customer_id, m.campaign_id, c.state, coalesce(m.expires_at < now(), false), m.rendered_at IS NOT NULL,
                   m.template_id, m.template_version, m.channel_type, (c.definition -> 'offers')::text,
                   coalesce(c.definition ->> 'topic', ''),
                   EXISTS (SELECT FROM consents AS k
                           WHERE k.tenant_id = m.tenant_id AND k.customer_id = m.customer_id AND k.status = 'opted_out'
                             AND k.channel = \(unescaped: Self.consentChannelSQL("m.channel_type"))
                             AND k.topic IN ('', coalesce(c.definition ->> 'topic', ''))),
                   t.preference_link_days
            FROM messages AS m
            JOIN campaigns AS c ON c.tenant_id = m.tenant_id AND c.id = m.campaign_id
            JOIN tenants AS t ON t.id = m.tenant_id
            WHERE m.tenant_id = \(tenantID) AND m.id = ANY (\(messageIDs))
            """)
        var found: [CampaignMessageToPrepare] = []
        for try await row in rows.decode(
            (UUID, UUID, UUID, String, Bool, Bool, UUID?, Int32?, String, String?, String, Bool, Int32).self)
        {
            found.append(
                CampaignMessageToPrepare(
                    messageID: row.0, customerID: row.1, campaignID: row.2, campaignState: row.3, expired: row.4, rendered: row.5,
                    templateID: row.6, templateVersion: row.7.map(Int.init), channelType: row.8,
                    offers: row.9.flatMap(JSONValue.parse), topic: row.10, optedOut: row.11, preferenceLinkDays: Int(row.12)))
        }
        return found
    }

    /// Records on each message what was rendered for it (content, locale, offer and code), so
    /// that a retry sends exactly the same.
    public func campaignMessagesRendered(_ rendered: [RenderedCampaignMessage]) async throws {
        guard !rendered.isEmpty else { return }
        try await execute(
            """
            UPDATE messages AS m
            SET content = r.content::jsonb, locale = nullif(r.locale, ''), offer_id = nullif(r.offer_id, '')::uuid,
                offer_code = nullif(r.code, ''),
                rendered_at = now(), updated_at = now()
            FROM unnest(\(rendered.map(\.messageID)), \(rendered.map { JSONValue.object($0.content.jsonObject).jsonText }),
                        \(rendered.map { $0.locale ?? "" }), \(rendered.map { $0.offerID?.canonicalText ?? "" }),
                        \(rendered.map { $0.offerCode ?? "" }))
                AS r(id, content, locale, offer_id, code)
            WHERE m.tenant_id = \(tenantID) AND m.id = r.id
            """)
    }

    /// Ends claimed messages without sending them: their jobs are completed where the lease is
    /// still current, and only those messages become `skipped` with their reason. Returns how
    /// many did.
    @discardableResult
    public func messagesEndUnsent(_ unsent: [UnsentMessage]) async throws -> Int {
        guard !unsent.isEmpty else { return 0 }
        var bindings = PostgresBindings(capacity: 5)
        bindings.append(tenantID)
        bindings.append(unsent.map(\.lease.jobID))
        bindings.append(unsent.map(\.messageID))
        bindings.append(unsent.map(\.reason))
        bindings.append(unsent.map(\.lease.fenceKey))
        let rows = try await query(
            PostgresQuery(
                unsafeSQL: """
                    WITH done AS (
                        \(QueueClaimSQL.fence(tenant: "$1", ids: "$2", keys: "$5"))
                    ), ended AS (
                        UPDATE messages AS m SET state = 'skipped', skip_reason = u.reason, job_id = NULL, updated_at = now()
                        FROM unnest($2::int8[], $3::uuid[], $4::text[]) AS u(job_id, message_id, reason)
                        WHERE m.tenant_id = $1 AND m.id = u.message_id AND u.job_id IN (SELECT id FROM done)
                        RETURNING 1
                    )
                    SELECT count(*) FROM ended
                    """, binds: bindings))
        for try await count in rows.decode(Int64.self) { return Int(count) }
        return 0
    }
}

extension TenantSession {
    /// A SQL expression: the consent channel of a message on gateway type `channelType` (an
    /// expression), as ``ChannelRecipient/of(channelType:)`` maps it; NULL for webhooks.
    static func consentChannelSQL(_ channelType: String) -> String {
        """
        CASE \(channelType) WHEN 'smtp' THEN 'email' WHEN 'ses' THEN 'email' WHEN 'sendgrid' THEN 'email'
            WHEN 'sns' THEN 'sms' WHEN 'twilio' THEN 'sms' WHEN 'mastodon' THEN 'social' END
        """
    }
}
