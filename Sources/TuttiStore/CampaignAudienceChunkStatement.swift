import Foundation
import PostgresNIO
import TuttiDomain

/// The audience build's one statement per chunk of customers (docs/campaigns.md, "How the
/// audience is built"): hold out, choose each customer's channel, write one recipient row per
/// customer, and queue a message and its delivery job for each customer to send to, then move
/// the occurrence's cursor past the chunk. Set-based from start to end: a chunk of 5,000
/// customers is one round trip.
///
/// - Holdout first, by a hash of campaign and customer (``HoldoutSQL``): a held-out customer
///   is recorded as such whatever their reachability, so the held-out group is the same share
///   of every audience.
/// - Channel choice: the first channel in the campaign's order the customer can receive on: an
///   identity of the channel's kind that is not suppressed (the oldest, as `POST /v1/messages`
///   picks), and no opt-out of the channel's consent channel. None: skipped, `unreachable`.
/// - The recipient row's primary key (tenant, campaign, occurrence, customer) is the "one
///   message per customer per occurrence" guarantee: `ON CONFLICT DO NOTHING`, and only the rows
///   this statement inserted go on to become messages. A chunk rerun after a crash, or built by
///   a second scheduler at the same time, queues nothing twice.
/// - Throttle: the n-th message of the occurrence runs n / throttle seconds after its planned
///   instant (`queued_so_far` carries n across chunks); the message expires `expires_after`
///   after the instant it is due.
struct CampaignAudienceChunkStatement {
    let tenantID: UUID
    let chunk: CampaignAudienceChunk
    let cursor: UUID

    var query: PostgresQuery {
        var bindings = PostgresBindings(capacity: 24)
        bindings.append(tenantID)
        bindings.append(chunk.campaignID)
        bindings.append(Int32(clamping: chunk.occurrence))
        bindings.append(chunk.customers.map(\.customerID))
        bindings.append(chunk.customers.map(\.plannedAt))
        bindings.append(chunk.customers.map(\.messageID))
        bindings.append(chunk.channels.map(\.channelID))
        bindings.append(chunk.channels.map(\.channelType))
        bindings.append(chunk.channels.map { $0.recipient?.identityType ?? "" })
        bindings.append(chunk.channels.map { $0.recipient?.consentChannel.rawValue ?? "" })
        bindings.append(Int32(clamping: Holdout.basisPoints(percent: chunk.holdoutPercent)))
        bindings.append(chunk.expiresAfter.secondsValue)
        bindings.append(chunk.templateID)
        bindings.append(chunk.templateVersion.map { Int32(clamping: $0) })
        bindings.append(chunk.throttlePerSecond ?? 0)
        bindings.append(cursor)
        guard let policy = chunk.policy, !policy.isEmpty else { return PostgresQuery(unsafeSQL: Self.sql, binds: bindings) }
        let arguments = ContactPolicySQL.Arguments(policy)
        arguments.appendCaps(to: &bindings)
        arguments.appendQuietHours(to: &bindings)
        bindings.append(policy.quietHours?.action.rawValue ?? "defer")
        return PostgresQuery(unsafeSQL: Self.sqlWithPolicy, binds: bindings)
    }

    static let sql = statement(policy: false)
    static let sqlWithPolicy = statement(policy: true)

    /// The statement; with `policy`, customers at a cap for their channel's type are skipped
    /// (`capped`) and those whose planned instant falls in quiet hours are deferred to the
    /// hours' end or skipped (`quiet_hours`), by the fragments of ``ContactPolicySQL`` over
    /// parameters $17–$24.
    private static func statement(policy: Bool) -> String {
        """
        WITH audience AS (
            SELECT a.customer_id, a.planned_at, a.message_id, a.ord,
                   \(HoldoutSQL.isHeldOut(customerColumn: "a.customer_id", campaignParameter: "$2", basisPointsParameter: "$11")) AS held_out
            FROM unnest($4::uuid[], $5::timestamptz[], $6::uuid[]) WITH ORDINALITY AS a(customer_id, planned_at, message_id, ord)
        ), channel AS (
            SELECT * FROM unnest($7::uuid[], $8::text[], $9::text[], $10::text[]) WITH ORDINALITY
                AS ch(channel_id, channel_type, identity_type, consent_channel, preference)
        ), reachable AS (
            SELECT DISTINCT ON (a.customer_id) a.customer_id, ch.channel_id, ch.channel_type, address.value AS recipient
            FROM audience AS a
            CROSS JOIN channel AS ch
            LEFT JOIN LATERAL (
                SELECT i.value FROM customer_identities AS i
                WHERE i.tenant_id = $1 AND i.customer_id = a.customer_id AND i.type = ch.identity_type
                  AND NOT EXISTS (SELECT FROM suppressions AS s
                                  WHERE s.tenant_id = $1 AND s.identity_type = i.type AND s.identity_value = i.value)
                ORDER BY i.created_at, i.value
                LIMIT 1
            ) AS address ON ch.identity_type <> ''
            WHERE NOT a.held_out
              AND (ch.identity_type = '' OR address.value IS NOT NULL)
              AND (ch.consent_channel = '' OR NOT EXISTS (
                    SELECT FROM consents AS k
                    WHERE k.tenant_id = $1 AND k.customer_id = a.customer_id AND k.channel = ch.consent_channel
                      AND k.topic = '' AND k.status = 'opted_out'))
            ORDER BY a.customer_id, ch.preference
        ), \(policy ? policyCTEs : "")plan AS (
            SELECT a.customer_id, a.ord, a.message_id, r.channel_id, r.channel_type, r.recipient,
                   CASE WHEN a.held_out THEN 'held_out' WHEN r.channel_id IS NULL THEN 'skipped'\(policy ? policyOutcome : "")
                        ELSE 'queued' END AS outcome,
                   CASE WHEN a.held_out THEN NULL WHEN r.channel_id IS NULL THEN 'unreachable'\(policy ? policyReason : "") END AS reason,
                   \(policy ? "coalesce(CASE WHEN $24 = 'defer' THEN q.until END, a.planned_at)" : "a.planned_at") AS planned_at
            FROM audience AS a LEFT JOIN reachable AS r ON r.customer_id = a.customer_id\(policy ? policyJoins : "")
        ), recipients AS (
            INSERT INTO campaign_recipients
                (tenant_id, campaign_id, occurrence, customer_id, outcome, reason, channel_id, message_id, planned_at)
            SELECT $1, $2, $3, p.customer_id, p.outcome, p.reason,
                   p.channel_id, CASE WHEN p.outcome = 'queued' THEN p.message_id END, p.planned_at
            FROM plan AS p
            ORDER BY p.ord
            ON CONFLICT DO NOTHING
            RETURNING customer_id, outcome
        ), queued AS MATERIALIZED (
            SELECT p.*, nextval('queue_jobs_id_seq'::regclass) AS job_id,
                   p.planned_at + make_interval(secs => CASE WHEN $15::float8 > 0
                       THEN (o.queued_so_far + row_number() OVER (ORDER BY p.ord) - 1) / $15::float8 ELSE 0 END) AS run_at
            FROM recipients AS r
            JOIN plan AS p ON p.customer_id = r.customer_id
            CROSS JOIN (SELECT queued_so_far FROM campaign_occurrences
                        WHERE tenant_id = $1 AND campaign_id = $2 AND occurrence = $3) AS o
            WHERE r.outcome = 'queued'
        ), jobs AS (
            INSERT INTO queue_jobs (tenant_id, id, queue, priority, state, run_at, payload)
            SELECT $1, q.job_id, 'delivery', 3, CASE WHEN q.run_at <= now() THEN 'ready' ELSE 'scheduled' END, q.run_at,
                   jsonb_build_object('message_id', q.message_id)
            FROM queued AS q
            RETURNING state
        ), messages AS (
            INSERT INTO messages (tenant_id, id, customer_id, channel_id, channel_type, recipient, content, job_id,
                                  campaign_id, campaign_occurrence, template_id, template_version, expires_at)
            SELECT $1, q.message_id, q.customer_id, q.channel_id, q.channel_type, q.recipient, '{}', q.job_id,
                   $2, $3, $13, $14, q.run_at + make_interval(secs => $12::float8)
            FROM queued AS q
            RETURNING 1
        ), occurrence AS (
            UPDATE campaign_occurrences
            SET build_cursor = $16, queued_so_far = queued_so_far + (SELECT count(*) FROM queued)
            WHERE tenant_id = $1 AND campaign_id = $2 AND occurrence = $3
            RETURNING 1
        ), notified AS (
            -- ::text: Citus refuses a CTE column of pseudo-type void.
            SELECT pg_notify('tutti_queue', 'delivery ' || $1::text)::text
            WHERE EXISTS (SELECT FROM jobs WHERE jobs.state = 'ready')
        )
        SELECT (SELECT count(*) FROM recipients), (SELECT count(*) FROM messages),
               (SELECT count(*) FROM occurrence), (SELECT count(*) FROM notified)
        """
    }

    /// The chunk's customers at a cap now (the claim checks again at send time), and the end
    /// of the quiet hours each chosen channel is in at the customer's planned instant.
    private static let policyCTEs = """
        capped AS MATERIALIZED (
                SELECT over.customer_id, over.channel_type FROM (
                    \(ContactPolicySQL.cappedPairs(tenant: "$1", at: "now()", capSeconds: "$17", capMax: "$18", typeCap: "$19", typeName: "$20"))
                ) AS over
                WHERE over.customer_id = ANY ($4::uuid[])
            ), quiet AS (
                SELECT r.customer_id, \(ContactPolicySQL.quietUntil(
                    zone: ContactPolicySQL.customerTimeZone(attributes: "c.attributes", tenantZone: "(SELECT t.time_zone FROM tenants AS t WHERE t.id = $1)"),
                    channelType: "r.channel_type", at: "a.planned_at", start: "$21", end: "$22", types: "$23")) AS until
                FROM reachable AS r
                JOIN audience AS a ON a.customer_id = r.customer_id
                JOIN customers AS c ON c.tenant_id = $1 AND c.id = r.customer_id
            ),\u{20}
        """

    private static let policyOutcome = """

                        WHEN k.customer_id IS NOT NULL THEN 'skipped' WHEN q.until IS NOT NULL AND $24 = 'skip' THEN 'skipped'
        """

    private static let policyReason = """

                        WHEN k.customer_id IS NOT NULL THEN 'capped' WHEN q.until IS NOT NULL THEN 'quiet_hours'
        """

    private static let policyJoins = """

                LEFT JOIN capped AS k ON k.customer_id = a.customer_id AND k.channel_type = r.channel_type
                LEFT JOIN quiet AS q ON q.customer_id = a.customer_id
        """
}
