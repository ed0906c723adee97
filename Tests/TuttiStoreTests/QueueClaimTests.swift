import Foundation
import PostgresNIO
import Testing
import TuttiDomain
import TuttiQueue
import TuttiStore
import TuttiTestSupport

@Suite("Queue: enqueue and claim")
struct QueueClaimTests {
    let logger = TestDatabase.logger

    @Test func claimTakesLowerPriorityValuesFirstThenEarlierRunTimesThenEnqueueOrder() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Order", in: database).tenant.id
            let queue = uniqueQueueName()
            let ids = try await database.enqueue(
                [
                    NewQueueJob(queue: queue, payload: #"{"n": 0}"#, priority: .bulk),
                    NewQueueJob(queue: queue, payload: #"{"n": 1}"#, priority: .normal),
                    NewQueueJob(queue: queue, payload: #"{"n": 2}"#, priority: .urgent),
                    NewQueueJob(queue: queue, payload: #"{"n": 3}"#, priority: .normal, schedule: .at(Date(timeIntervalSinceNow: -3600))),
                    NewQueueJob(queue: queue, payload: #"{"n": 4}"#, priority: .normal),
                ], tenant: tenant
            ).compactMap { $0 }
            let first = try await database.claim(queue, tenant: tenant, limit: 2)
            let rest = try await database.claim(queue, tenant: tenant, limit: 10)
            #expect(first.map(\.id) == [ids[2], ids[3]])
            #expect(rest.map(\.id) == [ids[1], ids[4], ids[0]])
            #expect(first[0].payload == #"{"n": 2}"#)
            #expect((first + rest).allSatisfy { $0.attempt == 1 && $0.tenantID == tenant })
        }
    }

    @Test func concurrentClaimersNeverReceiveTheSameJob() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Concurrent", in: database).tenant.id
            let queue = uniqueQueueName()
            let total = 3000
            for chunk in stride(from: 0, to: total, by: 1000) {
                try await database.enqueue((chunk..<chunk + 1000).map { NewQueueJob(queue: queue, payload: #"{"n": \#($0)}"#) }, tenant: tenant)
            }
            let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for worker in 0..<6 {
                    group.addTask {
                        var mine: [Int64] = []
                        while true {
                            let jobs = try await database.claim(queue, tenant: tenant, limit: 37, worker: "w\(worker)")
                            if jobs.isEmpty { return mine }
                            mine += jobs.map(\.id)
                        }
                    }
                }
                var all: [Int64] = []
                for try await ids in group { all += ids }
                return all
            }
            #expect(claimed.count == total)
            #expect(Set(claimed).count == total)
        }
    }

    @Test func jobEnqueuedInARolledBackTransactionNeverExists() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Rollback", in: database).tenant.id
            let queue = uniqueQueueName()
            struct Abandon: Error {}
            await #expect(throws: Abandon.self) {
                try await database.withTenant(tenant, logger: logger) { session in
                    try await session.queueEnqueue(NewQueueJob(queue: queue))
                    throw Abandon()
                }
            }
            #expect(try await database.claim(queue, tenant: tenant, limit: 10).isEmpty)
        }
    }

    @Test func scheduledJobIsNotClaimedBeforeItsRunTimeAndBecomesClaimableAfterPromotion() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Scheduled", in: database).tenant.id
            let queue = uniqueQueueName()
            let ids = try await database.enqueue(
                [
                    NewQueueJob(queue: queue, schedule: .after(.seconds(3600))),
                    NewQueueJob(queue: queue, schedule: .after(.milliseconds(200))),
                ], tenant: tenant
            ).compactMap { $0 }
            #expect(try await database.job(ids[0], tenant: tenant)?.state == .scheduled)
            #expect(try await database.claim(queue, tenant: tenant, limit: 10).isEmpty)
            var claimed: [ClaimedQueueJob] = []
            let promoted = try await eventually {
                _ = try await database.queuePromoteDue(logger: logger)
                claimed += try await database.claim(queue, tenant: tenant, limit: 10)
                return !claimed.isEmpty
            }
            #expect(promoted)
            #expect(claimed.map(\.id) == [ids[1]])
            #expect(try await database.job(ids[0], tenant: tenant)?.state == .scheduled)
        }
    }

    @Test func uniqueKeySkipsASecondPendingJobAndIsFreeAgainOnceTheFirstCompletes() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Unique", in: database).tenant.id
            let queue = uniqueQueueName()
            let other = uniqueQueueName()
            let first = try await database.enqueue(
                [
                    NewQueueJob(queue: queue, uniqueKey: "message-1"),
                    NewQueueJob(queue: queue, uniqueKey: "message-1"),
                    NewQueueJob(queue: other, uniqueKey: "message-1"),
                ], tenant: tenant)
            #expect(first[0] != nil && first[1] == nil && first[2] != nil)
            #expect(try await database.enqueue([NewQueueJob(queue: queue, uniqueKey: "message-1")], tenant: tenant) == [nil])
            let jobs = try await database.claim(queue, tenant: tenant, limit: 10)
            #expect(try await database.enqueue([NewQueueJob(queue: queue, uniqueKey: "message-1")], tenant: tenant) == [nil])
            let completed = try await database.withTenant(tenant, logger: logger) { try await $0.queueComplete(jobs.map(\.lease)) }
            #expect(completed == 1)
            #expect(try await database.enqueue([NewQueueJob(queue: queue, uniqueKey: "message-1")], tenant: tenant)[0] != nil)
        }
    }

    @Test func completeAndClaimFinishesThePreviousBatchAndLeasesTheNextInOneCall() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Pipeline", in: database).tenant.id
            let queue = uniqueQueueName()
            try await database.enqueue((0..<5).map { _ in NewQueueJob(queue: queue) }, tenant: tenant)
            let first = try await database.claim(queue, tenant: tenant, limit: 3)
            let result = try await database.withTenant(tenant, logger: logger) {
                try await $0.queueCompleteAndClaim(completing: first.map(\.lease), queue: queue, worker: "w", limit: 3, lease: .seconds(30))
            }
            #expect(result.completed == 3)
            #expect(result.jobs.count == 2)
            for job in first { #expect(try await database.job(job.id, tenant: tenant) == nil) }
            let last = try await database.withTenant(tenant, logger: logger) {
                try await $0.queueCompleteAndClaim(completing: result.jobs.map(\.lease), queue: queue, worker: "w", limit: 3, lease: .seconds(30))
            }
            #expect(last.completed == 2)
            #expect(last.jobs.isEmpty)
        }
    }

    @Test func enqueueNotifiesTheQueueChannelWithQueueAndTenantAtCommit() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Notify", in: database).tenant.id
            let queue = uniqueQueueName()
            let received = try await withTimeout {
                try await database.client.withConnection { connection in
                    try await connection.listen(on: QueueNotification.channel) { notifications -> QueueNotification? in
                        try await database.enqueue([NewQueueJob(queue: queue), NewQueueJob(queue: queue)], tenant: tenant)
                        for try await notification in notifications {
                            if let hint = QueueNotification(payload: notification.payload), hint.queue == queue { return hint }
                        }
                        return nil
                    }
                }
            }
            #expect(received == QueueNotification(queue: queue, tenantID: tenant))
        }
    }
}
