import Foundation
import PostgresNIO
import TuttiDomain

extension QueueTransaction {
    /// Enqueues `job` in this transaction: it becomes visible to workers when the caller
    /// commits, and vanishes with a rollback. Returns its id, or nil when a pending job of the
    /// same queue already holds its unique key.
    @discardableResult
    public func queueEnqueue(_ job: NewQueueJob) async throws -> Int64? {
        try await queueEnqueue([job])[0]
    }

    /// Enqueues `jobs` in one statement, in this transaction, and hints the queues' workers
    /// (`pg_notify`, delivered at commit) for those that are ready now. Returns, for each job in
    /// order, its id, or nil when it was skipped for a unique key that a pending job (or an
    /// earlier job of this call) holds.
    @discardableResult
    public func queueEnqueue(_ jobs: [NewQueueJob]) async throws -> [Int64?] {
        guard !jobs.isEmpty else { return [] }
        // Arrays of optionals cannot be bound: a job without a time of its own runs `delay`
        // after now() (`timed` false), and "no key" travels as the empty string, never a key.
        let timed: [Bool] = jobs.map { if case .at = $0.schedule { true } else { false } }
        let at: [Date] = jobs.map { if case .at(let date) = $0.schedule { date } else { Date.distantPast } }
        let delays: [Double] = jobs.map { job -> Double in
            if case .after(let delay) = job.schedule { delay.secondsValue } else { 0 }
        }
        let rows = try await query(
            """
            WITH input AS (
                SELECT nextval('queue_jobs_id_seq'::regclass) AS id, i.*,
                       CASE WHEN i.timed THEN i.at ELSE now() + make_interval(secs => i.delay) END AS run_at
                FROM unnest(\(jobs.map(\.queue.rawValue))::text[], \(jobs.map(\.priority.rawValue))::int2[], \(timed)::bool[],
                            \(at)::timestamptz[], \(delays)::float8[], \(jobs.map { $0.uniqueKey ?? "" })::text[],
                            \(jobs.map(\.payload))::text[], \(jobs.map { Int32(clamping: $0.maxAttempts) })::int4[])
                     WITH ORDINALITY AS i(queue, priority, timed, at, delay, unique_key, payload, max_attempts, ord)
            ), inserted AS (
                INSERT INTO queue_jobs (tenant_id, id, queue, priority, state, run_at, unique_key, payload, max_attempts)
                SELECT \(tenantID), input.id, input.queue, input.priority,
                       CASE WHEN input.run_at <= now() THEN 'ready' ELSE 'scheduled' END,
                       input.run_at, nullif(input.unique_key, ''), input.payload::jsonb, input.max_attempts
                FROM input ORDER BY input.ord
                ON CONFLICT (tenant_id, queue, unique_key) WHERE unique_key IS NOT NULL DO NOTHING
                RETURNING queue_jobs.id, queue_jobs.queue, queue_jobs.state
            ), notified AS (
                -- ::text: Citus refuses a CTE column of pseudo-type void.
                SELECT pg_notify('tutti_queue', ready.queue || ' ' || \(tenantID)::text)::text
                FROM (SELECT DISTINCT inserted.queue FROM inserted WHERE inserted.state = 'ready') AS ready
            )
            SELECT inserted.id FROM input LEFT JOIN inserted ON inserted.id = input.id
            CROSS JOIN (SELECT count(*) FROM notified) AS hints
            ORDER BY input.ord
            """)
        var ids: [Int64?] = []
        ids.reserveCapacity(jobs.count)
        for try await id in rows.decode(Int64?.self) { ids.append(id) }
        return ids
    }
}
