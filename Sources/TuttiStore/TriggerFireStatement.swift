import Foundation
import PostgresNIO
import TuttiDomain

/// The one statement that fires a batch of trigger candidates (docs/triggers.md, "Exactly
/// once"), run in the ingestion transaction right after the events' insert:
///
/// - only events this transaction stored count (joined on the events' primary key): a replayed
///   `messageId`, skipped by the event insert, fires nothing;
/// - only campaigns still armed count (scheduled or running, not deleted): the API's cache of
///   armed triggers may be a moment old, the campaign row is not;
/// - the reentry gate (`trigger_entries`) lets each (campaign, customer, entry key) through
///   at most once per statement and once per reentry window: `ON CONFLICT DO UPDATE … WHERE`
///   the window has passed (never for `once` and `always`, whose key is the event itself), so
///   a retried batch, two events in the same second or a concurrent request reach the same
///   row and only one of them fires;
/// - channel choice as the audience build's: the first channel the customer can receive on;
///   none: the firing is `skipped` (`unreachable`);
/// - each firing that passes gets a message and its delivery job due after the trigger's delay,
///   through the same worker path as every campaign message (contact policy at claim, offers,
///   the pinned template version rendered at send time).
struct TriggerFireStatement {
    let tenantID: UUID
    let candidates: [TriggerCandidate]

    var query: PostgresQuery {
        var bindings = PostgresBindings(capacity: 20)
        bindings.append(tenantID)
        bindings.append(candidates.map(\.trigger.campaignID))
        bindings.append(candidates.map(\.customerID))
        bindings.append(candidates.map(\.entryKey))
        bindings.append(candidates.map(\.eventID))
        bindings.append(candidates.map(\.occurredAt))
        bindings.append(candidates.map { $0.correlation ?? "" })
        bindings.append(candidates.map { Double($0.trigger.trigger.delay?.seconds ?? 0) })
        bindings.append(candidates.map { $0.trigger.trigger.reentry.gateSeconds })
        bindings.append(candidates.map { _ in UUID.v7() })
        bindings.append(candidates.map { _ in UUID.v7() })
        bindings.append(candidates.map(\.trigger.templateID))
        bindings.append(candidates.map { Int32(clamping: $0.trigger.templateVersion) })
        bindings.append(candidates.map(\.trigger.expiresAfterSeconds))
        var seen: Set<UUID> = []
        var channels: [(UUID, CampaignChannelOption, Int32)] = []
        for candidate in candidates where seen.insert(candidate.trigger.campaignID).inserted {
            for (index, option) in candidate.trigger.channels.enumerated() {
                channels.append((candidate.trigger.campaignID, option, Int32(index)))
            }
        }
        bindings.append(channels.map(\.0))
        bindings.append(channels.map(\.1.channelID))
        bindings.append(channels.map(\.1.channelType))
        bindings.append(channels.map { $0.1.recipient?.identityType ?? "" })
        bindings.append(channels.map { $0.1.recipient?.consentChannel.rawValue ?? "" })
        bindings.append(channels.map(\.2))
        return PostgresQuery(unsafeSQL: Self.sql, binds: bindings)
    }

    static let sql = """
        WITH input AS (
            SELECT DISTINCT ON (i.campaign_id, i.customer_id, i.entry_key) i.*
            FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::uuid[], $6::timestamptz[], $7::text[], $8::float8[],
                        $9::float8[], $10::uuid[], $11::uuid[], $12::uuid[], $13::int4[], $14::float8[]) WITH ORDINALITY
                AS i(campaign_id, customer_id, entry_key, event_id, occurred_at, correlation, delay, reentry_after,
                     firing_id, message_id, template_id, template_version, expires, ord)
            JOIN events AS e ON e.tenant_id = $1 AND e.id = i.event_id AND e.occurred_at = i.occurred_at
            JOIN campaigns AS c ON c.tenant_id = $1 AND c.id = i.campaign_id AND c.state IN ('scheduled', 'running')
                               AND c.deleted_at IS NULL
            ORDER BY i.campaign_id, i.customer_id, i.entry_key, i.ord
        ), entered AS (
            INSERT INTO trigger_entries AS t (tenant_id, campaign_id, customer_id, entry_key, reentry_after, last_fired_at, reentry_at)
            SELECT $1, i.campaign_id, i.customer_id, i.entry_key, i.reentry_after, now(),
                   CASE WHEN i.reentry_after >= 0 THEN now() + make_interval(secs => i.reentry_after) END
            FROM input AS i
            ORDER BY i.campaign_id, i.customer_id, i.entry_key
            ON CONFLICT (tenant_id, campaign_id, customer_id, entry_key) DO UPDATE
                SET last_fired_at = EXCLUDED.last_fired_at, fired = t.fired + 1, reentry_after = EXCLUDED.reentry_after,
                    reentry_at = EXCLUDED.reentry_at
                WHERE t.reentry_at <= EXCLUDED.last_fired_at
            RETURNING campaign_id, customer_id, entry_key
        ), fired AS (
            SELECT i.* FROM input AS i
            JOIN entered AS n ON n.campaign_id = i.campaign_id AND n.customer_id = i.customer_id AND n.entry_key = i.entry_key
        ), channel AS (
            SELECT * FROM unnest($15::uuid[], $16::uuid[], $17::text[], $18::text[], $19::text[], $20::int4[])
                AS ch(campaign_id, channel_id, channel_type, identity_type, consent_channel, preference)
        ), reachable AS (
            SELECT DISTINCT ON (f.firing_id) f.firing_id, ch.channel_id, ch.channel_type, address.value AS recipient
            FROM fired AS f
            JOIN channel AS ch ON ch.campaign_id = f.campaign_id
            LEFT JOIN LATERAL (
                SELECT i.value FROM customer_identities AS i
                WHERE i.tenant_id = $1 AND i.customer_id = f.customer_id AND i.type = ch.identity_type
                  AND NOT EXISTS (SELECT FROM suppressions AS s
                                  WHERE s.tenant_id = $1 AND s.identity_type = i.type AND s.identity_value = i.value)
                ORDER BY i.created_at, i.value
                LIMIT 1
            ) AS address ON ch.identity_type <> ''
            WHERE (ch.identity_type = '' OR address.value IS NOT NULL)
              AND (ch.consent_channel = '' OR NOT EXISTS (
                    SELECT FROM consents AS k
                    WHERE k.tenant_id = $1 AND k.customer_id = f.customer_id AND k.channel = ch.consent_channel
                      AND k.topic = '' AND k.status = 'opted_out'))
            ORDER BY f.firing_id, ch.preference
        ), plan AS MATERIALIZED (
            SELECT f.*, r.channel_id, r.channel_type, r.recipient, now() + make_interval(secs => f.delay) AS run_at,
                   CASE WHEN r.channel_id IS NOT NULL THEN nextval(pg_get_serial_sequence('queue_jobs', 'id')) END AS job_id
            FROM fired AS f LEFT JOIN reachable AS r ON r.firing_id = f.firing_id
        ), jobs AS (
            INSERT INTO queue_jobs (tenant_id, id, queue, priority, state, run_at, payload)
            SELECT $1, p.job_id, 'delivery', 3, CASE WHEN p.run_at <= now() THEN 'ready' ELSE 'scheduled' END, p.run_at,
                   jsonb_build_object('message_id', p.message_id)
            FROM plan AS p WHERE p.job_id IS NOT NULL
            RETURNING state
        ), messages AS (
            INSERT INTO messages (tenant_id, id, customer_id, channel_id, channel_type, recipient, content, job_id,
                                  campaign_id, template_id, template_version, expires_at)
            SELECT $1, p.message_id, p.customer_id, p.channel_id, p.channel_type, p.recipient, '{}', p.job_id,
                   p.campaign_id, p.template_id, p.template_version, p.run_at + make_interval(secs => p.expires)
            FROM plan AS p WHERE p.job_id IS NOT NULL
            RETURNING 1
        ), firings AS (
            INSERT INTO trigger_firings (tenant_id, id, campaign_id, customer_id, entry_key, event_id, event_at, correlation, fire_at,
                                         state, reason, message_id, created_at)
            SELECT $1, p.firing_id, p.campaign_id, p.customer_id, p.entry_key, p.event_id, p.occurred_at, p.correlation, p.run_at,
                   CASE WHEN p.job_id IS NULL THEN 'skipped' ELSE 'queued' END,
                   CASE WHEN p.job_id IS NULL THEN 'unreachable' END,
                   CASE WHEN p.job_id IS NOT NULL THEN p.message_id END, now()
            FROM plan AS p
            RETURNING 1
        ), notified AS (
            -- ::text: Citus refuses a CTE column of pseudo-type void.
            SELECT pg_notify('tutti_queue', 'delivery ' || $1::text)::text
            WHERE EXISTS (SELECT FROM jobs WHERE jobs.state = 'ready')
        )
        SELECT (SELECT count(*) FROM firings), (SELECT count(*) FROM messages) + 0 * (SELECT count(*) FROM notified)
        """
}
