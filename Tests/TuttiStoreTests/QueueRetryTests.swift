import Foundation
import PostgresNIO
import Testing
import TuttiDomain
import TuttiQueue
import TuttiStore
import TuttiTestSupport

@Suite("Queue: failures, retries and dead letters")
struct QueueRetryTests {
    let logger = TestDatabase.logger

    /// Seconds from the failure (the database clock when the attempt was failed, as recorded with
    /// its error) to the job's run_at: independent of how long the test took to ask.
    private func secondsUntilRun(_ id: Int64, tenant: UUID, in database: Database) async throws -> Double {
        try await database.withTenant(tenant, logger: logger) { session in
            let rows = try await session.connection.query(
                "SELECT extract(epoch FROM run_at - (errors -> -1 ->> 'at')::timestamptz)::float8 FROM queue_jobs WHERE tenant_id = \(tenant) AND id = \(id)", logger: logger)
            for try await seconds in rows.decode(Double.self) { return seconds }
            return .nan
        }
    }

    @Test func failedAttemptWaitsOutABackoffThatGrowsWithEachAttempt() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Backoff", in: database).tenant.id
            let queue = uniqueQueueName()
            let policy = QueueRetryPolicy(base: .seconds(10), cap: .seconds(3600))
            let id = try #require(try await database.enqueue([NewQueueJob(queue: queue)], tenant: tenant)[0])
            var waits: [Double] = []
            for attempt in Int32(1)...3 {
                let job = try #require(try await database.claim(queue, tenant: tenant, limit: 1).first)
                #expect(job.attempt == attempt)
                let result = try await database.withTenant(tenant, logger: logger) {
                    try await $0.queueFail([QueueFailure(lease: job.lease, message: "HTTP 503 from gateway")], policy: policy)
                }
                #expect(result == QueueFailResult(retried: 1, deadLettered: 0))
                #expect(try await database.job(id, tenant: tenant)?.state == .scheduled)
                let wait = try await secondsUntilRun(id, tenant: tenant, in: database)
                let range = policy.backoffRange(afterAttempt: attempt)
                #expect(wait > range.lowerBound.secondsValue - 1 && wait <= range.upperBound.secondsValue, "attempt \(attempt) waits \(wait) s")
                waits.append(wait)
                // Bring the retry forward instead of waiting it out.
                try await database.withTenant(tenant, logger: logger) { session in
                    _ = try await session.connection.query(
                        "UPDATE queue_jobs SET run_at = now() - interval '1 second' WHERE tenant_id = \(tenant) AND id = \(id)", logger: logger)
                }
                _ = try await database.queuePromoteDue(logger: logger)
            }
            #expect(waits[0] < waits[1] && waits[1] < waits[2], "\(waits)")
        }
    }

    @Test func gatewayRetryAfterIsHonouredInsteadOfTheBackoff() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Retry-After", in: database).tenant.id
            let queue = uniqueQueueName()
            let id = try #require(try await database.enqueue([NewQueueJob(queue: queue)], tenant: tenant)[0])
            let job = try #require(try await database.claim(queue, tenant: tenant, limit: 1).first)
            _ = try await database.withTenant(tenant, logger: logger) {
                try await $0.queueFail([QueueFailure(lease: job.lease, message: "HTTP 429", disposition: .retry(retryAfter: .seconds(120)))])
            }
            let wait = try await secondsUntilRun(id, tenant: tenant, in: database)
            #expect(wait >= 119 && wait <= 132 + 1, "waits \(wait) s for a Retry-After of 120 s")
        }
    }

    @Test func jobOutOfAttemptsIsDeadLetteredWithEveryAttemptsError() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Dead", in: database).tenant.id
            let queue = uniqueQueueName()
            let immediate = QueueRetryPolicy(base: .zero, cap: .zero)
            let id = try #require(try await database.enqueue([NewQueueJob(queue: queue, uniqueKey: "k", maxAttempts: 3)], tenant: tenant)[0])
            for attempt in 1...3 {
                let job = try #require(try await database.claim(queue, tenant: tenant, limit: 1, worker: "worker-\(attempt)").first)
                #expect(job.isFinalAttempt == (attempt == 3))
                let result = try await database.withTenant(tenant, logger: logger) {
                    try await $0.queueFail([QueueFailure(lease: job.lease, message: "failure \(attempt)")], policy: immediate)
                }
                #expect(result.deadLettered == (attempt == 3 ? 1 : 0))
            }
            let dead = try #require(try await database.job(id, tenant: tenant))
            #expect(dead.state == .dead)
            #expect(dead.attempts == 3)
            #expect(dead.errors.map(\.message) == ["failure 1", "failure 2", "failure 3"])
            #expect(dead.errors.map(\.attempt) == [1, 2, 3])
            #expect(dead.errors.map(\.worker) == ["worker-1", "worker-2", "worker-3"])
            #expect(try await database.claim(queue, tenant: tenant, limit: 1).isEmpty)
            // Dead letters hold no unique key: the same work may be enqueued again.
            #expect(try await database.enqueue([NewQueueJob(queue: queue, uniqueKey: "k")], tenant: tenant)[0] != nil)
        }
    }

    @Test func permanentFailureIsDeadLetteredAtOnce() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Permanent", in: database).tenant.id
            let queue = uniqueQueueName()
            let id = try #require(try await database.enqueue([NewQueueJob(queue: queue)], tenant: tenant)[0])
            let job = try #require(try await database.claim(queue, tenant: tenant, limit: 1).first)
            let result = try await database.withTenant(tenant, logger: logger) {
                try await $0.queueFail([QueueFailure(lease: job.lease, message: "550 no such mailbox", disposition: .permanent)])
            }
            #expect(result == QueueFailResult(retried: 0, deadLettered: 1))
            let dead = try #require(try await database.job(id, tenant: tenant))
            #expect(dead.state == .dead)
            #expect(dead.errors.map(\.message) == ["550 no such mailbox"])
        }
    }

    @Test func reportFromALeaseThatIsNoLongerCurrentChangesNothing() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Stale", in: database).tenant.id
            let queue = uniqueQueueName()
            let id = try #require(try await database.enqueue([NewQueueJob(queue: queue)], tenant: tenant)[0])
            let stale = try #require(try await database.claim(queue, tenant: tenant, limit: 1, lease: .zero, worker: "slow").first)
            #expect(try await eventually { _ = try await database.queueRescueExpired(logger: logger); return try await database.job(id, tenant: tenant)?.state == .ready })
            let current = try #require(try await database.claim(queue, tenant: tenant, limit: 1, worker: "fast").first)
            #expect(current.attempt == 2)
            let (failed, completed) = try await database.withTenant(tenant, logger: logger) { session in
                (try await session.queueFail([QueueFailure(lease: stale.lease, message: "late", disposition: .permanent)]),
                 try await session.queueComplete([stale.lease]))
            }
            #expect(failed == QueueFailResult(retried: 0, deadLettered: 0))
            #expect(completed == 0)
            let job = try #require(try await database.job(id, tenant: tenant))
            #expect(job.state == .leased && job.leasedBy == "fast")
        }
    }
}
