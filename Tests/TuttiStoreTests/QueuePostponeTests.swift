import Foundation
import PostgresNIO
import Testing
import TuttiDomain
import TuttiQueue
import TuttiStore
import TuttiTestSupport

/// `queuePostpone`: a claimed job handed back to wait without its claim counting as an attempt
/// (a delivery whose channel's circuit is open and has no secondary).
@Suite("Queue: postponing a claimed job")
struct QueuePostponeTests {
    let logger = TestDatabase.logger

    private func postpone(_ lease: QueueLease, _ delay: Duration, tenant: UUID, in database: Database) async throws -> Int {
        try await database.withTenant(tenant, logger: logger) { try await $0.queuePostpone([QueuePostponement(lease: lease, delay: delay)]) }
    }

    /// The database clock, read in a transaction of its own.
    private func databaseClock(tenant: UUID, in database: Database) async throws -> Date {
        try await database.withTenant(tenant, logger: logger) { session in
            let rows = try await session.connection.query("SELECT clock_timestamp()", logger: logger)
            for try await now in rows.decode(Date.self) { return now }
            return .distantPast
        }
    }

    @Test func postponingNeverUsesUpAttemptsNorLeavesAnError() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Postpone", in: database).tenant.id
            let queue = uniqueQueueName()
            let id = try #require(try await database.enqueue([NewQueueJob(queue: queue, maxAttempts: 3)], tenant: tenant)[0])
            // More postponements than the job has attempts: none of them counts.
            for _ in 0..<5 {
                let job = try #require(try await database.claim(queue, tenant: tenant, limit: 1).first)
                #expect(job.attempt == 1 && !job.isFinalAttempt)
                #expect(try await postpone(job.lease, .zero, tenant: tenant, in: database) == 1)
                let stored = try #require(try await database.job(id, tenant: tenant))
                #expect(stored.state == .ready && stored.attempts == 0 && stored.errors.isEmpty && stored.leasedBy == nil, "\(stored)")
            }
            // Real failures still count from the first.
            let job = try #require(try await database.claim(queue, tenant: tenant, limit: 1).first)
            _ = try await database.withTenant(tenant, logger: logger) {
                try await $0.queueFail([QueueFailure(lease: job.lease, message: "HTTP 500")], policy: QueueRetryPolicy(base: .zero, cap: .zero))
            }
            let stored = try #require(try await database.job(id, tenant: tenant))
            #expect(stored.attempts == 1 && stored.errors.map(\.attempt) == [1], "\(stored)")
        }
    }

    @Test func aPostponedJobWaitsItsDelayBeforeItCanBeClaimedAgain() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Postpone delay", in: database).tenant.id
            let queue = uniqueQueueName()
            let id = try #require(try await database.enqueue([NewQueueJob(queue: queue)], tenant: tenant)[0])
            let job = try #require(try await database.claim(queue, tenant: tenant, limit: 1).first)
            let before = try await databaseClock(tenant: tenant, in: database)
            #expect(try await postpone(job.lease, .seconds(60), tenant: tenant, in: database) == 1)
            let after = try await databaseClock(tenant: tenant, in: database)
            let stored = try #require(try await database.job(id, tenant: tenant))
            #expect(stored.state == .scheduled)
            // run_at is the postponing statement's clock plus the delay.
            #expect(stored.runAt >= before.addingTimeInterval(60) && stored.runAt <= after.addingTimeInterval(60), "\(before) … \(after): \(stored.runAt)")
            #expect(try await database.claim(queue, tenant: tenant, limit: 1).isEmpty)

            // Bring it forward instead of waiting: it runs as the same attempt.
            try await database.withTenant(tenant, logger: logger) { session in
                _ = try await session.connection.query(
                    "UPDATE queue_jobs SET run_at = now() - interval '1 second' WHERE tenant_id = \(tenant) AND id = \(id)", logger: logger)
            }
            _ = try await database.queuePromoteDue(logger: logger)
            #expect(try await database.claim(queue, tenant: tenant, limit: 1).first?.attempt == 1)
        }
    }

    @Test func aPostponedLastAttemptIsNotDeadLettered() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Postpone last", in: database).tenant.id
            let queue = uniqueQueueName()
            let id = try #require(try await database.enqueue([NewQueueJob(queue: queue, maxAttempts: 1)], tenant: tenant)[0])
            let job = try #require(try await database.claim(queue, tenant: tenant, limit: 1).first)
            #expect(job.isFinalAttempt)
            #expect(try await postpone(job.lease, .zero, tenant: tenant, in: database) == 1)
            #expect(try await database.job(id, tenant: tenant)?.state == .ready)

            let again = try #require(try await database.claim(queue, tenant: tenant, limit: 1).first)
            #expect(again.attempt == 1 && again.isFinalAttempt)
            let result = try await database.withTenant(tenant, logger: logger) {
                try await $0.queueFail([QueueFailure(lease: again.lease, message: "HTTP 500")])
            }
            #expect(result == QueueFailResult(retried: 0, deadLettered: 1))
            let dead = try #require(try await database.job(id, tenant: tenant))
            #expect(dead.state == .dead && dead.errors.count == 1, "\(dead)")
        }
    }

    @Test func aLeaseThatIsNotCurrentPostponesNothing() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Postpone fenced", in: database).tenant.id
            let queue = uniqueQueueName()
            let id = try #require(try await database.enqueue([NewQueueJob(queue: queue)], tenant: tenant)[0])
            let job = try #require(try await database.claim(queue, tenant: tenant, limit: 1).first)
            let stale = QueueLease(jobID: job.id, attempt: job.attempt + 1)
            #expect(try await postpone(stale, .zero, tenant: tenant, in: database) == 0)
            #expect(try await database.job(id, tenant: tenant)?.state == .leased)

            // Another tenant cannot postpone it either.
            let other = try await TestTenant.make("Postpone other", in: database).tenant.id
            #expect(try await postpone(job.lease, .zero, tenant: other, in: database) == 0)
            #expect(try await database.job(id, tenant: tenant)?.state == .leased)

            // Once completed, a late postponement finds nothing.
            let completed = try await database.withTenant(tenant, logger: logger) { try await $0.queueComplete([job.lease]) }
            #expect(completed == 1)
            #expect(try await postpone(job.lease, .zero, tenant: tenant, in: database) == 0)
            #expect(try await database.job(id, tenant: tenant) == nil)
        }
    }
}
