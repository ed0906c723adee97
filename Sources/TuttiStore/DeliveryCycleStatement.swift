import Foundation
import PostgresNIO
import TuttiDomain
import TuttiQueue

/// A delivery worker's one round trip per batch: record the deliveries its last batch got
/// accepted, and lease the next batch together with the messages to send (docs/delivery.md,
/// "Throughput").
///
/// Every table is reached by key through `= ANY (array)`: the statement is prepared,
/// and PostgreSQL's generic plan for it, which cannot know how many rows `unnest` or a CTE
/// yields, otherwise chose scans of whole tables (290 ms per cycle against 23 ms, measured).
///
/// The accepted jobs are deleted only when their lease is still current, and only those
/// deleted move their message to `sent`, with the accepted attempt kept on the message row
/// (sql/0009 says why): the DELETE is the fence that
/// keeps a worker whose lease lapsed from recording over the worker that now holds the job.
/// The message is updated where its row was when the job was claimed (its `ctid`, which the
/// claim returns and the worker hands back): a TID lookup instead of a descent of the primary
/// key for each message (EXPLAIN ANALYZE: 0.5 ms for a batch of 500 against 2–3 ms). The
/// version is a hint, never trusted alone: the update also matches the message's id, and the
/// messages whose row has moved since (or that came without a version) are updated by key,
/// a second UPDATE that runs only when the first missed some.
/// The lease fence and the claim are the queue's (`QueueClaimSQL`: one tenant, `FOR UPDATE
/// SKIP LOCKED` in a materialized CTE, the UPDATE by the locked rows' `ctid`), the same SQL
/// the generic claim and `ops/bench-queue` run; each claimed job comes back joined to its
/// message, so the worker reads nothing else before sending. The message is found by the job's
/// id (`messages.job_id`, indexed by sql/0012), not by the `message_id` in the payload: taking
/// that apart safely cost a regular expression per row. A job that no message names joins no
/// message, and the worker fails it.
struct DeliveryCycleStatement: PostgresPreparedStatement {
    /// One answer row: a claimed job (its columns nil on the one row of a cycle that claimed
    /// nothing), its message (nil when no message names the job), and how many deliveries
    /// the cycle recorded. A struct rather than a tuple: PostgresNIO's row sequence is generic
    /// over it, and a tuple's copies went through the runtime's generic tuple witnesses.
    struct Row {
        var jobID: Int64?
        var attempt: Int32?
        var priority: Int16?
        var payload: String?
        var uniqueKey: String?
        var maxAttempts: Int32?
        var runAt: Date?
        var messageID: UUID?
        var customerID: UUID?
        var channelID: UUID?
        var recipient: String?
        var content: String?
        var messageRow: String?
        var campaignID: UUID?
        var recorded: Int
        var needsAdmission: Bool?
    }

    // PostgresNIO's default name is `String(reflecting: Self.self)`, built on every execution.
    static let name = "tutti.DeliveryCycleStatement"

    /// What an accepted delivery sets on its message; the same in both UPDATEs below.
    private static let sentColumns = """
        state = 'sent', attempts = greatest(m.attempts, d.attempt), updated_at = now(), sent_at = now(), \
        provider_message_id = coalesce(nullif(d.provider_id, ''), m.provider_message_id), \
        sent_channel_id = d.channel_id, sent_http_status = nullif(d.http_status, 0), sent_duration_ms = d.duration_ms, \
        sent_worker = $3
        """

    static let sql = """
        WITH input AS (
            SELECT * FROM unnest($6::int8[], $7::int4[], $8::uuid[], $9::uuid[], $10::int4[], $11::int4[], $12::text[], $14::text[]::tid[])
                AS d(job_id, attempt, message_id, channel_id, http_status, duration_ms, provider_id, message_row)
        ), done AS (
            \(QueueClaimSQL.fence(tenant: "$1", ids: "$6", keys: "$13"))
        ), recorded AS MATERIALIZED (
            SELECT d.* FROM input AS d
            -- Usually every lease was current; then no row needs looking up in `done`.
            WHERE (SELECT count(*) FROM done) = cardinality($6::int8[]) OR d.job_id = ANY (ARRAY(SELECT done.id FROM done))
        ), sent AS (
            UPDATE messages AS m
            SET \(sentColumns)
            FROM recorded AS d
            WHERE m.ctid = d.message_row AND m.tenant_id = $1 AND m.id = d.message_id AND m.state <> 'sent'
            RETURNING m.id
        ), sent_by_key AS (
            -- The messages whose row moved since the claim (or that came without its version).
            UPDATE messages AS m
            SET \(sentColumns)
            FROM recorded AS d
            WHERE (SELECT count(*) FROM sent) < (SELECT count(*) FROM recorded)
              AND m.tenant_id = $1 AND m.id = d.message_id AND m.state <> 'sent'
              AND NOT d.message_id = ANY (ARRAY(SELECT sent.id FROM sent))
        ), \(QueueClaimSQL.claim(tenant: "$1", queue: "$2", worker: "$3", limit: "$4", leaseSeconds: "$5"))
        , found AS MATERIALIZED (
            SELECT m.job_id, m.id, m.customer_id, m.channel_id, m.recipient, m.content, m.ctid, m.campaign_id,
                   -- Evaluated once per statement (an InitPlan): a tenant without a contact
                   -- policy pays one index probe per claim, nothing per message.
                   NOT m.transactional AND (SELECT EXISTS (SELECT FROM contact_policies AS p WHERE p.tenant_id = $1)) AS needs_admission
            FROM messages AS m
            WHERE m.tenant_id = $1 AND m.job_id = ANY (ARRAY(SELECT c.id FROM claimed AS c))
        )
        SELECT c.id, c.attempts, c.priority, c.payload::text, c.unique_key, c.max_attempts, c.run_at,
               f.id, f.customer_id, f.channel_id, f.recipient, f.content::text, f.ctid::text, f.campaign_id,
               (SELECT count(*) FROM recorded)::int8, f.needs_admission
        FROM (SELECT 1) AS one
        LEFT JOIN claimed AS c ON true
        LEFT JOIN found AS f ON f.job_id = c.id
        ORDER BY c.priority, c.run_at, c.id
        """

    static let bindingDataTypes: [PostgresDataType] =
        QueueClaimArguments.bindingDataTypes + [
            .int8Array, .int4Array, .uuidArray, .uuidArray, .int4Array, .int4Array, .textArray, .int8Array, .textArray,
        ]

    var claim: QueueClaimArguments
    var accepted: [AcceptedDelivery]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 14)
        claim.append(to: &bindings)
        bindings.append(accepted.map(\.lease.jobID))
        bindings.append(accepted.map(\.lease.attempt))
        bindings.append(accepted.map(\.messageID))
        bindings.append(accepted.map(\.channelID))
        bindings.append(accepted.map { Int32(clamping: $0.httpStatus ?? 0) })
        bindings.append(accepted.map { Int32(clamping: $0.durationMilliseconds) })
        bindings.append(accepted.map { $0.providerMessageID ?? "" })
        bindings.append(accepted.map(\.lease.fenceKey))
        // (0,0) names no row (line pointers start at 1), so a delivery without a version is
        // found by key.
        bindings.append(accepted.map { $0.messageRowVersion ?? "(0,0)" })
        return bindings
    }

    /// Column by column with concrete types: `row.decode(_:)` takes its types as a parameter
    /// pack, which is not specialized across modules, and looked up generic metadata for every
    /// row (about 3 % of the worker's CPU in `perf`).
    func decodeRow(_ row: PostgresRow) throws -> Row {
        var cells = row.makeIterator()
        func next<Value: PostgresDecodable>(_: Value.Type = Value.self) throws -> Value {
            guard let cell = cells.next() else { throw PostgresDecodingError.Code.missingData }
            return try cell.decode(Value.self, context: .default)
        }
        return try Row(
            jobID: next(), attempt: next(), priority: next(), payload: next(), uniqueKey: next(), maxAttempts: next(),
            runAt: next(),
            messageID: next(), customerID: next(), channelID: next(), recipient: next(), content: next(), messageRow: next(),
            campaignID: next(), recorded: next(), needsAdmission: next())
    }
}
