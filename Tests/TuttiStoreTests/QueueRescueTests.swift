import Foundation
import Testing
import TuttiDomain
import TuttiQueue
import TuttiStore
import TuttiTestSupport

@Suite("Queue: leases, heartbeats and rescue")
struct QueueRescueTests {
    let logger = TestDatabase.logger

    @Test func jobOfAWorkerWhoseLeaseRanOutIsRescuedAndClaimedAgain() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Rescue", in: database).tenant.id
            let queue = uniqueQueueName()
            let id = try #require(try await database.enqueue([NewQueueJob(queue: queue)], tenant: tenant)[0])
            // A worker claims with a lease that lapses at once, then "dies" without reporting.
            // (Any scheduler running against this database may be the one that rescues it.)
            #expect(try await database.claim(queue, tenant: tenant, limit: 1, lease: .zero, worker: "dead-worker").map(\.id) == [id])
            let rescued = try await eventually {
                _ = try await database.queueRescueExpired(logger: logger)
                return try await database.job(id, tenant: tenant)?.state == .ready
            }
            #expect(rescued)
            let job = try #require(try await database.job(id, tenant: tenant))
            #expect(job.errors.map(\.worker) == ["dead-worker"])
            #expect(job.errors.first?.message.contains("lease expired") == true)
            let again = try await database.claim(queue, tenant: tenant, limit: 1)
            #expect(again.map(\.id) == [id])
            #expect(again.first?.attempt == 2)
        }
    }

    @Test func leaseThatHasNotRunOutIsLeftAlone() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Live lease", in: database).tenant.id
            let queue = uniqueQueueName()
            let id = try #require(try await database.enqueue([NewQueueJob(queue: queue)], tenant: tenant)[0])
            _ = try await database.claim(queue, tenant: tenant, limit: 1, lease: .seconds(60))
            _ = try await database.queueRescueExpired(logger: logger)
            #expect(try await database.job(id, tenant: tenant)?.state == .leased)
        }
    }

    @Test func heartbeatExtendsCurrentLeasesAndReportsTheLostOnes() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Heartbeat", in: database).tenant.id
            let queue = uniqueQueueName()
            try await database.enqueue([NewQueueJob(queue: queue), NewQueueJob(queue: queue)], tenant: tenant)
            let jobs = try await database.claim(queue, tenant: tenant, limit: 2, lease: .seconds(5))
            let kept = jobs[0].lease
            let lost = jobs[1].lease
            try await database.withTenant(tenant, logger: logger) { _ = try await $0.queueComplete([lost]) }
            let lapsed = try await database.withTenant(tenant, logger: logger) { try await $0.queueHeartbeat([kept, lost], lease: .seconds(600)) }
            #expect(lapsed == [lost])
            let job = try #require(try await database.job(kept.jobID, tenant: tenant))
            let remaining = try #require(job.leaseExpiresAt).timeIntervalSince(job.runAt)
            #expect(remaining > 500, "the lease runs \(remaining) s past the job's run time")
            // A heartbeat after the lease lapsed and the job was rescued brings nothing back.
            try await database.withTenant(tenant, logger: logger) { session in
                _ = try await session.queueHeartbeat([kept], lease: .zero)
            }
            #expect(try await eventually {
                _ = try await database.queueRescueExpired(logger: logger)
                return try await database.job(kept.jobID, tenant: tenant)?.state == .ready
            })
            let afterRescue = try await database.withTenant(tenant, logger: logger) { try await $0.queueHeartbeat([kept], lease: .seconds(600)) }
            #expect(afterRescue == [kept])
        }
    }

    @Test func jobWhoseLastAttemptsLeaseRanOutIsDeadLettered() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Poison", in: database).tenant.id
            let queue = uniqueQueueName()
            let id = try #require(try await database.enqueue([NewQueueJob(queue: queue, maxAttempts: 1)], tenant: tenant)[0])
            _ = try await database.claim(queue, tenant: tenant, limit: 1, lease: .zero, worker: "crashed")
            #expect(try await eventually {
                _ = try await database.queueRescueExpired(logger: logger)
                return try await database.job(id, tenant: tenant)?.state == .dead
            })
            let dead = try #require(try await database.job(id, tenant: tenant))
            #expect(dead.errors.count == 1)
            #expect(dead.errors.first?.worker == "crashed")
        }
    }

    @Test func statsCountEachStateAndDeadLettersPerQueue() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Stats", in: database).tenant.id
            let queue = uniqueQueueName()
            try await database.enqueue(
                [
                    NewQueueJob(queue: queue, schedule: .at(Date(timeIntervalSinceNow: -60))), NewQueueJob(queue: queue),
                    NewQueueJob(queue: queue), NewQueueJob(queue: queue, schedule: .after(.seconds(3600))),
                ], tenant: tenant)
            let claimed = try await database.claim(queue, tenant: tenant, limit: 2)
            try await database.withTenant(tenant, logger: logger) {
                _ = try await $0.queueFail([QueueFailure(lease: claimed[1].lease, message: "no", disposition: .permanent)])
            }
            let stats = try #require(try await database.queueStats(logger: logger).first { $0.queue == queue.rawValue })
            #expect(stats.ready == 1)
            #expect(stats.leased == 1)
            #expect(stats.scheduled == 1)
            #expect(stats.deadLetters == 1)
            #expect(stats.oldestReadySeconds >= 0)
        }
    }
}
